// Entries of a remote ZIP archive downloaded as downloads of their own: several connections over
// the entry's span only, the span decoded (stored and deflated) into the entry's file, a changed
// archive or a damaged entry failing with a sentence and no file, and the same from S3.
#include "api/downloadmanager.h"
#include "api/s3transfers.h"
#include "s3/s3client.h"
#include "storage/storage.h"
#include "zipread/entrydownloads.h"
#include "zipread/remotezipdevice.h"
#include "zipread/zipreader.h"

#include "entrytestsupport.h"
#include "faultserver.h"
#include "rgwserver.h"
#include "sandbox.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::zipread;
using namespace ferry::test;
using namespace ferry::test::zipread;

namespace {

constexpr qint64 MiB = 1024 * 1024;

bool isFinal(DownloadState s)
{
    return s == DownloadState::Completed || s == DownloadState::Failed ||
           s == DownloadState::Paused;
}

QStringList filesBelow(const QString &dir)
{
    QStringList found;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        found.append(QDir(dir).relativeFilePath(it.next()));
    found.sort();
    return found;
}

} // namespace

class TestEntryDownloads final : public QObject
{
    Q_OBJECT

private:
    QList<ArchiveFile> m_files;
    QByteArray m_archive;
    QHash<QString, EntryPlace> m_places;
    std::unique_ptr<QTemporaryDir> m_work;
    std::unique_ptr<QTemporaryDir> m_state;
    std::unique_ptr<QTemporaryDir> m_out;
    std::unique_ptr<FaultServer> m_server;

    std::unique_ptr<DownloadManager> makeManager()
    {
        EngineSettings settings;
        settings.stallTimeoutMs = 3000;
        settings.backoff.baseMs = 50;
        settings.backoff.capMs = 400;
        settings.minSplit = 1 * MiB;
        auto m = std::make_unique<DownloadManager>(m_state->path(), settings);
        QString error;
        if (!m->open(false, &error))
            qFatal("cannot open state: %s", qPrintable(error));
        return m;
    }

    QList<DownloadId> addEntries(DownloadManager &m, const ArchiveSource &source,
                                 const ArchiveListing &listing, const QStringList &names)
    {
        QList<qsizetype> chosen;
        for (const QString &n : names)
            chosen.append(indexOf(listing, n));
        QStringList refused;
        const QList<DownloadRequest> requests =
            entryDownloadRequests(source, listing, chosen, m_out->path(), &refused);
        [&] { QVERIFY2(refused.isEmpty(), qPrintable(refused.join(u'\n'))); }();
        QList<DownloadId> ids;
        for (const DownloadRequest &r : requests) {
            QString error;
            const DownloadId id = m.add(r, &error);
            [&] { QVERIFY2(id != 0, qPrintable(error)); }();
            ids.append(id);
        }
        return ids;
    }

    DownloadSnapshot waitFinal(DownloadManager &m, DownloadId id)
    {
        [&] { QTRY_VERIFY_WITH_TIMEOUT(isFinal(m.snapshot(id)->state), 90000); }();
        return *m.snapshot(id);
    }

    const ArchiveFile &file(const QString &name) const
    {
        for (const ArchiveFile &f : m_files) {
            if (f.name == name)
                return f;
        }
        qFatal("no file %s", qPrintable(name));
    }

private slots:
    void initTestCase()
    {
        m_work = std::make_unique<QTemporaryDir>();
        m_files = {
            {u"small.txt"_s, "a small entry\n", true},
            {u"big-stored.bin"_s, deterministicBytes(40 * MiB, 31), false},
            {u"data/big-deflated.txt"_s, wordText(40 * MiB, 32), true},
            {u"data/tiny.bin"_s, deterministicBytes(70 * 1024, 33), false},
        };
        QString error;
        m_archive = makeZip(m_work->path(), m_files, &m_places, &error);
        QVERIFY2(!m_archive.isEmpty(), qPrintable(error));
        qInfo("archive: %lld bytes; deflated entry packed to %lld of %lld",
              qint64(m_archive.size()), m_places.value(u"data/big-deflated.txt"_s).packed,
              40 * MiB);
    }

    void init()
    {
        m_state = std::make_unique<QTemporaryDir>();
        m_out = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<FaultServer>();
        QVERIFY(m_server->start());
    }

    void cleanup()
    {
        m_server.reset();
        m_out.reset();
        m_state.reset();
    }

    void everyEntry_downloadsInParallelWithinItsSpan()
    {
        m_server->setResource(u"/sets/archive.zip"_s, Resource{m_archive, "\"zip-1\"", {}, {}});
        const ArchiveListing listing = listingOf(m_archive, "\"zip-1\"");
        QVERIFY2(listing.ok(), qPrintable(listing.error));
        ArchiveSource source;
        source.url = m_server->url(u"sets/archive.zip"_s);
        auto m = makeManager();
        for (const ArchiveFile &f : std::as_const(m_files)) {
            m_server->clearLog();
            const QList<DownloadId> ids = addEntries(*m, source, listing, {f.name});
            QCOMPARE(ids.size(), 1);
            const DownloadSnapshot s = waitFinal(*m, ids.first());
            QVERIFY2(s.state == DownloadState::Completed, qPrintable(s.message));
            // Where a user looks: the entry's own name and folders, its own content.
            const QString path = m_out->path() + u'/' + f.name;
            QCOMPARE(s.targetPath, path);
            QCOMPARE(sha256OfFile(path), sha256Hex(f.content));

            const qsizetype index = indexOf(listing, f.name);
            const EntrySpanBounds span = entrySpanBounds(listing, index);
            QCOMPARE(span.offset, m_places.value(f.name).offset);
            QVERIFY(span.offset + span.length >=
                    m_places.value(f.name).data + m_places.value(f.name).packed);
            const QList<RequestRecord> requests = m_server->requests(u"/sets/archive.zip"_s);
            QSet<int> connections;
            qint64 asked = 0;
            for (const RequestRecord &r : requests) {
                const auto [first, last] = parseRange(r.range);
                QVERIFY2(first >= span.offset && last < span.offset + span.length && first <= last,
                         qPrintable(u"%1 outside %2+%3"_s.arg(QString::fromLatin1(r.range))
                                        .arg(span.offset)
                                        .arg(span.length)));
                connections.insert(r.connection);
                asked += last - first + 1;
            }
            const qint64 served = m_server->bodyBytesServed(u"/sets/archive.zip"_s);
            qInfo("%s: span %lld bytes, %lld requests on %lld connections, %lld bytes asked, %lld "
                  "served",
                  qPrintable(f.name), span.length, qint64(requests.size()),
                  qint64(connections.size()), asked, served);
            // The probe asks only for the first range of the plan; what is asked twice is a slow
            // range's tail that an idle connection duplicated near the end.
            QVERIFY(served <= asked);
            QVERIFY2(asked <= span.length + span.length / 4, qPrintable(QString::number(asked)));
            if (span.length >= 4 * MiB) {
                QVERIFY(requests.size() > 1);
                QVERIFY(connections.size() > 1);
            } else {
                QCOMPARE(requests.size(), 1);
            }
        }
        // Nothing but the entries: no span, no half-decoded file left.
        QStringList expected;
        for (const ArchiveFile &f : std::as_const(m_files))
            expected.append(f.name);
        expected.sort();
        QCOMPARE(filesBelow(m_out->path()), expected);
    }

    void existingFile_isNeverReplaced()
    {
        m_server->setResource(u"/a.zip"_s, Resource{m_archive, "\"zip-1\"", {}, {}});
        const ArchiveListing listing = listingOf(m_archive, "\"zip-1\"");
        QVERIFY(QDir(m_out->path()).mkpath(u"data"_s));
        QVERIFY(writeFile(m_out->path() + u"/data/tiny.bin"_s, "mine"));
        ArchiveSource source;
        source.url = m_server->url(u"a.zip"_s);
        auto m = makeManager();
        const QList<DownloadId> ids = addEntries(*m, source, listing, {u"data/tiny.bin"_s});
        const DownloadSnapshot s = waitFinal(*m, ids.first());
        QVERIFY2(s.state == DownloadState::Completed, qPrintable(s.message));
        QCOMPARE(s.targetPath, m_out->path() + u"/data/tiny (1).bin"_s);
        QCOMPARE(readFile(m_out->path() + u"/data/tiny.bin"_s), QByteArray("mine"));
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(file(u"data/tiny.bin"_s).content));
    }

    void interruptedDecoding_decodesAgain()
    {
        m_server->setResource(u"/i.zip"_s, Resource{m_archive, "\"zip-1\"", {}, {}});
        const ArchiveListing listing = listingOf(m_archive, "\"zip-1\"");
        ArchiveSource source;
        source.url = m_server->url(u"i.zip"_s);
        auto m = makeManager();
        // Stopped as soon as decoding begins (queued: not from inside the job's own call): the
        // span is complete, its file is not there yet.
        bool paused = false;
        connect(
            m.get(), &DownloadManager::stateChanged, this,
            [&](DownloadId id, DownloadState state) {
                if (state == DownloadState::Verifying && !paused) {
                    paused = true;
                    m->pause(id);
                }
            },
            Qt::QueuedConnection);
        const QList<DownloadId> ids = addEntries(*m, source, listing, {u"data/big-deflated.txt"_s});
        QTRY_VERIFY_WITH_TIMEOUT(paused && m->snapshot(ids.first())->state == DownloadState::Paused,
                                 60000);
        const QString final = m_out->path() + u"/data/big-deflated.txt"_s;
        QVERIFY(!QFile::exists(final));
        // Stopping removed what was decoded so far.
        const QString half = final + u".unzip.part"_s;
        QVERIFY(!QFile::exists(half));
        // A file of that name that this download did not create (another download's, say) is
        // never removed nor written: the download fails with a sentence, keeping its span.
        QVERIFY(writeFile(half, QByteArray(1000, 'x')));
        m_server->clearLog();
        m->resume(ids.first());
        QTRY_VERIFY_WITH_TIMEOUT(m->snapshot(ids.first())->state == DownloadState::Failed, 60000);
        QVERIFY2(m->snapshot(ids.first())->message.contains(u"in the way"_s),
                 qPrintable(m->snapshot(ids.first())->message));
        QCOMPARE(readFile(half), QByteArray(1000, 'x'));
        QVERIFY(QFile::remove(half));
        m->resume(ids.first());
        QTRY_VERIFY_WITH_TIMEOUT(m->snapshot(ids.first())->state == DownloadState::Completed ||
                                     m->snapshot(ids.first())->state == DownloadState::Failed,
                                 60000);
        const DownloadSnapshot s = *m->snapshot(ids.first());
        QVERIFY2(s.state == DownloadState::Completed, qPrintable(s.message));
        QCOMPARE(m_server->requestCount(u"/i.zip"_s), 0); // decoded again from the span on disk
        QCOMPARE(sha256OfFile(final), sha256Hex(file(u"data/big-deflated.txt"_s).content));
        QCOMPARE(filesBelow(m_out->path()), QStringList{u"data/big-deflated.txt"_s});
    }

    void foreignFileAtTarget_isNotTakenAsTheEntry()
    {
        // The record names a final path (as after a crash between the rename and its record),
        // but the file there is not the one this download decoded: it is neither taken as the
        // entry nor touched; the entry is decoded again under a free name.
        m_server->setResource(u"/f.zip"_s, Resource{m_archive, "\"zip-1\"", {}, {}});
        const ArchiveListing listing = listingOf(m_archive, "\"zip-1\"");
        ArchiveSource source;
        source.url = m_server->url(u"f.zip"_s);
        const QString name = u"data/big-deflated.txt"_s;
        const QString final = m_out->path() + u'/' + name;
        DownloadId id = 0;
        {
            auto m = makeManager();
            bool paused = false;
            connect(
                m.get(), &DownloadManager::stateChanged, this,
                [&](DownloadId which, DownloadState state) {
                    if (state == DownloadState::Verifying && !paused) {
                        paused = true;
                        m->pause(which);
                    }
                },
                Qt::QueuedConnection);
            id = addEntries(*m, source, listing, {name}).first();
            QTRY_VERIFY_WITH_TIMEOUT(paused && m->snapshot(id)->state == DownloadState::Paused,
                                     60000);
        }
        const QByteArray foreign(file(name).content.size(), 'y');
        QVERIFY(writeFile(final, foreign));
        {
            Storage storage(m_state->path() + u"/ferry.sqlite"_s);
            QString error;
            QVERIFY2(storage.open(&error), qPrintable(error));
            std::optional<StoredDownload> d = storage.load(id);
            QVERIFY(d);
            d->targetPath = final;
            storage.save(*d);
            storage.flush();
        }
        auto m = makeManager();
        m->resume(id);
        QTRY_VERIFY_WITH_TIMEOUT(m->snapshot(id)->state == DownloadState::Completed ||
                                     m->snapshot(id)->state == DownloadState::Failed,
                                 60000);
        const DownloadSnapshot s = *m->snapshot(id);
        QVERIFY2(s.state == DownloadState::Completed, qPrintable(s.message));
        QCOMPARE(s.targetPath, m_out->path() + u"/data/big-deflated (1).txt"_s);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(file(name).content));
        QCOMPARE(readFile(final), foreign);
    }

    void changedArchive_failsWithSentenceAndNoFile()
    {
        QByteArray changed = m_archive;
        changed[m_places.value(u"big-stored.bin"_s).data + 5 * MiB] ^= 0x55;
        m_server->setResource(u"/c.zip"_s, Resource{m_archive, "\"zip-1\"", {}, {}});
        Faults faults;
        faults.changeAfterRequests = 3;
        faults.changedBody = changed;
        faults.changedEtag = "\"zip-2\"";
        faults.bytesPerSecond = 4 * MiB; // still under way when the archive changes
        m_server->setFaults(u"/c.zip"_s, faults);
        const ArchiveListing listing = listingOf(m_archive, "\"zip-1\"");
        ArchiveSource source;
        source.url = m_server->url(u"c.zip"_s);
        auto m = makeManager();
        const QList<DownloadId> ids = addEntries(*m, source, listing, {u"big-stored.bin"_s});
        const DownloadSnapshot s = waitFinal(*m, ids.first());
        QCOMPARE(s.state, DownloadState::Failed);
        QVERIFY2(s.message.contains(u"archive changed on the server"_s) &&
                     s.message.contains(u"list the archive"_s),
                 qPrintable(s.message));
        QVERIFY(!QFile::exists(m_out->path() + u"/big-stored.bin"_s));
        for (const QString &f : filesBelow(m_out->path()))
            QVERIFY2(f.endsWith(u".part"_s) && !f.contains(u".unzip"_s), qPrintable(f));
    }

    void listedFromAnotherVersion_failsAtOnce()
    {
        // The listing is older than what the server has now: the first answer tells.
        m_server->setResource(u"/v.zip"_s, Resource{m_archive, "\"zip-new\"", {}, {}});
        const ArchiveListing listing = listingOf(m_archive, "\"zip-old\"");
        ArchiveSource source;
        source.url = m_server->url(u"v.zip"_s);
        auto m = makeManager();
        const QList<DownloadId> ids = addEntries(*m, source, listing, {u"data/tiny.bin"_s});
        const DownloadSnapshot s = waitFinal(*m, ids.first());
        QCOMPARE(s.state, DownloadState::Failed);
        QVERIFY2(s.message.contains(u"archive changed on the server"_s), qPrintable(s.message));
        QVERIFY(!QFile::exists(m_out->path() + u"/data/tiny.bin"_s));

        // Listed again, the entry is a new download of the new version, not the failed one again.
        const ArchiveListing again = listingOf(m_archive, "\"zip-new\"");
        const QList<DownloadId> retry = addEntries(*m, source, again, {u"data/tiny.bin"_s});
        QVERIFY(retry.first() != ids.first());
        const DownloadSnapshot t = waitFinal(*m, retry.first());
        QVERIFY2(t.state == DownloadState::Completed, qPrintable(t.message));
        QCOMPARE(sha256OfFile(t.targetPath), sha256Hex(file(u"data/tiny.bin"_s).content));
    }

    void damagedEntry_failsOnItsCrcAndLeavesNoFile()
    {
        for (const QString &name : {u"big-stored.bin"_s, u"data/big-deflated.txt"_s}) {
            QByteArray damaged = m_archive;
            const EntryPlace place = m_places.value(name);
            // Stored: one byte of content; deflated: a literal run's byte deep inside the stream.
            damaged[place.data + place.packed / 2] ^= 0x01;
            const QString path = u"/d%1.zip"_s.arg(name.size());
            m_server->setResource(path, Resource{damaged, "\"zip-d\"", {}, {}});
            const ArchiveListing listing = listingOf(damaged, "\"zip-d\"");
            ArchiveSource source;
            source.url = m_server->url(path.mid(1));
            auto m = makeManager();
            const QList<DownloadId> ids = addEntries(*m, source, listing, {name});
            const DownloadSnapshot s = waitFinal(*m, ids.first());
            QCOMPARE(s.state, DownloadState::Failed);
            QVERIFY2(s.message.contains(name) &&
                         s.message.contains(u"may have changed"_s) &&
                         s.message.count(u"damaged"_s) <= 1,
                     qPrintable(s.message));
            QVERIFY(!QFile::exists(m_out->path() + u'/' + name));
            QVERIFY(!QFile::exists(m_out->path() + u'/' + name + u".unzip.part"_s));
            qInfo("%s: %s", qPrintable(name), qPrintable(s.message));
        }
    }

    void damagedEntry_isFetchedAgainOnResume()
    {
        // Bytes that do not make the listed entry are dropped, not decoded again forever: once
        // the server has the archive as listed, Resume fetches the span again and completes.
        const QString name = u"data/tiny.bin"_s;
        QByteArray damaged = m_archive;
        const EntryPlace place = m_places.value(name);
        damaged[place.data + place.packed / 2] ^= 0x01;
        m_server->setResource(u"/r.zip"_s, Resource{damaged, "\"zip-1\"", {}, {}});
        const ArchiveListing listing = listingOf(m_archive, "\"zip-1\"");
        ArchiveSource source;
        source.url = m_server->url(u"r.zip"_s);
        auto m = makeManager();
        const QList<DownloadId> ids = addEntries(*m, source, listing, {name});
        const DownloadSnapshot s = waitFinal(*m, ids.first());
        QCOMPARE(s.state, DownloadState::Failed);
        QVERIFY2(s.message.contains(u"CRC-32"_s) && s.message.contains(u"may have changed"_s) &&
                     s.message.contains(u"list its contents again"_s),
                 qPrintable(s.message));
        QVERIFY2(filesBelow(m_out->path()).isEmpty(), // no span, no decoded file
                 qPrintable(filesBelow(m_out->path()).join(u' ')));

        m_server->setResource(u"/r.zip"_s, Resource{m_archive, "\"zip-1\"", {}, {}});
        m_server->clearLog();
        m->resume(ids.first());
        QTRY_VERIFY_WITH_TIMEOUT(m->snapshot(ids.first())->state == DownloadState::Completed ||
                                     m->snapshot(ids.first())->state == DownloadState::Failed,
                                 60000);
        const DownloadSnapshot t = *m->snapshot(ids.first());
        QVERIFY2(t.state == DownloadState::Completed, qPrintable(t.message));
        QVERIFY(m_server->requestCount(u"/r.zip"_s) > 0); // fetched again
        QCOMPARE(sha256OfFile(m_out->path() + u'/' + name), sha256Hex(file(name).content));
        QCOMPARE(filesBelow(m_out->path()), QStringList{name});
    }

    void unicodePathName_downloadsAsAnEntry()
    {
        // The listed name comes from an Info-ZIP Unicode Path field; the local header holds the
        // raw ASCII name. The two headers agree byte for byte, so the entry is valid.
        const QByteArray content = wordText(300 * 1024, 77);
        QHash<QString, EntryPlace> places;
        QString error;
        QTemporaryDir work;
        const QByteArray archive =
            makeZip(work.path(), {{u"renamed.txt"_s, content, true, u"Ärger-日本.txt"_s}},
                    &places, &error);
        QVERIFY2(!archive.isEmpty(), qPrintable(error));
        m_server->setResource(u"/u.zip"_s, Resource{archive, "\"zip-u\"", {}, {}});
        const ArchiveListing listing = listingOf(archive, "\"zip-u\"");
        QVERIFY2(listing.ok(), qPrintable(listing.error));
        QCOMPARE(listing.entries.size(), 1);
        QCOMPARE(listing.entries.first().name, u"Ärger-日本.txt"_s);
        QCOMPARE(listing.entries.first().rawName, QByteArray("renamed.txt"));
        ArchiveSource source;
        source.url = m_server->url(u"u.zip"_s);
        auto m = makeManager();
        const QList<DownloadId> ids = addEntries(*m, source, listing, {u"Ärger-日本.txt"_s});
        const DownloadSnapshot s = waitFinal(*m, ids.first());
        QVERIFY2(s.state == DownloadState::Completed, qPrintable(s.message));
        QCOMPARE(s.targetPath, m_out->path() + u"/Ärger-日本.txt"_s);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(content));
    }

    void s3Archive_entriesComeSigned()
    {
        if (const QString why = RgwServer::unavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        RgwServer &rgw = RgwServer::shared();
        const QString bucket = u"ferry-entries"_s;
        rgw.addBucket(bucket);
        QString error;
        QVERIFY2(rgw.start(&error), qPrintable(error));
        s3::Account account;
        account.id = u"rgw"_s;
        account.name = u"RGW"_s;
        account.endpoint = rgw.endpoint();
        account.region = RgwServer::region();
        account.pathStyle = true;
        const s3::Credentials credentials{RgwServer::accessKey(), RgwServer::secretKey(), {}};
        {
            s3::Client client(account, credentials);
            s3::Reply *reply = client.putObject(bucket, u"sets/archive.zip"_s, m_archive);
            bool done = false, ok = false;
            connect(reply, &s3::Reply::finished, reply, [&] {
                ok = !reply->error.isError();
                done = true;
            });
            QTRY_VERIFY_WITH_TIMEOUT(done, 120000);
            QVERIFY(ok);
        }
        ArchiveListing listing;
        {
            RemoteZipDevice device(account, credentials, bucket, u"sets/archive.zip"_s);
            QVERIFY2(device.open(QIODevice::ReadOnly), qPrintable(device.errorString()));
            ZipReader reader(&device);
            QVERIFY2(reader.open(), qPrintable(reader.errorString()));
            listing = listingOf(m_archive, device.etag());
            listing.lastModified = device.lastModified();
            QCOMPARE(listing.archiveSize, device.size());
        }
        auto m = makeManager();
        S3Transfers transfers(m.get());
        auto *client = new s3::Client(account, credentials);
        transfers.addClient(client);
        ArchiveSource source;
        source.url = client->objectUrl(bucket, u"sets/archive.zip"_s);
        source.account = account.id;
        source.bucket = bucket;
        source.key = u"sets/archive.zip"_s;
        const QList<DownloadId> ids =
            addEntries(*m, source, listing, {u"data/big-deflated.txt"_s, u"small.txt"_s});
        QCOMPARE(ids.size(), 2);
        for (DownloadId id : ids) {
            const DownloadSnapshot s = waitFinal(*m, id);
            QVERIFY2(s.state == DownloadState::Completed, qPrintable(s.message));
            QCOMPARE(s.source, u"s3://ferry-entries/sets/archive.zip"_s);
            const QString name = QDir(m_out->path()).relativeFilePath(s.targetPath);
            QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(file(name).content));
        }
    }
};

QTEST_GUILESS_MAIN(TestEntryDownloads)
#include "tst_entrydownloads.moc"
