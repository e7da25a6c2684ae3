// A multipart upload by the real `ferry-cli s3 put`, killed with SIGKILL at the moments that
// matter and resumed with `ferry-cli resume`, against a real S3 server (Ceph RGW): the server's
// part list, not the local record alone, decides what is sent again. A counting proxy in front
// of the server sees every request and can hold some back, so the moment of the kill is chosen
// by what happened on the wire, never by a sleep.
#include "clis3fixture.h"
#include "countingproxy.h"
#include "sandbox.h"

#include "s3/uploadjob.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QProcess>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QUuid>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry::test;

namespace {

constexpr qint64 kBigSize = 200 * kMiB;
constexpr qint64 kPartSize = 8 * kMiB;                                 // partSizeFor(200 MiB)
constexpr int kBigParts = int((kBigSize + kPartSize - 1) / kPartSize); // 25
constexpr ferry::DownloadId kFirstId = 1; // the first transfer of a fresh state folder
constexpr int kStepTimeoutMs = 60'000;

// What the state database says about an upload, read the way another process would.
struct Recorded
{
    QString uploadId;
    QHash<int, QByteArray> parts; // number -> ETag
};

} // namespace

class CliS3ResumeTest final : public CliS3Fixture
{
    Q_OBJECT

private slots:
    void killedBeforeFirstPartConfirmed_resumeSendsEveryPartIntoTheSameUpload();
    void killedMidway_resumeSendsOnlyWhatTheServerLacks();
    void killedBeforeCompletion_resumeCompletesWithoutSendingAPart();
    void partOnServerButNotRecorded_isAdoptedNotSentAgain();
    void uploadAbortedBehindFerrysBack_resumeStartsAFreshUpload();
    void completedBeforeTheRecordSaidSo_resumeFindsTheObject();

protected:
    void prepareTestCase() override;

private:
    QStringList s3(const QStringList &args) const
    {
        return QStringList{u"--state-dir"_s, m_stateDir, u"s3"_s} + args;
    }
    CliResult resume(const CountingProxy &proxy) const;
    QUrl proxyUrl(const CountingProxy &proxy) const
    {
        return QUrl(u"http://127.0.0.1:%1"_s.arg(proxy.port()));
    }
    Recorded recorded(ferry::DownloadId id) const;
    bool sqlExec(const QString &statement, const QVariantList &values) const;
    // Starts `ferry-cli s3 put` of `file` to `key` through `proxy`, waits until `ready` holds
    // (polling, with the process still alive), then kills it with SIGKILL.
    bool putAndKillWhen(const QString &file, const QString &key, const CountingProxy &proxy,
                        const std::function<bool()> &ready);
    // The object's bytes, hashed; the test fails when they are not the file's.
    void verifyObject(const QString &key, const QByteArray &expectedSha256);
    QList<ferry::s3::MultipartUpload> unfinishedUploads(const QString &prefix);
    static QHash<int, int> partRequests(const QList<CountingProxy::Exchange> &exchanges,
                                        qsizetype from = 0);
    static int count(const QList<CountingProxy::Exchange> &exchanges, qsizetype from,
                     const QByteArray &method, const QByteArray &targetPart);

    QTemporaryDir m_files; // the 200 MiB file, made once for every test
    QString m_bigFile;
    QByteArray m_bigSha256;
};

void CliS3ResumeTest::prepareTestCase()
{
    QVERIFY(m_files.isValid());
    QCOMPARE(ferry::s3::UploadJob::partSizeFor(kBigSize), kPartSize);
    m_bigFile = m_files.filePath(u"big.bin"_s);
    const QByteArray body = deterministicBytes(kBigSize, 0x5EED0001u);
    m_bigSha256 = sha256Hex(body);
    QVERIFY(writeFile(m_bigFile, body));
}

CliResult CliS3ResumeTest::resume(const CountingProxy &proxy) const
{
    return runCli({u"--state-dir"_s, m_stateDir, u"resume"_s, QString::number(kFirstId)},
                  proxyUrl(proxy));
}

Recorded CliS3ResumeTest::recorded(ferry::DownloadId id) const
{
    Recorded out;
    const QString name = QUuid::createUuid().toString();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(m_stateDir + u"/ferry.sqlite"_s);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(u"SELECT upload_id FROM downloads WHERE id = ?"_s);
            q.addBindValue(id);
            if (q.exec() && q.next())
                out.uploadId = q.value(0).toString();
            q.prepare(u"SELECT number, etag FROM upload_parts WHERE download_id = ?"_s);
            q.addBindValue(id);
            if (q.exec()) {
                while (q.next())
                    out.parts.insert(q.value(0).toInt(), q.value(1).toByteArray());
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return out;
}

bool CliS3ResumeTest::sqlExec(const QString &statement, const QVariantList &values) const
{
    bool ok = false;
    const QString name = QUuid::createUuid().toString();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(m_stateDir + u"/ferry.sqlite"_s);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(statement);
            for (const QVariant &v : values)
                q.addBindValue(v);
            ok = q.exec() && q.numRowsAffected() > 0;
        }
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

bool CliS3ResumeTest::putAndKillWhen(const QString &file, const QString &key,
                                     const CountingProxy &proxy, const std::function<bool()> &ready)
{
    auto proc = startCli(s3({u"put"_s, file, u"s3://%1/%2"_s.arg(m_bucket, key)}), proxyUrl(proxy));
    if (!proc->waitForStarted(10'000))
        return false;
    QDeadlineTimer deadline(kStepTimeoutMs);
    while (!ready()) {
        if (proc->state() != QProcess::Running || deadline.hasExpired()) {
            qWarning("ferry-cli ended or the moment never came: %s",
                     proc->readAllStandardError().right(2000).constData());
            proc->kill();
            proc->waitForFinished(10'000);
            return false;
        }
        QTest::qWait(20); // polls the database and the proxy; the event loop keeps running
    }
    ::kill(pid_t(proc->processId()), SIGKILL);
    if (!proc->waitForFinished(10'000))
        return false;
    return proc->exitStatus() == QProcess::CrashExit;
}

void CliS3ResumeTest::verifyObject(const QString &key, const QByteArray &expectedSha256)
{
    QByteArray body;
    QString error;
    QVERIFY(await(m_client->getObject(m_bucket, key), [&](ferry::s3::Reply *r) {
        body = r->body;
        error = r->error.message;
    }));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(sha256Hex(body), expectedSha256);
}

QList<ferry::s3::MultipartUpload> CliS3ResumeTest::unfinishedUploads(const QString &prefix)
{
    QList<ferry::s3::MultipartUpload> uploads;
    QString error;
    const bool done =
        await(m_client->listMultipartUploads(m_bucket, prefix), [&](ferry::s3::Reply *r) {
            uploads = r->uploads;
            error = r->error.message;
        });
    if (!done || !error.isEmpty())
        qWarning("ListMultipartUploads failed: %s", qPrintable(error));
    return uploads;
}

QHash<int, int> CliS3ResumeTest::partRequests(const QList<CountingProxy::Exchange> &exchanges,
                                              qsizetype from)
{
    QHash<int, int> out;
    for (qsizetype i = from; i < exchanges.size(); ++i) {
        if (const int n = CountingProxy::partNumber(exchanges.at(i)))
            ++out[n];
    }
    return out;
}

int CliS3ResumeTest::count(const QList<CountingProxy::Exchange> &exchanges, qsizetype from,
                           const QByteArray &method, const QByteArray &targetPart)
{
    int n = 0;
    for (qsizetype i = from; i < exchanges.size(); ++i) {
        const CountingProxy::Exchange &e = exchanges.at(i);
        n += e.method == method && e.target.contains(targetPart) ? 1 : 0;
    }
    return n;
}

// Every UploadPart is held at the proxy, so none reaches the server: the kill comes with the
// upload created and recorded and its first parts on the wire.
void CliS3ResumeTest::killedBeforeFirstPartConfirmed_resumeSendsEveryPartIntoTheSameUpload()
{
    QElapsedTimer clock;
    clock.start();
    const QString key = u"before-first/big.bin"_s;
    CountingProxy proxy(m_server->port());
    QVERIFY(proxy.start());
    proxy.holdRequests("PUT", "partNumber=");
    QVERIFY(putAndKillWhen(m_bigFile, key, proxy, [&] { return proxy.heldCount() > 0; }));
    // The upload id reached the database before any part left the process.
    const Recorded before = recorded(kFirstId);
    QVERIFY2(!before.uploadId.isEmpty(), "a part went out before the upload id was saved");
    QVERIFY(before.parts.isEmpty());
    const QList<ferry::s3::MultipartUpload> onServer = unfinishedUploads(u"before-first/"_s);
    QCOMPARE(onServer.size(), 1);
    QCOMPARE(onServer.first().uploadId, before.uploadId);
    proxy.dropHeld();
    const qsizetype killedAt = proxy.exchanges().size();

    const CliResult r = resume(proxy);
    VERIFY_EXIT(r, 0);
    const QList<CountingProxy::Exchange> all = proxy.exchanges();
    QCOMPARE(count(all, killedAt, "POST", "?uploads"), 0); // the same upload, not a new one
    QCOMPARE(count(all, killedAt, "GET", ("uploadId=" + QUrl::toPercentEncoding(before.uploadId))),
             1); // ListParts
    const QHash<int, int> sent = partRequests(all, killedAt);
    QCOMPARE(sent.size(), kBigParts);
    for (int n = 1; n <= kBigParts; ++n)
        QCOMPARE(sent.value(n), 1);
    verifyObject(key, m_bigSha256);
    QVERIFY(unfinishedUploads(u"before-first/"_s).isEmpty());
    qInfo("took %lld ms", clock.elapsed());
}

void CliS3ResumeTest::killedMidway_resumeSendsOnlyWhatTheServerLacks()
{
    QElapsedTimer clock;
    clock.start();
    const QString key = u"midway/big.bin"_s;
    CountingProxy proxy(m_server->port());
    QVERIFY(proxy.start());
    // Slow enough that a quarter of the parts is a few polls apart, fast enough to take seconds.
    proxy.setUploadRate(48 * kMiB);
    QVERIFY(putAndKillWhen(m_bigFile, key, proxy, [&] {
        const int confirmed = int(recorded(kFirstId).parts.size());
        return confirmed >= kBigParts / 3 && confirmed <= 2 * kBigParts / 3;
    }));
    const Recorded before = recorded(kFirstId);
    QVERIFY(before.parts.size() >= kBigParts / 3 && before.parts.size() < kBigParts);
    proxy.setUploadRate(0);
    const qsizetype killedAt = proxy.exchanges().size();
    const QHash<int, int> sentBefore = partRequests(proxy.exchanges());

    const CliResult r = resume(proxy);
    VERIFY_EXIT(r, 0);
    const QList<CountingProxy::Exchange> all = proxy.exchanges();
    QCOMPARE(count(all, killedAt, "POST", "?uploads"), 0);
    const QHash<int, int> sentAfter = partRequests(all, killedAt);
    for (auto it = before.parts.cbegin(); it != before.parts.cend(); ++it)
        QVERIFY2(sentAfter.value(it.key()) == 0,
                 qPrintable(u"recorded part %1 was sent again"_s.arg(it.key())));
    int inFlightAtKill = 0;
    for (int n = 1; n <= kBigParts; ++n) {
        QVERIFY2(sentBefore.value(n) + sentAfter.value(n) >= 1,
                 qPrintable(u"part %1 was never sent"_s.arg(n)));
        QVERIFY(sentAfter.value(n) <= 1);
        inFlightAtKill += sentBefore.value(n) > 0 && sentAfter.value(n) > 0 ? 1 : 0;
    }
    // Only the parts on the wire when the process died can have gone twice.
    QVERIFY2(inFlightAtKill <= ferry::s3::UploadJob::parallelParts,
             qPrintable(QString::number(inFlightAtKill)));
    qInfo("recorded before the kill: %lld of %d parts; sent again: %d", qint64(before.parts.size()),
          kBigParts, inFlightAtKill);
    verifyObject(key, m_bigSha256);
    QVERIFY(unfinishedUploads(u"midway/"_s).isEmpty());
    qInfo("took %lld ms", clock.elapsed());
}

// CompleteMultipartUpload (POST ?uploadId=) is held: every part is on the server and recorded,
// the upload is not complete. Two recorded parts are then dropped from the database, as if the
// process had died before writing them: the server's part list brings them back.
void CliS3ResumeTest::killedBeforeCompletion_resumeCompletesWithoutSendingAPart()
{
    QElapsedTimer clock;
    clock.start();
    const QString key = u"before-complete/big.bin"_s;
    CountingProxy proxy(m_server->port());
    QVERIFY(proxy.start());
    proxy.holdRequests("POST", "uploadId=");
    QVERIFY(putAndKillWhen(m_bigFile, key, proxy, [&] { return proxy.heldCount() > 0; }));
    proxy.dropHeld();
    const Recorded before = recorded(kFirstId);
    QCOMPARE(before.parts.size(), kBigParts);
    // The held completion never reached the server.
    QCOMPARE(count(proxy.exchanges(), 0, "POST", "uploadId="), 0);
    QCOMPARE(unfinishedUploads(u"before-complete/"_s).size(), 1);
    QVERIFY(sqlExec(u"DELETE FROM upload_parts WHERE download_id = ? AND number IN (7, 25)"_s,
                    {kFirstId}));
    QCOMPARE(recorded(kFirstId).parts.size(), kBigParts - 2);
    const qsizetype killedAt = proxy.exchanges().size();

    const CliResult r = resume(proxy);
    VERIFY_EXIT(r, 0);
    const QList<CountingProxy::Exchange> all = proxy.exchanges();
    QVERIFY2(partRequests(all, killedAt).isEmpty(), "a part the server holds was sent again");
    QCOMPARE(count(all, killedAt, "POST", "?uploads"), 0);
    QCOMPARE(count(all, killedAt, "POST", "uploadId="), 1);
    verifyObject(key, m_bigSha256);
    QVERIFY(unfinishedUploads(u"before-complete/"_s).isEmpty());
    qInfo("took %lld ms", clock.elapsed());
}

// Parts that reach the server behind the record's back, one of them not the file's bytes: the
// right ones are adopted, the wrong one is sent again.
void CliS3ResumeTest::partOnServerButNotRecorded_isAdoptedNotSentAgain()
{
    QElapsedTimer clock;
    clock.start();
    const qint64 size = 40 * kMiB + 12345; // six parts, the last one short
    const int parts = int((size + kPartSize - 1) / kPartSize);
    const QByteArray body = deterministicBytes(size, 0xADA9u);
    const QString file = m_tmp->filePath(u"src/adopt.bin"_s);
    QVERIFY(writeFile(file, body));
    const QString key = u"adopt/adopt.bin"_s;
    CountingProxy proxy(m_server->port());
    QVERIFY(proxy.start());
    proxy.holdRequests("PUT", "partNumber=");
    QVERIFY(putAndKillWhen(file, key, proxy, [&] { return proxy.heldCount() > 0; }));
    proxy.dropHeld();
    const Recorded before = recorded(kFirstId);
    QVERIFY(!before.uploadId.isEmpty());
    QVERIFY(before.parts.isEmpty());

    // Behind the proxy, straight to the server, into the recorded upload.
    const auto upload = [&](int number, const QByteArray &data) {
        QString error;
        const bool done = await(m_client->uploadPart(m_bucket, key, before.uploadId, number, data),
                                [&](ferry::s3::Reply *r) { error = r->error.message; });
        return done && error.isEmpty();
    };
    QVERIFY(upload(1, body.mid(0, kPartSize)));
    QVERIFY(upload(parts, body.mid((parts - 1) * kPartSize)));
    QVERIFY(upload(3, deterministicBytes(kPartSize, 0xBAD)));
    const qsizetype killedAt = proxy.exchanges().size();

    const CliResult r = resume(proxy);
    VERIFY_EXIT(r, 0);
    const QList<CountingProxy::Exchange> all = proxy.exchanges();
    const QHash<int, int> sent = partRequests(all, killedAt);
    QCOMPARE(sent.value(1), 0);
    QCOMPARE(sent.value(parts), 0);
    QCOMPARE(sent.value(3), 1); // on the server, but not these bytes
    for (int n : {2, 4, 5})
        QCOMPARE(sent.value(n), 1);
    QCOMPARE(count(all, killedAt, "POST", "?uploads"), 0);
    verifyObject(key, sha256Hex(body));
    QVERIFY(unfinishedUploads(u"adopt/"_s).isEmpty());
    qInfo("took %lld ms", clock.elapsed());
}

// Aborted while Ferry was not running: the server answers the resumed upload's ListParts with
// an error (NoSuchKey on RGW, NoSuchUpload on S3); the upload starts afresh and completes.
void CliS3ResumeTest::uploadAbortedBehindFerrysBack_resumeStartsAFreshUpload()
{
    QElapsedTimer clock;
    clock.start();
    const qint64 size = 40 * kMiB;
    const QByteArray body = deterministicBytes(size, 0xAB0127u);
    const QString file = m_tmp->filePath(u"src/gone.bin"_s);
    QVERIFY(writeFile(file, body));
    const QString key = u"gone/gone.bin"_s;
    CountingProxy proxy(m_server->port());
    QVERIFY(proxy.start());
    proxy.setUploadRate(16 * kMiB);
    QVERIFY(putAndKillWhen(file, key, proxy, [&] { return !recorded(kFirstId).parts.isEmpty(); }));
    proxy.setUploadRate(0);
    const Recorded before = recorded(kFirstId);
    QVERIFY(!before.uploadId.isEmpty());
    QString error;
    QVERIFY(await(m_client->abortMultipartUpload(m_bucket, key, before.uploadId),
                  [&](ferry::s3::Reply *r) { error = r->error.message; }));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(unfinishedUploads(u"gone/"_s).isEmpty());
    const qsizetype killedAt = proxy.exchanges().size();

    const CliResult r = resume(proxy);
    VERIFY_EXIT(r, 0);
    const QList<CountingProxy::Exchange> all = proxy.exchanges();
    QCOMPARE(count(all, killedAt, "POST", "?uploads"), 1); // a fresh upload
    const QHash<int, int> sent = partRequests(all, killedAt);
    QCOMPARE(sent.size(), 5);
    QVERIFY(recorded(kFirstId).uploadId.isEmpty()); // completed: nothing left to resume
    verifyObject(key, sha256Hex(body));
    QVERIFY(unfinishedUploads(u"gone/"_s).isEmpty());
    qInfo("took %lld ms", clock.elapsed());
}

// The completion reached the server but the process died before it recorded the answer: the
// upload id is gone from the server, and the object there is the one the recorded parts make
// (its ETag is theirs). Nothing is sent again.
void CliS3ResumeTest::completedBeforeTheRecordSaidSo_resumeFindsTheObject()
{
    QElapsedTimer clock;
    clock.start();
    const qint64 size = 24 * kMiB + 99;
    const QByteArray body = deterministicBytes(size, 0xC0DEu);
    const QString file = m_tmp->filePath(u"src/done.bin"_s);
    QVERIFY(writeFile(file, body));
    const QString key = u"done/done.bin"_s;
    CountingProxy proxy(m_server->port());
    QVERIFY(proxy.start());
    proxy.holdRequests("POST", "uploadId=");
    QVERIFY(putAndKillWhen(file, key, proxy, [&] { return proxy.heldCount() > 0; }));
    proxy.dropHeld();
    const Recorded before = recorded(kFirstId);
    QCOMPARE(before.parts.size(), 4);
    // What the held request would have done, straight to the server.
    QList<ferry::s3::Part> parts;
    for (auto it = before.parts.cbegin(); it != before.parts.cend(); ++it)
        parts.append({it.key(), it.value(), 0});
    QString error;
    QVERIFY(await(m_client->completeMultipartUpload(m_bucket, key, before.uploadId, parts),
                  [&](ferry::s3::Reply *r) { error = r->error.message; }));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const qsizetype killedAt = proxy.exchanges().size();

    const CliResult r = resume(proxy);
    VERIFY_EXIT(r, 0);
    const QList<CountingProxy::Exchange> all = proxy.exchanges();
    QVERIFY(partRequests(all, killedAt).isEmpty());
    QCOMPARE(count(all, killedAt, "POST", "?uploads"), 0);
    QCOMPARE(count(all, killedAt, "POST", "uploadId="), 0);
    QVERIFY(recorded(kFirstId).uploadId.isEmpty());
    verifyObject(key, sha256Hex(body));
    QVERIFY(unfinishedUploads(u"done/"_s).isEmpty());
    qInfo("took %lld ms", clock.elapsed());
}

QTEST_GUILESS_MAIN(CliS3ResumeTest)
#include "tst_cli_s3resume.moc"
