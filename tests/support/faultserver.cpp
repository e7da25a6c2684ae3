#include "faultserver.h"

#include "faultstate.h"
#include "httpconnection.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

using namespace Qt::StringLiterals;

namespace ferry::test {

namespace detail {

// Owns the listening socket and every connection. Lives on FaultServer's private thread; its
// functions are only called there (through blocking queued invocations from FaultServer).
class FaultWorker final : public QObject
{
public:
    explicit FaultWorker(FaultState *state) : m_state(state) {}

    quint16 listen()
    {
        m_server = new QTcpServer(this);
        if (!m_server->listen(QHostAddress::LocalHost, 0))
            return 0;
        connect(m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server->nextPendingConnection())
                new HttpConnection(socket, m_state, m_nextConnection++, this);
        });
        return m_server->serverPort();
    }

    // Aborts every socket, including stalled ones that would otherwise wait for the client,
    // then detaches from the thread so the owner can delete this object after joining it.
    void shutdown()
    {
        delete m_server;
        m_server = nullptr;
        const auto connections = findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly);
        qDeleteAll(connections);
        moveToThread(nullptr);
    }

private:
    FaultState *m_state;
    QTcpServer *m_server = nullptr;
    int m_nextConnection = 0;
};

} // namespace detail

FaultServer::FaultServer() : m_state(std::make_unique<detail::FaultState>())
{
    start();
}

FaultServer::~FaultServer()
{
    if (!m_thread)
        return;
    detail::FaultWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker] { worker->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
}

bool FaultServer::start()
{
    if (m_thread)
        return m_port != 0;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(u"FaultServer"_s);
    m_worker = new detail::FaultWorker(m_state.get());
    m_worker->moveToThread(m_thread.get());
    m_thread->start();
    quint16 port = 0;
    detail::FaultWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, &port] { port = worker->listen(); }, Qt::BlockingQueuedConnection);
    m_port = port;
    return m_port != 0;
}

quint16 FaultServer::port() const
{
    return m_port;
}

QUrl FaultServer::url(const QString &path) const
{
    const QString slash = path.startsWith(u'/') ? QString() : u"/"_s;
    return QUrl(u"http://127.0.0.1:%1"_s.arg(m_port) + slash + path);
}

void FaultServer::setResource(const QString &path, const Resource &r)
{
    m_state->setResource(path, r);
}

void FaultServer::removeResource(const QString &path)
{
    m_state->removeResource(path);
}

void FaultServer::setFaults(const QString &path, const Faults &f)
{
    m_state->setFaults(path, f);
}

void FaultServer::setRedirect(const QString &from, const QString &to, int status)
{
    // A relative target stays relative in Location; clients resolve it against the request URL.
    m_state->setRedirect(from, QUrl(to).toEncoded(), status);
}

QList<RequestRecord> FaultServer::requests(const QString &path) const
{
    return m_state->requests(path);
}

int FaultServer::requestCount(const QString &path) const
{
    return int(requests(path).size());
}

qint64 FaultServer::bodyBytesServed(const QString &path) const
{
    qint64 total = 0;
    for (const RequestRecord &r : requests(path))
        total += r.bodyBytesSent;
    return total;
}

int FaultServer::openConnections() const
{
    return m_state->openConnections.load();
}

void FaultServer::clearLog()
{
    m_state->clearLog();
}

} // namespace ferry::test
