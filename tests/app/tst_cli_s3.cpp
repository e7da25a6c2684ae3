#include "clis3fixture.h"
#include "countingproxy.h"
#include "sandbox.h"

#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUuid>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry::test;

// `ferry-cli s3 ...` against a real S3 server (Ceph RGW), run as a user would: the
// binary, its exit codes, what it prints, and the bytes that end up on either side.
class CliS3Test final : public CliS3Fixture
{
    Q_OBJECT

private slots:
    void help_documentsTheS3CommandsAndOptions();
    void usage_badS3ArgumentsExitTwo_data();
    void usage_badS3ArgumentsExitTwo();
    void ls_withoutBucketListsBuckets();
    void ls_pagesThroughMoreThanAThousandKeysAndShowsFolders();
    void get_largeObjectIsByteExactOverSeveralRequests();
    void get_prefixKeepsItsFolders();
    void get_missingBucketOrKeyExitsOneWithTheServiceSentence();
    void put_largeFileGoesMultipartAndArrivesByteExact();
    void put_fileToATargetWithoutSlashUsesThatExactKey();
    void presign_urlFetchedWithCurlIsByteExact();
    void wrongSecret_saysTheKeysDoNotMatchAndNeverPrintsTheSecret();
    void put_killedMidUploadResumesWithoutResendingConfirmedParts();

private:
    QStringList s3(const QStringList &args) const;
    QByteArray getObject(const QString &key, QString *error = nullptr);
    QUrl proxyUrl(const CountingProxy &proxy) const;
    // Part numbers of the confirmed parts of upload `id` in the state database.
    QSet<int> confirmedParts(qint64 id) const;
};

QStringList CliS3Test::s3(const QStringList &args) const
{
    return QStringList{u"--state-dir"_s, m_stateDir, u"s3"_s} + args;
}

QByteArray CliS3Test::getObject(const QString &key, QString *error)
{
    QByteArray body;
    QString why;
    await(m_client->getObject(m_bucket, key), [&](ferry::s3::Reply *r) {
        body = r->body;
        why = r->error.message;
    });
    if (error)
        *error = why;
    return body;
}

QUrl CliS3Test::proxyUrl(const CountingProxy &proxy) const
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(proxy.port()));
}

QSet<int> CliS3Test::confirmedParts(qint64 id) const
{
    QSet<int> parts;
    const QString name = QUuid::createUuid().toString();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(m_stateDir + u"/ferry.sqlite"_s);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(u"SELECT number FROM upload_parts WHERE download_id = ?"_s);
            q.addBindValue(id);
            if (q.exec()) {
                while (q.next())
                    parts.insert(q.value(0).toInt());
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return parts;
}

void CliS3Test::help_documentsTheS3CommandsAndOptions()
{
    const CliResult r = runCli({u"--help"_s});
    VERIFY_EXIT(r, 0);
    const QString help = QString::fromUtf8(r.out);
    for (const QString &text : {u"s3 ls"_s, u"s3 get"_s, u"s3 put"_s, u"s3 presign"_s, u"--account"_s, u"--endpoint"_s,
                                u"--region"_s, u"--path-style"_s, u"--profile"_s, u"--anonymous"_s, u"--recursive"_s,
                                u"--expires"_s, u"AWS_ACCESS_KEY_ID"_s})
        QVERIFY2(help.contains(text), qPrintable(text + u" is not documented:\n"_s + help));
}

void CliS3Test::usage_badS3ArgumentsExitTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no s3 command") << QStringList{} << u"ls, get, put or presign"_s;
    QTest::newRow("unknown s3 command") << QStringList{u"copy"_s} << u"copy"_s;
    QTest::newRow("not an s3 address") << QStringList{u"ls"_s, u"http://x/y"_s} << u"http://x/y"_s;
    QTest::newRow("presign of a folder") << QStringList{u"presign"_s, u"s3://bucket/dir/"_s} << u"names no object"_s;
    QTest::newRow("presign 8 days") << QStringList{u"presign"_s, u"s3://bucket/k"_s, u"--expires"_s, u"8d"_s} << u"7 days"_s;
    QTest::newRow("presign 604801 s") << QStringList{u"presign"_s, u"s3://bucket/k"_s, u"--expires"_s, u"604801"_s} << u"7 days"_s;
    QTest::newRow("expires not a duration") << QStringList{u"presign"_s, u"s3://bucket/k"_s, u"--expires"_s, u"soon"_s} << u"soon"_s;
    QTest::newRow("put without target") << QStringList{u"put"_s, u"file.bin"_s} << u"s3 put"_s;
    QTest::newRow("account and endpoint")
        << QStringList{u"ls"_s, u"--account"_s, u"a"_s, u"--endpoint"_s, u"http://127.0.0.1:1"_s} << u"--account"_s;
    QTest::newRow("bad endpoint") << QStringList{u"ls"_s, u"--endpoint"_s, u"ftp://x"_s} << u"ftp://x"_s;
}

void CliS3Test::usage_badS3ArgumentsExitTwo()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const CliResult r = runCli(s3(args));
    VERIFY_EXIT(r, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(mentions), qPrintable(r.describe()));
    QVERIFY(r.out.isEmpty());
    QVERIFY2(!QFileInfo::exists(m_stateDir + u"/ferry.sqlite"_s), "a usage error must not create state");
}

void CliS3Test::ls_withoutBucketListsBuckets()
{
    const CliResult text = runCli(s3({u"ls"_s}));
    VERIFY_EXIT(text, 0);
    QVERIFY2(text.out.contains(m_bucket.toUtf8()), qPrintable(text.describe()));
    const CliResult json = runCli(s3({u"ls"_s, u"--json"_s}));
    VERIFY_EXIT(json, 0);
    bool found = false;
    for (const QJsonObject &o : jsonLines(json.out))
        found = found || (o.value(u"type"_s) == u"bucket"_s && o.value(u"name"_s) == m_bucket);
    QVERIFY2(found, qPrintable(json.describe()));
}

void CliS3Test::ls_pagesThroughMoreThanAThousandKeysAndShowsFolders()
{
    // 1,005 keys directly under the prefix (more than one page of 1,000) and two folders.
    const int count = 1005;
    int pending = count + 2;
    int failures = 0;
    QEventLoop loop;
    const auto put = [&](const QString &key) {
        ferry::s3::Reply *r = m_client->putObject(m_bucket, key, key.toUtf8());
        connect(r, &ferry::s3::Reply::finished, &loop, [&, r] {
            failures += r->error.isError() ? 1 : 0;
            if (--pending == 0)
                loop.quit();
        });
    };
    for (int i = 0; i < count; ++i)
        put(u"many/k%1.txt"_s.arg(i, 4, 10, QChar(u'0')));
    put(u"many/sub/a.txt"_s);
    put(u"many/sub2/b.txt"_s);
    QTimer::singleShot(kRunTimeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    QCOMPARE(pending, 0);
    QCOMPARE(failures, 0);

    const CliResult r = runCli(s3({u"ls"_s, u"s3://bucket/many/"_s, u"--json"_s}));
    VERIFY_EXIT(r, 0);
    QSet<QString> objects, folders;
    for (const QJsonObject &o : jsonLines(r.out)) {
        if (o.value(u"type"_s) == u"object"_s) {
            objects.insert(o.value(u"key"_s).toString());
            QCOMPARE(o.value(u"size"_s).toInteger(), qint64(o.value(u"key"_s).toString().toUtf8().size()));
        } else if (o.value(u"type"_s) == u"folder"_s) {
            folders.insert(o.value(u"key"_s).toString());
        }
    }
    QCOMPARE(objects.size(), count);
    QVERIFY(objects.contains(u"many/k0000.txt"_s) && objects.contains(u"many/k1004.txt"_s));
    QCOMPARE(folders, (QSet<QString>{u"many/sub/"_s, u"many/sub2/"_s}));

    const CliResult text = runCli(s3({u"ls"_s, u"s3://bucket/many/"_s}));
    VERIFY_EXIT(text, 0);
    QVERIFY2(text.out.contains("PRE many/sub/") && text.out.contains("many/k1004.txt"), qPrintable(text.describe()));

    const CliResult recursive = runCli(s3({u"ls"_s, u"s3://bucket/many/"_s, u"--recursive"_s, u"--json"_s}));
    VERIFY_EXIT(recursive, 0);
    QSet<QString> all;
    for (const QJsonObject &o : jsonLines(recursive.out)) {
        QCOMPARE(o.value(u"type"_s).toString(), u"object"_s);
        all.insert(o.value(u"key"_s).toString());
    }
    QCOMPARE(all.size(), count + 2);
    QVERIFY(all.contains(u"many/sub2/b.txt"_s));
}

void CliS3Test::get_largeObjectIsByteExactOverSeveralRequests()
{
    const QByteArray body = deterministicBytes(40 * kMiB + 777, 0xB16u);
    QVERIFY(putObject(u"big/object.bin"_s, body));
    CountingProxy proxy(m_server->port());
    QVERIFY(proxy.start());

    const CliResult r = runCli(s3({u"get"_s, u"s3://bucket/big/object.bin"_s, m_outDir, u"--json"_s}), proxyUrl(proxy));
    VERIFY_EXIT(r, 0);
    const QList<QJsonObject> events = jsonLines(r.out);
    QVERIFY(!events.isEmpty());
    QCOMPARE(events.last().value(u"event"_s).toString(), u"completed"_s);
    QCOMPARE(sha256OfFile(m_outDir + u"/object.bin"_s), sha256Hex(body));
    // The engine split the object over several ranged requests (the probe and the segments).
    int gets = 0;
    for (const CountingProxy::Exchange &e : proxy.exchanges())
        gets += e.method == "GET" && e.target.startsWith("/bucket/big/object.bin") ? 1 : 0;
    QVERIFY2(gets >= 2, qPrintable(u"only %1 GET requests"_s.arg(gets)));
}

void CliS3Test::get_prefixKeepsItsFolders()
{
    QVERIFY(putObject(u"tree/a.txt"_s, "alpha"));
    QVERIFY(putObject(u"tree/sub/b.txt"_s, "beta"));
    QVERIFY(putObject(u"treehouse/not-this.txt"_s, "no"));
    const CliResult r = runCli(s3({u"get"_s, u"s3://bucket/tree/"_s, m_outDir}));
    VERIFY_EXIT(r, 0);
    QCOMPARE(readFile(m_outDir + u"/tree/a.txt"_s), QByteArray("alpha"));
    QCOMPARE(readFile(m_outDir + u"/tree/sub/b.txt"_s), QByteArray("beta"));
    QVERIFY(!QFileInfo::exists(m_outDir + u"/treehouse"_s));
}

void CliS3Test::get_missingBucketOrKeyExitsOneWithTheServiceSentence()
{
    const CliResult bucket = runCli(s3({u"get"_s, u"s3://no-such-bucket/x.bin"_s, m_outDir}));
    VERIFY_EXIT(bucket, 1);
    QVERIFY2(bucket.err.contains("no bucket named") && bucket.err.contains("no-such-bucket"), qPrintable(bucket.describe()));
    const CliResult key = runCli(s3({u"get"_s, u"s3://bucket/missing/key.bin"_s, m_outDir}));
    VERIFY_EXIT(key, 1);
    QVERIFY2(key.err.contains("missing/key.bin") && key.err.contains("does not exist"), qPrintable(key.describe()));
    const CliResult ls = runCli(s3({u"ls"_s, u"s3://no-such-bucket/"_s}));
    VERIFY_EXIT(ls, 1);
    QVERIFY2(ls.err.contains("no bucket named"), qPrintable(ls.describe()));
    QVERIFY(QDir(m_outDir).isEmpty());
}

void CliS3Test::put_largeFileGoesMultipartAndArrivesByteExact()
{
    const QByteArray body = deterministicBytes(40 * kMiB + 4321, 0x97u);
    const QString file = m_tmp->filePath(u"src/large.bin"_s);
    QVERIFY(writeFile(file, body));
    CountingProxy proxy(m_server->port());
    QVERIFY(proxy.start());

    const CliResult r = runCli(s3({u"put"_s, file, u"s3://bucket/up/"_s}), proxyUrl(proxy));
    VERIFY_EXIT(r, 0);
    QVERIFY2(r.err.contains("Uploaded"), qPrintable(r.describe()));
    bool created = false;
    QSet<int> parts;
    for (const CountingProxy::Exchange &e : proxy.exchanges()) {
        created = created || (e.method == "POST" && e.target.contains("?uploads"));
        if (const int n = CountingProxy::partNumber(e))
            parts.insert(n);
    }
    QVERIFY2(created, "no CreateMultipartUpload");
    QCOMPARE(parts.size(), 6); // five parts of 8 MiB and a short last one
    QString error;
    const QByteArray stored = getObject(u"up/large.bin"_s, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(sha256Hex(stored), sha256Hex(body));
}

void CliS3Test::put_fileToATargetWithoutSlashUsesThatExactKey()
{
    const QByteArray body = deterministicBytes(70000, 0x31u);
    const QString file = m_tmp->filePath(u"src/notes.txt"_s);
    QVERIFY(writeFile(file, body));
    const CliResult r = runCli(s3({u"put"_s, file, u"s3://bucket/renamed/today.txt"_s}));
    VERIFY_EXIT(r, 0);
    QString error;
    QCOMPARE(sha256Hex(getObject(u"renamed/today.txt"_s, &error)), sha256Hex(body));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    getObject(u"renamed/today.txt/notes.txt"_s, &error);
    QVERIFY2(!error.isEmpty(), "the file also went below the key as if it were a folder");
}

void CliS3Test::presign_urlFetchedWithCurlIsByteExact()
{
    const QString curl = QStandardPaths::findExecutable(u"curl"_s);
    if (curl.isEmpty())
        QSKIP("curl is not installed");
    const QByteArray body = deterministicBytes(300 * 1024 + 5, 0x77u);
    QVERIFY(putObject(u"shared/a file+name.bin"_s, body));
    const CliResult r = runCli(s3({u"presign"_s, u"s3://bucket/shared/a file+name.bin"_s, u"--expires"_s, u"1h"_s}));
    VERIFY_EXIT(r, 0);
    const QString url = QString::fromUtf8(r.out.trimmed());
    QVERIFY2(url.contains(u"X-Amz-Expires=3600"_s), qPrintable(url));
    QVERIFY2(!url.contains(RgwServer::secretKey() + u"&"_s), "the secret must not be in the URL");

    const QString target = m_tmp->filePath(u"curl.bin"_s);
    QProcess proc;
    proc.start(curl, {u"-sSf"_s, u"--noproxy"_s, u"*"_s, u"-o"_s, target, url});
    QVERIFY(proc.waitForFinished(60'000));
    QVERIFY2(proc.exitCode() == 0, proc.readAllStandardError().constData());
    QCOMPARE(sha256OfFile(target), sha256Hex(body));
}

void CliS3Test::wrongSecret_saysTheKeysDoNotMatchAndNeverPrintsTheSecret()
{
    const QByteArray secret = "wrong-Secret-0123456789abcdefXYZ";
    QProcessEnvironment env = environment({});
    env.insert(u"AWS_SECRET_ACCESS_KEY"_s, QString::fromLatin1(secret));
    for (const QStringList &args : {QStringList{u"ls"_s, u"s3://bucket/"_s}, QStringList{u"get"_s, u"s3://bucket/tree/a.txt"_s, m_outDir}}) {
        const CliResult r = runCli(s3(args), {}, &env);
        QVERIFY2(r.finished && r.exitCode != 0, qPrintable(r.describe()));
        QVERIFY2(r.err.contains("secret key does not match"), qPrintable(r.describe()));
        QVERIFY(!r.err.contains(secret) && !r.out.contains(secret));
    }
}

void CliS3Test::put_killedMidUploadResumesWithoutResendingConfirmedParts()
{
    // 64 MiB in 8 parts of 8 MiB, sent four at a time through a proxy slowed to 8 MiB/s, so the
    // upload is still under way when its first parts are confirmed.
    const int partCount = 8;
    const QByteArray body = deterministicBytes(64 * kMiB, 0xC0FFEEu);
    const QString file = m_tmp->filePath(u"src/huge.bin"_s);
    QVERIFY(writeFile(file, body));
    CountingProxy proxy(m_server->port());
    QVERIFY(proxy.start());
    proxy.setUploadRate(8 * kMiB);

    auto proc = startCli(s3({u"put"_s, file, u"s3://bucket/resume/"_s}), proxyUrl(proxy));
    QVERIFY(proc->waitForStarted(10'000));
    const qint64 id = 1; // the first transfer of a fresh state folder
    // Stop it once some parts are confirmed and later ones are on the wire.
    const auto midway = [&] {
        const QSet<int> confirmed = confirmedParts(id);
        if (confirmed.isEmpty())
            return false;
        for (const CountingProxy::Exchange &e : proxy.exchanges()) {
            if (const int n = CountingProxy::partNumber(e); n && e.status == 0 && !confirmed.contains(n))
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(midway() || proc->state() == QProcess::NotRunning, kRunTimeoutMs);
    QVERIFY2(proc->state() == QProcess::Running, qPrintable(QString::fromUtf8(proc->readAllStandardError())));
    ::kill(pid_t(proc->processId()), SIGKILL);
    QVERIFY(proc->waitForFinished(10'000));
    QCOMPARE(proc->exitStatus(), QProcess::CrashExit);

    const QSet<int> confirmed = confirmedParts(id);
    QVERIFY(!confirmed.isEmpty());
    QVERIFY2(confirmed.size() < partCount, "the upload finished before it could be stopped");
    const qsizetype killedAt = proxy.exchanges().size();
    proxy.setUploadRate(0);

    const CliResult resumed = runCli({u"--state-dir"_s, m_stateDir, u"resume"_s, QString::number(id)}, proxyUrl(proxy));
    VERIFY_EXIT(resumed, 0);

    const QList<CountingProxy::Exchange> all = proxy.exchanges();
    QHash<int, int> sentBefore, sentAfter;
    for (qsizetype i = 0; i < all.size(); ++i) {
        if (const int n = CountingProxy::partNumber(all.at(i)))
            ++(i < killedAt ? sentBefore : sentAfter)[n];
    }
    for (int n : confirmed) {
        QVERIFY2(sentAfter.value(n) == 0, qPrintable(u"confirmed part %1 was sent again"_s.arg(n)));
        QCOMPARE(sentBefore.value(n), 1);
    }
    int total = 0;
    for (int n = 1; n <= partCount; ++n)
        total += sentBefore.value(n) + sentAfter.value(n);
    qInfo("parts confirmed before the kill: %lld of %d; UploadPart requests in all: %d", qint64(confirmed.size()),
          partCount, total);
    // Each part once, plus at most the four that were in flight when the process died: sent
    // again unless the server had received them whole (then ListParts shows them and they
    // are adopted).
    for (int n = 1; n <= partCount; ++n)
        QVERIFY2(sentBefore.value(n) + sentAfter.value(n) >= 1, qPrintable(u"part %1 was never sent"_s.arg(n)));
    QVERIFY2(total <= partCount + 4, qPrintable(u"%1 UploadPart requests"_s.arg(total)));
    QString error;
    const QByteArray stored = getObject(u"resume/huge.bin"_s, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(stored.size(), body.size());
    QCOMPARE(sha256Hex(stored), sha256Hex(body));
}

QTEST_GUILESS_MAIN(CliS3Test)
#include "tst_cli_s3.moc"
