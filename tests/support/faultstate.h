#pragma once

// Internal to FaultServer: the configuration, per-path counters and request log shared between
// the test thread (which configures and inspects) and the server thread (which answers).
// Every member function locks the one mutex, so both sides may call at any time.

#include "faultserver.h"

#include <QHash>
#include <QMutex>

#include <atomic>
#include <optional>

namespace ferry::test::detail {

struct HttpRequest
{
    QByteArray method;
    QByteArray target; // as sent, including any query
    QByteArray path;   // percent-decoded, without the query
    QByteArray version;
    QList<QPair<QByteArray, QByteArray>> headers;

    QByteArray header(const QByteArray &name) const; // first match, case-insensitive
    bool wantsClose() const;
    qint64 contentLength() const;
};

// Parses the request line and header block (without the terminating empty line).
bool parseRequest(const QByteArray &head, HttpRequest *out);

// How one response is to be streamed: the head in one piece, then `length` bytes of `body`
// from `offset`, stopping early at `cutAt` (then close) or `stallAt` (then silence).
struct ResponsePlan
{
    QByteArray head;
    QByteArray body; // implicitly shared with the resource; never copied
    qint64 offset = 0;
    qint64 length = 0;
    qint64 cutAt = -1;
    qint64 stallAt = -1;
    qint64 bytesPerSecond = 0;
    bool close = false;
    qint64 recordId = -1;
};

// Result of matching a Range header against a body size.
struct ByteRange
{
    enum Kind { Ignore, Satisfiable, Unsatisfiable };
    Kind kind = Ignore;
    qint64 first = 0;
    qint64 last = -1; // inclusive
};
ByteRange parseRange(const QByteArray &header, qint64 size);

QByteArray httpDate(const QDateTime &dt);

// The key paths are stored under: UTF-8, with a leading '/'.
QByteArray pathKey(const QString &path);

class FaultState final
{
public:
    void setResource(const QString &path, const Resource &r);
    void removeResource(const QString &path);
    void setFaults(const QString &path, const Faults &f);
    void setRedirect(const QString &from, const QByteArray &location, int status);

    // Decides the whole response to `req` (consuming fault counters) and logs it.
    ResponsePlan plan(const HttpRequest &req, int connection);
    void addBodyBytes(qint64 recordId, qint64 n);

    QList<RequestRecord> requests(const QString &path) const; // empty path: all
    void clearLog();

    std::atomic<int> openConnections{0};

private:
    struct PathEntry
    {
        std::optional<Resource> resource;
        Faults faults;
        int getCount = 0;
        int cutDone = 0;
        int stallDone = 0;
        bool changed = false;
        QHash<int, int> connectionIndex; // TCP connection number -> k for perConnection speeds
    };
    struct Redirect
    {
        QByteArray location;
        int status = 302;
    };

    // False when a fault replaces the resource with an error status (the caller adds the page).
    bool planResource(const HttpRequest &req, int connection, PathEntry &entry, ResponsePlan *plan,
                      int *status, QList<QPair<QByteArray, QByteArray>> *headers);

    mutable QMutex m_mutex;
    QHash<QByteArray, PathEntry> m_paths;
    QHash<QByteArray, Redirect> m_redirects;
    QList<RequestRecord> m_log;
    qint64 m_logBase = 0; // record id of m_log.first(); ids stay valid across clearLog()
};

// Builds a response head; Content-Length and Connection are always added last.
QByteArray responseHead(int status, const QList<QPair<QByteArray, QByteArray>> &headers,
                        qint64 contentLength, bool close);

} // namespace ferry::test::detail
