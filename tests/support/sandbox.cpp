#include "sandbox.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QTcpServer>

#include <cstring>

namespace ferry::test {

QByteArray sha256Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray sha256OfFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return {};
    return hash.result().toHex();
}

QByteArray deterministicBytes(qint64 size, quint32 seed)
{
    QByteArray out;
    if (size <= 0)
        return out;
    out.resize(size);

    // splitmix64 turns small, similar seeds (0, 1, 2 ...) into unrelated, non-zero states;
    // xorshift64* then produces 8 bytes per step, which keeps 64 MiB well under a second even
    // in debug builds.
    quint64 state = quint64(seed) + 0x9E3779B97F4A7C15ULL;
    state = (state ^ (state >> 30)) * 0xBF58476D1CE4E5B9ULL;
    state = (state ^ (state >> 27)) * 0x94D049BB133111EBULL;
    state ^= state >> 31;
    if (state == 0)
        state = 0x2545F4914F6CDD1DULL;

    char *p = out.data();
    qint64 left = size;
    while (left > 0) {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        const quint64 word = state * 0x2545F4914F6CDD1DULL;
        const qint64 n = qMin<qint64>(left, sizeof word);
        std::memcpy(p, &word, size_t(n));
        p += n;
        left -= n;
    }
    return out;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return false;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    if (file.write(data) != data.size())
        return false;
    return file.flush();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

quint16 freeLoopbackPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace ferry::test
