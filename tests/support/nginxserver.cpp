#include "nginxserver.h"

#include "sandbox.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QTcpSocket>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::test {

namespace {

constexpr int kStartTimeoutMs = 10000;
constexpr int kLaunchAttempts = 3;

// Config strings are double-quoted so directories with spaces work.
QByteArray quoted(const QString &path)
{
    QByteArray s = QDir::cleanPath(path).toUtf8();
    s.replace('\\', "\\\\");
    s.replace('"', "\\\"");
    return '"' + s + '"';
}

} // namespace

NginxServer::NginxServer(const QString &rootDir) : m_rootDir(QFileInfo(rootDir).absoluteFilePath())
{
}

NginxServer::~NginxServer()
{
    stop();
}

QString NginxServer::binaryPath()
{
    const QString path = u"/usr/sbin/nginx"_s;
    return QFileInfo(path).isExecutable() ? path : QString();
}

void NginxServer::setLimitRate(const QString &bytesPerSecondSpec)
{
    m_limitRate = bytesPerSecondSpec;
}

void NginxServer::setVariableRates(const QStringList &rates)
{
    m_variableRates = rates;
}

int NginxServer::variableRateIndex(quint16 clientPort) const
{
    if (m_variableRates.isEmpty())
        return -1;
    return int((clientPort % 100) / 2 % m_variableRates.size());
}

QByteArray NginxServer::config() const
{
    const QString prefix = m_prefix.path();
    const QByteArray root = quoted(m_rootDir);
    const QByteArray aliasRoot = root.chopped(1) + "/\""; // alias of a "/x/" location ends in '/'

    QByteArray c;
    // One foreground process without a master: QProcess then owns exactly the process that
    // serves, and terminate() stops it. As root nginx would otherwise serve as "nobody", who
    // may not read the test's temporary files.
    c += "daemon off;\nmaster_process off;\nworker_processes 1;\n";
    if (::geteuid() == 0)
        c += "user root;\n";
    c += "pid " + quoted(prefix + u"/nginx.pid"_s) + ";\n";
    c += "lock_file " + quoted(prefix + u"/nginx.lock"_s) + ";\n";
    c += "error_log " + quoted(prefix + u"/logs/error.log"_s) + " info;\n";
    c += "events { worker_connections 1024; }\n";
    c += "http {\n";
    c += "    types { }\n    default_type application/octet-stream;\n";
    c += "    log_format ferry '$remote_addr:$remote_port \"$request\" $status $body_bytes_sent "
         "\"$http_range\" rate=$limit_rate';\n";
    c += "    access_log " + quoted(prefix + u"/logs/access.log"_s) + " ferry;\n";
    for (const char *temp : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
        c += "    " + QByteArray(temp) + "_temp_path " +
             quoted(prefix + u"/tmp/"_s + QString::fromLatin1(temp)) + ";\n";
    }
    // Production-like transfer path; many segments reuse few connections, so keep-alive must not
    // end early. ETag and Accept-Ranges are on by default for static files, and max_ranges is left
    // at its default (unlimited) so ranged requests are honoured.
    c += "    sendfile on;\n    tcp_nopush on;\n    tcp_nodelay on;\n    etag on;\n";
    c += "    keepalive_timeout 65s;\n    keepalive_requests 10000;\n";
    if (!m_variableRates.isEmpty()) {
        // The client port spreads connections over the rates, so one client gets connections of
        // very different speeds without cooperating. Linux gives connect() even ephemeral ports,
        // so a parity split would put every connection in one class: the last two digits are
        // halved instead (see variableRateIndex()).
        c += "    map $remote_port $ferry_mixed_rate {\n        default 0;\n";
        for (int v = 0; v < 100; ++v) {
            const QByteArray digits = QByteArray::number(v).rightJustified(2, '0');
            c += "        ~" + digits + "$ " +
                 m_variableRates.at(variableRateIndex(quint16(v))).toUtf8() + ";\n";
        }
        c += "    }\n";
    }
    c += "    server {\n";
    c += "        listen 127.0.0.1:" + QByteArray::number(m_port) + ";\n";
    c += "        server_name localhost;\n";
    c += "        root " + root + ";\n";
    c += "        location / { }\n";
    c += "        location /slow/ { alias " + aliasRoot + "; limit_rate " + m_limitRate.toUtf8() +
         "; }\n";
    if (!m_variableRates.isEmpty())
        c +=
            "        location /mixed/ { alias " + aliasRoot + "; limit_rate $ferry_mixed_rate; }\n";
    c += "    }\n}\n";
    return c;
}

bool NginxServer::start(QString *error)
{
    QString lastError;
    for (int attempt = 0; attempt < kLaunchAttempts; ++attempt) {
        // A port found free may be taken before nginx binds it; a fresh one is then tried.
        if (launchOnce(&lastError))
            return true;
    }
    if (error)
        *error = lastError;
    return false;
}

bool NginxServer::launchOnce(QString *error)
{
    stop();
    const QString binary = binaryPath();
    if (binary.isEmpty()) {
        *error = u"nginx is not installed at /usr/sbin/nginx"_s;
        return false;
    }
    if (!m_prefix.isValid()) {
        *error = u"cannot create a temporary prefix directory"_s;
        return false;
    }
    const QString prefix = m_prefix.path();
    QDir().mkpath(prefix + u"/logs"_s);
    QDir().mkpath(prefix + u"/tmp"_s);
    m_port = freeLoopbackPort();
    const QString conf = prefix + u"/nginx.conf"_s;
    if (m_port == 0 || !writeFile(conf, config())) {
        *error = u"cannot prepare %1"_s.arg(conf);
        return false;
    }

    m_process.setProgram(binary);
    m_process.setArguments(
        {u"-p"_s, prefix + u'/', u"-c"_s, conf, u"-e"_s, prefix + u"/logs/error.log"_s});
    // Files rather than pipes: nothing has to drain them while the test blocks.
    m_process.setStandardOutputFile(prefix + u"/logs/stdout.log"_s, QIODevice::Append);
    m_process.setStandardErrorFile(prefix + u"/logs/stderr.log"_s, QIODevice::Append);
    m_process.start();
    if (!m_process.waitForStarted(kStartTimeoutMs)) {
        *error = u"cannot run %1: %2"_s.arg(binary, m_process.errorString());
        return false;
    }

    const QDeadlineTimer deadline(kStartTimeoutMs);
    while (!deadline.hasExpired()) {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, m_port);
        if (probe.waitForConnected(200)) {
            probe.abort();
            if (m_process.state() == QProcess::Running)
                return true;
        }
        // Refused until nginx listens; waiting on the process also notices an early exit.
        if (m_process.waitForFinished(50) || m_process.state() != QProcess::Running)
            break;
    }
    *error = u"nginx did not start on port %1:\n%2"_s.arg(m_port).arg(errorLog());
    stop();
    return false;
}

void NginxServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool NginxServer::isRunning() const
{
    return m_process.state() == QProcess::Running;
}

quint16 NginxServer::port() const
{
    return m_port;
}

QUrl NginxServer::url(const QString &path) const
{
    const QString slash = path.startsWith(u'/') ? QString() : u"/"_s;
    return QUrl(u"http://127.0.0.1:%1"_s.arg(m_port) + slash + path);
}

QString NginxServer::prefixDir() const
{
    return m_prefix.path();
}

QString NginxServer::errorLog() const
{
    const QString logs = m_prefix.path() + u"/logs/"_s;
    return QString::fromUtf8(readFile(logs + u"error.log"_s) + readFile(logs + u"stderr.log"_s));
}

} // namespace ferry::test
