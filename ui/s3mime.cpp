#include "s3mime.h"

#include "api/s3transfers.h"
#include "s3/s3client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <memory>

using namespace Qt::StringLiterals;

namespace ferry::ui {

QStringList S3Selection::uris() const
{
    QStringList out;
    for (const QString &prefix : prefixes)
        out.append(s3::Client::s3Uri(bucket, prefix));
    for (const S3SelectedObject &o : objects)
        out.append(s3::Client::s3Uri(bucket, o.key));
    return out;
}

QMimeData *s3SelectionToMimeData(const S3Selection &selection)
{
    QJsonArray objects;
    for (const S3SelectedObject &o : selection.objects)
        objects.append(QJsonObject{{u"key"_s, o.key}, {u"size"_s, double(o.size)}});
    const QJsonObject root{{u"account"_s, selection.accountId},
                           {u"bucket"_s, selection.bucket},
                           {u"objects"_s, objects},
                           {u"prefixes"_s, QJsonArray::fromStringList(selection.prefixes)}};
    auto *mime = new QMimeData;
    mime->setData(s3ObjectsMimeType, QJsonDocument(root).toJson(QJsonDocument::Compact));
    mime->setText(selection.uris().join(u'\n'));
    return mime;
}

std::optional<S3Selection> s3SelectionFromMimeData(const QMimeData *mime)
{
    if (!mime || !mime->hasFormat(s3ObjectsMimeType))
        return std::nullopt;
    const QJsonObject root = QJsonDocument::fromJson(mime->data(s3ObjectsMimeType)).object();
    S3Selection s;
    s.accountId = root.value(u"account"_s).toString();
    s.bucket = root.value(u"bucket"_s).toString();
    for (const QJsonValue &v : root.value(u"objects"_s).toArray()) {
        const QJsonObject o = v.toObject();
        const QString key = o.value(u"key"_s).toString();
        if (!key.isEmpty())
            s.objects.append({key, qint64(o.value(u"size"_s).toDouble(-1))});
    }
    for (const QJsonValue &v : root.value(u"prefixes"_s).toArray()) {
        if (const QString p = v.toString(); !p.isEmpty())
            s.prefixes.append(p);
    }
    if (s.accountId.isEmpty() || s.bucket.isEmpty() || s.isEmpty())
        return std::nullopt;
    return s;
}

void queueS3Downloads(S3Transfers *transfers, const S3Selection &selection,
                      const QString &directory,
                      std::function<void(int queued, const QString &error)> done)
{
    struct State
    {
        int queued = 0;
        int pendingPrefixes = 0;
        QString error;
        std::function<void(int, const QString &)> done;
    };
    auto state = std::make_shared<State>();
    state->done = std::move(done);
    state->pendingPrefixes = int(selection.prefixes.size());
    for (const S3SelectedObject &o : selection.objects) {
        QString error;
        if (transfers->downloadObject(selection.accountId, selection.bucket, o.key, directory,
                                      &error, o.size))
            ++state->queued;
        else if (state->error.isEmpty())
            state->error = error;
    }
    if (state->pendingPrefixes == 0) {
        if (state->done)
            state->done(state->queued, state->error);
        return;
    }
    for (const QString &prefix : selection.prefixes) {
        transfers->downloadPrefix(selection.accountId, selection.bucket, prefix, directory,
                                  [state](const QList<DownloadId> &ids, const QString &error) {
                                      state->queued += int(ids.size());
                                      if (state->error.isEmpty())
                                          state->error = error;
                                      if (--state->pendingPrefixes == 0 && state->done)
                                          state->done(state->queued, state->error);
                                  });
    }
}

} // namespace ferry::ui
