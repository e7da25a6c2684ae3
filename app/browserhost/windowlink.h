#pragma once

#include <QJsonObject>
#include <QLocalSocket>
#include <QString>
#include <QStringList>

namespace ferry::browserhost {

// The host's side of the window's single-instance socket: whether a window runs, starting one,
// and one question-and-answer exchange. Everything blocks; the host has nothing else to do.
class WindowLink final
{
    Q_DISABLE_COPY_MOVE(WindowLink)
public:
    explicit WindowLink(const QString &serverName);

    // Connects if a window listens; connecting without writing anything has no effect on it.
    bool connectNow();
    // Starts `program` with `arguments`, detached from the browser's pipes and process group,
    // and keeps trying to connect for `timeoutMs`.
    bool startAndConnect(const QString &program, const QStringList &arguments, int timeoutMs, QString *error);
    // Sends one line of JSON and waits for the one-line answer.
    QJsonObject exchange(const QJsonObject &message, int timeoutMs);

    // The window program next to `hostDir`, else the one on PATH; empty when there is none.
    static QString findWindowProgram(const QString &hostDir);

private:
    QString m_name;
    QLocalSocket m_socket;
};

} // namespace ferry::browserhost
