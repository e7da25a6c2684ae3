#include "zip/bundleselection.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::zip {

namespace {

QString parentFolder(const QString &path)
{
    // "a/b/c" -> "a/b/", "a/b/" -> "a/", "c" -> ""
    QString p = path;
    if (p.endsWith(u'/'))
        p.chop(1);
    const qsizetype slash = p.lastIndexOf(u'/');
    return slash < 0 ? QString() : p.left(slash + 1);
}

} // namespace

QByteArray BundleSelection::toJson() const
{
    QJsonObject o;
    o[u"account"_s] = account;
    o[u"bucket"_s] = bucket;
    o[u"keys"_s] = QJsonArray::fromStringList(keys);
    o[u"prefixes"_s] = QJsonArray::fromStringList(prefixes);
    if (toBucket()) {
        o[u"targetBucket"_s] = targetBucket;
        o[u"targetKey"_s] = targetKey;
    } else {
        o[u"localPath"_s] = localPath;
    }
    o[u"deflateLevel"_s] = deflateLevel;
    o[u"skipOnError"_s] = skipOnError;
    o[u"shareExpirySeconds"_s] = double(shareExpirySeconds);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool BundleSelection::fromJson(const QByteArray &json, BundleSelection *out, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    const auto bad = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (!doc.isObject())
        return bad(QCoreApplication::translate("ferry::zip", "The bundle's selection is unreadable: %1").arg(parseError.errorString()));
    const QJsonObject o = doc.object();
    BundleSelection s;
    s.account = o[u"account"_s].toString();
    s.bucket = o[u"bucket"_s].toString();
    for (const QJsonValue &v : o[u"keys"_s].toArray())
        s.keys.append(v.toString());
    for (const QJsonValue &v : o[u"prefixes"_s].toArray())
        s.prefixes.append(v.toString());
    s.localPath = o[u"localPath"_s].toString();
    s.targetBucket = o[u"targetBucket"_s].toString();
    s.targetKey = o[u"targetKey"_s].toString();
    s.deflateLevel = qBound(1, o[u"deflateLevel"_s].toInt(6), 9);
    s.skipOnError = o[u"skipOnError"_s].toBool(false);
    s.shareExpirySeconds = std::clamp<qint64>(qint64(o[u"shareExpirySeconds"_s].toDouble(7 * 24 * 3600)), 1, 7 * 24 * 3600);
    if (s.bucket.isEmpty() || (s.keys.isEmpty() && s.prefixes.isEmpty()))
        return bad(QCoreApplication::translate("ferry::zip", "The bundle selects no objects."));
    if (s.localPath.isEmpty() == (s.targetBucket.isEmpty() || s.targetKey.isEmpty()))
        return bad(QCoreApplication::translate("ferry::zip", "The bundle needs exactly one destination: a local file or a bucket key."));
    *out = s;
    return true;
}

QString BundleSelection::commonParent(const QStringList &keys, const QStringList &prefixes)
{
    QStringList parents;
    for (const QString &k : keys)
        parents.append(parentFolder(k));
    for (const QString &p : prefixes)
        parents.append(parentFolder(p));
    if (parents.isEmpty())
        return {};
    QString common = parents.first();
    for (const QString &p : parents) {
        while (!common.isEmpty() && !p.startsWith(common))
            common = parentFolder(common);
    }
    return common;
}

} // namespace ferry::zip
