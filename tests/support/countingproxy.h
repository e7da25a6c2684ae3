#pragma once

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QThread>
#include <memory>

namespace ferry::test {

class CountingProxyWorker;

// A byte-forwarding TCP proxy on 127.0.0.1 in front of one local HTTP/1.1 server. It records
// every request line it forwards and the status the server answered with, and can slow the
// client-to-server direction down, so a test can stop an upload in the middle. Bytes pass
// unchanged (the Host header keeps naming the proxy, which is what a SigV4 signature covers).
// Runs on its own thread, so a test may block in QProcess::waitForFinished meanwhile; every
// public function is thread-safe.
class CountingProxy final
{
public:
    struct Exchange {
        QByteArray method;
        QByteArray target; // path and query, as sent
        int status = 0;    // 0 while the answer has not arrived
    };

    explicit CountingProxy(quint16 targetPort);
    ~CountingProxy();
    CountingProxy(const CountingProxy &) = delete;
    CountingProxy &operator=(const CountingProxy &) = delete;

    bool start(); // listens on a free loopback port
    quint16 port() const { return m_port; }

    // Client-to-server bytes per second over all connections; 0 = unlimited.
    void setUploadRate(qint64 bytesPerSecond);

    // Holds every server-to-client byte back this long: a far-away server's latency.
    void setResponseDelay(int milliseconds);

    // Requests with this method whose target contains `targetPart` are not passed on: the
    // server never sees them, and their client waits for an answer. Only the first line is
    // looked at. An empty method holds nothing.
    void holdRequests(const QByteArray &method, const QByteArray &targetPart);
    // How many requests are held back now.
    int heldCount() const;
    // Stops holding; the held requests are dropped with their connections, unseen by the
    // server (as if their client had died with them).
    void dropHeld();

    QList<Exchange> exchanges() const;
    // Part number of an UploadPart request ("PUT ...?partNumber=N&uploadId=..."), else 0.
    static int partNumber(const Exchange &exchange);

private:
    friend class CountingProxyWorker;
    void record(const Exchange &exchange, qsizetype *index);
    void answer(qsizetype index, int status);
    bool holds(const QByteArray &firstLine) const;

    quint16 m_targetPort;
    quint16 m_port = 0;
    QThread m_thread;
    CountingProxyWorker *m_worker = nullptr;
    mutable QMutex m_mutex;
    QList<Exchange> m_exchanges;
    QByteArray m_holdMethod;
    QByteArray m_holdTarget;
};

} // namespace ferry::test
