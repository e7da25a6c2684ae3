// ZIP bundles from the transfer queue obey the speed limits, against the real S3 test server:
// the global limit and the bundle's own hold the objects' GETs (and a bucket bundle's upload)
// back, removing the limit lets a bundle finish, and every entry is byte-exact. Only lower
// bounds on time are asserted: a busy machine may always be slower.
#include "api/downloadmanager.h"
#include "api/s3transfers.h"
#include "s3/s3client.h"
#include "zip/bundleselection.h"
#include "zip/zipjob.h"

#include "rgwserver.h"
#include "sandbox.h"
#include "zipreaders.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QSemaphore>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::zip;
using ferry::test::RgwServer;

namespace {

constexpr qint64 kMiB = 1024 * 1024;

s3::Account account(const QUrl &endpoint)
{
    s3::Account a;
    a.id = u"acct"_s;
    a.endpoint = endpoint;
    a.pathStyle = true;
    return a;
}

s3::Credentials credentials()
{
    return {RgwServer::accessKey(), RgwServer::secretKey(), {}};
}

template <typename F> bool awaitReply(s3::Reply *r, F &&onDone)
{
    bool done = false;
    QObject::connect(r, &s3::Reply::finished, r, [&] {
        onDone(r);
        done = true;
    });
    return QTest::qWaitFor([&] { return done; }, 60000);
}

} // namespace

class TestZipJob final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void globalLimit_holdsALocalBundleBack();
    void bundleLimit_holdsABucketBundleBack();
    void limitRemovedMidway_bundleCompletes();
    void paused_continuesFromItsCheckpoint();
    void removedWhilePaused_leavesNothing();
    void bucketBundle_continuesWithTheServersParts();
    void bucketBundle_uploadGone_startsTheUploadAgain();
    void objectChangedWhilePaused_failsNamingIt();
    void pauseRacingTheFinish_completesWithOneArchive();

private:
    DownloadId addLocal(const QString &name);
    DownloadId addBucket(const QString &key);
    QByteArray object(const QString &bucket, const QString &key);
    QStringList unfinishedUploads(const QString &bucket);
    int confirmedParts(const QString &bucket, const QString &key);
    bool logSays(DownloadId id, const QString &text) const;
    int stateOf(DownloadId id) const;
    void verifyEntries(const QString &archive);

    RgwServer *m_server = nullptr;
    std::unique_ptr<s3::Client> m_client;
    QTemporaryDir m_dir;
    std::unique_ptr<QTemporaryDir> m_state;
    std::unique_ptr<DownloadManager> m_manager;
    QMap<QString, QByteArray> m_expected; // entry name -> sha256 of the original
    std::function<void()> m_committed;    // on the worker, when a local archive got its final name
};

void TestZipJob::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    if (const QString why = RgwServer::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    if (const QStringList missing = ferry::test::zipreaders::missingReaders(); !missing.isEmpty())
        QSKIP(qPrintable(u"missing archive readers: "_s + missing.join(u", "_s)));
    m_server = &RgwServer::shared();
    m_server->addBucket(u"src"_s);
    m_server->addBucket(u"dst"_s);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_client = std::make_unique<s3::Client>(account(m_server->endpoint()), credentials());
    // About 6 MiB, mostly incompressible, in objects of several sizes (one read in ranges).
    const QList<std::pair<QString, QByteArray>> objects = {
        {u"rate/a.bin"_s, ferry::test::deterministicBytes(5 * kMiB / 2, 7)},
        {u"rate/b.bin"_s, ferry::test::deterministicBytes(2 * kMiB, 8)},
        {u"rate/c/small.bin"_s, ferry::test::deterministicBytes(300 * 1024, 9)},
        {u"rate/d.txt"_s, QByteArray("Limits apply to bundles too.\n").repeated(40000)},
    };
    for (const auto &[key, data] : objects) {
        bool ok = false;
        QVERIFY(awaitReply(m_client->putObject(u"src"_s, key, data),
                           [&](s3::Reply *r) { ok = !r->error.isError(); }));
        QVERIFY2(ok, qPrintable(key));
        m_expected.insert(key, ferry::test::sha256Hex(data));
    }
    // Larger than a part of the archive's upload (8 MiB), for the bucket bundles that resume.
    for (const auto &[key, data] : QList<std::pair<QString, QByteArray>>{
             {u"big/a.bin"_s, ferry::test::deterministicBytes(19 * kMiB, 21)},
             {u"big/b.txt"_s, QByteArray("A bundle continues with the parts the server has.\n").repeated(60000)}}) {
        bool ok = false;
        QVERIFY(awaitReply(m_client->putObject(u"src"_s, key, data), [&](s3::Reply *r) { ok = !r->error.isError(); }));
        QVERIFY2(ok, qPrintable(key));
    }
}

void TestZipJob::init()
{
    m_state = std::make_unique<QTemporaryDir>();
    m_manager = std::make_unique<DownloadManager>(m_state->path());
    const s3::Account acct = account(m_server->endpoint());
    BundlerOptions options;
    options.chunkSize = 1 << 20; // a.bin and b.bin are fetched in ranges
    options.checkpointInterval = 1 << 20;
    // A small window, so the archive grows steadily while the rate limit holds the GETs back.
    options.maxRequests = 2;
    options.maxBufferedBytes = 2 << 20;
    // Set only while no bundle runs; the worker threads read it.
    options.committed = [this] {
        if (m_committed)
            m_committed();
    };
    ferry::registerBundleJobs(
        *m_manager,
        [acct](const QString &id) -> std::optional<ZipJob::Access> {
            if (id != acct.id)
                return std::nullopt;
            return ZipJob::Access{acct, credentials()};
        },
        options);
    QString error;
    QVERIFY2(m_manager->open(false, &error), qPrintable(error));
}

void TestZipJob::cleanup()
{
    m_committed = {};
    m_manager.reset();
    m_state.reset();
}

DownloadId TestZipJob::addLocal(const QString &name)
{
    BundleSelection s;
    s.account = u"acct"_s;
    s.bucket = u"src"_s;
    s.prefixes = {u"rate/"_s};
    s.localPath = m_dir.filePath(name);
    QString error;
    const DownloadId id = m_manager->addTransfer(ZipJob::recordFor(s), &error);
    if (id == 0)
        qWarning("bundle not queued: %s", qPrintable(error));
    return id;
}

DownloadId TestZipJob::addBucket(const QString &key)
{
    BundleSelection s;
    s.account = u"acct"_s;
    s.bucket = u"src"_s;
    s.prefixes = {u"big/"_s};
    s.targetBucket = u"dst"_s;
    s.targetKey = key;
    QString error;
    const DownloadId id = m_manager->addTransfer(ZipJob::recordFor(s), &error);
    if (id == 0)
        qWarning("bundle not queued: %s", qPrintable(error));
    return id;
}

QByteArray TestZipJob::object(const QString &bucket, const QString &key)
{
    QByteArray body;
    awaitReply(m_client->getObject(bucket, key), [&](s3::Reply *r) {
        if (!r->error.isError())
            body = r->body;
    });
    return body;
}

QStringList TestZipJob::unfinishedUploads(const QString &bucket)
{
    QStringList keys;
    awaitReply(m_client->listMultipartUploads(bucket), [&](s3::Reply *r) {
        if (r->error.isError())
            keys.append(u"error: "_s + r->error.message);
        for (const s3::MultipartUpload &u : std::as_const(r->uploads))
            keys.append(u.key);
    });
    return keys;
}

int TestZipJob::confirmedParts(const QString &bucket, const QString &key)
{
    QString uploadId;
    awaitReply(m_client->listMultipartUploads(bucket), [&](s3::Reply *r) {
        for (const s3::MultipartUpload &u : std::as_const(r->uploads)) {
            if (u.key == key)
                uploadId = u.uploadId;
        }
    });
    int parts = 0;
    if (!uploadId.isEmpty())
        awaitReply(m_client->listParts(bucket, key, uploadId), [&](s3::Reply *r) { parts = int(r->parts.size()); });
    return parts;
}

bool TestZipJob::logSays(DownloadId id, const QString &text) const
{
    for (const DownloadEvent &e : m_manager->events(id)) {
        if (e.text.contains(text))
            return true;
    }
    return false;
}

int TestZipJob::stateOf(DownloadId id) const
{
    const auto s = m_manager->snapshot(id);
    return int(s ? s->state : DownloadState::Failed);
}

void TestZipJob::verifyEntries(const QString &archive)
{
    namespace zr = ferry::test::zipreaders;
    QString problem = zr::unzipTest(archive);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QJsonObject py;
    problem = zr::pythonCheck(archive, &py);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QMap<QString, QByteArray> seen;
    for (const QJsonValue &v : py[u"entries"_s].toArray()) {
        const QJsonObject e = v.toObject();
        if (!e[u"name"_s].toString().endsWith(u'/'))
            seen.insert(e[u"name"_s].toString(), e[u"sha256"_s].toString().toLatin1());
    }
    QCOMPARE(seen, m_expected);
}

void TestZipJob::globalLimit_holdsALocalBundleBack()
{
    m_manager->setGlobalRateLimit(2 * kMiB);
    QElapsedTimer timer;
    timer.start();
    const DownloadId id = addLocal(u"global.zip"_s);
    QVERIFY(id != 0);
    QTRY_VERIFY_WITH_TIMEOUT(stateOf(id) == int(DownloadState::Completed) ||
                                 stateOf(id) == int(DownloadState::Failed),
                             60000);
    const DownloadSnapshot s = *m_manager->snapshot(id);
    QVERIFY2(s.state == DownloadState::Completed, qPrintable(s.message));
    // About 6 MiB read at 2 MiB/s after a quarter-second burst.
    QVERIFY2(timer.elapsed() >= 2500, qPrintable(QString::number(timer.elapsed())));
    verifyEntries(s.targetPath);
}

// Set once the bundle is queued; its GETs and the archive's upload both count against it.
void TestZipJob::bundleLimit_holdsABucketBundleBack()
{
    BundleSelection s;
    s.account = u"acct"_s;
    s.bucket = u"src"_s;
    s.prefixes = {u"rate/"_s};
    s.targetBucket = u"dst"_s;
    s.targetKey = u"limited/bundle.zip"_s;
    QElapsedTimer timer;
    timer.start();
    QString error;
    const DownloadId id = m_manager->addTransfer(ZipJob::recordFor(s), &error);
    QVERIFY2(id != 0, qPrintable(error));
    m_manager->setRateLimit(id, 4 * kMiB);
    QTRY_VERIFY_WITH_TIMEOUT(stateOf(id) == int(DownloadState::Completed) ||
                                 stateOf(id) == int(DownloadState::Failed),
                             60000);
    const DownloadSnapshot snap = *m_manager->snapshot(id);
    QVERIFY2(snap.state == DownloadState::Completed, qPrintable(snap.message));
    // About 6 MiB down and (text deflated) 4.8 MiB up at 4 MiB/s, after a 1 MiB burst: 2.4 s.
    QVERIFY2(timer.elapsed() >= 2000, qPrintable(QString::number(timer.elapsed())));

    QByteArray archive;
    QVERIFY(awaitReply(m_client->getObject(u"dst"_s, s.targetKey),
                       [&](s3::Reply *r) { archive = r->body; }));
    const QString path = m_dir.filePath(u"fetched/limited.zip"_s);
    QVERIFY(ferry::test::writeFile(path, archive));
    verifyEntries(path);
}

void TestZipJob::limitRemovedMidway_bundleCompletes()
{
    // At this rate the bundle would take over a minute and a half.
    m_manager->setGlobalRateLimit(64 * 1024);
    const DownloadId id = addLocal(u"freed.zip"_s);
    QVERIFY(id != 0);
    // Listed: the objects' GETs are under way and held back.
    QTRY_VERIFY_WITH_TIMEOUT(m_manager->snapshot(id)->entriesTotal > 0, 20000);
    QCOMPARE(stateOf(id), int(DownloadState::Downloading));
    QVERIFY(m_manager->snapshot(id)->done < m_manager->snapshot(id)->total);
    m_manager->setGlobalRateLimit(0);
    QTRY_VERIFY_WITH_TIMEOUT(stateOf(id) == int(DownloadState::Completed) ||
                                 stateOf(id) == int(DownloadState::Failed),
                             45000);
    const DownloadSnapshot s = *m_manager->snapshot(id);
    QVERIFY2(s.state == DownloadState::Completed, qPrintable(s.message));
    verifyEntries(s.targetPath);
}

// Requests waiting for the limiter are cancelled like any other.
void TestZipJob::paused_continuesFromItsCheckpoint()
{
    // The archive an uninterrupted run writes.
    const DownloadId whole = addLocal(u"whole.zip"_s);
    QVERIFY(whole != 0);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(whole), int(DownloadState::Completed), 60000);
    const QByteArray expected = ferry::test::sha256OfFile(m_dir.filePath(u"whole.zip"_s));
    QVERIFY(m_manager->remove(whole, FileRemoval::Keep)); // the same selection may be queued again

    m_manager->setGlobalRateLimit(300 * 1024);
    const DownloadId id = addLocal(u"paused.zip"_s);
    QVERIFY(id != 0);
    QTRY_VERIFY_WITH_TIMEOUT(m_manager->snapshot(id)->done >= 5 * kMiB / 2, 30000);
    const QString part = m_dir.filePath(u"paused.zip.part"_s);
    m_manager->pause(id);
    QCOMPARE(stateOf(id), int(DownloadState::Paused));
    const qint64 kept = m_manager->snapshot(id)->done;
    QVERIFY2(kept >= 2 * kMiB, qPrintable(QString::number(kept))); // a checkpoint past 2 MiB of input
    QVERIFY(QFile::exists(part));
    QVERIFY(!QFile::exists(m_dir.filePath(u"paused.zip"_s)));

    m_manager->setGlobalRateLimit(0);
    m_manager->resume(id);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), int(DownloadState::Completed), 60000);
    QVERIFY(!QFile::exists(part));
    const QString archive = m_dir.filePath(u"paused.zip"_s);
    verifyEntries(archive);
    QCOMPARE(ferry::test::sha256OfFile(archive), expected);
    bool continued = false;
    for (const DownloadEvent &e : m_manager->events(id))
        continued = continued || e.text.contains(u"Continuing the archive"_s);
    QVERIFY(continued);
}

void TestZipJob::removedWhilePaused_leavesNothing()
{
    m_manager->setGlobalRateLimit(512 * 1024);
    const DownloadId id = addLocal(u"removed.zip"_s);
    QVERIFY(id != 0);
    QTRY_VERIFY_WITH_TIMEOUT(m_manager->snapshot(id)->done >= 2 * kMiB, 30000);
    m_manager->pause(id);
    const QString part = m_dir.filePath(u"removed.zip.part"_s);
    QVERIFY2(QFile::exists(part), qPrintable(QDir(m_dir.path()).entryList().join(u' ') + u" state "_s + QString::number(stateOf(id)) + u" "_s + m_manager->snapshot(id)->message));
    QVERIFY(m_manager->remove(id, FileRemoval::Delete));
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(part), 20000);
    QVERIFY(QDir(m_state->filePath(u"bundles"_s)).entryList(QDir::Files).isEmpty());
    QVERIFY(!QFile::exists(m_dir.filePath(u"removed.zip"_s)));
}

// Paused after parts were confirmed: the resumed run continues from a checkpoint those parts
// cover, and the object is the one an uninterrupted run uploads.
void TestZipJob::bucketBundle_continuesWithTheServersParts()
{
    const DownloadId whole = addBucket(u"whole/big.zip"_s);
    QVERIFY(whole != 0);
    QTRY_VERIFY_WITH_TIMEOUT(stateOf(whole) == int(DownloadState::Completed) || stateOf(whole) == int(DownloadState::Failed), 60000);
    QVERIFY2(stateOf(whole) == int(DownloadState::Completed), qPrintable(m_manager->snapshot(whole)->message));
    const QByteArray expected = ferry::test::sha256Hex(object(u"dst"_s, u"whole/big.zip"_s));
    QVERIFY(m_manager->remove(whole, FileRemoval::Keep));

    m_manager->setGlobalRateLimit(3 * kMiB);
    const DownloadId id = addBucket(u"resumed/big.zip"_s);
    QVERIFY(id != 0);
    // Past the first part (8 MiB) and its confirmation.
    QTRY_VERIFY_WITH_TIMEOUT(confirmedParts(u"dst"_s, u"resumed/big.zip"_s) >= 1, 30000);
    m_manager->pause(id);
    QCOMPARE(stateOf(id), int(DownloadState::Paused));
    QTRY_COMPARE_WITH_TIMEOUT(unfinishedUploads(u"dst"_s), QStringList{u"resumed/big.zip"_s}, 10000);

    m_manager->setGlobalRateLimit(0);
    m_manager->resume(id);
    QTRY_VERIFY_WITH_TIMEOUT(stateOf(id) == int(DownloadState::Completed) || stateOf(id) == int(DownloadState::Failed), 60000);
    QVERIFY2(stateOf(id) == int(DownloadState::Completed), qPrintable(m_manager->snapshot(id)->message));
    QStringList log;
    for (const DownloadEvent &e : m_manager->events(id))
        log.append(e.text);
    QVERIFY2(logSays(id, u"Continuing the archive from its checkpoint"_s), qPrintable(log.join(u'\n')));
    const QByteArray archive = object(u"dst"_s, u"resumed/big.zip"_s);
    QCOMPARE(ferry::test::sha256Hex(archive), expected);
    const QString path = m_dir.filePath(u"fetched/resumed-big.zip"_s);
    QVERIFY(ferry::test::writeFile(path, archive));
    QCOMPARE(unfinishedUploads(u"dst"_s), QStringList{});
    QVERIFY(QDir(m_state->filePath(u"bundles"_s)).entryList(QDir::Files).isEmpty());
}

// The server lost the upload while the bundle was paused (aborted by someone else): the
// archive is uploaded again from its first byte, and is still the same archive.
void TestZipJob::bucketBundle_uploadGone_startsTheUploadAgain()
{
    const DownloadId whole = addBucket(u"whole/again.zip"_s);
    QVERIFY(whole != 0);
    QTRY_VERIFY_WITH_TIMEOUT(stateOf(whole) == int(DownloadState::Completed) || stateOf(whole) == int(DownloadState::Failed), 60000);
    const QByteArray expected = ferry::test::sha256Hex(object(u"dst"_s, u"whole/again.zip"_s));
    QVERIFY(m_manager->remove(whole, FileRemoval::Keep));

    m_manager->setGlobalRateLimit(3 * kMiB);
    const DownloadId id = addBucket(u"gone/again.zip"_s);
    QVERIFY(id != 0);
    QTRY_VERIFY_WITH_TIMEOUT(confirmedParts(u"dst"_s, u"gone/again.zip"_s) >= 1, 30000);
    m_manager->pause(id);
    QString uploadId;
    QTRY_VERIFY_WITH_TIMEOUT(awaitReply(m_client->listMultipartUploads(u"dst"_s), [&](s3::Reply *r) {
        for (const s3::MultipartUpload &u : std::as_const(r->uploads)) {
            if (u.key == u"gone/again.zip"_s)
                uploadId = u.uploadId;
        }
    }) && !uploadId.isEmpty(), 10000);
    bool aborted = false;
    QVERIFY(awaitReply(m_client->abortMultipartUpload(u"dst"_s, u"gone/again.zip"_s, uploadId),
                       [&](s3::Reply *r) { aborted = !r->error.isError(); }));
    QVERIFY(aborted);

    m_manager->setGlobalRateLimit(0);
    m_manager->resume(id);
    QTRY_VERIFY_WITH_TIMEOUT(stateOf(id) == int(DownloadState::Completed) || stateOf(id) == int(DownloadState::Failed), 60000);
    QVERIFY2(stateOf(id) == int(DownloadState::Completed), qPrintable(m_manager->snapshot(id)->message));
    QVERIFY(logSays(id, u"no longer has the unfinished upload"_s));
    QCOMPARE(ferry::test::sha256Hex(object(u"dst"_s, u"gone/again.zip"_s)), expected);
    QCOMPARE(unfinishedUploads(u"dst"_s), QStringList{});
}

// The plan keeps the ETags the objects had when the bundle started: a resumed bundle never
// mixes in a newer version.
void TestZipJob::objectChangedWhilePaused_failsNamingIt()
{
    for (const auto &[key, data] : QList<std::pair<QString, QByteArray>>{
             {u"chg/a.bin"_s, ferry::test::deterministicBytes(4 * kMiB, 31)},
             {u"chg/z.txt"_s, QByteArray("first version\n").repeated(1000)}}) {
        bool ok = false;
        QVERIFY(awaitReply(m_client->putObject(u"src"_s, key, data), [&](s3::Reply *r) { ok = !r->error.isError(); }));
        QVERIFY(ok);
    }
    BundleSelection sel;
    sel.account = u"acct"_s;
    sel.bucket = u"src"_s;
    sel.prefixes = {u"chg/"_s};
    sel.localPath = m_dir.filePath(u"changed.zip"_s);
    m_manager->setGlobalRateLimit(512 * 1024);
    QString error;
    const DownloadId id = m_manager->addTransfer(ZipJob::recordFor(sel), &error);
    QVERIFY2(id != 0, qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(m_manager->snapshot(id)->done >= 2 * kMiB, 30000);
    m_manager->pause(id);
    QCOMPARE(stateOf(id), int(DownloadState::Paused));

    bool ok = false;
    QVERIFY(awaitReply(m_client->putObject(u"src"_s, u"chg/z.txt"_s, QByteArray("second version\n").repeated(1000)),
                       [&](s3::Reply *r) { ok = !r->error.isError(); }));
    QVERIFY(ok);
    m_manager->setGlobalRateLimit(0);
    m_manager->resume(id);
    QTRY_VERIFY_WITH_TIMEOUT(stateOf(id) == int(DownloadState::Completed) || stateOf(id) == int(DownloadState::Failed), 30000);
    const DownloadSnapshot snap = *m_manager->snapshot(id);
    QCOMPARE(int(snap.state), int(DownloadState::Failed));
    QVERIFY2(snap.message.contains(u"chg/z.txt"_s) && snap.message.contains(u"changed"_s), qPrintable(snap.message));
    QVERIFY(!QFile::exists(sel.localPath));
}

// The job is paused after the archive got its final name but before the job heard of it, so
// the end of the run is lost (as after a crash right after the rename): the next start finds
// the archive finished instead of making "race (1).zip", and it is the whole archive.
void TestZipJob::pauseRacingTheFinish_completesWithOneArchive()
{
    const DownloadId whole = addLocal(u"whole-race.zip"_s);
    QVERIFY(whole != 0);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(whole), int(DownloadState::Completed), 60000);
    const QByteArray expected = ferry::test::sha256OfFile(m_dir.filePath(u"whole-race.zip"_s));
    QVERIFY(m_manager->remove(whole, FileRemoval::Keep));

    // The worker waits at the point between the rename and finished() until the job is paused.
    QSemaphore committed;
    QSemaphore paused;
    std::atomic_bool first{true};
    m_committed = [&] {
        if (!first.exchange(false))
            return; // a later run, if the archive were made again
        committed.release();
        paused.tryAcquire(1, 60000);
    };
    const DownloadId id = addLocal(u"race.zip"_s);
    QVERIFY(id != 0);
    QTRY_VERIFY_WITH_TIMEOUT(committed.available() > 0, 60000);
    m_manager->pause(id);
    paused.release();
    QCOMPARE(stateOf(id), int(DownloadState::Paused));
    const QString archive = m_dir.filePath(u"race.zip"_s);
    QVERIFY(QFile::exists(archive));
    QVERIFY(!QFile::exists(archive + u".part"_s));

    m_manager->resume(id);
    QTRY_VERIFY_WITH_TIMEOUT(stateOf(id) == int(DownloadState::Completed) || stateOf(id) == int(DownloadState::Failed), 30000);
    const DownloadSnapshot snap = *m_manager->snapshot(id);
    QVERIFY2(snap.state == DownloadState::Completed, qPrintable(snap.message));
    QCOMPARE(snap.targetPath, archive);
    QVERIFY(logSays(id, u"The last run finished the archive"_s));
    QCOMPARE(QDir(m_dir.path()).entryList({u"race*"_s}, QDir::Files), QStringList{u"race.zip"_s});
    QCOMPARE(ferry::test::sha256OfFile(archive), expected);
    verifyEntries(archive);
    QVERIFY(QDir(m_state->filePath(u"bundles"_s)).entryList(QDir::Files).isEmpty());
}

QTEST_GUILESS_MAIN(TestZipJob)
#include "tst_zipjob.moc"
