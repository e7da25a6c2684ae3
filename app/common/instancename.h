#pragma once

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QString>

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ferry::app {

// The local socket a window listens on for its state folder. The window and the browser host
// both derive it, so it lives here rather than in either. The hash of the absolute folder keeps
// instances with their own --state-dir apart. The socket goes into the user's runtime folder
// ($XDG_RUNTIME_DIR, which only the user can enter), so that no other user can put a socket of
// their own in its place; without one, it is a name in the temporary folder with the user id
// in it, and peerIsThisUser() tells a squatter from the window.
inline QString instanceServerName(const QString &stateDir)
{
    const QByteArray key = QCryptographicHash::hash(QDir(stateDir).absolutePath().toUtf8(), QCryptographicHash::Sha1).toHex().left(12);
    const QByteArray runtime = qgetenv("XDG_RUNTIME_DIR");
    struct stat st {};
    if (!runtime.isEmpty() && ::stat(runtime.constData(), &st) == 0 && S_ISDIR(st.st_mode) &&
        st.st_uid == ::getuid() && (st.st_mode & 0077) == 0)
        return QFile::decodeName(runtime) + QStringLiteral("/ferry-%1.socket").arg(QString::fromLatin1(key));
    return QStringLiteral("ferry-%1-%2").arg(::getuid()).arg(QString::fromLatin1(key));
}

// Whether the process at the other end of a connected local socket runs as this user.
inline bool peerIsThisUser(qintptr socketDescriptor)
{
    struct ucred peer {};
    socklen_t length = sizeof peer;
    if (socketDescriptor < 0 ||
        ::getsockopt(int(socketDescriptor), SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0)
        return false;
    return peer.uid == ::getuid();
}

} // namespace ferry::app
