// The files of a download on disk: a part file is created under a name nobody has (another
// process's part file and a dangling link count), never through a link, and only the files a
// download created itself are written, renamed or removed as its own.
#include "downloadmanagerfixture.h"
#include "engine/filenamesanitizer.h"
#include "engine/partfile.h"
#include "sandbox.h"
#include "storage/storage.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

class TestPartFiles final : public QObject, private DownloadManagerFixture
{
    Q_OBJECT

private:
    // Everything in the download folder, dangling links included (QDir::Files leaves them out).
    QStringList outEntries() const
    {
        return QDir(m_out->path())
            .entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot,
                       QDir::Name);
    }

    QString out(const QString &name) const { return m_out->filePath(name); }

    // A download of `body` served slowly through one connection, so that its bytes on disk are
    // a prefix of the body and it is still running when the test acts.
    DownloadId addSlow(DownloadManager &m, const QString &path, const QByteArray &body)
    {
        m_server->setResource(path, resource(body));
        Faults slow;
        slow.bytesPerSecond = 256 * 1024;
        m_server->setFaults(path, slow);
        return add(m, m_server->url(path), 1);
    }

    // Pauses `id` once it has bytes on disk; returns how many.
    qint64 pauseWithProgress(DownloadManager &m, DownloadId id)
    {
        [&] { QTRY_VERIFY_WITH_TIMEOUT(m.snapshot(id)->done >= 256 * 1024, finishTimeoutMs); }();
        m.pause(id);
        m.flush();
        return m.snapshot(id)->done;
    }

    // Records a finished download the way versions without file identities stored it.
    DownloadId insertRecordWithoutIdentity(const QString &name, qint64 total)
    {
        Storage storage(m_state->path() + u"/ferry.sqlite"_s);
        QString error;
        if (!storage.open(&error))
            qFatal("cannot open storage: %s", qPrintable(error));
        StoredDownload d;
        d.url = m_server->url(u"/old/"_s + name);
        d.directory = m_out->path();
        d.fileName = name;
        d.partPath = out(name + u".part"_s);
        d.targetPath = out(name);
        d.total = total;
        d.resumable = true;
        d.state = DownloadState::Completed;
        d.segments = {{0, total, total}};
        return storage.insert(d);
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { QVERIFY(createFixture()); }
    void cleanup() { destroyFixture(); }

    void create_takenNameFailsAndTheNextFreeNameIsCreated()
    {
        const QString taken = out(u"x.bin.part"_s);
        QVERIFY(writeFile(taken, "another download's bytes"));
        PartFile clash(taken);
        bool nameTaken = false;
        QString error;
        QVERIFY(!clash.create(4096, &nameTaken, &error));
        QVERIFY(nameTaken);
        QVERIFY(!clash.isOpen());
        QCOMPARE(readFile(taken), QByteArray("another download's bytes"));

        const auto first = PartFile::createUnique(m_out->path(), u"x.bin"_s, {}, 4096, &error);
        QVERIFY2(first, qPrintable(error));
        QCOMPARE(first->path(), out(u"x (1).bin.part"_s));
        QCOMPARE(QFileInfo(first->path()).size(), 4096);
        QVERIFY(first->identity().isKnown());
        QVERIFY(PartFile::matches(first->path(), first->identity()));
        QVERIFY(!PartFile::matches(taken, first->identity()));

        // Names the caller knows to be reserved are skipped as well.
        const auto second = PartFile::createUnique(
            m_out->path(), u"x.bin"_s, [&](const QString &p) { return p == out(u"x (2).bin"_s); },
            0, &error);
        QVERIFY2(second, qPrintable(error));
        QCOMPARE(second->path(), out(u"x (3).bin.part"_s));
        QCOMPARE(readFile(taken), QByteArray("another download's bytes"));
    }

    void create_neverFollowsALinkAndALinkTakesItsName()
    {
        QTemporaryDir outside;
        const QString victim = outside.filePath(u"victim.bin"_s);
        const QString link = out(u"y.bin.part"_s);
        QVERIFY(QFile::link(victim, link));
        QVERIFY(!QFileInfo::exists(link)); // dangling: QFileInfo says there is nothing
        QVERIFY(PartFile::exists(link));

        PartFile viaLink(link);
        bool nameTaken = false;
        QString error;
        QVERIFY(!viaLink.create(4096, &nameTaken, &error));
        QVERIFY(nameTaken);
        QVERIFY(!QFileInfo::exists(victim));
        const auto next = PartFile::createUnique(m_out->path(), u"y.bin"_s, {}, 0, &error);
        QVERIFY2(next, qPrintable(error));
        QCOMPARE(next->path(), out(u"y (1).bin.part"_s));

        // Once its target exists, the link is still neither opened nor removed.
        QVERIFY(writeFile(victim, "not Ferry's"));
        QVERIFY(!viaLink.open(0, {}, &error));
        QVERIFY2(error.contains(u"symbolic link"_s), qPrintable(error));
        QVERIFY(!PartFile::matches(link, {}));
        QVERIFY(!PartFile::removeIfOwned(link, {}));
        QVERIFY(QFileInfo(link).isSymLink());
        QCOMPARE(readFile(victim), QByteArray("not Ferry's"));

        // A dangling link at a final name takes that name too.
        QVERIFY(QFile::link(outside.filePath(u"nothing"_s), out(u"z.bin"_s)));
        const auto z = PartFile::createUnique(m_out->path(), u"z.bin"_s, {}, 0, &error);
        QVERIFY2(z, qPrintable(error));
        QCOMPARE(z->path(), out(u"z (1).bin.part"_s));
    }

    void uniqueFilePath_countsADanglingLinkAsTaken()
    {
        QTemporaryDir outside;
        QVERIFY(QFile::link(outside.filePath(u"nothing"_s), out(u"report.pdf"_s)));
        QCOMPARE(uniqueFilePath(m_out->path(), u"report.pdf"_s), out(u"report (1).pdf"_s));
    }

    void openAndRemove_onlyTheFileThatWasCreated()
    {
        QString error;
        const auto created = PartFile::createUnique(m_out->path(), u"w.bin"_s, {}, 0, &error);
        QVERIFY2(created, qPrintable(error));
        const PartFile::Identity ours = created->identity();
        const QString path = created->path();
        created->close();
        // Moved away by the user; another download's file now has the name.
        QVERIFY(QFile::rename(path, out(u"moved.bin"_s)));
        QVERIFY(writeFile(path, "another download's bytes"));

        PartFile again(path);
        QVERIFY(!again.open(0, ours, &error));
        QVERIFY2(error.contains(u"another file has taken its place"_s), qPrintable(error));
        QVERIFY(!PartFile::removeIfOwned(path, ours));
        QVERIFY(
            !PartFile::removeIfOwned(path, {}, 3)); // no identity: only a file of the known size
        QCOMPARE(readFile(path), QByteArray("another download's bytes"));

        // A rename keeps the identity: the moved file is still recognised as this one.
        QVERIFY(PartFile::matches(out(u"moved.bin"_s), ours));
        QVERIFY(PartFile::removeIfOwned(out(u"moved.bin"_s), ours));
        QVERIFY(!PartFile::exists(out(u"moved.bin"_s)));
    }

    void linkAtThePartName_isNeverFollowed_data()
    {
        QTest::addColumn<bool>("targetExists");
        QTest::newRow("dangling") << false;
        QTest::newRow("to a file") << true;
    }

    void linkAtThePartName_isNeverFollowed()
    {
        QFETCH(bool, targetExists);
        const QByteArray body = deterministicBytes(1536 * 1024, 40);
        m_server->setResource(u"/data.bin"_s, resource(body));
        QTemporaryDir outside;
        const QString victim = outside.filePath(u"victim.bin"_s);
        if (targetExists)
            QVERIFY(writeFile(victim, "not Ferry's"));
        const QString link = out(u"data.bin.part"_s);
        QVERIFY(QFile::link(victim, link));

        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/data.bin"_s)));
        QVERIFY2(s.state == DownloadState::Completed, qPrintable(s.message));
        QCOMPARE(s.targetPath, out(u"data (1).bin"_s));
        QVERIFY(!QFileInfo(s.targetPath).isSymLink());
        QVERIFY(QFileInfo(s.targetPath).isFile());
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        // The link is where it was, pointing where it did, and nothing went through it.
        QVERIFY(QFileInfo(link).isSymLink());
        QCOMPARE(QFileInfo(link).symLinkTarget(), victim);
        if (targetExists)
            QCOMPARE(readFile(victim), QByteArray("not Ferry's"));
        else
            QVERIFY(!PartFile::exists(victim));
        QCOMPARE(QDir(outside.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size(),
                 targetExists ? 1 : 0);
        QCOMPARE(outEntries(), (QStringList{u"data (1).bin"_s, u"data.bin.part"_s}));
    }

    void danglingLinkAtTheFinalName_isNeverRenamedOnto()
    {
        const QByteArray body = deterministicBytes(512 * 1024, 41);
        m_server->setResource(u"/data.bin"_s, resource(body));
        QTemporaryDir outside;
        const QString victim = outside.filePath(u"victim.bin"_s);
        QVERIFY(QFile::link(victim, out(u"data.bin"_s)));

        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/data.bin"_s)));
        QVERIFY2(s.state == DownloadState::Completed, qPrintable(s.message));
        QCOMPARE(s.targetPath, out(u"data (1).bin"_s));
        QVERIFY(!QFileInfo(s.targetPath).isSymLink());
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        QVERIFY(QFileInfo(out(u"data.bin"_s)).isSymLink());
        QVERIFY(!PartFile::exists(victim));
        QCOMPARE(outEntries(), (QStringList{u"data (1).bin"_s, u"data.bin"_s}));
    }

    void anotherProcessesPartFile_keepsItsFinalName()
    {
        // Another process is downloading "data.bin": its part file is all this process sees.
        QVERIFY(writeFile(out(u"data.bin.part"_s), "another process's bytes"));
        const QByteArray body = deterministicBytes(512 * 1024, 42);
        m_server->setResource(u"/data.bin"_s, resource(body));

        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/data.bin"_s)));
        QVERIFY2(s.state == DownloadState::Completed, qPrintable(s.message));
        QCOMPARE(s.targetPath, out(u"data (1).bin"_s));
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        QCOMPARE(readFile(out(u"data.bin.part"_s)), QByteArray("another process's bytes"));
        QCOMPARE(outEntries(), (QStringList{u"data (1).bin"_s, u"data.bin.part"_s}));
    }

    void remove_keepsTheNextDownloadsPartFileAfterTheFileWasMovedAway()
    {
        const QByteArray first = deterministicBytes(300 * 1024, 43);
        const QByteArray second = deterministicBytes(2 * 1024 * 1024, 44);
        m_server->setResource(u"/a/data.bin"_s, resource(first));
        auto m = makeManager();
        const DownloadId a = add(*m, m_server->url(u"/a/data.bin"_s));
        QCOMPARE(waitFinal(*m, a).state, DownloadState::Completed);
        QTemporaryDir elsewhere;
        const QString moved = elsewhere.filePath(u"data.bin"_s);
        QVERIFY(QFile::rename(out(u"data.bin"_s), moved));

        // The next download of that name gets the same part file name.
        const DownloadId b = addSlow(*m, u"/b/data.bin"_s, second);
        const qint64 done = pauseWithProgress(*m, b);
        const QString part = out(u"data.bin.part"_s);
        QVERIFY(QFileInfo(part).isFile());
        {
            Storage storage(m_state->path() + u"/ferry.sqlite"_s);
            QString error;
            QVERIFY2(storage.open(&error), qPrintable(error));
            const auto stored = storage.load(b);
            QVERIFY(stored);
            QCOMPARE(stored->partPath, part);
            QVERIFY(PartFile::matches(part, {stored->partDevice, stored->partInode}));
            QVERIFY(stored->partInode != 0);
        }

        QVERIFY(m->remove(a, false)); // "its file was kept"
        QVERIFY(QFileInfo(part).isFile());
        QCOMPARE(readFile(part).left(done), second.left(done));
        QVERIFY(m->snapshot(b));

        const qsizetype before = m_server->requests(u"/b/data.bin"_s).size();
        Faults fast;
        m_server->setFaults(u"/b/data.bin"_s, fast);
        m->resume(b);
        const DownloadSnapshot s = waitFinal(*m, b);
        QVERIFY2(s.state == DownloadState::Completed, qPrintable(s.message));
        QCOMPARE(s.targetPath, out(u"data.bin"_s));
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(second));
        for (const RequestRecord &r : m_server->requests(u"/b/data.bin"_s).mid(before))
            QVERIFY2(r.range != "bytes=0-",
                     "the second download started over: its part file was lost");
        QCOMPARE(sha256OfFile(moved), sha256Hex(first));
    }

    void removeWithFile_leavesAnotherDownloadsFinishedFile()
    {
        const QByteArray first = deterministicBytes(300 * 1024, 45);
        const QByteArray second = deterministicBytes(400 * 1024, 46);
        m_server->setResource(u"/a/data.bin"_s, resource(first));
        m_server->setResource(u"/b/data.bin"_s, resource(second));
        auto m = makeManager();
        const DownloadId a = add(*m, m_server->url(u"/a/data.bin"_s));
        QCOMPARE(waitFinal(*m, a).state, DownloadState::Completed);
        QTemporaryDir elsewhere;
        const QString moved = elsewhere.filePath(u"data.bin"_s);
        QVERIFY(QFile::rename(out(u"data.bin"_s), moved));

        const DownloadId b = add(*m, m_server->url(u"/b/data.bin"_s));
        const DownloadSnapshot sb = waitFinal(*m, b);
        QVERIFY2(sb.state == DownloadState::Completed, qPrintable(sb.message));
        QCOMPARE(sb.targetPath, out(u"data.bin"_s));

        QVERIFY(m->remove(a, true)); // its own file is elsewhere now; "data.bin" is b's
        QCOMPARE(sha256OfFile(out(u"data.bin"_s)), sha256Hex(second));
        QCOMPARE(sha256OfFile(moved), sha256Hex(first));
        QVERIFY(m->remove(b, true)); // a download's own finished file is still removed
        QVERIFY(!PartFile::exists(out(u"data.bin"_s)));
        QCOMPARE(outEntries(), QStringList());
    }

    void removeToTrash_movesOnlyItsOwnFinishedFileIntoTheTrash()
    {
        const QByteArray body = deterministicBytes(200 * 1024, 48);
        m_server->setResource(u"/t/trashed.bin"_s, resource(body));
        auto m = makeManager();
        const DownloadId id = add(*m, m_server->url(u"/t/trashed.bin"_s));
        QCOMPARE(waitFinal(*m, id).state, DownloadState::Completed);
        // As on a desktop, the data folder the home trash lives in exists (Ferry's state is there).
        QVERIFY(QDir().mkpath(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)));
        QSignalSpy kept(m.get(), &DownloadManager::fileKept);
        QVERIFY(m->remove(id, FileRemoval::Trash));
        QCOMPARE(kept.size(), 0);
        QVERIFY(!PartFile::exists(out(u"trashed.bin"_s)));
        // The freedesktop.org trash keeps the file and says where it came from: the home trash,
        // or the trash at the top of the download folder's file system.
        QStringList found;
        QString info;
        const QStringList trashes = {QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/Trash"_s,
                                     QStorageInfo(m_out->path()).rootPath() + u"/.Trash-%1"_s.arg(::getuid())};
        for (const QString &trash : trashes) {
            for (const QString &name : QDir(trash + u"/files"_s).entryList({u"trashed*.bin"_s}, QDir::Files)) {
                if (sha256OfFile(trash + u"/files/"_s + name) == sha256Hex(body)) {
                    found.append(trash + u"/files/"_s + name);
                    QFile f(trash + u"/info/"_s + name + u".trashinfo"_s);
                    if (f.open(QIODevice::ReadOnly))
                        info = QString::fromUtf8(f.readAll());
                    QFile::remove(found.last());
                    QFile::remove(f.fileName());
                }
            }
        }
        QCOMPARE(found.size(), 1);
        QVERIFY2(info.contains(u"Path="_s) && info.contains(u"trashed.bin"_s), qPrintable(info));
    }

    void removeToTrash_withoutADataFolder_makesItInsteadOfUsingTheWorkingFolder()
    {
        const QByteArray body = deterministicBytes(64 * 1024, 49);
        m_server->setResource(u"/t/nodata.bin"_s, resource(body));
        auto m = makeManager();
        const DownloadId id = add(*m, m_server->url(u"/t/nodata.bin"_s));
        QCOMPARE(waitFinal(*m, id).state, DownloadState::Completed);
        // A home whose data folder does not exist yet, and a working folder to watch.
        QTemporaryDir home(m_out->path() + u"/home-XXXXXX"_s);
        QTemporaryDir cwd(m_out->path() + u"/cwd-XXXXXX"_s);
        const QByteArray oldHome = qgetenv("HOME");
        const QString oldCwd = QDir::currentPath();
        qputenv("HOME", QFile::encodeName(home.path()));
        QDir::setCurrent(cwd.path());
        const QString data = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
        const bool dataWasMissing = !QFileInfo::exists(data);
        QVERIFY(m->remove(id, FileRemoval::Trash));
        QDir::setCurrent(oldCwd);
        qputenv("HOME", oldHome);
        QVERIFY(dataWasMissing);
        QVERIFY(!QFileInfo::exists(cwd.filePath(u"files"_s)));
        QCOMPARE(sha256OfFile(data + u"/Trash/files/nodata.bin"_s), sha256Hex(body));
    }

    void recordsWithoutIdentity_removeOnlyWhatCanBeTheirs()
    {
        // Rows written before identities were recorded: a finished one has no part file of its
        // own any more, and its finished file is recognised by its size alone.
        const DownloadId stale = insertRecordWithoutIdentity(u"old.bin"_s, 1000);
        const DownloadId mine = insertRecordWithoutIdentity(u"mine.bin"_s, 7);
        QVERIFY(writeFile(out(u"old.bin.part"_s), "another download's part"));
        QVERIFY(writeFile(out(u"old.bin"_s), "another download's file"));
        QVERIFY(writeFile(out(u"mine.bin"_s), "7 bytes"));
        auto m = makeManager();
        QVERIFY(m->remove(stale, true));
        QCOMPARE(readFile(out(u"old.bin.part"_s)), QByteArray("another download's part"));
        QCOMPARE(readFile(out(u"old.bin"_s)), QByteArray("another download's file"));
        QVERIFY(m->remove(mine, true));
        QVERIFY(!PartFile::exists(out(u"mine.bin"_s)));
    }

    void resumeOntoAnotherFile_startsOverUnderAFreeName_data()
    {
        QTest::addColumn<bool>("link");
        QTest::newRow("another file") << false;
        QTest::newRow("link to a file") << true;
    }

    void resumeOntoAnotherFile_startsOverUnderAFreeName()
    {
        QFETCH(bool, link);
        const QByteArray body = deterministicBytes(2 * 1024 * 1024, 47);
        auto m = makeManager();
        const DownloadId id = addSlow(*m, u"/data.bin"_s, body);
        pauseWithProgress(*m, id);
        // While paused, the part file is moved away and something else takes its name.
        const QString part = out(u"data.bin.part"_s);
        QTemporaryDir elsewhere;
        QVERIFY(QFile::rename(part, elsewhere.filePath(u"moved.part"_s)));
        const QString foreign = link ? elsewhere.filePath(u"victim.bin"_s) : part;
        QVERIFY(writeFile(foreign, "not this download's bytes"));
        if (link)
            QVERIFY(QFile::link(foreign, part));

        Faults fast;
        m_server->setFaults(u"/data.bin"_s, fast);
        m->resume(id);
        const DownloadSnapshot s = waitFinal(*m, id);
        QVERIFY2(s.state == DownloadState::Completed, qPrintable(s.message));
        QCOMPARE(s.targetPath, out(u"data (1).bin"_s));
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        QCOMPARE(readFile(foreign), QByteArray("not this download's bytes"));
        QCOMPARE(QFileInfo(part).isSymLink(), link);
        QCOMPARE(outEntries(), (QStringList{u"data (1).bin"_s, u"data.bin.part"_s}));
        bool said = false;
        for (const DownloadEvent &e : m->events(id))
            said = said || (e.text.contains(part) &&
                            e.text.contains(u"is no longer this download's partial file"_s));
        QVERIFY(said);

        // Removing the download leaves the file that took the old name alone.
        QVERIFY(m->remove(id, true));
        QCOMPARE(readFile(foreign), QByteArray("not this download's bytes"));
        QCOMPARE(outEntries(), QStringList{u"data.bin.part"_s});
    }
};

QTEST_GUILESS_MAIN(TestPartFiles)
#include "tst_partfiles.moc"
