#include "countingproxy.h"

#include <QHostAddress>
#include <QPointer>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <atomic>
#include <deque>
#include <functional>
#include <limits>

using namespace Qt::StringLiterals;

namespace ferry::test {

namespace {

// Follows one direction of an HTTP/1.1 connection just far enough to find where each message
// starts: heads are parsed, bodies (Content-Length or chunked) are skipped.
class HttpStream
{
public:
    struct Head {
        QByteArray firstLine;
        qint64 contentLength = -1;
        bool chunked = false;
    };
    // Returns the body length to skip: >= 0 bytes, -1 chunked, -2 until the connection closes.
    using OnHead = std::function<qint64(const Head &)>;

    explicit HttpStream(OnHead onHead) : m_onHead(std::move(onHead)) {}

    // Nothing of the next message has been seen yet.
    bool atMessageStart() const { return m_state == State::Head && m_line.isEmpty(); }

    void feed(QByteArrayView data)
    {
        while (!data.isEmpty()) {
            switch (m_state) {
            case State::Head: {
                const qsizetype before = m_line.size();
                m_line += data;
                const qsizetype end = m_line.indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                const QByteArray head = m_line.left(end);
                data = data.sliced(end + 4 - before); // what follows the head
                m_line.clear();
                startBody(parse(head));
                break;
            }
            case State::Body: {
                const qint64 n = qMin<qint64>(m_left, data.size());
                m_left -= n;
                data = data.sliced(n);
                if (m_left == 0)
                    m_state = State::Head;
                break;
            }
            case State::ChunkSize:
            case State::Trailer: {
                const qsizetype nl = data.indexOf('\n');
                if (nl < 0) {
                    m_line += data;
                    return;
                }
                m_line += data.first(nl + 1);
                data = data.sliced(nl + 1);
                const QByteArray line = m_line.trimmed();
                m_line.clear();
                if (m_state == State::Trailer) {
                    if (line.isEmpty())
                        m_state = State::Head;
                    break;
                }
                bool ok = false;
                const qint64 size = line.split(';').first().toLongLong(&ok, 16);
                if (!ok || size == 0) {
                    m_state = State::Trailer;
                } else {
                    m_left = size + 2; // data and its CRLF
                    m_state = State::ChunkData;
                }
                break;
            }
            case State::ChunkData: {
                const qint64 n = qMin<qint64>(m_left, data.size());
                m_left -= n;
                data = data.sliced(n);
                if (m_left == 0)
                    m_state = State::ChunkSize;
                break;
            }
            case State::UntilClose:
                return;
            }
        }
    }

private:
    enum class State { Head, Body, ChunkSize, ChunkData, Trailer, UntilClose };

    qint64 parse(const QByteArray &text)
    {
        Head head;
        const QList<QByteArray> lines = text.split('\n');
        head.firstLine = lines.value(0).trimmed();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length")
                head.contentLength = value.toLongLong();
            else if (name == "transfer-encoding" && value.toLower().contains("chunked"))
                head.chunked = true;
        }
        return m_onHead(head);
    }

    void startBody(qint64 length)
    {
        if (length == -1) {
            m_state = State::ChunkSize;
        } else if (length == -2) {
            m_state = State::UntilClose;
        } else {
            m_left = length;
            m_state = length > 0 ? State::Body : State::Head;
        }
    }

    OnHead m_onHead;
    State m_state = State::Head;
    QByteArray m_line;
    qint64 m_left = 0;
};

struct Pipe {
    QPointer<QTcpSocket> client;
    QPointer<QTcpSocket> upstream;
    QByteArray pendingUp; // to send once the upstream connection is open
    std::deque<std::pair<qsizetype, QByteArray>> waiting; // exchange index, method
    std::unique_ptr<HttpStream> requests;
    std::unique_ptr<HttpStream> responses;
    bool held = false; // a request is held back at its start (holdRequests())
};

} // namespace

class CountingProxyWorker final : public QObject
{
public:
    // The server and the timer are children, so they move to the proxy's thread with the worker.
    CountingProxyWorker(CountingProxy *owner, quint16 targetPort)
        : m_owner(owner), m_targetPort(targetPort), m_server(this), m_ticker(this)
    {
        m_ticker.setInterval(10);
        connect(&m_ticker, &QTimer::timeout, this, [this] { pump(); });
    }

    // Sockets that are still open would report their disconnection while the members they
    // update are already gone: silence and close them first.
    ~CountingProxyWorker() override
    {
        for (QTcpSocket *socket : findChildren<QTcpSocket *>()) {
            socket->disconnect();
            delete socket;
        }
        m_pipes.clear();
    }

    quint16 listen()
    {
        if (!m_server.listen(QHostAddress::LocalHost, 0))
            return 0;
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection())
                accept(s);
        });
        m_ticker.start();
        return m_server.serverPort();
    }

    std::atomic<qint64> rate{0};
    std::atomic<int> delayMs{0};
    std::atomic<int> heldCount{0};

    void dropHeld()
    {
        const QList<std::shared_ptr<Pipe>> pipes = m_pipes;
        for (const auto &p : pipes) {
            if (!p->held)
                continue;
            p->held = false;
            --heldCount;
            m_pipes.removeOne(p);
            for (QTcpSocket *socket : {p->client.data(), p->upstream.data()}) {
                if (socket) {
                    socket->disconnect(this);
                    socket->abort();
                    socket->deleteLater();
                }
            }
        }
    }

private:
    void accept(QTcpSocket *client)
    {
        auto pipe = std::make_shared<Pipe>();
        pipe->client = client;
        client->setReadBufferSize(256 * 1024); // lets TCP push back while throttled
        auto *upstream = new QTcpSocket(this);
        pipe->upstream = upstream;
        pipe->requests = std::make_unique<HttpStream>([this, p = pipe.get()](const HttpStream::Head &head) -> qint64 {
            const QList<QByteArray> parts = head.firstLine.split(' ');
            CountingProxy::Exchange e{parts.value(0), parts.value(1), 0};
            qsizetype index = -1;
            m_owner->record(e, &index);
            p->waiting.emplace_back(index, e.method);
            if (head.chunked)
                return -1;
            return qMax<qint64>(0, head.contentLength);
        });
        pipe->responses = std::make_unique<HttpStream>([this, p = pipe.get()](const HttpStream::Head &head) -> qint64 {
            const int status = head.firstLine.split(' ').value(1).toInt();
            if (status >= 100 && status < 200)
                return 0;
            QByteArray method;
            if (!p->waiting.empty()) {
                m_owner->answer(p->waiting.front().first, status);
                method = p->waiting.front().second;
                p->waiting.pop_front();
            }
            if (method == "HEAD" || status == 204 || status == 304)
                return 0;
            if (head.chunked)
                return -1;
            return head.contentLength >= 0 ? head.contentLength : -2;
        });
        m_pipes.append(pipe);
        connect(upstream, &QTcpSocket::connected, this, [pipe] {
            pipe->upstream->write(pipe->pendingUp);
            pipe->pendingUp.clear();
        });
        connect(upstream, &QTcpSocket::readyRead, this, [this, pipe] {
            const QByteArray data = pipe->upstream->readAll();
            pipe->responses->feed(data);
            // Every piece waits the same time, so order is kept and only latency is added.
            if (const int delay = delayMs.load(); delay > 0) {
                QTimer::singleShot(delay, this, [pipe, data] {
                    if (pipe->client)
                        pipe->client->write(data);
                });
            } else if (pipe->client) {
                pipe->client->write(data);
            }
        });
        connect(client, &QTcpSocket::readyRead, this, [this, pipe] {
            if (rate.load() == 0)
                forward(*pipe, pipe->client->bytesAvailable());
        });
        const auto close = [this, pipe] {
            if (pipe->client)
                pipe->client->disconnectFromHost();
            if (pipe->upstream)
                pipe->upstream->disconnectFromHost();
            m_pipes.removeOne(pipe);
            if (pipe->client)
                pipe->client->deleteLater();
            if (pipe->upstream)
                pipe->upstream->deleteLater();
        };
        connect(client, &QTcpSocket::disconnected, this, [this, pipe, close] {
            if (pipe->held) {
                pipe->held = false;
                --heldCount;
            }
            close();
        });
        connect(upstream, &QTcpSocket::disconnected, this, [this, close] {
            // Delayed answers still on their way must reach the client first.
            if (const int delay = delayMs.load(); delay > 0)
                QTimer::singleShot(delay + 1, this, close);
            else
                close();
        });
        connect(upstream, &QTcpSocket::errorOccurred, this, [pipe](QAbstractSocket::SocketError) {
            if (pipe->client)
                pipe->client->abort();
        });
        upstream->connectToHost(QHostAddress::LocalHost, m_targetPort);
    }

    void forward(Pipe &pipe, qint64 bytes)
    {
        if (!pipe.client || bytes <= 0 || pipe.held)
            return;
        // A client sends its next request only once the last one was answered, so a request
        // starts at the start of what is waiting.
        if (pipe.requests->atMessageStart()) {
            const QByteArray start = pipe.client->peek(4096);
            const qsizetype eol = start.indexOf("\r\n");
            if (eol < 0 && start.size() < 4096)
                return; // the first line is not complete yet
            if (eol > 0 && m_owner->holds(start.left(eol))) {
                pipe.held = true;
                ++heldCount;
                return;
            }
        }
        const QByteArray data = pipe.client->read(bytes);
        if (data.isEmpty())
            return;
        pipe.requests->feed(data);
        if (pipe.upstream && pipe.upstream->state() == QAbstractSocket::ConnectedState)
            pipe.upstream->write(data);
        else
            pipe.pendingUp += data;
    }

    void pump()
    {
        const qint64 r = rate.load();
        QList<std::shared_ptr<Pipe>> busy;
        for (const auto &p : std::as_const(m_pipes)) {
            if (p->client && p->client->bytesAvailable() > 0)
                busy.append(p);
        }
        if (busy.isEmpty())
            return;
        // A tick's budget is shared evenly, so parallel parts advance together.
        const qint64 share = r == 0 ? std::numeric_limits<qint64>::max() : qMax<qint64>(1, r / 100 / busy.size());
        for (const auto &p : std::as_const(busy))
            forward(*p, qMin(share, p->client->bytesAvailable()));
    }

    CountingProxy *m_owner;
    quint16 m_targetPort;
    QTcpServer m_server;
    QTimer m_ticker;
    QList<std::shared_ptr<Pipe>> m_pipes;
};

CountingProxy::CountingProxy(quint16 targetPort) : m_targetPort(targetPort)
{
    m_thread.setObjectName(u"CountingProxy"_s);
}

CountingProxy::~CountingProxy()
{
    if (m_worker) {
        QMetaObject::invokeMethod(m_worker, [w = m_worker] { delete w; }, Qt::BlockingQueuedConnection);
        m_worker = nullptr;
    }
    m_thread.quit();
    m_thread.wait();
}

bool CountingProxy::start()
{
    m_thread.start();
    m_worker = new CountingProxyWorker(this, m_targetPort);
    m_worker->moveToThread(&m_thread);
    quint16 port = 0;
    QMetaObject::invokeMethod(m_worker, [this, &port] { port = m_worker->listen(); }, Qt::BlockingQueuedConnection);
    m_port = port;
    return m_port != 0;
}

void CountingProxy::setResponseDelay(int milliseconds)
{
    if (m_worker)
        m_worker->delayMs.store(milliseconds);
}

void CountingProxy::setUploadRate(qint64 bytesPerSecond)
{
    if (m_worker)
        m_worker->rate.store(bytesPerSecond);
}

void CountingProxy::holdRequests(const QByteArray &method, const QByteArray &targetPart)
{
    QMutexLocker lock(&m_mutex);
    m_holdMethod = method;
    m_holdTarget = targetPart;
}

int CountingProxy::heldCount() const
{
    return m_worker ? m_worker->heldCount.load() : 0;
}

void CountingProxy::dropHeld()
{
    {
        QMutexLocker lock(&m_mutex);
        m_holdMethod.clear();
        m_holdTarget.clear();
    }
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->dropHeld(); }, Qt::BlockingQueuedConnection);
}

bool CountingProxy::holds(const QByteArray &firstLine) const
{
    QMutexLocker lock(&m_mutex);
    if (m_holdMethod.isEmpty())
        return false;
    const QList<QByteArray> parts = firstLine.split(' ');
    return parts.value(0) == m_holdMethod && parts.value(1).contains(m_holdTarget);
}

QList<CountingProxy::Exchange> CountingProxy::exchanges() const
{
    QMutexLocker lock(&m_mutex);
    return m_exchanges;
}

int CountingProxy::partNumber(const Exchange &exchange)
{
    static const QRegularExpression re(u"[?&]partNumber=(\\d+)"_s);
    if (exchange.method != "PUT")
        return 0;
    const auto m = re.match(QString::fromLatin1(exchange.target));
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}

void CountingProxy::record(const Exchange &exchange, qsizetype *index)
{
    QMutexLocker lock(&m_mutex);
    *index = m_exchanges.size();
    m_exchanges.append(exchange);
}

void CountingProxy::answer(qsizetype index, int status)
{
    QMutexLocker lock(&m_mutex);
    if (index >= 0 && index < m_exchanges.size())
        m_exchanges[index].status = status;
}

} // namespace ferry::test
