#include "clifixture.h"
#include "sandbox.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry::test;

// Two ferry-cli processes on one state folder. A download waiting in one's queue, paused or
// removed by the other before its turn comes: the first process must honour what the state
// database says when the turn comes, never fetch it anyway. And the same URL added by both at
// the same moment is one download, not two copies.
class CliQueueTest final : public CliFixture
{
    Q_OBJECT

private slots:
    void pause_queuedInAnotherProcessIsNeverRequested();
    void remove_queuedInAnotherProcessIsNeverRequestedAndGetSaysSo();
    void get_sameUrlInTwoProcessesAtOnceIsOneDownload();

private:
    struct Queue
    {
        std::unique_ptr<QProcess> get;
        QStringList paths;
        QList<QByteArray> bodies;
        qint64 lastId = 0; // the download still waiting for a slot
    };
    // Starts one `get` of four files, the first three throttled so that the fourth waits (three
    // downloads run at a time), and returns once the three run and the fourth is recorded.
    Queue startQueue();
};

CliQueueTest::Queue CliQueueTest::startQueue()
{
    Queue q;
    QStringList urls;
    for (int i = 1; i <= 4; ++i) {
        const QString path = u"/files/q%1.bin"_s.arg(i);
        q.paths << path;
        q.bodies << deterministicBytes(kMiB, 0x0E0Eu + quint32(i));
        m_server->setResource(path, Resource{q.bodies.last(), "\"q-v1\"", {}, {}});
        if (i < 4) {
            // About ten seconds each: far longer than another process needs to act.
            Faults slow;
            slow.bytesPerSecond = 96 * kKiB;
            m_server->setFaults(path, slow);
        }
        urls << m_server->url(path).toString();
    }
    [&] {
        // The database exists before the two processes meet in it.
        const CliResult created = runCli(withState({u"list"_s}));
        VERIFY_EXIT(created, 0);

        q.get = startCli(withState(QStringList{u"get"_s} + urls +
                                   QStringList{u"-d"_s, m_outDir, u"-s"_s, u"1"_s, u"--json"_s}));
        QVERIFY2(q.get->waitForStarted(10'000), qPrintable(q.get->errorString()));
        const auto threeRunning = [&] {
            for (int i = 0; i < 3; ++i) {
                if (m_server->requestCount(q.paths.at(i)) == 0)
                    return false;
            }
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(threeRunning() || q.get->state() != QProcess::Running,
                                 kRunTimeoutMs);
        QVERIFY2(q.get->state() == QProcess::Running, q.get->readAllStandardError().constData());
        Listing l;
        QTRY_VERIFY_WITH_TIMEOUT((l = listJson()).ok && l.entries.size() == 4, kRunTimeoutMs);
        for (const QJsonObject &e : std::as_const(l.entries)) {
            if (e.value(u"url"_s).toString() == urls.last())
                q.lastId = e.value(u"id"_s).toInteger();
        }
        QVERIFY2(q.lastId > 0, qPrintable(l.why));
        QCOMPARE(m_server->requestCount(q.paths.last()), 0);
    }();
    return q;
}

void CliQueueTest::pause_queuedInAnotherProcessIsNeverRequested()
{
    Queue q = startQueue();
    if (QTest::currentTestFailed())
        return;
    const CliResult pause = runCli(withState({u"pause"_s, QString::number(q.lastId)}));
    VERIFY_EXIT(pause, 0);
    QVERIFY2(QString::fromLocal8Bit(pause.err).contains(u"Paused download %1"_s.arg(q.lastId)),
             pause.err.constData());
    QVERIFY2(m_server->requestCount(q.paths.last()) == 0,
             "the first three finished before the pause; too slow a machine");

    const CliResult get = collect(*q.get);
    VERIFY_EXIT(get, 4); // stopped before finishing: one of them is paused
    QCOMPARE(m_server->requestCount(q.paths.last()), 0);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(sha256OfFile(m_outDir + u"/q%1.bin"_s.arg(i + 1)), sha256Hex(q.bodies.at(i)));
    QVERIFY(!QFileInfo::exists(m_outDir + u"/q4.bin"_s));
    QJsonObject last;
    for (const QJsonObject &e : jsonLines(get.out)) {
        if (e.value(u"id"_s).toInteger() == q.lastId &&
            e.value(u"event"_s).toString() != u"progress"_s)
            last = e;
    }
    QCOMPARE(last.value(u"event"_s).toString(), u"stopped"_s);
    QCOMPARE(last.value(u"state"_s).toString(), u"paused"_s);

    const Listing l = listJson();
    QVERIFY2(l.ok && l.entries.size() == 4, qPrintable(l.why));
    for (const QJsonObject &e : l.entries) {
        const bool paused = e.value(u"id"_s).toInteger() == q.lastId;
        QCOMPARE(e.value(u"state"_s).toString(), paused ? u"paused"_s : u"completed"_s);
    }
}

void CliQueueTest::remove_queuedInAnotherProcessIsNeverRequestedAndGetSaysSo()
{
    Queue q = startQueue();
    if (QTest::currentTestFailed())
        return;
    const CliResult remove = runCli(withState({u"remove"_s, QString::number(q.lastId)}));
    VERIFY_EXIT(remove, 0);
    QVERIFY2(QString::fromLocal8Bit(remove.err).contains(u"Removed download %1"_s.arg(q.lastId)),
             remove.err.constData());
    QVERIFY2(m_server->requestCount(q.paths.last()) == 0,
             "the first three finished before the removal; too slow a machine");

    const CliResult get = collect(*q.get);
    VERIFY_EXIT(get, 4); // stopped before finishing: one of them is gone
    QVERIFY2(QString::fromLocal8Bit(get.err).contains(
                 u"Download %1 was removed by another process."_s.arg(q.lastId)),
             get.err.constData());
    QCOMPARE(m_server->requestCount(q.paths.last()), 0);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(sha256OfFile(m_outDir + u"/q%1.bin"_s.arg(i + 1)), sha256Hex(q.bodies.at(i)));
    QCOMPARE(entriesIn(m_outDir), (QStringList{u"q1.bin"_s, u"q2.bin"_s, u"q3.bin"_s}));
    QJsonObject last;
    for (const QJsonObject &e : jsonLines(get.out)) {
        if (e.value(u"id"_s).toInteger() == q.lastId &&
            e.value(u"event"_s).toString() != u"progress"_s)
            last = e;
    }
    QCOMPARE(last.value(u"event"_s).toString(), u"removed"_s);

    const Listing l = listJson();
    QVERIFY2(l.ok && l.entries.size() == 3, qPrintable(l.why));
    for (const QJsonObject &e : l.entries) {
        QVERIFY(e.value(u"id"_s).toInteger() != q.lastId);
        QCOMPARE(e.value(u"state"_s).toString(), u"completed"_s);
    }
}

void CliQueueTest::get_sameUrlInTwoProcessesAtOnceIsOneDownload()
{
    // About two seconds a download: each process adds the URL while the other's is unfinished.
    Faults slow;
    slow.bytesPerSecond = 512 * kKiB;
    m_server->setFaults(m_path, slow);
    const QString url = m_server->url(m_path).toString();
    constexpr int rounds = 4;
    for (int round = 0; round < rounds; ++round) {
        const QString stateDir = m_tmp->filePath(u"state-%1"_s.arg(round));
        const QString outDir = m_tmp->filePath(u"out-%1"_s.arg(round));
        QVERIFY(QDir().mkpath(outDir));
        const QStringList state{u"--state-dir"_s, stateDir};
        const CliResult created = runCli(QStringList{u"list"_s} + state);
        VERIFY_EXIT(created, 0);

        const QStringList args =
            QStringList{u"get"_s, url, u"-d"_s, outDir, u"-s"_s, u"1"_s} + state;
        const auto first = startCli(args);
        const auto second = startCli(args);
        const CliResult a = collect(*first);
        const CliResult b = collect(*second);
        // One of them downloads it; the other finds it running there (4) or already done (0).
        QVERIFY2(a.finished && (a.exitCode == 0 || a.exitCode == 4), qPrintable(a.describe()));
        QVERIFY2(b.finished && (b.exitCode == 0 || b.exitCode == 4), qPrintable(b.describe()));
        QVERIFY2(a.exitCode == 0 || b.exitCode == 0, qPrintable(a.describe() + b.describe()));
        QCOMPARE(entriesIn(outDir), QStringList{u"data.bin"_s});
        QCOMPARE(sha256OfFile(outDir + u"/data.bin"_s), sha256Hex(m_body));

        const CliResult listed = runCli(QStringList{u"list"_s, u"--json"_s} + state);
        VERIFY_EXIT(listed, 0);
        const QList<QJsonObject> entries = jsonLines(listed.out);
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().value(u"state"_s).toString(), u"completed"_s);
    }
}

QTEST_GUILESS_MAIN(CliQueueTest)
#include "tst_cli_queue.moc"
