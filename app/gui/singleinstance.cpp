#include "singleinstance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QLocalSocket>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::app {

SingleInstance::SingleInstance(const QString &stateDir, QObject *parent) : QObject(parent)
{
    const QByteArray key = QCryptographicHash::hash(QDir(stateDir).absolutePath().toUtf8(), QCryptographicHash::Sha1).toHex().left(12);
    m_name = u"ferry-%1-%2"_s.arg(::getuid()).arg(QString::fromLatin1(key));
}

bool SingleInstance::handOver(const QStringList &urls)
{
    QLocalSocket socket;
    socket.connectToServer(m_name);
    if (!socket.waitForConnected(500))
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
    connect(&m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server.nextPendingConnection()) {
            auto buffer = std::make_shared<QByteArray>();
            auto deliver = [this, socket, buffer] {
                buffer->append(socket->readAll());
                if (!buffer->endsWith("\n\n") && socket->state() == QLocalSocket::ConnectedState)
                    return;
                QStringList urls;
                for (const QByteArray &line : buffer->split('\n')) {
                    if (!line.trimmed().isEmpty())
                        urls << QString::fromUtf8(line.trimmed());
                }
                buffer->clear();
                socket->disconnect(this);
                socket->deleteLater();
                emit urlsReceived(urls);
            };
            connect(socket, &QLocalSocket::readyRead, this, deliver);
            connect(socket, &QLocalSocket::disconnected, this, deliver);
        }
    });
    return m_server.listen(m_name);
}

} // namespace ferry::app
