// ZIP bundles from the transfer queue obey the speed limits, against the real S3 test server:
// the global limit and the bundle's own hold the objects' GETs (and a bucket bundle's upload)
// back, removing the limit lets a bundle finish, and every entry is byte-exact. Only lower
// bounds on time are asserted: a busy machine may always be slower.
#include "api/downloadmanager.h"
#include "s3/s3client.h"
#include "zip/bundleselection.h"
#include "zip/zipjob.h"

#include "s3server.h"
#include "sandbox.h"
#include "zipreaders.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::zip;
using ferry::test::S3Server;

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
    return {S3Server::accessKey(), S3Server::secretKey(), {}};
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
    void pausedWhileHeldBack_leavesNoPartialArchive();

private:
    DownloadId addLocal(const QString &name);
    int stateOf(DownloadId id) const;
    void verifyEntries(const QString &archive);

    std::unique_ptr<S3Server> m_server;
    std::unique_ptr<s3::Client> m_client;
    QTemporaryDir m_dir;
    std::unique_ptr<QTemporaryDir> m_state;
    std::unique_ptr<DownloadManager> m_manager;
    QMap<QString, QByteArray> m_expected; // entry name -> sha256 of the original
};

void TestZipJob::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    if (const QString why = S3Server::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    if (const QStringList missing = ferry::test::zipreaders::missingReaders(); !missing.isEmpty())
        QSKIP(qPrintable(u"missing archive readers: "_s + missing.join(u", "_s)));
    m_server = std::make_unique<S3Server>();
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
}

void TestZipJob::init()
{
    m_state = std::make_unique<QTemporaryDir>();
    m_manager = std::make_unique<DownloadManager>(m_state->path());
    const s3::Account acct = account(m_server->endpoint());
    BundlerOptions options;
    options.chunkSize = 1 << 20; // a.bin and b.bin are fetched in ranges
    ZipJob::registerWith(
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
void TestZipJob::pausedWhileHeldBack_leavesNoPartialArchive()
{
    m_manager->setGlobalRateLimit(16 * 1024);
    const DownloadId id = addLocal(u"paused.zip"_s);
    QVERIFY(id != 0);
    QTRY_VERIFY_WITH_TIMEOUT(m_manager->snapshot(id)->entriesTotal > 0, 20000);
    const QString part = m_dir.filePath(u"paused.zip.part"_s);
    QVERIFY(QFile::exists(part));
    m_manager->pause(id);
    QCOMPARE(stateOf(id), int(DownloadState::Paused));
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(part), 20000);
    QVERIFY(!QFile::exists(m_dir.filePath(u"paused.zip"_s)));
}

QTEST_GUILESS_MAIN(TestZipJob)
#include "tst_zipjob.moc"
