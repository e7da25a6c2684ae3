#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <memory>

class QThread;

namespace ferry::test {

namespace detail {
class FaultState;
class FaultWorker;
} // namespace detail

// One file the server can serve.
struct Resource
{
    QByteArray body;
    QByteArray etag;               // strong, e.g. "\"v1\""; empty = none sent
    QDateTime lastModified;        // invalid = none sent
    QByteArray contentDisposition; // empty = none
    QByteArray contentType = "application/octet-stream";
};

// Misbehaviour of one path. Counters are per path and restart when setFaults() is called;
// HEAD requests never consume them. Note for clients: Qt 6.4's QNetworkReply sometimes reports a
// cut or server-aborted body as NoError, so only the received byte count proves completeness.
struct Faults
{
    int failFirstRequests = 0; // first N GETs answered with `failStatus` (e.g. 503 or 429) ...
    int failStatus = 503;
    int retryAfterSeconds = -1; // ... with Retry-After when >= 0
    int failFromRequest = -1;   // every GET from the N-th on (0-based) answered with `failStatus`
                                // (a link that expired in the middle of a download)
    qint64 cutAfterBytes = -1;  // close the connection after this many BODY bytes of a response ...
    int cutRequests = 0;        // ... for this many responses (0 = every response)
    qint64 stallAfterBytes = -1; // send this many body bytes then go silent, socket kept open ...
    int stallRequests = 1;       // ... for this many responses (0 = every response)
    bool ignoreRange = false;    // always 200 with the full body, no Accept-Ranges
    bool wrongContentRange = false; // 206 whose Content-Range/body is shifted by +1 byte
    // 206 with Content-Encoding: gzip whose body is the gzip of the slice, while Content-Range
    // counts the stored bytes (a whole-file 200 stays identity)
    bool gzipRanges = false;
    bool ignoreIfRange = false;    // Range is honoured whatever If-Range says (never evaluated)
    bool fullBodyForIfRange = false; // any request carrying If-Range gets 200 and the whole body
    int changeAfterRequests = -1;   // after N GETs the body becomes `changedBody` / `changedEtag`
    QByteArray changedBody;
    QByteArray changedEtag;
    qint64 bytesPerSecond = 0; // per-response throttle (0 = unthrottled)
    // Optional: the k-th TCP connection that requests this path is throttled to
    // list[k % size] (0 = unthrottled) on every response for this path; overrides bytesPerSecond.
    QList<qint64> perConnectionBytesPerSecond;
    // Every request (HEAD too) without this header, exactly, is answered 403: a download behind
    // a login, e.g. {"Cookie", "session=abc"}. Empty name = no such check.
    QPair<QByteArray, QByteArray> requireHeader;
};

// What the server saw and answered. bodyBytesSent grows while a response is streamed.
struct RequestRecord
{
    QByteArray method;
    QByteArray path; // percent-decoded, without the query
    QByteArray range;
    QByteArray ifRange;
    QList<QPair<QByteArray, QByteArray>> headers;
    int status = 0;
    qint64 bodyBytesSent = 0;
    int connection = -1; // server-wide TCP connection number, to see keep-alive reuse
};

// An HTTP/1.1 server on 127.0.0.1 for fault-injection tests. The sockets live on a private
// thread, so the test thread may block or spin its own event loop freely; every method here is
// thread-safe. Listens from construction; the destructor closes all connections (stalled ones
// included) and joins the thread.
class FaultServer final
{
public:
    FaultServer();
    ~FaultServer();
    FaultServer(const FaultServer &) = delete;
    FaultServer &operator=(const FaultServer &) = delete;

    bool start(); // idempotent; true when listening
    quint16 port() const;
    QUrl url(const QString &path) const; // http://127.0.0.1:PORT/path

    void setResource(const QString &path, const Resource &r); // replacing keeps request counters
    void removeResource(const QString &path);
    void setFaults(const QString &path, const Faults &f);
    // `to` may be a relative path or an absolute URL; a redirect to itself is a loop.
    void setRedirect(const QString &from, const QString &to, int status = 302);

    QList<RequestRecord> requests(const QString &path = {}) const; // all, or for one path
    int requestCount(const QString &path) const;
    qint64 bodyBytesServed(const QString &path) const;
    int openConnections() const;
    void clearLog();

private:
    std::unique_ptr<detail::FaultState> m_state;
    std::unique_ptr<QThread> m_thread;
    detail::FaultWorker *m_worker = nullptr;
    quint16 m_port = 0;
};

} // namespace ferry::test
