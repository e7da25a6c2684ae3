#include "clifixture.h"

#include "keyringsession.h"
#include "sandbox.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;

namespace ferry::test {

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

void CliFixture::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_cli = qEnvironmentVariable("FERRY_CLI");
    if (m_cli.isEmpty() || !QFileInfo(m_cli).isExecutable())
        QSKIP("FERRY_CLI does not name the ferry-cli binary; run this test through ctest.");
    m_body = deterministicBytes(kMiB + 12345, 0x5EEDu);
}

void CliFixture::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_outDir = m_tmp->filePath(u"out"_s);
    m_stateDir = m_tmp->filePath(u"state"_s);
    m_busAddress = KeyringSession::deadBusAddress(m_tmp->path());
    QVERIFY(QDir().mkpath(m_outDir));
    m_server = std::make_unique<FaultServer>();
    QVERIFY(m_server->start());
    m_server->setResource(m_path, Resource{m_body, "\"data-v1\"", {}, {}});
}

void CliFixture::cleanup()
{
    m_server.reset();
    if (QTest::currentTestFailed()) {
        m_tmp->setAutoRemove(false);
        qInfo("kept %s for inspection", qPrintable(m_tmp->path()));
    }
    m_tmp.reset();
}

QProcessEnvironment CliFixture::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // The server is on loopback; a proxy from the developer's shell must not sit in between.
    for (const auto *var :
         {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
        env.remove(QString::fromLatin1(var));
    // Should a run forget --state-dir, the default state folder lands in the sandbox too.
    env.insert(u"XDG_DATA_HOME"_s, m_tmp->filePath(u"xdg-data"_s));
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, m_busAddress);
    return env;
}

std::unique_ptr<QProcess> CliFixture::startCli(const QStringList &args) const
{
    auto proc = std::make_unique<QProcess>();
    proc->setProcessEnvironment(environment());
    proc->setWorkingDirectory(m_tmp->path());
    proc->start(m_cli, args);
    return proc;
}

CliResult CliFixture::runCli(const QStringList &args, int timeoutMs) const
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

QStringList CliFixture::withState(QStringList args) const
{
    return args << u"--state-dir"_s << m_stateDir;
}

QStringList CliFixture::getArgs(const QString &url, const QStringList &extra) const
{
    return withState(QStringList{u"get"_s, url, u"-d"_s, m_outDir} + extra);
}

Listing CliFixture::listJson() const
{
    const CliResult r = runCli(withState({u"list"_s, u"--json"_s}));
    Listing l;
    bool allObjects = false;
    l.entries = jsonLines(r.out, &allObjects);
    l.ok = r.finished && r.exitCode == 0 && allObjects;
    l.why = u"list --json: "_s + r.describe();
    return l;
}

CliFixture::SlowFile CliFixture::addSlowFile(const QString &name, quint32 seed)
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

CliResult CliFixture::collect(QProcess &proc)
{
    CliResult r;
    r.finished = proc.waitForFinished(kRunTimeoutMs) && proc.exitStatus() == QProcess::NormalExit;
    r.exitCode = proc.exitCode();
    r.out = proc.readAllStandardOutput();
    r.err = proc.readAllStandardError();
    return r;
}

QJsonObject CliFixture::getCompleted(const QString &url, const QStringList &extra)
{
    const CliResult r = runCli(getArgs(url, extra + QStringList{u"--json"_s}));
    [&] { VERIFY_EXIT(r, 0); }();
    const QList<QJsonObject> events = jsonLines(r.out);
    if (!r.finished || r.exitCode != 0 || events.isEmpty())
        return {};
    return events.last();
}

QJsonObject CliFixture::waitForProgress(QProcess &proc)
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

QStringList CliFixture::entriesIn(const QString &dir) const
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System |
                               QDir::NoDotAndDotDot);
}

void CliFixture::verifyContinued(const QString &path, qsizetype from, const QByteArray &etag) const
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

} // namespace ferry::test
