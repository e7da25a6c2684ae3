#include "s3/s3request.h"

#include "s3/sigv4.h"

#include <QLocale>
#include <QNetworkReply>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ferry::s3 {

namespace {

bool usableAsHostLabel(const QString &bucket, bool tls)
{
    static const QRegularExpression dnsName(u"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"_s);
    if (!dnsName.match(bucket).hasMatch() || bucket.contains(u".."_s))
        return false;
    // A dotted name breaks the wildcard certificate of the endpoint.
    return !(tls && bucket.contains(u'.'));
}

} // namespace

bool isAwsHost(const QString &host)
{
    return host.compare(u"amazonaws.com"_s, Qt::CaseInsensitive) == 0
        || host.endsWith(u".amazonaws.com"_s, Qt::CaseInsensitive);
}

QUrl s3Url(const Account &account, const QString &region, const QString &bucket, const QString &key,
           const QList<QPair<QString, QString>> &query)
{
    QUrl base = account.endpoint;
    if (base.scheme().isEmpty())
        base.setScheme(u"https"_s);
    QString host = base.host();
    if (host.isEmpty())
        host = u"s3.amazonaws.com"_s;
    // Only the plain regional names are rewritten; accelerate, dual-stack and FIPS endpoints
    // are taken as configured.
    if (isAwsHost(host) && !region.isEmpty()) {
        static const QRegularExpression plain(u"^s3([.-][a-z0-9-]+)?\\.amazonaws\\.com$"_s,
                                              QRegularExpression::CaseInsensitiveOption);
        if (plain.match(host).hasMatch() && !host.contains(u"accelerate"_s) && !host.contains(u"dualstack"_s)
            && !host.contains(u"fips"_s))
            host = u"s3.%1.amazonaws.com"_s.arg(region);
    }
    QString basePath = base.path(QUrl::FullyDecoded);
    while (basePath.endsWith(u'/'))
        basePath.chop(1);

    const bool tls = base.scheme().compare(u"https"_s, Qt::CaseInsensitive) == 0;
    QString path;
    if (bucket.isEmpty()) {
        path = basePath + u'/';
    } else if (!account.pathStyle && usableAsHostLabel(bucket, tls)) {
        host = bucket + u'.' + host;
        path = basePath + u'/' + key;
    } else {
        path = basePath + u'/' + bucket;
        if (!key.isEmpty())
            path += u'/' + key;
    }
    base.setHost(host);
    return withEncodedPath(base, path, query);
}

QDateTime parseHttpDate(const QByteArray &value)
{
    const QString text = QString::fromLatin1(value).trimmed();
    QDateTime t = QLocale::c().toDateTime(text, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::RFC2822Date);
    if (!t.isValid())
        return {};
    if (t.timeSpec() == Qt::LocalTime)
        t = QDateTime(t.date(), t.time(), Qt::UTC);
    return t.toUTC();
}

ObjectInfo objectInfoFrom(const QNetworkReply *reply, const QString &key)
{
    ObjectInfo info;
    info.key = key;
    bool ok = false;
    const QByteArray contentRange = reply->rawHeader("Content-Range");
    const qsizetype slash = contentRange.lastIndexOf('/');
    if (slash >= 0)
        info.size = contentRange.mid(slash + 1).trimmed().toLongLong(&ok);
    if (!ok) {
        const QByteArray length = reply->rawHeader("Content-Length");
        info.size = length.isEmpty() ? -1 : length.trimmed().toLongLong(&ok);
        if (!ok)
            info.size = -1;
    }
    info.lastModified = parseHttpDate(reply->rawHeader("Last-Modified"));
    info.etag = reply->rawHeader("ETag");
    info.contentType = QString::fromUtf8(reply->rawHeader("Content-Type"));
    info.storageClass = QString::fromUtf8(reply->rawHeader("x-amz-storage-class"));
    if (info.storageClass.isEmpty())
        info.storageClass = u"STANDARD"_s;
    for (const auto &[name, value] : reply->rawHeaderPairs()) {
        if (name.size() > 11 && name.toLower().startsWith("x-amz-meta-"))
            info.metadata.append({QString::fromUtf8(name.mid(11)).toLower(), QString::fromUtf8(value)});
    }
    return info;
}

} // namespace ferry::s3
