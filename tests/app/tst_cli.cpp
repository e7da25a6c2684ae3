#include "faultserver.h"
#include "sandbox.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace ferry::test;

namespace {

constexpr qint64 kKiB = 1024;
constexpr qint64 kMiB = 1024 * 1024;
// Generous: the machine may be busy with a benchmark. Nothing here asserts a duration.
constexpr int kRunTimeoutMs = 120'000;

// A run ended by itself with exit code `code`; otherwise the test fails showing what it printed.
#define VERIFY_EXIT(result, code)                                                                  \
    QVERIFY2((result).finished && (result).exitCode == (code), qPrintable((result).describe()))

struct CliResult
{
    bool finished = false; // ended by itself, without crashing, within the timeout
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    QString describe() const
    {
        return u"exit %1 (finished: %2)\nstderr: %3\nstdout: %4"_s.arg(exitCode)
            .arg(finished ? u"yes"_s : u"no"_s)
            .arg(QString::fromLocal8Bit(err), QString::fromLocal8Bit(out));
    }
};

// Every non-empty line of `bytes` as a JSON object; *allObjects is false if any line is not one.
QList<QJsonObject> jsonLines(const QByteArray &bytes, bool *allObjects)
{
    QList<QJsonObject> objects;
    *allObjects = true;
    for (const QByteArray &line : bytes.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            *allObjects = false;
            continue;
        }
        objects.append(doc.object());
    }
    return objects;
}

// Rows of the text `list`: id -> state column.
QHash<qint64, QString> listRows(const QByteArray &text)
{
    static const QRegularExpression row(u"^(\\d+)\\s+(\\S+)"_s);
    QHash<qint64, QString> rows;
    for (const QByteArray &line : text.split('\n')) {
        const auto m = row.match(QString::fromLocal8Bit(line));
        if (m.hasMatch())
            rows.insert(m.captured(1).toLongLong(), m.captured(2));
    }
    return rows;
}

struct Listing
{
    bool ok = false; // exit 0 and nothing but JSON objects
    QString why;     // the run, for failure messages
    QList<QJsonObject> entries;
};

QByteArray headerValue(const RequestRecord &r, const QByteArray &name)
{
    for (const auto &h : r.headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

} // namespace

// What a user of the command line relies on, checked against the real ferry-cli binary: exit
// codes, messages, the files it leaves, and the JSON a script reads.
class CliTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void help_listsEveryCommandAndExitCodes();
    void version_printsNameAndVersion();
    void usage_errorsExitTwoWithMessageAndCreateNoFiles_data();
    void usage_errorsExitTwoWithMessageAndCreateNoFiles();
    void usage_pauseWithoutIdAfterStateDirNamesTheCommand();
    void get_badInputExitsTwoAndRecordsNothing_data();
    void get_badInputExitsTwoAndRecordsNothing();
    void get_savesByteExactFileAndSaysSaved();
    void get_outputNameIsUsedForTheFile();
    void get_jsonPrintsOneObjectPerLineEndingWithCompleted();
    void get_rightChecksumExitsZero();
    void get_wrongChecksumExitsOneAndKeepsNoFinalFile();
    void get_notFoundExitsOneAndLeavesFolderEmpty();
    void get_sameUrlAfterCompletionSavesNumberedCopy();
    void list_showsEveryDownloadAsTextAndJson();
    void pause_fromAnotherProcessStopsGetWithExitFourAndResumeFinishes();
    void get_sigtermPausesAndSameCommandResumes();
    void remove_deleteFileRemovesFileAndEntry();
    void remove_withoutDeleteFileKeepsTheFile();
    void remove_unknownIdExitsTwo();
    void get_headersReachEveryRequestAndSecretsStayOutOfStateDir();
    void state_processesStartedTogetherOnFreshFolderAllOpenIt();

private:
    QProcessEnvironment environment() const;
    std::unique_ptr<QProcess> startCli(const QStringList &args) const;
    CliResult runCli(const QStringList &args, int timeoutMs = kRunTimeoutMs) const;
    QStringList withState(QStringList args) const;
    QStringList getArgs(const QString &url, const QStringList &extra = {}) const;
    Listing listJson() const;
    // Runs `get --json` and returns its final event; fails the test unless it completed.
    QJsonObject getCompleted(const QString &url, const QStringList &extra = {});
    // Waits until `list --json` shows the single download with bytes done while `proc` (a `get`
    // just started) still runs.
    QJsonObject waitForProgress(QProcess &proc);
    QStringList entriesIn(const QString &dir) const;
    // A file served at 256 KiB/s per connection, and a state database created beforehand so
    // that `list` runs started next to `get` never race to create it (see
    // state_processesStartedTogetherOnFreshFolderAllOpenIt).
    struct SlowFile
    {
        QByteArray body;
        QString path;
        QByteArray etag;
        QString finalPath;
        QString partPath;
    };
    SlowFile addSlowFile(const QString &name, quint32 seed);
    // Waits for a stopped `get` and collects what it printed.
    static CliResult collect(QProcess &proc);
    // Every GET from request `from` on continued the partial file: a range checked with If-Range,
    // never the open "bytes=0-" of a fresh start.
    void verifyContinued(const QString &path, qsizetype from, const QByteArray &etag) const;

    QString m_cli;
    std::unique_ptr<QTemporaryDir> m_tmp;
    std::unique_ptr<FaultServer> m_server;
    QString m_outDir;
    QString m_stateDir; // not created up front: usage errors must leave it absent
    QByteArray m_body;
    QString m_path = u"/files/data.bin"_s;
};

void CliTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_cli = qEnvironmentVariable("FERRY_CLI");
    if (m_cli.isEmpty() || !QFileInfo(m_cli).isExecutable())
        QSKIP("FERRY_CLI does not name the ferry-cli binary; run this test through ctest.");
    m_body = deterministicBytes(kMiB + 12345, 0x5EEDu);
}

void CliTest::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_outDir = m_tmp->filePath(u"out"_s);
    m_stateDir = m_tmp->filePath(u"state"_s);
    QVERIFY(QDir().mkpath(m_outDir));
    m_server = std::make_unique<FaultServer>();
    QVERIFY(m_server->start());
    m_server->setResource(m_path, Resource{m_body, "\"data-v1\"", {}, {}});
}

void CliTest::cleanup()
{
    m_server.reset();
    if (QTest::currentTestFailed()) {
        m_tmp->setAutoRemove(false);
        qInfo("kept %s for inspection", qPrintable(m_tmp->path()));
    }
    m_tmp.reset();
}

QProcessEnvironment CliTest::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // The server is on loopback; a proxy from the developer's shell must not sit in between.
    for (const auto *var :
         {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
        env.remove(QString::fromLatin1(var));
    // Should a run forget --state-dir, the default state folder lands in the sandbox too.
    env.insert(u"XDG_DATA_HOME"_s, m_tmp->filePath(u"xdg-data"_s));
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    return env;
}

std::unique_ptr<QProcess> CliTest::startCli(const QStringList &args) const
{
    auto proc = std::make_unique<QProcess>();
    proc->setProcessEnvironment(environment());
    proc->setWorkingDirectory(m_tmp->path());
    proc->start(m_cli, args);
    return proc;
}

CliResult CliTest::runCli(const QStringList &args, int timeoutMs) const
{
    CliResult r;
    const auto proc = startCli(args);
    if (!proc->waitForStarted(10'000)) {
        r.err = proc->errorString().toLocal8Bit();
        return r;
    }
    if (!proc->waitForFinished(timeoutMs)) {
        proc->kill();
        proc->waitForFinished(10'000);
    } else {
        r.finished = proc->exitStatus() == QProcess::NormalExit;
    }
    r.exitCode = proc->exitCode();
    r.out = proc->readAllStandardOutput();
    r.err = proc->readAllStandardError();
    return r;
}

QStringList CliTest::withState(QStringList args) const
{
    return args << u"--state-dir"_s << m_stateDir;
}

QStringList CliTest::getArgs(const QString &url, const QStringList &extra) const
{
    return withState(QStringList{u"get"_s, url, u"-d"_s, m_outDir} + extra);
}

Listing CliTest::listJson() const
{
    const CliResult r = runCli(withState({u"list"_s, u"--json"_s}));
    Listing l;
    bool allObjects = false;
    l.entries = jsonLines(r.out, &allObjects);
    l.ok = r.finished && r.exitCode == 0 && allObjects;
    l.why = u"list --json: "_s + r.describe();
    return l;
}

CliTest::SlowFile CliTest::addSlowFile(const QString &name, quint32 seed)
{
    // 2 connections x 256 KiB/s: 8 MiB take about 16 s, far longer than a test needs to act.
    SlowFile f{deterministicBytes(8 * kMiB, seed), u"/files/"_s + name, "\"slow-v1\"",
               m_outDir + u'/' + name, m_outDir + u'/' + name + u".part"_s};
    m_server->setResource(f.path, Resource{f.body, f.etag, {}, {}});
    Faults slow;
    slow.bytesPerSecond = 256 * kKiB;
    m_server->setFaults(f.path, slow);
    const CliResult r = runCli(withState({u"list"_s}));
    [&] {
        VERIFY_EXIT(r, 0);
        QCOMPARE(r.out, QByteArray("No downloads.\n"));
    }();
    return f;
}

CliResult CliTest::collect(QProcess &proc)
{
    CliResult r;
    r.finished = proc.waitForFinished(kRunTimeoutMs) && proc.exitStatus() == QProcess::NormalExit;
    r.exitCode = proc.exitCode();
    r.out = proc.readAllStandardOutput();
    r.err = proc.readAllStandardError();
    return r;
}

QJsonObject CliTest::getCompleted(const QString &url, const QStringList &extra)
{
    const CliResult r = runCli(getArgs(url, extra + QStringList{u"--json"_s}));
    [&] { VERIFY_EXIT(r, 0); }();
    bool allObjects = false;
    const QList<QJsonObject> events = jsonLines(r.out, &allObjects);
    if (!r.finished || r.exitCode != 0 || events.isEmpty())
        return {};
    return events.last();
}

QJsonObject CliTest::waitForProgress(QProcess &proc)
{
    QJsonObject entry;
    const auto runningWithBytes = [&] {
        // Tolerates failed runs: while `get` creates a fresh database, `list` can find it locked.
        const Listing l = listJson();
        entry = l.ok && l.entries.size() == 1 ? l.entries.first() : QJsonObject();
        return proc.state() != QProcess::Running || entry.value(u"done"_s).toInteger() > 0;
    };
    [&] {
        QVERIFY2(proc.waitForStarted(10'000), qPrintable(proc.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(runningWithBytes(), kRunTimeoutMs);
        QVERIFY2(
            proc.state() == QProcess::Running,
            qPrintable(u"get ended before it could be stopped (exit %1): %2"_s.arg(proc.exitCode())
                           .arg(QString::fromLocal8Bit(proc.readAllStandardError()))));
    }();
    return entry;
}

QStringList CliTest::entriesIn(const QString &dir) const
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System |
                               QDir::NoDotAndDotDot);
}

void CliTest::verifyContinued(const QString &path, qsizetype from, const QByteArray &etag) const
{
    const QList<RequestRecord> requests = m_server->requests(path);
    QVERIFY(requests.size() > from);
    for (const RequestRecord &r : requests.mid(from)) {
        if (r.method != "GET")
            continue;
        QVERIFY2(!r.range.isEmpty() && r.range != "bytes=0-",
                 qPrintable(u"started over: Range '%1'"_s.arg(QString::fromLatin1(r.range))));
        QCOMPARE(r.ifRange, etag);
    }
}

void CliTest::help_listsEveryCommandAndExitCodes()
{
    for (const QString &flag : {u"--help"_s, u"-h"_s}) {
        const CliResult r = runCli({flag});
        VERIFY_EXIT(r, 0);
        const QString help = QString::fromLocal8Bit(r.out);
        for (const QString &command : {u"get"_s, u"list"_s, u"resume"_s, u"pause"_s, u"remove"_s}) {
            const QRegularExpression listed(u"^\\s+%1\\b"_s.arg(command),
                                            QRegularExpression::MultilineOption);
            QVERIFY2(help.contains(listed), qPrintable(command + u" is not listed:\n"_s + help));
        }
        const qsizetype codes = help.indexOf(u"Exit codes"_s);
        QVERIFY2(codes >= 0, qPrintable(help));
        const QString codeText = help.mid(codes);
        for (int code = 0; code <= 4; ++code) {
            QVERIFY2(codeText.contains(QRegularExpression(u"\\b%1 [a-z]"_s.arg(code))),
                     qPrintable(u"exit code %1 is not explained:\n"_s.arg(code) + codeText));
        }
    }
}

void CliTest::version_printsNameAndVersion()
{
    const CliResult r = runCli({u"--version"_s});
    VERIFY_EXIT(r, 0);
    QCOMPARE(r.out, QByteArray("ferry-cli " FERRY_VERSION "\n"));
    QVERIFY(QRegularExpression(u"^ferry-cli \\d+\\.\\d+\\.\\d+\\n$"_s)
                .match(QString::fromLatin1(r.out))
                .hasMatch());
}

void CliTest::usage_errorsExitTwoWithMessageAndCreateNoFiles_data()
{
    // "@url" and "@url2" stand for addresses on the test server; rows without "@state" get the
    // state folder and -d appended.
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown command")
        << QStringList{u"fetch"_s, u"@url"_s} << u"Unknown command 'fetch'"_s;
    QTest::newRow("unknown option")
        << QStringList{u"get"_s, u"@url"_s, u"--frobnicate"_s} << u"Unknown option --frobnicate"_s;
    QTest::newRow("get without URL") << QStringList{u"get"_s} << u"get needs at least one URL"_s;
    QTest::newRow("-s 0") << QStringList{u"get"_s, u"@url"_s, u"-s"_s, u"0"_s}
                          << u"from 1 to 32, got '0'"_s;
    QTest::newRow("-s 33") << QStringList{u"get"_s, u"@url"_s, u"-s"_s, u"33"_s}
                           << u"from 1 to 32, got '33'"_s;
    QTest::newRow("--limit fast") << QStringList{u"get"_s, u"@url"_s, u"--limit"_s, u"fast"_s}
                                  << u"Not a speed: 'fast'"_s;
    QTest::newRow("-H without colon") << QStringList{u"get"_s, u"@url"_s, u"-H"_s, u"no colon"_s}
                                      << u"Not a header: 'no colon'"_s;
    QTest::newRow("-o with two URLs")
        << QStringList{u"get"_s, u"@url"_s, u"@url2"_s, u"-o"_s, u"name"_s}
        << u"-o names one file"_s;
    QTest::newRow("pause without id")
        << QStringList{u"pause"_s} << u"pause needs at least one download id"_s;
    QTest::newRow("pause abc") << QStringList{u"pause"_s, u"abc"_s}
                               << u"'abc' is not a download id"_s;
    QTest::newRow("option without value")
        << QStringList{u"--state-dir"_s, u"@state"_s, u"get"_s, u"@url"_s,
                       u"-d"_s,          u"@out"_s,   u"-s"_s}
        << u"-s needs a value"_s;
}

void CliTest::usage_errorsExitTwoWithMessageAndCreateNoFiles()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    args.replaceInStrings(u"@url2"_s, m_server->url(u"/files/other.bin"_s).toString());
    args.replaceInStrings(u"@url"_s, m_server->url(m_path).toString());
    // Appended last so that the parser meets the error first.
    if (!args.contains(u"@state"_s))
        args << u"-d"_s << u"@out"_s << u"--state-dir"_s << u"@state"_s;
    args.replaceInStrings(u"@state"_s, m_stateDir);
    args.replaceInStrings(u"@out"_s, m_outDir);

    const CliResult r = runCli(args);
    VERIFY_EXIT(r, 2);
    const QString err = QString::fromLocal8Bit(r.err);
    QVERIFY2(err.startsWith(u"ferry-cli: "_s), qPrintable(err));
    QVERIFY2(err.contains(message), qPrintable(err));
    QVERIFY2(r.out.isEmpty(), r.out.constData());
    QCOMPARE(entriesIn(m_tmp->path()), QStringList{u"out"_s});
    QCOMPARE(entriesIn(m_outDir), QStringList());
    QCOMPARE(m_server->requests().size(), 0);
}

void CliTest::usage_pauseWithoutIdAfterStateDirNamesTheCommand()
{
    // The order --help shows: "ferry-cli [--state-dir DIR] COMMAND [OPTIONS]".
    const CliResult r = runCli({u"--state-dir"_s, m_stateDir, u"pause"_s});
    VERIFY_EXIT(r, 2);
    QVERIFY(!QFileInfo::exists(m_stateDir));
    const QString err = QString::fromLocal8Bit(r.err);
    QVERIFY2(err.contains(u"pause needs at least one download id"_s), qPrintable(err));
}

void CliTest::get_badInputExitsTwoAndRecordsNothing_data()
{
    // "@url" is the test file, "@missing" a folder that does not exist.
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("ftp") << QStringList{u"ftp://127.0.0.1/x"_s} << u"only http and https"_s;
    QTest::newRow("missing folder")
        << QStringList{u"@url"_s, u"-d"_s, u"@missing"_s} << u"does not exist"_s;
    QTest::newRow("sha256=abc") << QStringList{u"@url"_s, u"--checksum"_s, u"sha256=abc"_s}
                                << u"sha256 checksum must be 64 hex digits, got 3"_s;
    QTest::newRow("checksum without algorithm")
        << QStringList{u"@url"_s, u"--checksum"_s, QString(64, u'a')} << u"sha256=<hex"_s;
    QTest::newRow("unknown checksum algorithm")
        << QStringList{u"@url"_s, u"--checksum"_s, u"crc32=aaaaaaaa"_s}
        << u"Unknown checksum algorithm"_s;
}

void CliTest::get_badInputExitsTwoAndRecordsNothing()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const QString missing = m_tmp->filePath(u"does-not-exist"_s);
    args.replaceInStrings(u"@url"_s, m_server->url(m_path).toString());
    args.replaceInStrings(u"@missing"_s, missing);
    // A row's own -d comes later and wins: the parser keeps the last value.
    const CliResult r = runCli(withState(QStringList{u"get"_s, u"-d"_s, m_outDir} + args));
    VERIFY_EXIT(r, 2);
    const QString err = QString::fromLocal8Bit(r.err);
    QVERIFY2(err.startsWith(u"ferry-cli: "_s) && err.contains(message), qPrintable(err));
    QCOMPARE(entriesIn(m_outDir), QStringList());
    QVERIFY(!QFileInfo::exists(missing));
    QCOMPARE(m_server->requests().size(), 0);
    const Listing l = listJson();
    QVERIFY2(l.ok, qPrintable(l.why));
    QCOMPARE(l.entries.size(), 0);
}

void CliTest::get_savesByteExactFileAndSaysSaved()
{
    const CliResult r = runCli(getArgs(m_server->url(m_path).toString()));
    VERIFY_EXIT(r, 0);
    const QString finalPath = m_outDir + u"/data.bin"_s;
    QCOMPARE(sha256OfFile(finalPath), sha256Hex(m_body));
    QCOMPARE(entriesIn(m_outDir), QStringList{u"data.bin"_s});
    const QString err = QString::fromLocal8Bit(r.err);
    QVERIFY2(err.contains(u"Saved "_s + finalPath), qPrintable(err));
}

void CliTest::get_outputNameIsUsedForTheFile()
{
    const CliResult r =
        runCli(getArgs(m_server->url(m_path).toString(), {u"-o"_s, u"custom.bin"_s}));
    VERIFY_EXIT(r, 0);
    QCOMPARE(entriesIn(m_outDir), QStringList{u"custom.bin"_s});
    QCOMPARE(sha256OfFile(m_outDir + u"/custom.bin"_s), sha256Hex(m_body));
}

void CliTest::get_jsonPrintsOneObjectPerLineEndingWithCompleted()
{
    const CliResult r = runCli(getArgs(m_server->url(m_path).toString(), {u"--json"_s}));
    VERIFY_EXIT(r, 0);
    bool allObjects = false;
    const QList<QJsonObject> events = jsonLines(r.out, &allObjects);
    QVERIFY2(allObjects, r.out.constData());
    QVERIFY(!events.isEmpty());
    QVERIFY(r.out.endsWith('\n'));
    const QJsonObject last = events.last();
    const QString finalPath = m_outDir + u"/data.bin"_s;
    QCOMPARE(last.value(u"event"_s).toString(), u"completed"_s);
    QCOMPARE(last.value(u"state"_s).toString(), u"completed"_s);
    QCOMPARE(last.value(u"file"_s).toString(), finalPath);
    QCOMPARE(last.value(u"total"_s).toInteger(), qint64(m_body.size()));
    QCOMPARE(last.value(u"done"_s).toInteger(), last.value(u"total"_s).toInteger());
    QVERIFY(last.value(u"id"_s).toInteger() > 0);
    for (const QJsonObject &e : events.first(events.size() - 1))
        QCOMPARE(e.value(u"event"_s).toString(), u"progress"_s);
    QCOMPARE(sha256OfFile(finalPath), sha256Hex(m_body));
}

void CliTest::get_rightChecksumExitsZero()
{
    const QString spec = u"sha256="_s + QString::fromLatin1(sha256Hex(m_body));
    const CliResult r = runCli(getArgs(m_server->url(m_path).toString(), {u"--checksum"_s, spec}));
    VERIFY_EXIT(r, 0);
    QCOMPARE(sha256OfFile(m_outDir + u"/data.bin"_s), sha256Hex(m_body));
}

void CliTest::get_wrongChecksumExitsOneAndKeepsNoFinalFile()
{
    const QString spec = u"sha256="_s + QString(64, u'a');
    const CliResult r = runCli(getArgs(m_server->url(m_path).toString(), {u"--checksum"_s, spec}));
    VERIFY_EXIT(r, 1);
    QVERIFY2(QString::fromLocal8Bit(r.err).contains(u"checksum does not match"_s),
             r.err.constData());
    QVERIFY(!QFileInfo::exists(m_outDir + u"/data.bin"_s));
    const Listing listed = listJson();
    QVERIFY2(listed.ok && listed.entries.size() == 1, qPrintable(listed.why));
    QCOMPARE(listed.entries.first().value(u"state"_s).toString(), u"failed"_s);
}

void CliTest::get_notFoundExitsOneAndLeavesFolderEmpty()
{
    const CliResult r = runCli(getArgs(m_server->url(u"/files/missing.bin"_s).toString()));
    VERIFY_EXIT(r, 1);
    QVERIFY2(QString::fromLocal8Bit(r.err).contains(u"(404"_s), r.err.constData());
    QCOMPARE(entriesIn(m_outDir), QStringList());
}

void CliTest::get_sameUrlAfterCompletionSavesNumberedCopy()
{
    const QString url = m_server->url(m_path).toString();
    const QJsonObject first = getCompleted(url);
    if (QTest::currentTestFailed())
        return;
    const QByteArray firstMtime =
        QFileInfo(m_outDir + u"/data.bin"_s).lastModified().toString(Qt::ISODateWithMs).toLatin1();
    const QJsonObject second = getCompleted(url);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(first.value(u"file"_s).toString(), m_outDir + u"/data.bin"_s);
    QCOMPARE(second.value(u"file"_s).toString(), m_outDir + u"/data (1).bin"_s);
    QVERIFY(second.value(u"id"_s).toInteger() != first.value(u"id"_s).toInteger());
    QCOMPARE(entriesIn(m_outDir), (QStringList{u"data (1).bin"_s, u"data.bin"_s}));
    QCOMPARE(sha256OfFile(m_outDir + u"/data.bin"_s), sha256Hex(m_body));
    QCOMPARE(sha256OfFile(m_outDir + u"/data (1).bin"_s), sha256Hex(m_body));
    QCOMPARE(
        QFileInfo(m_outDir + u"/data.bin"_s).lastModified().toString(Qt::ISODateWithMs).toLatin1(),
        firstMtime);
}

void CliTest::list_showsEveryDownloadAsTextAndJson()
{
    const QByteArray otherBody = deterministicBytes(300 * kKiB, 0xD00Du);
    m_server->setResource(u"/files/other.bin"_s, Resource{otherBody, "\"other-v1\"", {}, {}});
    const qint64 a = getCompleted(m_server->url(m_path).toString()).value(u"id"_s).toInteger();
    const qint64 b =
        getCompleted(m_server->url(u"/files/other.bin"_s).toString()).value(u"id"_s).toInteger();
    if (QTest::currentTestFailed())
        return;
    QVERIFY(a > 0 && b > 0 && a != b);

    const CliResult text = runCli(withState({u"list"_s}));
    VERIFY_EXIT(text, 0);
    const QHash<qint64, QString> rows = listRows(text.out);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.value(a), u"completed"_s);
    QCOMPARE(rows.value(b), u"completed"_s);
    QVERIFY(text.out.contains((m_outDir + u"/data.bin"_s).toLocal8Bit()));
    QVERIFY(text.out.contains((m_outDir + u"/other.bin"_s).toLocal8Bit()));

    const CliResult json = runCli(withState({u"list"_s, u"--json"_s}));
    VERIFY_EXIT(json, 0);
    bool allObjects = false;
    const QList<QJsonObject> objects = jsonLines(json.out, &allObjects);
    QVERIFY2(allObjects, json.out.constData());
    QCOMPARE(objects.size(), 2);
    QCOMPARE(json.out.count('\n'), 2);
    QSet<qint64> ids;
    for (const QJsonObject &o : objects) {
        ids.insert(o.value(u"id"_s).toInteger());
        QCOMPARE(o.value(u"state"_s).toString(), u"completed"_s);
        QCOMPARE(o.value(u"done"_s).toInteger(), o.value(u"total"_s).toInteger());
    }
    QCOMPARE(ids, (QSet<qint64>{a, b}));
}

void CliTest::pause_fromAnotherProcessStopsGetWithExitFourAndResumeFinishes()
{
    const SlowFile f = addSlowFile(u"slow.bin"_s, 0xFA57u);
    if (QTest::currentTestFailed())
        return;
    const auto get = startCli(getArgs(m_server->url(f.path).toString(), {u"-s"_s, u"2"_s}));
    const QJsonObject running = waitForProgress(*get);
    if (QTest::currentTestFailed())
        return;
    const qint64 id = running.value(u"id"_s).toInteger();
    QVERIFY(id > 0);
    QCOMPARE(running.value(u"total"_s).toInteger(), qint64(f.body.size()));
    // A script reading list --json should learn what the text list tells a person: that the
    // download is being transferred right now.
    const QString jsonState = running.value(u"state"_s).toString();
    QVERIFY2(jsonState == u"downloading"_s || jsonState == u"running"_s,
             QJsonDocument(running).toJson(QJsonDocument::Compact).constData());
    const CliResult text = runCli(withState({u"list"_s}));
    VERIFY_EXIT(text, 0);
    QCOMPARE(listRows(text.out).value(id), u"running"_s);

    const CliResult pause = runCli(withState({u"pause"_s, QString::number(id)}));
    VERIFY_EXIT(pause, 0);
    QVERIFY2(
        QString::fromLocal8Bit(pause.err).contains(u"Asked process %1"_s.arg(get->processId())),
        pause.err.constData());
    const CliResult stopped = collect(*get);
    VERIFY_EXIT(stopped, 4);
    QVERIFY(QFileInfo::exists(f.partPath));
    QVERIFY(!QFileInfo::exists(f.finalPath));
    const Listing paused = listJson();
    QVERIFY2(paused.ok && paused.entries.size() == 1, qPrintable(paused.why));
    QCOMPARE(paused.entries.first().value(u"state"_s).toString(), u"paused"_s);
    const qint64 pausedDone = paused.entries.first().value(u"done"_s).toInteger();
    QVERIFY2(pausedDone > 0 && pausedDone < f.body.size(), qPrintable(paused.why));

    // Full speed for the rest; resuming must not start over.
    m_server->setFaults(f.path, Faults{});
    const qsizetype requestsBefore = m_server->requests(f.path).size();
    const CliResult resume = runCli(withState({u"resume"_s, QString::number(id)}));
    VERIFY_EXIT(resume, 0);
    QCOMPARE(sha256OfFile(f.finalPath), sha256Hex(f.body));
    QVERIFY(!QFileInfo::exists(f.partPath));
    verifyContinued(f.path, requestsBefore, f.etag);
}

void CliTest::get_sigtermPausesAndSameCommandResumes()
{
    const SlowFile f = addSlowFile(u"term.bin"_s, 0x7E2Au);
    if (QTest::currentTestFailed())
        return;
    const QStringList args = getArgs(m_server->url(f.path).toString(), {u"-s"_s, u"2"_s});
    const auto get = startCli(args);
    waitForProgress(*get);
    if (QTest::currentTestFailed())
        return;
    get->terminate(); // SIGTERM
    const CliResult stopped = collect(*get);
    VERIFY_EXIT(stopped, 4);
    QVERIFY(QFileInfo::exists(f.partPath));
    QVERIFY(!QFileInfo::exists(f.finalPath));
    const Listing paused = listJson();
    QVERIFY2(paused.ok && paused.entries.size() == 1, qPrintable(paused.why));
    QCOMPARE(paused.entries.first().value(u"state"_s).toString(), u"paused"_s);
    QVERIFY2(paused.entries.first().value(u"done"_s).toInteger() > 0, qPrintable(paused.why));
    const qint64 id = paused.entries.first().value(u"id"_s).toInteger();

    m_server->setFaults(f.path, Faults{});
    const qsizetype requestsBefore = m_server->requests(f.path).size();
    const CliResult again = runCli(args);
    VERIFY_EXIT(again, 0);
    QCOMPARE(sha256OfFile(f.finalPath), sha256Hex(f.body));
    QCOMPARE(entriesIn(m_outDir), QStringList{u"term.bin"_s});
    verifyContinued(f.path, requestsBefore, f.etag);
    const Listing done = listJson();
    QVERIFY2(done.ok && done.entries.size() == 1, qPrintable(done.why));
    QCOMPARE(done.entries.first().value(u"id"_s).toInteger(), id);
    QCOMPARE(done.entries.first().value(u"state"_s).toString(), u"completed"_s);
}

void CliTest::remove_deleteFileRemovesFileAndEntry()
{
    const QJsonObject completed = getCompleted(m_server->url(m_path).toString());
    if (QTest::currentTestFailed())
        return;
    const qint64 id = completed.value(u"id"_s).toInteger();
    const QString file = completed.value(u"file"_s).toString();
    QVERIFY(QFileInfo::exists(file));

    const CliResult r = runCli(withState({u"remove"_s, QString::number(id), u"--delete-file"_s}));
    VERIFY_EXIT(r, 0);
    QVERIFY(!QFileInfo::exists(file));
    QCOMPARE(entriesIn(m_outDir), QStringList());
    const CliResult list = runCli(withState({u"list"_s}));
    VERIFY_EXIT(list, 0);
    QVERIFY2(!listRows(list.out).contains(id), list.out.constData());
    const Listing l = listJson();
    QVERIFY2(l.ok, qPrintable(l.why));
    QCOMPARE(l.entries.size(), 0);
}

void CliTest::remove_withoutDeleteFileKeepsTheFile()
{
    const QJsonObject completed = getCompleted(m_server->url(m_path).toString());
    if (QTest::currentTestFailed())
        return;
    const qint64 id = completed.value(u"id"_s).toInteger();
    const QString file = completed.value(u"file"_s).toString();

    const CliResult r = runCli(withState({u"remove"_s, QString::number(id)}));
    VERIFY_EXIT(r, 0);
    QCOMPARE(sha256OfFile(file), sha256Hex(m_body));
    const Listing l = listJson();
    QVERIFY2(l.ok, qPrintable(l.why));
    QCOMPARE(l.entries.size(), 0);
}

void CliTest::remove_unknownIdExitsTwo()
{
    const CliResult r = runCli(withState({u"remove"_s, u"999"_s}));
    VERIFY_EXIT(r, 2);
    QVERIFY2(QString::fromLocal8Bit(r.err).contains(u"999"_s), r.err.constData());
}

void CliTest::get_headersReachEveryRequestAndSecretsStayOutOfStateDir()
{
    const CliResult r = runCli(getArgs(m_server->url(m_path).toString(),
                                       {u"-s"_s, u"4"_s, u"-H"_s, u"X-Test: 1"_s, u"-H"_s,
                                        u"Authorization: Bearer SECRET-XYZ"_s}));
    VERIFY_EXIT(r, 0);
    QCOMPARE(sha256OfFile(m_outDir + u"/data.bin"_s), sha256Hex(m_body));

    const QList<RequestRecord> requests = m_server->requests(m_path);
    QVERIFY(!requests.isEmpty());
    for (const RequestRecord &req : requests) {
        const QByteArray what = req.method + ' ' + req.range;
        QVERIFY2(headerValue(req, "X-Test") == "1", what.constData());
        QVERIFY2(headerValue(req, "Authorization") == "Bearer SECRET-XYZ", what.constData());
    }

    QDirIterator it(m_stateDir, QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        const QString file = it.next();
        ++files;
        QVERIFY2(!readFile(file).contains("SECRET-XYZ"), qPrintable(file));
    }
    QVERIFY(files > 0);
}

void CliTest::state_processesStartedTogetherOnFreshFolderAllOpenIt()
{
    // A script may well start several ferry-cli at once on a new machine. Every one of them must
    // open the state folder; "database is locked" (exit 3) is not a state a user can fix.
    constexpr int rounds = 20;
    constexpr int together = 4;
    QString firstFailure;
    for (int round = 0; round < rounds && firstFailure.isEmpty(); ++round) {
        const QString stateDir = m_tmp->filePath(u"state-%1"_s.arg(round));
        std::vector<std::unique_ptr<QProcess>> procs;
        for (int i = 0; i < together; ++i)
            procs.push_back(startCli({u"list"_s, u"--json"_s, u"--state-dir"_s, stateDir}));
        for (const auto &proc : procs) {
            QVERIFY(proc->waitForFinished(kRunTimeoutMs));
            if (proc->exitStatus() != QProcess::NormalExit || proc->exitCode() != 0) {
                firstFailure = u"round %1: exit %2: %3"_s.arg(round)
                                   .arg(proc->exitCode())
                                   .arg(QString::fromLocal8Bit(proc->readAllStandardError()));
            }
        }
    }
    if (!firstFailure.isEmpty())
        qInfo("%s", qPrintable(firstFailure.trimmed()));
    QVERIFY2(firstFailure.isEmpty(), qPrintable(firstFailure));
}

QTEST_GUILESS_MAIN(CliTest)
#include "tst_cli.moc"
