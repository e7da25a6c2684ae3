#pragma once

#include <QLocalServer>
#include <QObject>
#include <QStringList>

namespace ferry::app {

// One window per user and state folder: a second launch hands its URLs to the first through a
// local socket and exits. The socket name derives from the state folder, so test instances with
// their own --state-dir never meet the user's real one.
class SingleInstance final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SingleInstance)
public:
    explicit SingleInstance(const QString &stateDir, QObject *parent = nullptr);

    // True when another instance took the URLs; this process should exit.
    bool handOver(const QStringList &urls);
    // Becomes the instance others hand over to.
    bool listen();
    QString serverName() const { return m_name; }

signals:
    void urlsReceived(const QStringList &urls);

private:
    QString m_name;
    QLocalServer m_server;
};

} // namespace ferry::app
