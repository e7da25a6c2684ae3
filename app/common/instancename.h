#pragma once

#include <QCryptographicHash>
#include <QDir>
#include <QString>

#include <unistd.h>

namespace ferry::app {

// The local socket a window listens on for its state folder. The window and the browser host
// both derive it, so it lives here rather than in either. The user id keeps two users of one
// machine apart; the hash of the absolute folder keeps instances with their own --state-dir apart.
inline QString instanceServerName(const QString &stateDir)
{
    const QByteArray key = QCryptographicHash::hash(QDir(stateDir).absolutePath().toUtf8(), QCryptographicHash::Sha1).toHex().left(12);
    return QStringLiteral("ferry-%1-%2").arg(::getuid()).arg(QString::fromLatin1(key));
}

} // namespace ferry::app
