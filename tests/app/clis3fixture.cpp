#include "clis3fixture.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTest>

#include <utility>

using namespace Qt::StringLiterals;

namespace ferry::test {

CliS3Fixture::CliS3Fixture(QStringList extraBuckets) : m_extraBuckets(std::move(extraBuckets)) {}

void CliS3Fixture::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_cli = qEnvironmentVariable("FERRY_CLI");
    if (m_cli.isEmpty() || !QFileInfo(m_cli).isExecutable())
        QSKIP("FERRY_CLI does not name the ferry-cli binary; run this test through ctest.");
    if (const QString why = RgwServer::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    m_server = &RgwServer::shared();
    m_server->addBucket(m_bucket);
    for (const QString &bucket : m_extraBuckets)
        m_server->addBucket(bucket);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    ferry::s3::Account account;
    account.id = u"test"_s;
    account.name = u"test"_s;
    account.endpoint = m_server->endpoint();
    account.region = RgwServer::region();
    account.pathStyle = true;
    m_client = std::make_unique<ferry::s3::Client>(
        account, ferry::s3::Credentials{RgwServer::accessKey(), RgwServer::secretKey(), {}});
    prepareTestCase();
}

void CliS3Fixture::cleanupTestCase()
{
    m_client.reset();
    m_server = nullptr; // the shared cluster stops when the program ends
}

void CliS3Fixture::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_stateDir = m_tmp->filePath(u"state"_s);
    m_outDir = m_tmp->filePath(u"out"_s);
    QVERIFY(QDir().mkpath(m_outDir));
}

void CliS3Fixture::cleanup()
{
    if (QTest::currentTestFailed()) {
        m_tmp->setAutoRemove(false);
        qInfo("kept %s for inspection; server said: %s", qPrintable(m_tmp->path()),
              qPrintable(m_server ? m_server->output().right(2000) : QString()));
    }
    m_tmp.reset();
}

QProcessEnvironment CliS3Fixture::environment(const QUrl &endpoint) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto *var : {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                            "AWS_PROFILE", "AWS_ENDPOINT_URL_S3", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION"})
        env.remove(QString::fromLatin1(var));
    // No ~/.aws of the developer's, no state outside the sandbox.
    env.insert(u"HOME"_s, m_tmp->filePath(u"home"_s));
    env.insert(u"XDG_DATA_HOME"_s, m_tmp->filePath(u"xdg-data"_s));
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    env.insert(u"AWS_ACCESS_KEY_ID"_s, RgwServer::accessKey());
    env.insert(u"AWS_SECRET_ACCESS_KEY"_s, RgwServer::secretKey());
    env.insert(u"AWS_REGION"_s, RgwServer::region());
    env.insert(u"AWS_ENDPOINT_URL"_s, (endpoint.isEmpty() ? m_server->endpoint() : endpoint).toString());
    return env;
}

std::unique_ptr<QProcess> CliS3Fixture::startCli(const QStringList &args, const QUrl &endpoint) const
{
    auto proc = std::make_unique<QProcess>();
    proc->setProcessEnvironment(environment(endpoint));
    proc->setWorkingDirectory(m_tmp->path());
    proc->start(m_cli, args);
    return proc;
}

CliResult CliS3Fixture::runCli(const QStringList &args, const QUrl &endpoint, const QProcessEnvironment *env) const
{
    CliResult r;
    QProcess proc;
    proc.setProcessEnvironment(env ? *env : environment(endpoint));
    proc.setWorkingDirectory(m_tmp->path());
    proc.start(m_cli, args);
    if (!proc.waitForStarted(10'000)) {
        r.err = proc.errorString().toLocal8Bit();
        return r;
    }
    if (!QTest::qWaitFor([&] { return proc.state() == QProcess::NotRunning; }, kRunTimeoutMs))
        qWarning("ferry-cli did not end in time");
    if (proc.state() != QProcess::NotRunning) {
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

bool CliS3Fixture::putObject(const QString &key, const QByteArray &data)
{
    QString error;
    const bool finished =
        await(m_client->putObject(m_bucket, key, data), [&](ferry::s3::Reply *r) { error = r->error.message; });
    if (!finished || !error.isEmpty())
        qWarning("put %s failed: %s", qPrintable(key), qPrintable(error));
    return finished && error.isEmpty();
}

} // namespace ferry::test
