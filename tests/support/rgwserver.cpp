#include "rgwserver.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace ferry::test {

namespace {
constexpr int kStartTimeoutMs = 120'000; // a loaded machine; it takes 3 s when idle
constexpr int kStopTimeoutMs = 30'000;

QByteArray hmac(const QByteArray &key, const QByteArray &data)
{
    return QMessageAuthenticationCode::hash(data, key, QCryptographicHash::Sha256);
}

QByteArray sha256(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

// Unix socket paths (the daemons' admin sockets) hold at most 107 bytes.
QString clusterDirTemplate()
{
    QString base = QDir::tempPath();
    if (base.size() > 60)
        base = u"/tmp"_s;
    return base + u"/ferry-rgw-XXXXXX"_s;
}

RgwServer *g_shared = nullptr;

void stopShared()
{
    if (g_shared)
        g_shared->stop();
}
} // namespace

RgwServer::RgwServer() = default;

RgwServer::~RgwServer()
{
    stop();
}

RgwServer &RgwServer::shared()
{
    static RgwServer server;
    if (!g_shared) {
        g_shared = &server;
        qAddPostRoutine(stopShared);
    }
    return server;
}

QString RgwServer::launcherScript()
{
    QString source = qEnvironmentVariable("FERRY_SOURCE_DIR");
#ifdef FERRY_TEST_SOURCE_DIR
    if (source.isEmpty())
        source = QStringLiteral(FERRY_TEST_SOURCE_DIR);
#endif
    if (source.isEmpty())
        source = QDir::currentPath();
    return QDir(source).filePath(u"tests/support/rgw/rgw-cluster"_s);
}

QString RgwServer::unavailableReason()
{
    for (const QString &tool : {u"ceph-mon"_s, u"ceph-osd"_s, u"radosgw"_s, u"radosgw-admin"_s, u"monmaptool"_s}) {
        if (QStandardPaths::findExecutable(tool).isEmpty())
            return u"%1 is not installed (scripts/setup installs ceph-mon, ceph-osd and radosgw)"_s.arg(tool);
    }
    const QFileInfo script(launcherScript());
    if (!script.isExecutable())
        return u"%1 is missing or not executable (is FERRY_SOURCE_DIR set?)"_s.arg(script.filePath());
    return {};
}

QString RgwServer::clusterDir() const
{
    return m_dir ? m_dir->path() : QString();
}

bool RgwServer::isRunning() const
{
    return m_endpoint.isValid() && m_dir;
}

QString RgwServer::output() const
{
    QString out = QString::fromUtf8(m_output);
    if (m_dir) {
        QFile log(m_dir->filePath(u"log/client.rgw.log"_s));
        if (log.open(QIODevice::ReadOnly))
            out += u"\n--- tail of the gateway's log\n"_s + QString::fromUtf8(log.readAll().right(3000));
    }
    return out;
}

void RgwServer::addBucket(const QString &name)
{
    if (isRunning())
        createBucket(name);
    else
        m_buckets.append(name);
}

bool RgwServer::start(QString *error)
{
    const auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (isRunning())
        return true;
    if (const QString why = unavailableReason(); !why.isEmpty())
        return fail(why);
    m_dir = std::make_unique<QTemporaryDir>(clusterDirTemplate());
    if (!m_dir->isValid()) {
        m_dir.reset();
        return fail(u"cannot create a temporary directory"_s);
    }
    QElapsedTimer clock;
    clock.start();
    QProcess launcher;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // Should this program die without stopping it, the launcher stops the cluster.
    env.insert(u"FERRY_RGW_WATCH_PID"_s, QString::number(QCoreApplication::applicationPid()));
    env.remove(u"CEPH_ARGS"_s);
    launcher.setProcessEnvironment(env);
    launcher.start(launcherScript(), {u"start"_s, m_dir->path()});
    const bool finished = launcher.waitForFinished(kStartTimeoutMs);
    const QByteArray out = launcher.readAllStandardOutput();
    m_output = launcher.readAllStandardError();
    m_startMs = clock.elapsed();
    if (!finished || launcher.exitStatus() != QProcess::NormalExit || launcher.exitCode() != 0) {
        if (!finished)
            launcher.kill();
        const QString why = u"the Ceph test cluster did not start (%1): %2"_s.arg(
            finished ? u"exit code %1"_s.arg(launcher.exitCode()) : u"no answer in time"_s, output().right(4000));
        stop();
        return fail(why);
    }
    QString access;
    m_endpoint = QUrl();
    for (const QByteArray &line : out.split('\n')) {
        if (line.startsWith("endpoint="))
            m_endpoint = QUrl(QString::fromUtf8(line.mid(9)));
        else if (line.startsWith("access_key="))
            access = QString::fromUtf8(line.mid(11));
    }
    if (!m_endpoint.isValid() || access != accessKey()) {
        m_endpoint = QUrl();
        stop();
        return fail(u"the launcher printed no endpoint or another test user"_s);
    }
    for (const QString &bucket : std::as_const(m_buckets)) {
        QString why;
        if (!createBucket(bucket, &why))
            return fail(why);
    }
    m_buckets.clear();
    return true;
}

void RgwServer::stop()
{
    if (!m_dir)
        return;
    QProcess launcher;
    launcher.start(launcherScript(), {u"stop"_s, m_dir->path()});
    if (!launcher.waitForFinished(kStopTimeoutMs))
        launcher.kill();
    launcher.waitForFinished(5'000);
    m_output += launcher.readAllStandardError();
    m_endpoint = QUrl();
    m_dir.reset();
}

bool RgwServer::removeObject(const QString &bucket, const QString &key, QString *error)
{
    if (!isRunning()) {
        if (error)
            *error = u"the S3 test server is not running"_s;
        return false;
    }
    QProcess admin;
    admin.setProcessChannelMode(QProcess::MergedChannels);
    admin.start(u"radosgw-admin"_s, {u"-c"_s, m_dir->filePath(u"ceph.conf"_s), u"object"_s, u"rm"_s,
                                     u"--bucket"_s, bucket, u"--object"_s, key});
    const bool finished = admin.waitForFinished(60'000);
    if (finished && admin.exitStatus() == QProcess::NormalExit && admin.exitCode() == 0)
        return true;
    if (!finished)
        admin.kill();
    if (error)
        *error = u"radosgw-admin object rm failed: %1"_s.arg(QString::fromLocal8Bit(admin.readAll()));
    return false;
}

bool RgwServer::createBucket(const QString &name, QString *error)
{
    const auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (!isRunning())
        return fail(u"the S3 test server is not running"_s);

    // A SigV4-signed PUT /NAME with an empty body.
    QUrl url = m_endpoint;
    url.setPath(u"/"_s + name);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QByteArray date = now.toString(u"yyyyMMdd"_s).toLatin1();
    const QByteArray stamp = now.toString(u"yyyyMMdd'T'HHmmss'Z'"_s).toLatin1();
    const QByteArray host = url.authority().toLatin1();
    const QByteArray payload = sha256({});
    const QByteArray signedHeaders = "host;x-amz-content-sha256;x-amz-date";
    const QByteArray canonical = "PUT\n" + url.path(QUrl::FullyEncoded).toLatin1() + "\n\nhost:" + host
        + "\nx-amz-content-sha256:" + payload + "\nx-amz-date:" + stamp + "\n\n" + signedHeaders + "\n" + payload;
    const QByteArray scope = date + '/' + region().toLatin1() + "/s3/aws4_request";
    const QByteArray toSign = "AWS4-HMAC-SHA256\n" + stamp + '\n' + scope + '\n' + sha256(canonical);
    QByteArray key = hmac("AWS4" + secretKey().toLatin1(), date);
    key = hmac(key, region().toLatin1());
    key = hmac(key, "s3");
    key = hmac(key, "aws4_request");
    const QByteArray signature = hmac(key, toSign).toHex();

    QNetworkRequest request(url);
    request.setRawHeader("x-amz-content-sha256", payload);
    request.setRawHeader("x-amz-date", stamp);
    request.setRawHeader("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey().toLatin1() + '/' + scope
                                              + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.put(request, QByteArray());
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30'000, &loop, &QEventLoop::quit);
    loop.exec();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->isFinished() ? reply->readAll() : QByteArray("no answer in 30 s");
    delete reply;
    if (status == 200 || (status == 409 && body.contains("BucketAlreadyOwnedByYou")))
        return true;
    return fail(u"creating bucket %1 failed: HTTP %2 %3"_s.arg(name).arg(status).arg(QString::fromUtf8(body)));
}

} // namespace ferry::test
