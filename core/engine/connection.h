#pragma once

#include "engine/transfertypes.h"

#include <QObject>
#include <QThread>
#include <QTimer>

class QNetworkAccessManager;
class QNetworkReply;

namespace ferry {

// One HTTP connection of a download: a worker object living on its own thread with its own
// QNetworkAccessManager (Qt caps parallel connections per host per manager, and a manager is
// not shared across threads). It reads only as fast as the rate limiters grant, with a small
// read buffer, so a limit slows the sender down through TCP instead of piling up memory.
// Thread: all slots run on the connection's thread; signals reach the job queued.
class Connection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Connection)
public:
    Connection();
    ~Connection() override;

    // Called from the job's thread; each hops onto the connection's thread.
    // Every signal carries the id of the task it belongs to, so the job can ignore late news
    // from a task it has already replaced.
    void start(quint64 taskId, const TransferTask &task);
    void adoptProbe(std::shared_ptr<PartFile> file, std::shared_ptr<WriteGate> gate,
                    std::shared_ptr<SegmentProgress> progress);
    void stop();

    static constexpr qint64 readChunk = 256 * 1024;

signals:
    void probed(quint64 taskId, const ferry::ProbeResult &result);
    void finished(quint64 taskId);
    void failed(quint64 taskId, const ferry::TransferError &error);

private:
    void begin();
    void send(const QUrl &url);
    bool followRedirect(int status);
    void teardown();
    void onReadyRead();
    void onFinished();
    bool validateHeaders();
    void drain();
    void complete();
    void fail(TransferError error);
    void dropReply();
    TransferError errorFromReply() const;
    QByteArray contentCoding() const; // lower case; empty for none or identity
    qint64 contentLength() const;     // -1 when not given

    QThread m_thread;
    QNetworkAccessManager *m_nam = nullptr;
    QNetworkReply *m_reply = nullptr;
    QTimer *m_throttle = nullptr;
    TransferTask m_task;
    quint64 m_taskId = 0;
    QByteArray m_buffer;
    qint64 m_pos = 0;
    qint64 m_askedLast = -1;
    bool m_validated = false;
    bool m_done = false;
    bool m_replyFinished = false;
    bool m_replyFailed = false;   // the reply ended with a network error
    int m_redirects = 0;
    QString m_tlsReason;
};

} // namespace ferry

Q_DECLARE_METATYPE(ferry::ProbeResult)
Q_DECLARE_METATYPE(ferry::TransferError)
