#include "zipreaders.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace ferry::test::zipreaders {

namespace {

constexpr int TimeoutMs = 240'000;

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString failure; // empty when the process ran to completion (any exit code)
};

Run run(const QString &program, const QStringList &args, const QString &stdinFile = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s); // names are printed as UTF-8
    p.setProcessEnvironment(env);
    if (!stdinFile.isEmpty())
        p.setStandardInputFile(stdinFile);
    p.start(program, args);
    Run r;
    if (!p.waitForStarted()) {
        r.failure = program + u" did not start"_s;
        return r;
    }
    if (!p.waitForFinished(TimeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.failure = program + u" timed out"_s;
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString describe(const QString &what, const Run &r)
{
    if (!r.failure.isEmpty())
        return r.failure;
    return u"%1 exited with %2: %3 %4"_s.arg(what)
        .arg(r.exitCode)
        .arg(QString::fromUtf8(r.out.right(2000)), QString::fromUtf8(r.err.right(2000)));
}

QStringList lines(const QByteArray &out)
{
    QStringList result = QString::fromUtf8(out).split(u'\n');
    while (!result.isEmpty() && result.last().isEmpty())
        result.removeLast();
    return result;
}

const char *const PythonScript = R"PY(
import hashlib, json, struct, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    entries = []
    hashed = int(sys.argv[2])
    infos = z.infolist()
    for n, i in enumerate(infos):
        ut = -1
        extra = i.extra
        while len(extra) >= 4:
            tag, size = struct.unpack('<HH', extra[:4])
            if tag == 0x5455 and size >= 5 and extra[4] & 1:
                ut = struct.unpack('<I', extra[5:9])[0]
            extra = extra[4 + size:]
        sha = ''
        if n >= len(infos) - hashed and i.file_size <= 256 * 1024 * 1024:
            h = hashlib.sha256()
            with z.open(i) as f:
                for block in iter(lambda: f.read(1 << 20), b''):
                    h.update(block)
            sha = h.hexdigest()
        entries.append({'name': i.filename, 'size': i.file_size, 'csize': i.compress_size,
                        'method': i.compress_type, 'flags': i.flag_bits,
                        'extractVersion': i.extract_version, 'createVersion': i.create_version,
                        'dateTime': list(i.date_time), 'ut': ut, 'sha256': sha})
    print(json.dumps({'bad': bad, 'entries': entries}))
)PY";

} // namespace

QStringList missingReaders()
{
    QStringList missing;
    if (QStandardPaths::findExecutable(u"unzip"_s).isEmpty())
        missing << u"unzip"_s;
    if (QStandardPaths::findExecutable(u"bsdtar"_s).isEmpty())
        missing << u"libarchive-tools (bsdtar)"_s;
    if (QStandardPaths::findExecutable(u"7z"_s).isEmpty())
        missing << u"p7zip-full (7z)"_s;
    if (!QFile::exists(u"/usr/bin/python3"_s))
        missing << u"python3"_s;
    return missing;
}

QString unzipTest(const QString &archive)
{
    const Run r = run(u"unzip"_s, {u"-tq"_s, archive});
    if (r.exitCode != 0 || !r.out.contains("No errors detected"))
        return describe(u"unzip -t"_s, r);
    return {};
}

QStringList unzipNames(const QString &archive)
{
    return lines(run(u"unzip"_s, {u"-Z1"_s, archive}).out);
}

QString pythonCheck(const QString &archive, QJsonObject *result, int hashLast)
{
    const Run r = run(u"/usr/bin/python3"_s, {u"-c"_s, QString::fromUtf8(PythonScript), archive,
                                              QString::number(hashLast)});
    if (r.exitCode != 0)
        return describe(u"python zipfile"_s, r);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
    if (!doc.isObject())
        return u"python zipfile printed no JSON: "_s + error.errorString();
    *result = doc.object();
    if (!result->value(u"bad"_s).isNull())
        return u"python zipfile testzip() reports a bad entry: "_s + result->value(u"bad"_s).toString();
    return {};
}

QString bsdtarList(const QString &archive, bool streamed, QStringList *names)
{
    const Run r = streamed ? run(u"bsdtar"_s, {u"-tf"_s, u"-"_s}, archive)
                           : run(u"bsdtar"_s, {u"-tf"_s, archive});
    if (r.exitCode != 0 || !r.err.isEmpty())
        return describe(streamed ? u"bsdtar -tf - <"_s : u"bsdtar -tf"_s, r);
    *names = lines(r.out);
    return {};
}

QString bsdtarExtractAll(const QString &archive, bool streamed, QByteArray *content)
{
    const Run r = streamed ? run(u"bsdtar"_s, {u"-xOf"_s, u"-"_s}, archive)
                           : run(u"bsdtar"_s, {u"-xOf"_s, archive});
    if (r.exitCode != 0 || !r.err.isEmpty())
        return describe(streamed ? u"bsdtar -xOf - <"_s : u"bsdtar -xOf"_s, r);
    *content = r.out;
    return {};
}

QString bsdtarExtractedSize(const QString &archive, bool streamed, qint64 *size)
{
    const QString script = streamed ? u"set -o pipefail; bsdtar -xOf - < \"$1\" | wc -c"_s
                                    : u"set -o pipefail; bsdtar -xOf \"$1\" | wc -c"_s;
    const Run r = run(u"bash"_s, {u"-c"_s, script, u"bash"_s, archive});
    bool ok = false;
    *size = QString::fromUtf8(r.out).trimmed().toLongLong(&ok);
    if (r.exitCode != 0 || !ok || !r.err.isEmpty())
        return describe(u"bsdtar -xOf | wc -c"_s, r);
    return {};
}

QString sevenZipTest(const QString &archive)
{
    const Run r = run(u"7z"_s, {u"t"_s, archive});
    if (r.exitCode != 0 || !r.out.contains("Everything is Ok"))
        return describe(u"7z t"_s, r);
    return {};
}

} // namespace ferry::test::zipreaders
