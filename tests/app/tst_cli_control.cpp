#include "clifixture.h"
#include "sandbox.h"

#include <QDirIterator>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace ferry::test;

namespace {

QByteArray headerValue(const RequestRecord &r, const QByteArray &name)
{
    for (const auto &h : r.headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

} // namespace

// ferry-cli downloads controlled from outside, checked against the real binary: a pause asked by
// another process or a SIGTERM, the request headers a user gives, and several processes opening
// one state folder together.
class CliControlTest final : public CliFixture
{
    Q_OBJECT

private slots:
    void pause_fromAnotherProcessStopsGetWithExitFourAndResumeFinishes();
    void get_sigtermPausesAndSameCommandResumes();
    void get_headersReachEveryRequestAndSecretsStayOutOfStateDir();
    void state_processesStartedTogetherOnFreshFolderAllOpenIt();
};

void CliControlTest::pause_fromAnotherProcessStopsGetWithExitFourAndResumeFinishes()
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

void CliControlTest::get_sigtermPausesAndSameCommandResumes()
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

void CliControlTest::get_headersReachEveryRequestAndSecretsStayOutOfStateDir()
{
    const CliResult r = runCli(getArgs(m_server->url(m_path).toString(),
                                       {u"-s"_s, u"4"_s, u"-H"_s, u"X-Test: 1"_s, u"-H"_s,
                                        u"Authorization: Bearer SECRET-XYZ"_s, u"-H"_s,
                                        u"X-Auth-Key: SECRET-AK"_s, u"-H"_s,
                                        u"Ocp-Apim-Subscription-Key: SECRET-SUB"_s}));
    VERIFY_EXIT(r, 0);
    QCOMPARE(sha256OfFile(m_outDir + u"/data.bin"_s), sha256Hex(m_body));

    const QList<RequestRecord> requests = m_server->requests(m_path);
    QVERIFY(!requests.isEmpty());
    for (const RequestRecord &req : requests) {
        const QByteArray what = req.method + ' ' + req.range;
        QVERIFY2(headerValue(req, "X-Test") == "1", what.constData());
        QVERIFY2(headerValue(req, "Authorization") == "Bearer SECRET-XYZ", what.constData());
        QVERIFY2(headerValue(req, "X-Auth-Key") == "SECRET-AK", what.constData());
        QVERIFY2(headerValue(req, "Ocp-Apim-Subscription-Key") == "SECRET-SUB", what.constData());
    }

    QDirIterator it(m_stateDir, QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        const QString file = it.next();
        ++files;
        const QByteArray raw = readFile(file);
        // Every header the user gives stays out of the state folder, whatever its name.
        for (const char *secret : {"SECRET-XYZ", "SECRET-AK", "SECRET-SUB", "X-Test"})
            QVERIFY2(!raw.contains(secret), qPrintable(file + u": "_s + QLatin1StringView(secret)));
    }
    QVERIFY(files > 0);
}

void CliControlTest::state_processesStartedTogetherOnFreshFolderAllOpenIt()
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

QTEST_GUILESS_MAIN(CliControlTest)
#include "tst_cli_control.moc"
