#include "cannedserver.h"
#include "clis3fixture.h"
#include "countingproxy.h"
#include "sandbox.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <algorithm>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry::test;

namespace {

// What the state database says about an unfinished multipart upload.
struct StoredUpload {
    QString uploadId;
    QList<ferry::s3::Part> parts; // confirmed by the server
};

} // namespace

// `ferry-cli remove ID` of an unfinished multipart upload: the upload is aborted on the server
// (or the user is told that its parts stay there), and the queue forgets it either way. The
// upload is left unfinished the way users leave it: ferry-cli killed in the middle.
class CliS3RemoveTest final : public CliS3Fixture
{
    Q_OBJECT

private slots:
    void remove_abortAnsweredByTheServer_exitsZeroAndForgetsTheUpload();
    void remove_abortRefusedByTheServer_warnsThatThePartsStayThere();
    void remove_withoutTheAccountsKeys_removesLocallyAndWarns();

private:
    void prepareTestCase() override;
    // Runs ferry-cli on this test's state folder with `env`.
    CliResult runCli(const QStringList &args, const QProcessEnvironment &env) const;
    // Starts a 64 MiB upload through a slowed proxy and kills ferry-cli with SIGKILL once some
    // parts are confirmed; returns what the database then holds about the upload.
    bool leaveUnfinishedUpload(const QString &key, StoredUpload *upload);
    StoredUpload storedUpload(qint64 id) const;
    QString listed() const;
    int abortRequests(const CountingProxy &proxy, const QString &uploadId, int *status = nullptr) const;

    QByteArray m_body;
    static constexpr qint64 m_id = 1; // the first transfer of a fresh state folder
};

void CliS3RemoveTest::prepareTestCase()
{
    m_body = deterministicBytes(64 * kMiB, 0xAB0127u);
}

CliResult CliS3RemoveTest::runCli(const QStringList &args, const QProcessEnvironment &env) const
{
    return CliS3Fixture::runCli(QStringList{u"--state-dir"_s, m_stateDir} + args, {}, &env);
}

StoredUpload CliS3RemoveTest::storedUpload(qint64 id) const
{
    StoredUpload upload;
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
                upload.uploadId = q.value(0).toString();
            q.prepare(u"SELECT number, etag, size FROM upload_parts WHERE download_id = ? ORDER BY number"_s);
            q.addBindValue(id);
            if (q.exec()) {
                while (q.next())
                    upload.parts.append({q.value(0).toInt(), q.value(1).toByteArray(), q.value(2).toLongLong()});
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return upload;
}

bool CliS3RemoveTest::leaveUnfinishedUpload(const QString &key, StoredUpload *upload)
{
    const QString file = m_tmp->filePath(u"src/huge.bin"_s);
    if (!writeFile(file, m_body))
        return false;
    CountingProxy proxy(m_server->port());
    if (!proxy.start())
        return false;
    // 8 parts of 8 MiB, four at a time, at 8 MiB/s: the first parts are confirmed long
    // before the last ones are sent.
    proxy.setUploadRate(8 * kMiB);
    QProcess proc;
    proc.setProcessEnvironment(environment(QUrl(u"http://127.0.0.1:%1"_s.arg(proxy.port()))));
    proc.setWorkingDirectory(m_tmp->path());
    proc.start(m_cli, {u"--state-dir"_s, m_stateDir, u"s3"_s, u"put"_s, file, u"s3://bucket/"_s + key});
    if (!proc.waitForStarted(10'000))
        return false;
    const auto midway = [&] { return !storedUpload(m_id).parts.isEmpty(); };
    if (!QTest::qWaitFor([&] { return midway() || proc.state() == QProcess::NotRunning; }, kRunTimeoutMs))
        qWarning("no part was confirmed in time");
    if (proc.state() != QProcess::Running) {
        qWarning("ferry-cli ended before it could be stopped: %s", proc.readAllStandardError().constData());
        return false;
    }
    ::kill(pid_t(proc.processId()), SIGKILL);
    proc.waitForFinished(10'000);
    *upload = storedUpload(m_id);
    if (upload->uploadId.isEmpty() || upload->parts.isEmpty() || upload->parts.size() >= 8) {
        qWarning("unexpected upload state: id '%s', %lld confirmed parts", qPrintable(upload->uploadId),
                 qint64(upload->parts.size()));
        return false;
    }
    return true;
}

QString CliS3RemoveTest::listed() const
{
    QProcess proc;
    proc.setProcessEnvironment(environment(m_server->endpoint()));
    proc.start(m_cli, {u"--state-dir"_s, m_stateDir, u"list"_s});
    proc.waitForFinished(60'000);
    return QString::fromUtf8(proc.readAllStandardOutput());
}

int CliS3RemoveTest::abortRequests(const CountingProxy &proxy, const QString &uploadId, int *status) const
{
    int count = 0;
    for (const CountingProxy::Exchange &e : proxy.exchanges()) {
        if (e.method == "DELETE" && e.target.contains(QByteArray("uploadId=" + uploadId.toUtf8()))) {
            ++count;
            if (status)
                *status = e.status;
        }
    }
    return count;
}

void CliS3RemoveTest::remove_abortAnsweredByTheServer_exitsZeroAndForgetsTheUpload()
{
    StoredUpload upload;
    QVERIFY(leaveUnfinishedUpload(u"gone/huge.bin"_s, &upload));
    CountingProxy proxy(m_server->port());
    QVERIFY(proxy.start());

    const CliResult r = runCli({u"remove"_s, QString::number(m_id)}, environment(QUrl(u"http://127.0.0.1:%1"_s.arg(proxy.port()))));
    VERIFY_EXIT(r, 0);
    QVERIFY2(r.err.contains("Aborted the unfinished upload to s3://bucket/gone/huge.bin"), qPrintable(r.describe()));
    QVERIFY2(!r.err.contains("warning"), qPrintable(r.describe()));
    int status = 0;
    QCOMPARE(abortRequests(proxy, upload.uploadId, &status), 1);
    QCOMPARE(status, 204);
    QVERIFY2(!listed().contains(u"huge.bin"_s), qPrintable(listed()));

    // The server no longer knows the upload: it is not listed, and its parts are gone (the
    // gateway answers ListParts of an aborted upload with NoSuchKey).
    QList<ferry::s3::MultipartUpload> uploads;
    QVERIFY(await(m_client->listMultipartUploads(m_bucket, u"gone/"_s), [&](ferry::s3::Reply *reply) { uploads = reply->uploads; }));
    QVERIFY(std::none_of(uploads.begin(), uploads.end(), [&](const auto &u) { return u.uploadId == upload.uploadId; }));
    ferry::s3::Error partsError;
    QVERIFY(await(m_client->listParts(m_bucket, u"gone/huge.bin"_s, upload.uploadId), [&](ferry::s3::Reply *reply) { partsError = reply->error; }));
    QCOMPARE(partsError.kind, ferry::s3::Error::NotFound);
}

void CliS3RemoveTest::remove_abortRefusedByTheServer_warnsThatThePartsStayThere()
{
    StoredUpload upload;
    QVERIFY(leaveUnfinishedUpload(u"kept/huge.bin"_s, &upload));
    // The gateway aborts uploads, so a service that refuses to stands in for it here; the
    // account is the environment's, so this run signs for that service.
    CannedServer service;
    service.respond = [](const Seen &, int) {
        return Canned{405, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>MethodNotAllowed</Code>"
                           "<Message></Message></Error>", {{"Content-Type", "application/xml"}}};
    };

    const CliResult r = runCli({u"remove"_s, QString::number(m_id)}, environment(service.endpoint()));
    VERIFY_EXIT(r, 1);
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.contains(u"warning: the unfinished upload to s3://bucket/kept/huge.bin could not be aborted"_s), qPrintable(r.describe()));
    QVERIFY2(err.contains(u"stay there until the bucket's lifecycle rules remove them"_s), qPrintable(r.describe()));
    // The server's own answer is in the message: ferry-cli waited for it before exiting.
    QVERIFY2(err.contains(u"does not support that operation"_s), qPrintable(r.describe()));
    QCOMPARE(service.seen.size(), 1);
    const Seen &abort = service.seen.constFirst();
    QCOMPARE(abort.method, QByteArray("DELETE"));
    QCOMPARE(abort.path, u"/bucket/kept/huge.bin"_s);
    QCOMPARE(abort.query.queryItemValue(u"uploadId"_s), upload.uploadId);
    QVERIFY(abort.headers.value("authorization").contains(QByteArray("Credential=" + RgwServer::accessKey().toUtf8() + '/')));
    QVERIFY2(!listed().contains(u"huge.bin"_s), qPrintable(listed()));

    // What the warning says is true: the confirmed parts are still on the server, as they were
    // confirmed, and can even be put together into an object. The server may hold more parts
    // than were confirmed (ferry-cli was killed while they were being answered), and the
    // gateway only assembles an upload from all of its parts.
    QList<ferry::s3::Part> onServer;
    QString error;
    QVERIFY(await(m_client->listParts(m_bucket, u"kept/huge.bin"_s, upload.uploadId), [&](ferry::s3::Reply *reply) {
        onServer = reply->parts;
        error = reply->error.message;
    }));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (const ferry::s3::Part &confirmed : std::as_const(upload.parts)) {
        const auto it = std::find_if(onServer.cbegin(), onServer.cend(), [&](const auto &p) { return p.number == confirmed.number; });
        QVERIFY2(it != onServer.cend(), qPrintable(u"part %1 is not on the server"_s.arg(confirmed.number)));
        QCOMPARE(it->etag, confirmed.etag);
        QCOMPARE(it->size, confirmed.size);
    }
    std::sort(onServer.begin(), onServer.end(), [](const auto &a, const auto &b) { return a.number < b.number; });
    QByteArray expected;
    for (const ferry::s3::Part &p : std::as_const(onServer))
        expected += m_body.mid(qsizetype(p.number - 1) * 8 * kMiB, 8 * kMiB);
    QVERIFY(await(m_client->completeMultipartUpload(m_bucket, u"kept/huge.bin"_s, upload.uploadId, onServer),
                  [&](ferry::s3::Reply *reply) { error = reply->error.message; }));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QByteArray stored;
    QVERIFY(await(m_client->getObject(m_bucket, u"kept/huge.bin"_s), [&](ferry::s3::Reply *reply) { stored = reply->body; }));
    QCOMPARE(stored.size(), expected.size());
    QCOMPARE(sha256Hex(stored), sha256Hex(expected));
}

void CliS3RemoveTest::remove_withoutTheAccountsKeys_removesLocallyAndWarns()
{
    StoredUpload upload;
    QVERIFY(leaveUnfinishedUpload(u"nokeys/huge.bin"_s, &upload));
    CountingProxy proxy(m_server->port());
    QVERIFY(proxy.start());
    QProcessEnvironment env = environment(QUrl(u"http://127.0.0.1:%1"_s.arg(proxy.port())));
    env.remove(u"AWS_ACCESS_KEY_ID"_s);
    env.remove(u"AWS_SECRET_ACCESS_KEY"_s);

    const CliResult r = runCli({u"remove"_s, QString::number(m_id)}, env);
    VERIFY_EXIT(r, 1);
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.contains(u"Removed upload 1"_s), qPrintable(r.describe()));
    QVERIFY2(err.contains(u"warning: the unfinished upload to s3://bucket/nokeys/huge.bin could not be aborted"_s), qPrintable(r.describe()));
    QVERIFY2(err.contains(u"stay there until the bucket's lifecycle rules remove them"_s), qPrintable(r.describe()));
    QVERIFY2(err.contains(u"access keys"_s, Qt::CaseInsensitive), qPrintable(r.describe())); // why the account did not open
    QCOMPARE(abortRequests(proxy, upload.uploadId), 0);
    QVERIFY2(!listed().contains(u"huge.bin"_s), qPrintable(listed()));
}

QTEST_GUILESS_MAIN(CliS3RemoveTest)
#include "tst_cli_s3remove.moc"
