#include "httpconnection.h"

#include <QTcpSocket>

namespace ferry::test::detail {

namespace {

// Bodies go out in slices rather than in one write(): a 64 MiB body handed to the socket at once
// would sit in Qt's buffer, making cuts, stalls and throttling meaningless and costing memory.
// New slices are queued only while less than kHighWater bytes wait in the socket buffer.
constexpr qint64 kChunk = 64 * 1024;
constexpr qint64 kHighWater = 256 * 1024;
constexpr qint64 kMaxHeader = 64 * 1024;
constexpr int kThrottleTickMs = 20;

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, FaultState *state, int id, QObject *parent)
    : QObject(parent), m_socket(socket), m_state(state), m_id(id)
{
    m_socket->setParent(this);
    // Small heads followed by bodies must not wait for delayed ACKs, or keep-alive requests
    // would each pay ~40 ms and throttling measurements would drift.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    ++m_state->openConnections;

    m_throttle.setInterval(kThrottleTickMs);
    m_throttle.setTimerType(Qt::PreciseTimer);
    connect(&m_throttle, &QTimer::timeout, this, &HttpConnection::pump);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::pump);
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

HttpConnection::~HttpConnection()
{
    m_socket->disconnect(this);
    m_socket->abort();
    --m_state->openConnections;
}

void HttpConnection::onReadyRead()
{
    m_input += m_socket->readAll();
    if (m_phase == Phase::Reading)
        processInput();
}

void HttpConnection::processInput()
{
    while (m_phase == Phase::Reading) {
        if (m_discard > 0) {
            const qint64 n = qMin<qint64>(m_discard, m_input.size());
            m_input.remove(0, n);
            m_discard -= n;
            if (m_discard > 0)
                return;
        }
        while (m_input.startsWith("\r\n"))
            m_input.remove(0, 2);
        const qsizetype end = m_input.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_input.size() > kMaxHeader) {
                m_socket->write(responseHead(431, {}, 0, true));
                closeGracefully();
            }
            return;
        }
        const QByteArray head = m_input.left(end);
        m_input.remove(0, end + 4);
        HttpRequest request;
        if (!parseRequest(head, &request)) {
            m_socket->write(responseHead(400, {}, 0, true));
            closeGracefully();
            return;
        }
        m_discard = request.contentLength();
        startResponse(m_state->plan(request, m_id));
    }
}

void HttpConnection::startResponse(ResponsePlan plan)
{
    m_plan = std::move(plan);
    m_sent = 0;
    m_phase = Phase::Sending;
    m_socket->write(m_plan.head);
    if (m_plan.bytesPerSecond > 0 && m_plan.length > 0) {
        m_allowance = 0;
        m_clock.start();
        m_throttle.start();
    }
    pump();
}

void HttpConnection::pump()
{
    if (m_phase != Phase::Sending || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    const bool throttled = m_throttle.isActive();
    if (throttled) {
        // Credit is earned from measured time, so late timer ticks do not lower the rate; it is
        // capped at 100 ms worth so a client that stopped reading cannot cause a burst later.
        m_allowance += double(m_plan.bytesPerSecond) * double(m_clock.nsecsElapsed()) / 1e9;
        m_clock.restart();
        m_allowance = qMin(m_allowance, qMax(double(m_plan.bytesPerSecond) / 10.0, 1.0));
    }

    qint64 limit = m_plan.length;
    if (m_plan.cutAt >= 0)
        limit = qMin(limit, m_plan.cutAt);
    if (m_plan.stallAt >= 0)
        limit = qMin(limit, m_plan.stallAt);

    while (m_sent < limit && m_socket->bytesToWrite() < kHighWater) {
        qint64 n = qMin(kChunk, limit - m_sent);
        if (throttled) {
            n = qMin(n, qint64(m_allowance));
            if (n <= 0)
                return; // the next tick grants more
            m_allowance -= double(n);
        }
        const qint64 written = m_socket->write(m_plan.body.constData() + m_plan.offset + m_sent, n);
        if (written <= 0)
            return;
        m_sent += written;
        m_state->addBodyBytes(m_plan.recordId, written);
    }
    if (m_sent < limit)
        return; // bytesWritten resumes once the socket buffer drains

    m_throttle.stop();
    if (m_sent >= m_plan.length) {
        finishResponse();
    } else if (m_plan.cutAt >= 0 && m_sent >= m_plan.cutAt) {
        // disconnectFromHost() flushes what was written before the FIN, so the client receives
        // exactly cutAt body bytes and then sees the connection end mid-body.
        closeGracefully();
    } else {
        m_phase = Phase::Stalled; // silent but open, until the peer leaves or the server stops
    }
}

void HttpConnection::finishResponse()
{
    if (m_plan.close) {
        closeGracefully();
        return;
    }
    m_phase = Phase::Reading;
    m_plan = {};
    // Queued, so a client sending many requests back to back cannot recurse without bound.
    QMetaObject::invokeMethod(this, &HttpConnection::processInput, Qt::QueuedConnection);
}

void HttpConnection::closeGracefully()
{
    m_phase = Phase::Closing;
    m_throttle.stop();
    m_socket->disconnectFromHost();
}

} // namespace ferry::test::detail
