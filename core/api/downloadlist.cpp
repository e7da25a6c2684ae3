#include "api/downloadlist.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

bool isWebAddress(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return url.isValid() && !url.host().isEmpty() && (scheme == u"http"_s || scheme == u"https"_s);
}

QJsonObject toObject(const DownloadSnapshot &d, const DownloadList::Extras &extras)
{
    QJsonArray headers;
    for (const QByteArray &name : extras.headerNames)
        headers.append(QString::fromLatin1(name));
    return QJsonObject{{u"url"_s, d.url.toString(QUrl::RemovePassword)},
                       {u"file"_s, d.fileName},
                       {u"folder"_s, d.directory},
                       {u"size"_s, d.total},
                       {u"state"_s, DownloadList::stateKey(d.state)},
                       {u"checksum"_s, extras.checksum},
                       {u"connections"_s, d.maxConnections},
                       {u"limit"_s, d.rateLimit},
                       {u"headers"_s, headers}};
}

// One JSON object as Ferry's list or `ferry-cli list --json` writes it. The CLI's `file` is
// the whole path (and its `connections` the ones open right now, not a setting).
bool fromObject(const QJsonObject &o, int entry, DownloadList::Imported *out)
{
    const QUrl url(o.value(u"url"_s).toString(), QUrl::StrictMode);
    if (!isWebAddress(url)) {
        out->skipped.append(QCoreApplication::translate("ferry::DownloadList",
                                                        "entry %1: not an http or https address")
                                .arg(entry));
        return false;
    }
    DownloadRequest r;
    r.url = url;
    const QString file = o.value(u"file"_s).toString();
    const QString folder = o.value(u"folder"_s).toString();
    if (!folder.isEmpty()) {
        r.directory = folder;
        r.fileName = QFileInfo(file).fileName();
    } else if (QDir::isAbsolutePath(file)) {
        const QFileInfo info(file);
        r.directory = info.path();
        r.fileName = info.fileName();
    }
    r.checksum = o.value(u"checksum"_s).toString();
    if (o.contains(u"folder"_s)) {
        const int connections = o.value(u"connections"_s).toInt();
        if (connections >= 1 && connections <= 32)
            r.connections = connections;
        const qint64 limit = o.value(u"limit"_s).toInteger();
        if (limit > 0)
            r.rateLimit = limit;
    }
    out->requests.append(r);
    return true;
}

void readText(const QString &text, DownloadList::Imported *out)
{
    static const QRegularExpression re(uR"((?<![\w.+-])https?://[^\s<>"'`]+)"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    QSet<QString> seen;
    const QStringList lines = text.split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        bool any = false;
        for (auto it = re.globalMatch(line); it.hasNext();) {
            QString candidate = it.next().captured();
            while (!candidate.isEmpty() && QStringView(u".,;:!?").contains(candidate.back()))
                candidate.chop(1);
            const QUrl url(candidate, QUrl::StrictMode);
            if (!isWebAddress(url))
                continue;
            any = true;
            if (seen.contains(candidate))
                continue;
            seen.insert(candidate);
            DownloadRequest r;
            r.url = url;
            out->requests.append(r);
        }
        if (!any)
            out->skipped.append(QCoreApplication::translate("ferry::DownloadList",
                                                            "line %1: not an http or https address")
                                    .arg(i + 1));
    }
}

} // namespace

QString DownloadList::stateKey(DownloadState state)
{
    switch (state) {
    case DownloadState::Queued:
        return u"queued"_s;
    case DownloadState::Downloading:
        return u"downloading"_s;
    case DownloadState::Verifying:
        return u"verifying"_s;
    case DownloadState::Paused:
        return u"paused"_s;
    case DownloadState::Completed:
        return u"completed"_s;
    case DownloadState::Failed:
        return u"failed"_s;
    }
    return {};
}

QByteArray DownloadList::write(const QList<DownloadSnapshot> &downloads, Format format,
                               const QHash<DownloadId, Extras> &extras)
{
    if (format == Format::Text) {
        QByteArray out;
        for (const DownloadSnapshot &d : downloads)
            out += d.url.toString(QUrl::RemovePassword).toUtf8() + '\n';
        return out;
    }
    QJsonArray list;
    for (const DownloadSnapshot &d : downloads)
        list.append(toObject(d, extras.value(d.id)));
    return QJsonDocument(list).toJson(QJsonDocument::Indented);
}

DownloadList::Imported DownloadList::read(const QByteArray &data)
{
    Imported out;
    const QByteArray trimmed = data.trimmed();
    if (trimmed.startsWith('[')) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &error);
        if (doc.isArray()) {
            const QJsonArray list = doc.array();
            for (qsizetype i = 0; i < list.size(); ++i) {
                if (list.at(i).isObject())
                    fromObject(list.at(i).toObject(), int(i + 1), &out);
                else
                    out.skipped.append(QCoreApplication::translate("ferry::DownloadList",
                                                                   "entry %1: not a download")
                                           .arg(i + 1));
            }
            return out;
        }
    } else if (trimmed.startsWith('{')) {
        // One object per line, as `ferry-cli list --json` prints them.
        const QList<QByteArray> lines = trimmed.split('\n');
        int entry = 0;
        for (const QByteArray &line : lines) {
            if (line.trimmed().isEmpty())
                continue;
            ++entry;
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            if (doc.isObject())
                fromObject(doc.object(), entry, &out);
            else
                out.skipped.append(
                    QCoreApplication::translate("ferry::DownloadList", "entry %1: not a download")
                        .arg(entry));
        }
        return out;
    }
    readText(QString::fromUtf8(data), &out);
    return out;
}

} // namespace ferry
