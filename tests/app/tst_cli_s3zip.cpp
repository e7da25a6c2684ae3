#include "s3/s3client.h"
#include "s3server.h"
#include "sandbox.h"

#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry::test;

namespace {

constexpr int kRunTimeoutMs = 300'000; // generous: nothing here asserts a duration

#define VERIFY_EXIT(result, code) QVERIFY2((result).finished && (result).exitCode == (code), qPrintable((result).describe()))

struct CliResult {
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString describe() const
    {
        return u"exit %1 (finished: %2)\nstderr: %3\nstdout: %4"_s.arg(exitCode)
            .arg(finished ? u"yes"_s : u"no"_s)
            .arg(QString::fromUtf8(err), QString::fromUtf8(out.left(4000)));
    }
};

struct Tool {
    int exitCode = -1;
    QByteArray out;
};

// Runs a helper program a user would reach for (unzip, curl, python3).
Tool runTool(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    Tool t;
    if (!p.waitForStarted(10'000) || !p.waitForFinished(kRunTimeoutMs))
        return t;
    t.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    t.out = p.readAllStandardOutput() + p.readAllStandardError();
    return t;
}

// Entry name -> sha256 of its content, as Python's zipfile reads the archive (an independent
// reader); entries it cannot read make the script fail.
QJsonObject entryHashes(const QString &zipPath)
{
    const QString script = uR"(import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    print(json.dumps({i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist() if not i.is_dir()}))
)"_s;
    const Tool t = runTool(u"/usr/bin/python3"_s, {u"-c"_s, script, zipPath});
    if (t.exitCode != 0) {
        qWarning("python zipfile failed: %s", t.out.constData());
        return {};
    }
    return QJsonDocument::fromJson(t.out).object();
}

} // namespace

// `ferry-cli s3 zip` against a real S3-compatible server (s3rver): the archive a user gets,
// checked with unzip and Python's zipfile, the link it prints, and its usage errors.
class CliS3ZipTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void help_documentsZip();
    void usage_badZipArgumentsExitTwo_data();
    void usage_badZipArgumentsExitTwo();
    void local_prefixAndKeyAreByteExactAndAnExistingFileIsKept();
    void bucket_printsALinkThatFetchesAValidArchive();
    void missingKey_failsAndLeavesNoFile();
    void missingKey_withSkipErrorsCompletesAndNamesIt();
    void interrupt_pausesAndSaysTheBundleStartsAgain();

private:
    QProcessEnvironment environment() const;
    CliResult runCli(const QStringList &args) const;
    QStringList s3(const QStringList &args) const;
    bool putObject(const QString &key, const QByteArray &data);

    QString m_cli;
    std::unique_ptr<S3Server> m_server;
    std::unique_ptr<ferry::s3::Client> m_client;
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_stateDir;
    QString m_outDir;
    const QString m_bucket = u"bucket"_s;
};

void CliS3ZipTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_cli = qEnvironmentVariable("FERRY_CLI");
    if (m_cli.isEmpty() || !QFileInfo(m_cli).isExecutable())
        QSKIP("FERRY_CLI does not name the ferry-cli binary; run this test through ctest.");
    if (const QString why = S3Server::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    m_server = std::make_unique<S3Server>();
    m_server->addBucket(m_bucket);
    m_server->addBucket(u"other"_s);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    ferry::s3::Account account;
    account.id = u"test"_s;
    account.name = u"test"_s;
    account.endpoint = m_server->endpoint();
    account.region = S3Server::region();
    account.pathStyle = true;
    m_client = std::make_unique<ferry::s3::Client>(account, ferry::s3::Credentials{S3Server::accessKey(), S3Server::secretKey(), {}});
}

void CliS3ZipTest::cleanupTestCase()
{
    m_client.reset();
    m_server.reset();
}

void CliS3ZipTest::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_stateDir = m_tmp->filePath(u"state"_s);
    m_outDir = m_tmp->filePath(u"out"_s);
    QVERIFY(QDir().mkpath(m_outDir));
}

void CliS3ZipTest::cleanup()
{
    if (QTest::currentTestFailed()) {
        m_tmp->setAutoRemove(false);
        qInfo("kept %s for inspection; server said: %s", qPrintable(m_tmp->path()),
              qPrintable(m_server ? m_server->output().right(2000) : QString()));
    }
    m_tmp.reset();
}

QProcessEnvironment CliS3ZipTest::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto *var : {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                            "AWS_PROFILE", "AWS_ENDPOINT_URL_S3", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION"})
        env.remove(QString::fromLatin1(var));
    env.insert(u"HOME"_s, m_tmp->filePath(u"home"_s));
    env.insert(u"XDG_DATA_HOME"_s, m_tmp->filePath(u"xdg-data"_s));
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    env.insert(u"AWS_ACCESS_KEY_ID"_s, S3Server::accessKey());
    env.insert(u"AWS_SECRET_ACCESS_KEY"_s, S3Server::secretKey());
    env.insert(u"AWS_REGION"_s, S3Server::region());
    env.insert(u"AWS_ENDPOINT_URL"_s, m_server ? m_server->endpoint().toString() : u"http://127.0.0.1:9"_s);
    return env;
}

CliResult CliS3ZipTest::runCli(const QStringList &args) const
{
    CliResult r;
    QProcess proc;
    proc.setProcessEnvironment(environment());
    proc.setWorkingDirectory(m_tmp->path());
    proc.start(m_cli, args);
    if (!proc.waitForStarted(10'000)) {
        r.err = proc.errorString().toLocal8Bit();
        return r;
    }
    if (!proc.waitForFinished(kRunTimeoutMs)) {
        proc.kill();
        proc.waitForFinished(10'000);
    } else {
        r.finished = proc.exitStatus() == QProcess::NormalExit;
    }
    r.exitCode = proc.exitCode();
    r.out = proc.readAllStandardOutput();
    r.err = proc.readAllStandardError();
    return r;
}

QStringList CliS3ZipTest::s3(const QStringList &args) const
{
    return QStringList{u"--state-dir"_s, m_stateDir, u"s3"_s, u"zip"_s} + args;
}

bool CliS3ZipTest::putObject(const QString &key, const QByteArray &data)
{
    QEventLoop loop;
    bool done = false;
    QString error;
    ferry::s3::Reply *reply = m_client->putObject(m_bucket, key, data);
    QObject::connect(reply, &ferry::s3::Reply::finished, &loop, [&] {
        error = reply->error.message;
        done = true;
        loop.quit();
    });
    QTimer::singleShot(kRunTimeoutMs, &loop, &QEventLoop::quit);
    if (!done)
        loop.exec();
    if (!done || !error.isEmpty())
        qWarning("put %s failed: %s", qPrintable(key), qPrintable(error));
    return done && error.isEmpty();
}

void CliS3ZipTest::help_documentsZip()
{
    const CliResult r = runCli({u"--help"_s});
    VERIFY_EXIT(r, 0);
    const QString help = QString::fromUtf8(r.out);
    for (const QString &text : {u"s3 zip"_s, u"--to"_s, u"--level"_s, u"--skip-errors"_s, u"--expires"_s})
        QVERIFY2(help.contains(text), qPrintable(text + u" is not documented:\n"_s + help));
}

void CliS3ZipTest::usage_badZipArgumentsExitTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("both -o and --to") << QStringList{u"s3://bucket/docs/"_s, u"-o"_s, u"a.zip"_s, u"--to"_s, u"s3://bucket/a.zip"_s}
                                      << u"not both"_s;
    QTest::newRow("no destination") << QStringList{u"s3://bucket/docs/"_s} << u"needs a destination"_s;
    QTest::newRow("two buckets") << QStringList{u"s3://bucket/docs/"_s, u"s3://other/x"_s, u"-o"_s, u"a.zip"_s}
                                 << u"one bucket"_s;
    QTest::newRow("expires 8d") << QStringList{u"s3://bucket/docs/"_s, u"--to"_s, u"s3://bucket/a.zip"_s, u"--expires"_s, u"8d"_s}
                                << u"at most 7 days"_s;
    QTest::newRow("no source") << QStringList{u"-o"_s, u"a.zip"_s} << u"s3 zip takes"_s;
    QTest::newRow("level 0") << QStringList{u"s3://bucket/docs/"_s, u"-o"_s, u"a.zip"_s, u"--level"_s, u"0"_s} << u"--level"_s;
    QTest::newRow("--to a folder") << QStringList{u"s3://bucket/docs/"_s, u"--to"_s, u"s3://bucket/out/"_s} << u"names no object"_s;
}

void CliS3ZipTest::usage_badZipArgumentsExitTwo()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const CliResult r = runCli(s3(args));
    VERIFY_EXIT(r, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), qPrintable(r.describe()));
    QVERIFY(!QFileInfo::exists(m_tmp->filePath(u"a.zip"_s)));
}

void CliS3ZipTest::local_prefixAndKeyAreByteExactAndAnExistingFileIsKept()
{
    const QHash<QString, QByteArray> objects = {
        {u"docs/a.txt"_s, QByteArray("hello, archive\n").repeated(2000)},
        {u"docs/sub/random.bin"_s, deterministicBytes(3 * 1024 * 1024 + 17, 11)},
        {u"docs/报告 2024.txt"_s, QByteArray("中文内容\n").repeated(100)},
        {u"single.dat"_s, deterministicBytes(50'000, 12)},
    };
    for (auto it = objects.cbegin(); it != objects.cend(); ++it)
        QVERIFY(putObject(it.key(), it.value()));
    // Not selected: must not end up in the archive.
    QVERIFY(putObject(u"elsewhere/no.txt"_s, "no"));

    const QString wanted = QDir(m_outDir).filePath(u"bundle.zip"_s);
    QVERIFY(writeFile(wanted, "an older file that must stay"));
    const CliResult r = runCli(s3({u"s3://bucket/docs/"_s, u"s3://bucket/single.dat"_s, u"-o"_s, wanted}));
    VERIFY_EXIT(r, 0);
    QCOMPARE(readFile(wanted), QByteArray("an older file that must stay"));
    const QString actual = QDir(m_outDir).filePath(u"bundle (1).zip"_s);
    QVERIFY2(QFileInfo::exists(actual), qPrintable(r.describe()));
    QVERIFY2(QString::fromUtf8(r.err).contains(actual), qPrintable(r.describe()));
    QVERIFY2(QString::fromUtf8(r.err).contains(u"already exists"_s), qPrintable(r.describe()));
    QVERIFY(!QFileInfo::exists(actual + u".part"_s));

    const Tool test = runTool(u"unzip"_s, {u"-t"_s, actual});
    QVERIFY2(test.exitCode == 0, test.out.constData());
    QVERIFY2(!test.out.contains("skipping"), test.out.constData());

    const QJsonObject hashes = entryHashes(actual);
    QCOMPARE(hashes.size(), objects.size());
    for (auto it = objects.cbegin(); it != objects.cend(); ++it) {
        QVERIFY2(hashes.contains(it.key()), qPrintable(it.key() + u" is missing from "_s
                                                        + QString::fromUtf8(QJsonDocument(hashes).toJson())));
        QCOMPARE(hashes.value(it.key()).toString().toLatin1(), sha256Hex(it.value()));
    }
}

void CliS3ZipTest::bucket_printsALinkThatFetchesAValidArchive()
{
    const QByteArray a = deterministicBytes(2 * 1024 * 1024, 21);
    const QByteArray b = QByteArray("text ").repeated(10'000);
    QVERIFY(putObject(u"share/a.bin"_s, a));
    QVERIFY(putObject(u"share/b.txt"_s, b));

    const CliResult r = runCli(s3({u"s3://bucket/share/"_s, u"--to"_s, u"s3://bucket/bundles/share.zip"_s, u"--expires"_s, u"1h"_s}));
    VERIFY_EXIT(r, 0);
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    const QByteArray link = lines.last().trimmed();
    QVERIFY2(link.startsWith("http://127.0.0.1:"), qPrintable(r.describe()));
    QVERIFY2(link.contains("X-Amz-Expires=3600"), link.constData());

    const QString fetched = m_tmp->filePath(u"fetched.zip"_s);
    const Tool curl = runTool(u"curl"_s, {u"-sf"_s, u"-o"_s, fetched, QString::fromLatin1(link)});
    QVERIFY2(curl.exitCode == 0, curl.out.constData());
    const Tool test = runTool(u"unzip"_s, {u"-t"_s, fetched});
    QVERIFY2(test.exitCode == 0, test.out.constData());
    const QJsonObject hashes = entryHashes(fetched);
    QCOMPARE(hashes.value(u"share/a.bin"_s).toString().toLatin1(), sha256Hex(a));
    QCOMPARE(hashes.value(u"share/b.txt"_s).toString().toLatin1(), sha256Hex(b));
}

void CliS3ZipTest::missingKey_failsAndLeavesNoFile()
{
    QVERIFY(putObject(u"present.txt"_s, "here"));
    const QString target = QDir(m_outDir).filePath(u"fail.zip"_s);
    const CliResult r = runCli(s3({u"s3://bucket/present.txt"_s, u"s3://bucket/absent.txt"_s, u"-o"_s, target}));
    QVERIFY2(r.finished && r.exitCode != 0 && r.exitCode != 2, qPrintable(r.describe()));
    QVERIFY2(QString::fromUtf8(r.err).contains(u"absent.txt"_s), qPrintable(r.describe()));
    QVERIFY2(QDir(m_outDir).entryList(QDir::Files | QDir::Hidden).isEmpty(),
             qPrintable(QDir(m_outDir).entryList(QDir::Files | QDir::Hidden).join(u", "_s)));
}

void CliS3ZipTest::missingKey_withSkipErrorsCompletesAndNamesIt()
{
    QVERIFY(putObject(u"present.txt"_s, "here"));
    const QString target = QDir(m_outDir).filePath(u"partial.zip"_s);
    const CliResult r =
        runCli(s3({u"s3://bucket/present.txt"_s, u"s3://bucket/absent.txt"_s, u"-o"_s, target, u"--skip-errors"_s}));
    VERIFY_EXIT(r, 0);
    QVERIFY2(QString::fromUtf8(r.err).contains(u"absent.txt"_s), qPrintable(r.describe()));
    const QJsonObject hashes = entryHashes(target);
    QCOMPARE(hashes.keys(), QStringList{u"present.txt"_s});
    QCOMPARE(hashes.value(u"present.txt"_s).toString().toLatin1(), sha256Hex("here"));
}

void CliS3ZipTest::interrupt_pausesAndSaysTheBundleStartsAgain()
{
    // Big and incompressible at the slowest level, so the bundle is still running when Ctrl+C
    // arrives.
    for (int i = 0; i < 4; ++i)
        QVERIFY(putObject(u"big/part%1.bin"_s.arg(i), deterministicBytes(48 * 1024 * 1024, 40 + i)));
    const QString target = QDir(m_outDir).filePath(u"big.zip"_s);
    QProcess proc;
    proc.setProcessEnvironment(environment());
    proc.setWorkingDirectory(m_tmp->path());
    proc.start(m_cli, s3({u"s3://bucket/big/"_s, u"-o"_s, target, u"--level"_s, u"9"_s}));
    QVERIFY(proc.waitForStarted(10'000));
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += proc.readAllStandardError()).contains("Bundling"), 60'000);
    ::kill(pid_t(proc.processId()), SIGINT);
    QVERIFY(proc.waitForFinished(60'000));
    err += proc.readAllStandardError();
    QVERIFY2(proc.exitStatus() == QProcess::NormalExit && proc.exitCode() == 4,
             qPrintable(u"exit %1: %2"_s.arg(proc.exitCode()).arg(QString::fromUtf8(err))));
    QVERIFY2(err.contains("from the beginning"), err.constData());
    QVERIFY(!QFileInfo::exists(target));
}

QTEST_GUILESS_MAIN(CliS3ZipTest)
#include "tst_cli_s3zip.moc"
