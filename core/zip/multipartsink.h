#pragma once

#include "engine/backoff.h"
#include "s3/s3types.h"
#include "zip/zipsink.h"

#include <QObject>
#include <QPointer>

#include <map>

namespace ferry::s3 {
class Client;
class Reply;
}

namespace ferry::zip {

// Streams an archive into one S3 object through a multipart upload: the bytes are cut into
// parts of one fixed size (only the last is smaller, as some providers insist), a few parts
// are sent at a time, and each part's bytes are kept until the server confirmed it, because an
// archive stream cannot be produced a second time. Failed parts are retried with backoff.
//
// write() never blocks (it runs on an event loop that also carries the uploads): it only
// collects bytes. The producer asks hasRoom() before handing more, and drained() tells it when
// confirmed parts made room again, which bounds memory to about partSize × (parallel + 2).
//
// Lives on the thread of its Client. Destroying it without finish()/abort() leaves the upload
// to the caller; ZipBundler always ends with one of them.
class MultipartSink final : public QObject, public ZipSink
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MultipartSink)
public:
    MultipartSink(s3::Client *client, const QString &bucket, const QString &key, qint64 partSize,
                  int parallel = 3, QObject *parent = nullptr);
    ~MultipartSink() override;

    // Smallest part size (≥ 8 MiB, whole MiB) that keeps an archive of about `estimatedSize`
    // bytes within S3's 10,000 parts.
    static qint64 partSizeFor(qint64 estimatedSize);

    // Creates the upload; writes may come before it is there.
    void begin();
    // All bytes were written: sends the last part and completes the upload (completed()).
    void finish();
    // Stops every request and aborts the upload on the server (aborted() when done).
    void abort();

    bool write(QByteArrayView data) override;
    qint64 position() const override { return m_position; }
    QString errorString() const override { return m_error; }

    // Bytes written but not yet confirmed by the server.
    qint64 unconfirmedBytes() const { return m_unconfirmed; }
    // Up to `parallel` parts, counting the one being filled: memory stays at parallel × part size.
    bool hasRoom() const { return m_unconfirmed < m_partSize * m_parallel; }
    qint64 confirmedBytes() const { return m_position - m_unconfirmed; }
    QString uploadId() const { return m_uploadId; }
    qint64 partSize() const { return m_partSize; }

signals:
    void started(const QString &uploadId);
    void drained();
    void completed(const QByteArray &etag);
    void failed(const QString &message);
    void aborted();

private:
    struct PendingPart {
        QByteArray data;
        QPointer<s3::Reply> reply;
        int attempts = 0;
        bool waiting = false; // backing off before the next attempt
    };

    void sealParts(bool last);
    void pump();
    void send(int number);
    void complete();
    bool fail(const QString &message);

    s3::Client *m_client;
    QString m_bucket;
    QString m_key;
    qint64 m_partSize;
    int m_parallel;
    Backoff m_backoff;
    QString m_uploadId;
    QPointer<s3::Reply> m_control;
    QByteArray m_current;                 // bytes of the part being filled
    std::map<int, PendingPart> m_pending; // sealed, not yet confirmed
    QList<s3::Part> m_confirmed;
    int m_nextNumber = 1;
    int m_controlAttempts = 0;
    qint64 m_position = 0;
    qint64 m_unconfirmed = 0;
    bool m_finishing = false;
    bool m_done = false; // completed, failed or aborted: no more requests
    bool m_abortWhenCreated = false;
    QString m_error;
};

} // namespace ferry::zip
