#include "zipreadtestsupport.h"

#include "sandbox.h"

#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace ferry::test::zipread {

QString makeArchives(const QString &dir, bool small)
{
    const QString script =
        qEnvironmentVariable("FERRY_SOURCE_DIR") + u"/tests/core/zipread/make_archives.py"_s;
    QProcess p;
    QStringList args{script, dir};
    if (small)
        args.append(u"--small"_s);
    p.start(u"python3"_s, args);
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return u"make_archives.py failed: "_s + QString::fromUtf8(p.readAllStandardError());
    return {};
}

QHash<QString, QByteArray> sourceTree(const QString &srcDir)
{
    QHash<QString, QByteArray> files;
    QDirIterator it(srcDir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        files.insert(path.mid(srcDir.size() + 1), sha256OfFile(path));
    }
    return files;
}

CentralDirectory centralDirectoryOf(const QString &archivePath)
{
    QFile f(archivePath);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const qint64 size = f.size();
    const qint64 tailSize = qMin<qint64>(size, 65536 + 22);
    f.seek(size - tailSize);
    const QByteArray tail = f.read(tailSize);
    const qsizetype eocd = tail.lastIndexOf("PK\x05\x06");
    if (eocd < 0 || eocd + 22 > tail.size())
        return {};
    const auto *p = reinterpret_cast<const uchar *>(tail.constData() + eocd);
    CentralDirectory cd{qFromLittleEndian<quint32>(p + 16), qFromLittleEndian<quint32>(p + 12)};
    const qsizetype locator = eocd - 20;
    if (locator >= 0 && tail.mid(locator, 4) == "PK\x06\x07") {
        const qint64 zip64End = qFromLittleEndian<qint64>(tail.constData() + locator + 8);
        f.seek(zip64End);
        const QByteArray record = f.read(56);
        if (record.startsWith("PK\x06\x06")) {
            cd.size = qFromLittleEndian<qint64>(record.constData() + 40);
            cd.offset = qFromLittleEndian<qint64>(record.constData() + 48);
        }
    }
    return cd;
}

Served servedByNginx(const QString &nginxPrefixDir, const QString &pathPart)
{
    Served served;
    QFile log(nginxPrefixDir + u"/logs/access.log"_s);
    if (!log.open(QIODevice::ReadOnly))
        return served;
    // 127.0.0.1:PORT "GET /path HTTP/1.1" STATUS BYTES "RANGE" rate=...
    static const QRegularExpression line(uR"re("[A-Z]+ (\S+) [^"]*" (\d+) (\d+) )re"_s);
    while (!log.atEnd()) {
        const QString text = QString::fromUtf8(log.readLine());
        const auto m = line.match(text);
        if (!m.hasMatch() || !m.captured(1).contains(pathPart))
            continue;
        served.bytes += m.captured(3).toLongLong();
        ++served.requests;
    }
    return served;
}

} // namespace ferry::test::zipread
