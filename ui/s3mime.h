#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

class QMimeData;

namespace ferry {
class S3Transfers;
}

namespace ferry::ui {

// The MIME type of S3 objects dragged out of the browser. Its payload is JSON:
// {"account": id, "bucket": name, "objects": [{"key": k, "size": n}], "prefixes": ["a/b/"]}.
inline constexpr QLatin1StringView s3ObjectsMimeType{"application/x-ferry-s3-objects"};

struct S3SelectedObject
{
    QString key;
    qint64 size = -1;
};

// Objects and whole prefixes of one bucket of one account, as picked in the browser.
struct S3Selection
{
    QString accountId;
    QString bucket;
    QList<S3SelectedObject> objects;
    QStringList prefixes; // each ending with '/'

    bool isEmpty() const { return objects.isEmpty() && prefixes.isEmpty(); }
    // "s3://bucket/key" for every object and prefix.
    QStringList uris() const;
};

// A new QMimeData (the caller owns it) carrying the selection as s3ObjectsMimeType plus its
// s3:// URIs as text/plain, one per line.
QMimeData *s3SelectionToMimeData(const S3Selection &selection);
// The selection in `mime`, when it carries s3ObjectsMimeType with a usable payload.
std::optional<S3Selection> s3SelectionFromMimeData(const QMimeData *mime);

// Queues downloads of every object and every prefix of `selection` into `directory` through
// the transfer engine. `done` runs once, after the last prefix was listed, with the number of
// downloads queued and the first error (empty when none).
void queueS3Downloads(S3Transfers *transfers, const S3Selection &selection,
                      const QString &directory,
                      std::function<void(int queued, const QString &error)> done);

} // namespace ferry::ui
