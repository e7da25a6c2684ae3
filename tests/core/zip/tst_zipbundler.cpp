#include "api/downloadmanager.h"
#include "api/s3transfers.h"
#include "s3/s3client.h"
#include "zip/bundleselection.h"
#include "zip/zipbundler.h"
#include "zip/zipjob.h"

#include "cannedserver.h"
#include "rgwserver.h"
#include "sandbox.h"
#include "zipreaders.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::zip;
using ferry::test::RgwServer;

namespace {

const QString kSource = u"src"_s;
const QString kTarget = u"dst"_s;

s3::Account account(const QUrl &endpoint)
{
    s3::Account a;
    a.id = u"acct"_s;
    a.name = u"Local"_s;
    a.endpoint = endpoint;
    a.pathStyle = true;
    return a;
}

s3::Credentials credentials()
{
    return {RgwServer::accessKey(), RgwServer::secretKey(), {}};
}

template<typename F>
s3::Error awaitReply(s3::Reply *r, F &&onDone)
{
    s3::Error error;
    bool done = false;
    QObject::connect(r, &s3::Reply::finished, r, [&] {
        error = r->error;
        onDone(r);
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 60000))
        error = s3::Error{s3::Error::Other, 0, u"Timeout"_s, u"no reply"_s, {}};
    return error;
}

// Small ranges and windows, so the fixtures exercise ranged reads and the reorder buffer.
BundlerOptions smallWindows()
{
    BundlerOptions o;
    o.chunkSize = 1 << 20;
    o.maxBufferedBytes = 4 << 20;
    o.maxRequests = 8;
    return o;
}

struct Outcome {
    bool ok = false;
    QString message;
    QString result;
    QStringList notes;
    QStringList skipped;
};

} // namespace

class TestZipBundler final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void commonParent_data();
    void commonParent();
    void selectionJson_roundTrips();
    void localZip_allReadersSeeTheOriginals();
    void bucketZip_sharedLinkServesTheSameArchive();
    void deletedObject_skipOrStop_data();
    void deletedObject_skipOrStop();
    void cancel_leavesNoArchive_data();
    void cancel_leavesNoArchive();
    void zipJobs_runFromTheQueue();
    void busyServer_retryWaitsForItsRetryAfter();

private:
    void put(const QString &key, const QByteArray &data);
    void restoreVanishing();
    Outcome run(ZipBundler &bundler, const std::function<void()> &onListed = {});
    void verifyArchive(const QString &path, const QMap<QString, QByteArray> &expected);
    BundleSelection mixedSelection() const;
    bool targetExists(const QString &key);

    RgwServer *m_server = nullptr;
    std::unique_ptr<s3::Client> m_client;
    QTemporaryDir m_dir;
    QMap<QString, QByteArray> m_expected; // entry name -> sha256 of the original
};

void TestZipBundler::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    if (const QString why = RgwServer::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    if (const QStringList missing = ferry::test::zipreaders::missingReaders(); !missing.isEmpty())
        QSKIP(qPrintable(u"missing archive readers: "_s + missing.join(u", "_s)));
    m_server = &RgwServer::shared();
    m_server->addBucket(kSource);
    m_server->addBucket(kTarget);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_client = std::make_unique<s3::Client>(account(m_server->endpoint()), credentials());

    const QByteArray text = QByteArray("All work and no play makes Jack a dull boy.\n").repeated(5000);
    const QByteArray photo = ferry::test::deterministicBytes(300 * 1024, 1);
    const QByteArray big = ferry::test::deterministicBytes(10 * 1024 * 1024 + 12345, 2);
    const QList<std::tuple<QString, QString, QByteArray>> objects = {
        {u"sel/readme.txt"_s, u"sel/readme.txt"_s, text},
        {u"sel/photo.jpg"_s, u"sel/photo.jpg"_s, photo},
        {u"sel/nested/deep/data.csv"_s, u"sel/nested/deep/data.csv"_s, QByteArray("a,b\n1,2\n").repeated(100)},
        {u"sel/中文/文件.txt"_s, u"sel/中文/文件.txt"_s, QByteArray("你好\n")},
        {u"sel/hostile/a\\b.txt"_s, u"sel/hostile/a/b.txt"_s, QByteArray("backslash")},
        // Listed under a selected folder: the listing carries it URL-encoded (encoding-type=url).
        {u"ctl/ctl\u0001.txt"_s, u"ctl/ctl_.txt"_s, QByteArray("control")},
        {u"sel/case/A.txt"_s, u"sel/case/A.txt"_s, QByteArray("upper")},
        {u"sel/case/a.txt"_s, u"sel/case/a (1).txt"_s, QByteArray("lower")},
        {u"sel/big.bin"_s, u"sel/big.bin"_s, big},
        {u"sel/empty.txt"_s, u"sel/empty.txt"_s, QByteArray()},
        {u"other/single.txt"_s, u"other/single.txt"_s, QByteArray("picked one by one")},
    };
    for (const auto &[key, entry, data] : objects) {
        put(key, data);
        m_expected.insert(entry, ferry::test::sha256Hex(data));
    }
    put(u"other/not-selected.txt"_s, "no");
    restoreVanishing();
}

void TestZipBundler::put(const QString &key, const QByteArray &data)
{
    const s3::Error e = awaitReply(m_client->putObject(kSource, key, data), [](s3::Reply *) {});
    QVERIFY2(!e.isError(), qPrintable(key + u": "_s + e.message));
}

void TestZipBundler::restoreVanishing()
{
    put(u"vanish/keep1.txt"_s, "one");
    put(u"vanish/gone.txt"_s, "soon gone");
    put(u"vanish/keep2.txt"_s, "two");
}

BundleSelection TestZipBundler::mixedSelection() const
{
    BundleSelection s;
    s.account = u"acct"_s;
    s.bucket = kSource;
    s.prefixes = {u"sel/"_s, u"ctl/"_s};
    s.keys = {u"other/single.txt"_s, u"sel/readme.txt"_s}; // the last is also under the prefix: archived once
    return s;
}

Outcome TestZipBundler::run(ZipBundler &bundler, const std::function<void()> &onListed)
{
    Outcome out;
    bool done = false;
    connect(&bundler, &ZipBundler::note, this, [&](const QString &t) { out.notes.append(t); });
    connect(&bundler, &ZipBundler::skipped, this, [&](const QString &key, const QString &) { out.skipped.append(key); });
    connect(&bundler, &ZipBundler::finished, this, [&](bool ok, const QString &message, const QString &result) {
        out = Outcome{ok, message, result, out.notes, out.skipped};
        done = true;
    });
    connect(&bundler, &ZipBundler::stopped, this, [&] {
        out.message = u"stopped"_s;
        done = true;
    });
    if (onListed)
        connect(&bundler, &ZipBundler::listed, this, onListed);
    bundler.start();
    if (!QTest::qWaitFor([&] { return done; }, 60000))
        out.message = u"no result in time"_s;
    return out;
}

void TestZipBundler::verifyArchive(const QString &path, const QMap<QString, QByteArray> &expected)
{
    namespace zr = ferry::test::zipreaders;
    QString problem = zr::unzipTest(path);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QJsonObject py;
    problem = zr::pythonCheck(path, &py);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QMap<QString, QByteArray> seen;
    QByteArray concatenated;
    for (const QJsonValue &v : py[u"entries"_s].toArray()) {
        const QJsonObject e = v.toObject();
        if (!e[u"name"_s].toString().endsWith(u'/'))
            seen.insert(e[u"name"_s].toString(), e[u"sha256"_s].toString().toLatin1());
    }
    QCOMPARE(seen, expected);
    QByteArray content;
    problem = zr::bsdtarExtractAll(path, false, &content);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    qint64 expectedSize = 0;
    for (const QJsonValue &v : py[u"entries"_s].toArray())
        expectedSize += v.toObject()[u"size"_s].toInteger();
    QCOMPARE(content.size(), expectedSize);
    problem = zr::sevenZipTest(path);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

bool TestZipBundler::targetExists(const QString &key)
{
    bool found = false;
    awaitReply(m_client->headObject(kTarget, key), [&](s3::Reply *r) { found = !r->error.isError(); });
    return found;
}

void TestZipBundler::commonParent_data()
{
    QTest::addColumn<QStringList>("keys");
    QTest::addColumn<QStringList>("prefixes");
    QTest::addColumn<QString>("parent");
    QTest::newRow("one folder") << QStringList{} << QStringList{u"photos/2023/"_s} << u"photos/"_s;
    QTest::newRow("siblings") << QStringList{u"photos/a.jpg"_s} << QStringList{u"photos/2023/"_s} << u"photos/"_s;
    QTest::newRow("different trees") << QStringList{u"a/x"_s, u"b/y"_s} << QStringList{} << QString();
    QTest::newRow("deep and shallow") << QStringList{u"a/b/c/d.txt"_s, u"a/e.txt"_s} << QStringList{} << u"a/"_s;
    QTest::newRow("no partial segment") << QStringList{u"ab/x"_s, u"ac/y"_s} << QStringList{} << QString();
    QTest::newRow("root key") << QStringList{u"top.txt"_s} << QStringList{} << QString();
}

void TestZipBundler::commonParent()
{
    QFETCH(QStringList, keys);
    QFETCH(QStringList, prefixes);
    QFETCH(QString, parent);
    QCOMPARE(BundleSelection::commonParent(keys, prefixes), parent);
}

void TestZipBundler::selectionJson_roundTrips()
{
    BundleSelection s = mixedSelection();
    s.targetBucket = u"b"_s;
    s.targetKey = u"k.zip"_s;
    s.skipOnError = true;
    s.deflateLevel = 9;
    s.shareExpirySeconds = 3600;
    BundleSelection back;
    QString error;
    QVERIFY2(BundleSelection::fromJson(s.toJson(), &back, &error), qPrintable(error));
    QCOMPARE(back.keys, s.keys);
    QCOMPARE(back.prefixes, s.prefixes);
    QCOMPARE(back.targetKey, s.targetKey);
    QCOMPARE(back.skipOnError, true);
    QCOMPARE(back.deflateLevel, 9);
    QCOMPARE(back.shareExpirySeconds, 3600);
    QVERIFY(!BundleSelection::fromJson("{\"bucket\":\"b\",\"keys\":[\"k\"]}", &back, &error)); // no destination
}

void TestZipBundler::localZip_allReadersSeeTheOriginals()
{
    BundleSelection s = mixedSelection();
    s.localPath = m_dir.filePath(u"local/bundle.zip"_s);
    ZipBundler bundler(account(m_server->endpoint()), credentials(), s, smallWindows());
    const Outcome out = run(bundler);
    QVERIFY2(out.ok, qPrintable(out.message));
    QCOMPARE(out.result, s.localPath);
    QVERIFY(!QFile::exists(s.localPath + u".part"_s));
    QCOMPARE(bundler.entriesDone(), bundler.entriesTotal());
    QCOMPARE(bundler.bytesDone(), bundler.bytesTotal());
    verifyArchive(s.localPath, m_expected);
    // Renamed entries are reported.
    const QString notes = out.notes.join(u'\n');
    QVERIFY2(notes.contains(u"sel/hostile/a/b.txt"_s), qPrintable(notes));
    QVERIFY2(notes.contains(u"sel/case/a (1).txt"_s), qPrintable(notes));
    QVERIFY2(notes.contains(u"ctl/ctl_.txt"_s), qPrintable(notes));
}

void TestZipBundler::bucketZip_sharedLinkServesTheSameArchive()
{
    BundleSelection s = mixedSelection();
    s.targetBucket = kTarget;
    s.targetKey = u"bundles/all.zip"_s;
    s.shareExpirySeconds = 600;
    ZipBundler bundler(account(m_server->endpoint()), credentials(), s, smallWindows());
    QSignalSpy uploads(&bundler, &ZipBundler::uploadStarted);
    const Outcome out = run(bundler);
    QVERIFY2(out.ok, qPrintable(out.message));
    QCOMPARE(uploads.size(), 1);
    const QUrl link(out.result);
    QVERIFY2(link.query().contains(u"X-Amz-Expires=600"_s), qPrintable(out.result));

    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.get(QNetworkRequest(link));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 30000);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    const QString path = m_dir.filePath(u"fetched/all.zip"_s);
    QVERIFY(ferry::test::writeFile(path, reply->readAll()));
    reply->deleteLater();
    verifyArchive(path, m_expected);
}

void TestZipBundler::deletedObject_skipOrStop_data()
{
    QTest::addColumn<bool>("toBucket");
    QTest::addColumn<bool>("skip");
    QTest::newRow("local, skip") << false << true;
    QTest::newRow("local, stop") << false << false;
    QTest::newRow("bucket, skip") << true << true;
    QTest::newRow("bucket, stop") << true << false;
}

void TestZipBundler::deletedObject_skipOrStop()
{
    QFETCH(bool, toBucket);
    QFETCH(bool, skip);
    restoreVanishing();
    BundleSelection s;
    s.account = u"acct"_s;
    s.bucket = kSource;
    s.prefixes = {u"vanish/"_s};
    s.skipOnError = skip;
    const QString name = u"vanish-%1-%2.zip"_s.arg(toBucket).arg(skip);
    if (toBucket) {
        s.targetBucket = kTarget;
        s.targetKey = name;
    } else {
        s.localPath = m_dir.filePath(name);
    }
    ZipBundler bundler(account(m_server->endpoint()), credentials(), s, smallWindows());
    // Removed from the storage right after the listing, before any GET.
    const Outcome out = run(bundler, [&] {
        QString error;
        QVERIFY2(m_server->removeObject(kSource, u"vanish/gone.txt"_s, &error), qPrintable(error));
    });
    if (!skip) {
        QVERIFY(!out.ok);
        QVERIFY2(out.message.contains(u"vanish/gone.txt"_s), qPrintable(out.message));
        if (toBucket) {
            QVERIFY(!targetExists(name));
        } else {
            QVERIFY(!QFile::exists(s.localPath));
            QVERIFY(!QFile::exists(s.localPath + u".part"_s));
        }
        return;
    }
    QVERIFY2(out.ok, qPrintable(out.message));
    QCOMPARE(out.skipped, QStringList{u"vanish/gone.txt"_s});
    QVERIFY2(out.notes.join(u'\n').contains(u"vanish/gone.txt"_s), qPrintable(out.notes.join(u'\n')));
    QString archive = s.localPath;
    if (toBucket) {
        QByteArray body;
        awaitReply(m_client->getObject(kTarget, name), [&](s3::Reply *r) { body = r->body; });
        archive = m_dir.filePath(u"fetched/"_s + name);
        QVERIFY(ferry::test::writeFile(archive, body));
    }
    verifyArchive(archive, {{u"vanish/keep1.txt"_s, ferry::test::sha256Hex("one")},
                            {u"vanish/keep2.txt"_s, ferry::test::sha256Hex("two")}});
}

void TestZipBundler::cancel_leavesNoArchive_data()
{
    QTest::addColumn<bool>("toBucket");
    QTest::newRow("local") << false;
    QTest::newRow("bucket") << true;
}

void TestZipBundler::cancel_leavesNoArchive()
{
    QFETCH(bool, toBucket);
    BundleSelection s = mixedSelection();
    const QString name = u"cancelled-%1.zip"_s.arg(toBucket);
    if (toBucket) {
        s.targetBucket = kTarget;
        s.targetKey = name;
    } else {
        s.localPath = m_dir.filePath(name);
    }
    BundlerOptions o = smallWindows();
    o.chunkSize = 64 * 1024; // many requests: the cancel lands while they are under way
    ZipBundler bundler(account(m_server->endpoint()), credentials(), s, o);
    bool started = false;
    const Outcome out = run(bundler, [&] {
        QMetaObject::invokeMethod(&bundler, [&] {
            started = true;
            bundler.stop();
        }, Qt::QueuedConnection);
    });
    QVERIFY(started);
    QCOMPARE(out.message, u"stopped"_s);
    if (toBucket) {
        QVERIFY(!targetExists(name));
    } else {
        QVERIFY(!QFile::exists(s.localPath));
        QVERIFY(!QFile::exists(s.localPath + u".part"_s));
    }
}

void TestZipBundler::zipJobs_runFromTheQueue()
{
    QTemporaryDir state;
    DownloadManager manager(state.path());
    const s3::Account acct = account(m_server->endpoint());
    ferry::registerBundleJobs(manager, [acct](const QString &id) -> std::optional<ZipJob::Access> {
        if (id != acct.id)
            return std::nullopt;
        return ZipJob::Access{acct, credentials()};
    }, smallWindows());
    QString error;
    QVERIFY2(manager.open(false, &error), qPrintable(error));

    BundleSelection local = mixedSelection();
    local.localPath = m_dir.filePath(u"queued/bundle.zip"_s);
    QVERIFY(QDir().mkpath(m_dir.filePath(u"queued"_s)));
    QVERIFY(ferry::test::writeFile(local.localPath, "someone else's file"));
    const DownloadId localId = manager.addTransfer(ZipJob::recordFor(local), &error);
    QVERIFY2(localId != 0, qPrintable(error));

    BundleSelection remote = mixedSelection();
    remote.targetBucket = kTarget;
    remote.targetKey = u"queued/bundle.zip"_s;
    const DownloadId remoteId = manager.addTransfer(ZipJob::recordFor(remote), &error);
    QVERIFY2(remoteId != 0, qPrintable(error));

    const auto stateOf = [&](DownloadId id) { return manager.snapshot(id)->state; };
    QTRY_VERIFY_WITH_TIMEOUT(stateOf(localId) == DownloadState::Completed || stateOf(localId) == DownloadState::Failed, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(stateOf(remoteId) == DownloadState::Completed || stateOf(remoteId) == DownloadState::Failed, 60000);
    const DownloadSnapshot l = *manager.snapshot(localId);
    QVERIFY2(l.state == DownloadState::Completed, qPrintable(l.message));
    QCOMPARE(l.kind, TransferKind::ZipLocal);
    QCOMPARE(l.entriesDone, l.entriesTotal);
    QCOMPARE(l.entriesTotal, int(m_expected.size()));
    QCOMPARE(l.done, l.total);
    // The existing file is kept; the bundle got the next free name.
    QCOMPARE(l.targetPath, m_dir.filePath(u"queued/bundle (1).zip"_s));
    QCOMPARE(ferry::test::readFile(local.localPath), QByteArray("someone else's file"));
    verifyArchive(l.targetPath, m_expected);

    const DownloadSnapshot r = *manager.snapshot(remoteId);
    QVERIFY2(r.state == DownloadState::Completed, qPrintable(r.message));
    QCOMPARE(r.kind, TransferKind::ZipBucket);
    QVERIFY2(r.message.contains(u"X-Amz-Signature="_s), qPrintable(r.message));
    QVERIFY(targetExists(remote.targetKey));
}

// A busy service that says when to come back (503 with Retry-After) is not asked again sooner;
// the backoff alone would retry within half a second.
void TestZipBundler::busyServer_retryWaitsForItsRetryAfter()
{
    ferry::test::CannedServer service;
    QElapsedTimer clock;
    clock.start();
    QList<qint64> objectGetsAtMs;
    service.respond = [&](const ferry::test::Seen &r, int) {
        if (r.query.hasQueryItem(u"list-type"_s))
            return ferry::test::Canned{200, "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>p/a.txt</Key>"
                                            "<Size>5</Size><ETag>\"e\"</ETag><LastModified>2024-01-01T00:00:00.000Z"
                                            "</LastModified></Contents></ListBucketResult>", {}};
        objectGetsAtMs.append(clock.elapsed());
        if (objectGetsAtMs.size() == 1)
            return ferry::test::Canned{503, "<Error><Code>SlowDown</Code><Message>m</Message></Error>", {{"Retry-After", "2"}}};
        return ferry::test::Canned{200, "hello", {{"ETag", "\"e\""}}};
    };
    BundleSelection s;
    s.account = u"acct"_s;
    s.bucket = kSource;
    s.prefixes = {u"p/"_s};
    s.localPath = m_dir.filePath(u"busy/bundle.zip"_s);
    ZipBundler bundler(account(service.endpoint()), credentials(), s, smallWindows());
    const Outcome out = run(bundler);
    QVERIFY2(out.ok, qPrintable(out.message));
    QCOMPARE(objectGetsAtMs.size(), 2);
    QVERIFY2(objectGetsAtMs.at(1) - objectGetsAtMs.at(0) >= 1900, qPrintable(QString::number(objectGetsAtMs.at(1) - objectGetsAtMs.at(0))));
    QVERIFY2(out.notes.join(u'\n').contains(u"retrying in 2 s"_s), qPrintable(out.notes.join(u'\n')));
    verifyArchive(s.localPath, {{u"p/a.txt"_s, ferry::test::sha256Hex("hello")}}); // a selected folder is the top level
}

QTEST_GUILESS_MAIN(TestZipBundler)
#include "tst_zipbundler.moc"
