#pragma once

#include <QJsonObject>
#include <QLocalServer>
#include <QObject>
#include <QStringList>

#include <functional>

class QLocalSocket;

namespace ferry::app {

// One window per user and state folder: a second launch hands its URLs to the first through a
// local socket and exits. The socket name derives from the state folder, so test instances with
// their own --state-dir never meet the user's real one.
//
// The browser host uses the same socket: a connection whose first byte is '{' carries one line
// of JSON (a checked browser message) and waits for one line of JSON back.
class SingleInstance final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SingleInstance)
public:
    // Answers a browser message; calling it again does nothing. A Reply dropped without being
    // called answers that the message was not handled, so the host never waits for nothing.
    using Reply = std::function<void(const QJsonObject &answer)>;
    static constexpr qsizetype maxBrowserLine = 8 * 1024 * 1024;

    explicit SingleInstance(const QString &stateDir, QObject *parent = nullptr);

    static QString serverNameFor(const QString &stateDir);

    // True when another instance took the URLs; this process should exit.
    bool handOver(const QStringList &urls);
    // Becomes the instance others hand over to. What they send is taken once setReady() says
    // the receivers are connected; until then it waits.
    bool listen();
    void setReady();
    QString serverName() const { return m_name; }

signals:
    void urlsReceived(const QStringList &urls);
    // `message` is BrowserMessage::toJson() of a message that passed BrowserMessage's checks.
    void browserMessage(const QJsonObject &message, const ferry::app::SingleInstance::Reply &reply);

private:
    void acceptPending();
    void accept(QLocalSocket *socket);
    void takeBrowserLine(QLocalSocket *socket, QByteArray *buffer);

    QString m_name;
    QLocalServer m_server;
    bool m_ready = false;
};

} // namespace ferry::app
