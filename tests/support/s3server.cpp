#include "s3server.h"

#include "sandbox.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace ferry::test {

namespace {
constexpr int kLaunchAttempts = 3;
constexpr int kStartTimeoutMs = 20'000;
} // namespace

S3Server::S3Server() = default;

S3Server::~S3Server()
{
    stop();
}

QString S3Server::nodeBinary()
{
    if (QFileInfo::exists(u"/usr/bin/node"_s))
        return u"/usr/bin/node"_s;
    return QStandardPaths::findExecutable(u"node"_s);
}

QString S3Server::nodeModulesDir()
{
    QString source = qEnvironmentVariable("FERRY_SOURCE_DIR");
    if (source.isEmpty())
        source = QDir::currentPath();
    return QDir(source).filePath(u"tests/node_modules"_s);
}

QString S3Server::unavailableReason()
{
    if (nodeBinary().isEmpty())
        return u"node is not installed (scripts/setup installs it)"_s;
    const QString cli = QDir(nodeModulesDir()).filePath(u"@20minutes/s3rver/lib/cli.js"_s);
    if (!QFileInfo::exists(cli))
        return u"%1 is missing: run `npm ci --prefix tests` (scripts/setup does)"_s.arg(cli);
    return {};
}

void S3Server::addBucket(const QString &name)
{
    m_buckets.append(name);
}

QUrl S3Server::endpoint() const
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(m_port));
}

QString S3Server::dataDir() const
{
    return m_dir.filePath(u"data"_s);
}

QString S3Server::output() const
{
    return QString::fromUtf8(m_output);
}

bool S3Server::isRunning() const
{
    return m_process.state() == QProcess::Running;
}

bool S3Server::start(QString *error)
{
    QString reason = unavailableReason();
    if (reason.isEmpty() && !m_dir.isValid())
        reason = u"cannot create a temporary directory"_s;
    for (int attempt = 0; reason.isEmpty() && attempt < kLaunchAttempts; ++attempt) {
        // A port found free may be taken before the server binds it; a fresh one is then tried.
        if (launchOnce(&reason))
            return true;
    }
    if (error)
        *error = reason;
    return false;
}

bool S3Server::launchOnce(QString *error)
{
    stop();
    m_output.clear();
    // The package's own bin only exports the CLI; this one-line script runs it.
    const QString script = m_dir.filePath(u"run-s3rver.js"_s);
    if (!writeFile(script, "require('@20minutes/s3rver/lib/cli.js').parseAsync()\n")) {
        *error = u"cannot write %1"_s.arg(script);
        return false;
    }
    QDir().mkpath(dataDir());
    m_port = freeLoopbackPort();
    // Its continuation tokens are DES-encrypted, a cipher OpenSSL 3 only offers through the
    // legacy provider; without it every truncated listing fails with InternalError.
    QStringList args{u"--openssl-legacy-provider"_s, script, u"-d"_s, dataDir(), u"-a"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(m_port),
                      u"--silent"_s}; // per-request logging would only fill a pipe nobody reads
    for (const QString &bucket : std::as_const(m_buckets))
        args << u"--configure-bucket"_s << bucket;

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"NODE_PATH"_s, nodeModulesDir());
    m_process.setProcessEnvironment(env);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setProgram(nodeBinary());
    m_process.setArguments(args);
    m_process.start();
    if (!m_process.waitForStarted(kStartTimeoutMs)) {
        *error = u"node did not start: %1"_s.arg(m_process.errorString());
        return false;
    }
    const QDeadlineTimer deadline(kStartTimeoutMs);
    while (!deadline.hasExpired()) {
        m_process.waitForReadyRead(100);
        m_output += m_process.readAll();
        if (m_output.contains("S3rver listening"))
            return true;
        if (m_process.state() != QProcess::Running)
            break;
    }
    *error = u"s3rver did not start on port %1: %2"_s.arg(m_port).arg(output().right(2000));
    stop();
    return false;
}

void S3Server::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    m_output += m_process.readAll();
}

} // namespace ferry::test
