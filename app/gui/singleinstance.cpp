#include "singleinstance.h"

#include "api/browsermessage.h"
#include "common/instancename.h"

#include <QJsonDocument>
#include <QLocalSocket>
#include <QMetaMethod>
#include <QPointer>

#include <memory>

using namespace Qt::StringLiterals;

namespace ferry::app {

namespace {

void sendAnswer(QLocalSocket *socket, const QJsonObject &answer)
{
    socket->write(QJsonDocument(answer).toJson(QJsonDocument::Compact) + '\n');
    // Closes once the answer is written; the socket deletes itself on disconnected().
    socket->disconnectFromServer();
}

QJsonObject failure(const QString &error)
{
    return QJsonObject{{u"ok"_s, false}, {u"error"_s, error}};
}

// Shared by every copy of one Reply: the first call answers, and the last copy to go answers
// for a receiver that forgot to.
struct ReplyState
{
    QPointer<QLocalSocket> socket;
    bool done = false;

    void answer(const QJsonObject &answer)
    {
        if (done)
            return;
        done = true;
        if (socket && socket->state() == QLocalSocket::ConnectedState)
            sendAnswer(socket, answer);
    }
    ~ReplyState() { answer(failure(u"Ferry did not handle the message."_s)); }
};

} // namespace

SingleInstance::SingleInstance(const QString &stateDir, QObject *parent)
    : QObject(parent), m_name(serverNameFor(stateDir))
{
}

QString SingleInstance::serverNameFor(const QString &stateDir)
{
    return instanceServerName(stateDir);
}

bool SingleInstance::handOver(const QStringList &urls)
{
    QLocalSocket socket;
    socket.connectToServer(m_name);
    if (!socket.waitForConnected(500) || !peerIsThisUser(socket.socketDescriptor()))
        return false;
    // One URL per line; an empty message just raises the running window.
    socket.write(urls.join(u'\n').toUtf8() + "\n\n");
    socket.flush();
    socket.waitForBytesWritten(2000);
    socket.disconnectFromServer();
    return true;
}

bool SingleInstance::listen()
{
    // A server socket left behind by a crashed instance would block listen(); nobody answered
    // handOver(), so it is stale.
    QLocalServer::removeServer(m_name);
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    connect(&m_server, &QLocalServer::newConnection, this, &SingleInstance::acceptPending);
    return m_server.listen(m_name);
}

void SingleInstance::setReady()
{
    m_ready = true;
    acceptPending();
}

void SingleInstance::acceptPending()
{
    // Until the window is there, connections wait in the server's queue: what they carry is
    // taken once someone can answer it, not dropped while the window is still being built.
    if (!m_ready)
        return;
    while (QLocalSocket *socket = m_server.nextPendingConnection())
        accept(socket);
}

void SingleInstance::accept(QLocalSocket *socket)
{
    auto buffer = std::make_shared<QByteArray>();
    auto deliver = [this, socket, buffer] {
        buffer->append(socket->readAll());
        // URLs never start with '{', so the first byte tells the two kinds of message apart.
        if (buffer->startsWith('{')) {
            takeBrowserLine(socket, buffer.get());
            return;
        }
        if (!buffer->endsWith("\n\n") && socket->state() == QLocalSocket::ConnectedState)
            return;
        socket->disconnect(this);
        socket->deleteLater();
        // handOver() always writes; a connection that closes without a byte only checked
        // whether a window is running (the browser host's status question) and raises nothing.
        if (buffer->isEmpty())
            return;
        QStringList urls;
        for (const QByteArray &line : buffer->split('\n')) {
            if (!line.trimmed().isEmpty())
                urls << QString::fromUtf8(line.trimmed());
        }
        buffer->clear();
        emit urlsReceived(urls);
    };
    connect(socket, &QLocalSocket::readyRead, this, deliver);
    connect(socket, &QLocalSocket::disconnected, this, deliver);
    // A connection that waited in the queue may have sent everything, or left, already.
    if (socket->bytesAvailable() > 0 || socket->state() != QLocalSocket::ConnectedState)
        deliver();
}

void SingleInstance::takeBrowserLine(QLocalSocket *socket, QByteArray *buffer)
{
    const qsizetype end = buffer->indexOf('\n');
    if (end < 0 && buffer->size() <= maxBrowserLine) {
        if (socket->state() != QLocalSocket::ConnectedState) { // gone before the line ended
            socket->disconnect(this);
            socket->deleteLater();
        }
        return;
    }
    // One line per connection: whatever follows it is not read.
    socket->disconnect(this);
    if (socket->state() != QLocalSocket::ConnectedState) { // nobody left to answer
        socket->deleteLater();
        return;
    }
    connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
    if (end < 0) {
        buffer->clear();
        sendAnswer(socket, failure(u"The message is longer than %1 bytes."_s.arg(maxBrowserLine)));
        return;
    }
    const QByteArray line = buffer->left(end);
    buffer->clear();
    // The host checked the message already; checking again keeps anything else that reaches
    // the socket from handing the window what the host would have refused.
    QString error;
    const auto message = BrowserMessage::parse(line, &error);
    if (!message) {
        sendAnswer(socket, failure(error));
        return;
    }
    if (!isSignalConnected(QMetaMethod::fromSignal(&SingleInstance::browserMessage))) {
        sendAnswer(socket, failure(u"This Ferry window does not take browser downloads."_s));
        return;
    }
    auto state = std::make_shared<ReplyState>();
    state->socket = socket;
    emit browserMessage(message->toJson(), [state](const QJsonObject &answer) { state->answer(answer); });
}

} // namespace ferry::app
