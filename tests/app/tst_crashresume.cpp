#include "faultserver.h"
#include "sandbox.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry::test;

namespace {

// The promise under test: progress is committed at most every second, after the data is synced,
// so a kill -9 loses at most about a second of every connection's bytes. 1.5 s leaves room for
// the 250 ms tick that drives the checkpoint and for the sync itself.
constexpr qint64 kMiB = 1024 * 1024;
constexpr int kConnections = 8;
constexpr double kCrashLossSeconds = 1.5;

struct SegmentRow
{
    qint64 start = 0;
    qint64 end = 0;
    qint64 done = 0;
};

// What the state database says about the (single) download, read as another program would.
struct DbState
{
    QString error; // empty when the read worked
    int rows = 0;
    qint64 total = -1;
    bool resumable = false;
    int state = -1;
    QString message;
    QString partPath;
    QList<SegmentRow> segments;

    qint64 done() const
    {
        qint64 sum = 0;
        for (const SegmentRow &s : segments)
            sum += s.done;
        return sum;
    }
};

DbState readStateDb(const QString &path)
{
    DbState s;
    const QString name = u"tst_crashresume-reader"_s;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (!db.open()) {
            s.error = db.lastError().text();
        } else {
            QSqlQuery q(db);
            if (!q.exec(u"SELECT id, total, resumable, state, message, part_path FROM downloads"_s))
                s.error = q.lastError().text();
            qint64 id = -1;
            while (q.next()) {
                ++s.rows;
                id = q.value(0).toLongLong();
                s.total = q.value(1).toLongLong();
                s.resumable = q.value(2).toBool();
                s.state = q.value(3).toInt();
                s.message = q.value(4).toString();
                s.partPath = q.value(5).toString();
            }
            QSqlQuery seg(db);
            seg.prepare(
                u"SELECT start, \"end\", done FROM segments WHERE download_id = ? ORDER BY idx"_s);
            seg.addBindValue(id);
            if (s.error.isEmpty() && !seg.exec())
                s.error = seg.lastError().text();
            while (seg.next())
                s.segments.append({seg.value(0).toLongLong(), seg.value(1).toLongLong(),
                                   seg.value(2).toLongLong()});
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return s;
}

QProcessEnvironment cliEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // The server is on loopback; a proxy from the developer's shell must not sit in between.
    for (const auto *var :
         {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
        env.remove(QString::fromLatin1(var));
    return env;
}

// The JSON lines a `get --json` run printed: the first and the last progress `done` (-1 if none)
// and the final event, if the run got that far.
struct RunOutput
{
    qint64 firstDone = -1;
    qint64 lastDone = -1;
    QJsonObject finalEvent;
};

RunOutput parseJsonLines(const QByteArray &stdoutBytes)
{
    RunOutput out;
    for (const QByteArray &line : stdoutBytes.split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        const QString event = o.value(u"event"_s).toString();
        if (event == u"progress"_s) {
            const qint64 done = o.value(u"done"_s).toInteger();
            if (out.firstDone < 0)
                out.firstDone = done;
            out.lastDone = done;
        } else if (!event.isEmpty()) {
            out.finalEvent = o;
        }
    }
    return out;
}

} // namespace

// kill -9 against the real ferry-cli binary: the same command resumes without losing more than
// the promised second of progress and without mixing bytes.
class CrashResumeTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void crash_killNineTimesResumesByteExact();
    void crash_killNineWithoutRangeSupportRestartsFromZero();

private:
    struct Killed
    {
        qint64 lifeMs = 0;
        RunOutput output;
        QByteArray stderrBytes;
    };

    QStringList getArgs(const QUrl &url) const;
    // Runs `get` for `lifeMs` from process start, then SIGKILLs it; fails if it ended by itself.
    void runAndKill(const QUrl &url, qint64 lifeMs, Killed *killed);
    // Runs a command to its end (`get` for the final run, `list`).
    void runToEnd(const QStringList &args, int timeoutMs, int *exitCode, QByteArray *out,
                  QByteArray *err);
    QJsonObject listSingleDownload();

    QString m_cli;
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_outDir;
    QString m_stateDir;
};

void CrashResumeTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_cli = qEnvironmentVariable("FERRY_CLI");
    if (m_cli.isEmpty() || !QFileInfo(m_cli).isExecutable())
        QSKIP("FERRY_CLI does not name the ferry-cli binary; run this test through ctest.");
}

void CrashResumeTest::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_outDir = m_tmp->filePath(u"out"_s);
    m_stateDir = m_tmp->filePath(u"state"_s);
    QVERIFY(QDir().mkpath(m_outDir));
}

void CrashResumeTest::cleanup()
{
    if (QTest::currentTestFailed()) {
        m_tmp->setAutoRemove(false);
        qInfo("kept %s for inspection", qPrintable(m_tmp->path()));
    }
    m_tmp.reset();
}

QStringList CrashResumeTest::getArgs(const QUrl &url) const
{
    return {u"get"_s,         url.toString(), u"-d"_s, m_outDir,
            u"--state-dir"_s, m_stateDir,     u"-s"_s, QString::number(kConnections),
            u"--json"_s};
}

void CrashResumeTest::runAndKill(const QUrl &url, qint64 lifeMs, Killed *killed)
{
    QProcess proc;
    proc.setProcessEnvironment(cliEnvironment());
    QElapsedTimer life;
    life.start();
    proc.start(m_cli, getArgs(url));
    QVERIFY2(proc.waitForStarted(10'000), qPrintable(proc.errorString()));
    // Blocking here is fine: the server answers from its own thread.
    const QDeadlineTimer deadline(lifeMs - life.elapsed());
    const bool endedByItself = proc.waitForFinished(int(qMax<qint64>(1, deadline.remainingTime())));
    killed->lifeMs = life.elapsed();
    if (endedByItself) {
        QFAIL(qPrintable(
            u"ferry-cli ended by itself after %1 ms (exit %2) before it could be killed: %3"_s
                .arg(killed->lifeMs)
                .arg(proc.exitCode())
                .arg(QString::fromLocal8Bit(proc.readAllStandardError()))));
    }
    proc.kill();
    QVERIFY(proc.waitForFinished(10'000));
    QCOMPARE(proc.exitStatus(), QProcess::CrashExit);
    killed->output = parseJsonLines(proc.readAllStandardOutput());
    killed->stderrBytes = proc.readAllStandardError();
}

void CrashResumeTest::runToEnd(const QStringList &args, int timeoutMs, int *exitCode,
                               QByteArray *out, QByteArray *err)
{
    QProcess proc;
    proc.setProcessEnvironment(cliEnvironment());
    proc.start(m_cli, args);
    QVERIFY2(proc.waitForStarted(10'000), qPrintable(proc.errorString()));
    if (!proc.waitForFinished(timeoutMs)) {
        proc.kill();
        proc.waitForFinished(10'000);
        QFAIL(qPrintable(u"ferry-cli %1 did not finish within %2 ms: %3"_s.arg(args.join(u' '))
                             .arg(timeoutMs)
                             .arg(QString::fromLocal8Bit(proc.readAllStandardError()))));
    }
    QCOMPARE(proc.exitStatus(), QProcess::NormalExit);
    *exitCode = proc.exitCode();
    *out = proc.readAllStandardOutput();
    *err = proc.readAllStandardError();
}

QJsonObject CrashResumeTest::listSingleDownload()
{
    int code = -1;
    QByteArray out, err;
    runToEnd({u"list"_s, u"--state-dir"_s, m_stateDir, u"--json"_s}, 30'000, &code, &out, &err);
    if (QTest::currentTestFailed())
        return {};
    const QList<QByteArray> lines = out.trimmed().split('\n');
    if (code != 0 || lines.size() != 1) {
        qWarning("list --json: exit %d, %lld lines: %s %s", code, qint64(lines.size()),
                 out.constData(), err.constData());
        return {};
    }
    return QJsonDocument::fromJson(lines.first()).object();
}

void CrashResumeTest::crash_killNineTimesResumesByteExact()
{
    QElapsedTimer wall;
    wall.start();
    const quint32 seed = qEnvironmentVariableIsSet("FERRY_CRASH_SEED")
                             ? quint32(qEnvironmentVariableIntValue("FERRY_CRASH_SEED"))
                             : QRandomGenerator::global()->generate();
    qInfo("kill schedule seed %u (FERRY_CRASH_SEED=%u replays it)", seed, seed);
    QRandomGenerator rng(seed);

    // 8 connections x 128 KiB/s = 1 MiB/s: ten lives of at most 2.5 s cannot finish 24 MiB,
    // and the final run still ends within seconds.
    constexpr qint64 size = 24 * kMiB;
    constexpr qint64 perConnectionRate = 128 * 1024;
    constexpr int kills = 10;
    constexpr qint64 lossPerCrash = qint64(kConnections * perConnectionRate * kCrashLossSeconds);
    const QString path = u"/files/big.bin"_s;
    const QByteArray body = deterministicBytes(size, 0xC0FFEEu);
    const QByteArray etag = "\"crash-v1\"";
    FaultServer server;
    QVERIFY(server.start());
    server.setResource(path, Resource{body, etag, {}, {}});
    Faults faults;
    faults.bytesPerSecond = perConnectionRate;
    server.setFaults(path, faults);
    const QUrl url = server.url(path);
    const QString finalPath = m_outDir + u"/big.bin"_s;
    const QString partPath = finalPath + u".part"_s;
    const QString dbPath = m_stateDir + u"/ferry.sqlite"_s;

    qint64 previousDbDone = 0;
    qint64 previousServed = 0;
    qint64 worstLoss = 0;
    qint64 worstWaste = 0;
    for (int k = 1; k <= kills; ++k) {
        Killed run;
        runAndKill(url, rng.bounded(1200, 2501), &run);
        if (QTest::currentTestFailed())
            return;
        // Killed while unfinished: the partial file is there, the final name is not.
        QVERIFY2(QFileInfo::exists(partPath), qPrintable(u"kill %1: no %2"_s.arg(k).arg(partPath)));
        QVERIFY2(!QFileInfo::exists(finalPath),
                 qPrintable(u"kill %1 came after the download finished"_s.arg(k)));

        const DbState db = readStateDb(dbPath);
        QVERIFY2(db.error.isEmpty(), qPrintable(db.error));
        QCOMPARE(db.rows, 1);
        QCOMPARE(db.total, size);
        QVERIFY2(db.resumable, qPrintable(db.message));
        QCOMPARE(db.partPath, partPath);
        // The recorded plan tiles the file exactly and claims no more than each range holds.
        QVERIFY(!db.segments.isEmpty());
        qint64 expectStart = 0;
        for (const SegmentRow &s : db.segments) {
            QCOMPARE(s.start, expectStart);
            QVERIFY(s.end > s.start);
            QVERIFY(s.done >= 0 && s.done <= s.end - s.start);
            expectStart = s.end;
        }
        QCOMPARE(expectStart, size);

        const qint64 dbDone = db.done();
        const qint64 served = server.bodyBytesServed(path);
        // Sent during this life but not recorded: what the next run fetches again.
        const qint64 waste = (served - previousServed) - (dbDone - previousDbDone);
        worstWaste = qMax(worstWaste, waste);
        qInfo("kill %2d after %4lld ms: db %6.2f MiB, last printed %6.2f MiB, served %6.2f MiB, "
              "wasted %.2f MiB",
              k, run.lifeMs, double(dbDone) / kMiB, double(run.output.lastDone) / kMiB,
              double(served) / kMiB, double(waste) / kMiB);
        QVERIFY2(dbDone >= previousDbDone,
                 qPrintable(u"kill %1: recorded progress went back from %2 to %3"_s.arg(k)
                                .arg(previousDbDone)
                                .arg(dbDone)));
        QVERIFY2(dbDone <= served,
                 qPrintable(u"kill %1: %2 bytes recorded but only %3 sent"_s.arg(k).arg(dbDone).arg(
                     served)));
        // A resumed run starts from the recorded progress, never from zero.
        if (run.output.firstDone >= 0) {
            QVERIFY2(
                run.output.firstDone >= previousDbDone,
                qPrintable(
                    u"kill %1: the run printed %2 bytes done although %3 were recorded"_s.arg(k)
                        .arg(run.output.firstDone)
                        .arg(previousDbDone)));
        }
        // What the process had in memory shortly before the kill is lost only up to the promise.
        if (run.output.lastDone >= 0) {
            const qint64 loss = run.output.lastDone - dbDone;
            worstLoss = qMax(worstLoss, loss);
            QVERIFY2(
                loss <= lossPerCrash,
                qPrintable(u"kill %1: printed %2 bytes done, recorded %3 (lost %4 > %5)"_s.arg(k)
                               .arg(run.output.lastDone)
                               .arg(dbDone)
                               .arg(loss)
                               .arg(lossPerCrash)));
        }
        // Every byte the database claims is on disk and is the server's byte.
        const QByteArray part = readFile(partPath);
        for (const SegmentRow &s : db.segments) {
            QVERIFY2(part.size() >= s.start + s.done,
                     qPrintable(u"kill %1: part file shorter than recorded"_s.arg(k)));
            QVERIFY2(part.mid(s.start, s.done) == body.mid(s.start, s.done),
                     qPrintable(u"kill %1: recorded bytes [%2, %3) differ from the source"_s.arg(k)
                                    .arg(s.start)
                                    .arg(s.start + s.done)));
        }
        previousDbDone = dbDone;
        previousServed = served;
    }

    // The same command once more, left alone, finishes the download.
    int code = -1;
    QByteArray out, err;
    QElapsedTimer finalRun;
    finalRun.start();
    runToEnd(getArgs(url), 120'000, &code, &out, &err);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(code == 0, qPrintable(u"exit %1: %2"_s.arg(code).arg(QString::fromLocal8Bit(err))));
    const QJsonObject done = parseJsonLines(out).finalEvent;
    QCOMPARE(done.value(u"event"_s).toString(), u"completed"_s);
    QCOMPARE(sha256OfFile(finalPath), sha256Hex(body));
    QVERIFY(!QFileInfo::exists(partPath));

    const QJsonObject listed = listSingleDownload();
    QCOMPARE(listed.value(u"state"_s).toString(), u"completed"_s);
    QCOMPARE(listed.value(u"file"_s).toString(), finalPath);
    QCOMPARE(listed.value(u"total"_s).toInteger(), size);
    QCOMPARE(listed.value(u"done"_s).toInteger(), size);

    // Only the very first request started at byte 0 without an end; every later one asked
    // for a range with If-Range, so no run after a kill started over.
    int openEnded = 0;
    for (const RequestRecord &r : server.requests(path)) {
        if (r.method != "GET")
            continue;
        if (r.range == "bytes=0-")
            ++openEnded;
        else
            QCOMPARE(r.ifRange, etag);
    }
    QCOMPARE(openEnded, 1);

    const qint64 served = server.bodyBytesServed(path);
    const qint64 refetched = served - size;
    const qint64 budget = kills * lossPerCrash + kMiB;
    qInfo("%d kills; served %lld bytes for a %lld-byte file: re-fetched %.2f MiB (budget %.2f "
          "MiB); worst "
          "kill wasted %.2f MiB, lost %.2f MiB of printed progress; %d requests; final run %.1f s; "
          "wall %.1f s",
          kills, served, size, double(refetched) / kMiB, double(budget) / kMiB,
          double(worstWaste) / kMiB, double(worstLoss) / kMiB, int(server.requests(path).size()),
          double(finalRun.elapsed()) / 1000, double(wall.elapsed()) / 1000);
    QVERIFY2(refetched <= budget,
             qPrintable(u"re-fetched %1 bytes, more than %2"_s.arg(refetched).arg(budget)));
}

void CrashResumeTest::crash_killNineWithoutRangeSupportRestartsFromZero()
{
    QElapsedTimer wall;
    wall.start();
    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo("kill schedule seed %u", seed);
    QRandomGenerator rng(seed);

    // One connection at 1 MiB/s: a life of at most 2.5 s cannot finish 6 MiB.
    constexpr qint64 size = 6 * kMiB;
    const QString path = u"/files/norange.bin"_s;
    const QByteArray body = deterministicBytes(size, 0xBADC0DEu);
    FaultServer server;
    QVERIFY(server.start());
    server.setResource(path, Resource{body, "\"nr-v1\"", {}, {}});
    Faults faults;
    faults.ignoreRange = true;
    faults.bytesPerSecond = kMiB;
    server.setFaults(path, faults);
    const QUrl url = server.url(path);
    const QString finalPath = m_outDir + u"/norange.bin"_s;
    const QString partPath = finalPath + u".part"_s;

    constexpr int kills = 2;
    for (int k = 1; k <= kills; ++k) {
        Killed run;
        runAndKill(url, rng.bounded(1200, 2501), &run);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(QFileInfo::exists(partPath));
        QVERIFY(!QFileInfo::exists(finalPath));
        const DbState db = readStateDb(m_stateDir + u"/ferry.sqlite"_s);
        QVERIFY2(db.error.isEmpty(), qPrintable(db.error));
        QCOMPARE(db.total, size);
        QVERIFY(!db.resumable);
        qInfo("kill %d after %lld ms: db %.2f MiB, served %.2f MiB", k, run.lifeMs,
              double(db.done()) / kMiB, double(server.bodyBytesServed(path)) / kMiB);

        // What a user sees between runs: not resumable, and why.
        const QJsonObject listed = listSingleDownload();
        QVERIFY(!listed.isEmpty());
        QCOMPARE(listed.value(u"resumable"_s).toBool(true), false);
        QVERIFY2(listed.value(u"message"_s).toString().contains(u"does not support resuming"_s),
                 qPrintable(listed.value(u"message"_s).toString()));
    }

    int code = -1;
    QByteArray out, err;
    runToEnd(getArgs(url), 60'000, &code, &out, &err);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(code == 0, qPrintable(u"exit %1: %2"_s.arg(code).arg(QString::fromLocal8Bit(err))));
    const QJsonObject done = parseJsonLines(out).finalEvent;
    QCOMPARE(done.value(u"event"_s).toString(), u"completed"_s);
    QVERIFY2(done.value(u"message"_s).toString().contains(u"does not support resuming"_s),
             qPrintable(QString::fromUtf8(QJsonDocument(done).toJson(QJsonDocument::Compact))));
    QCOMPARE(sha256OfFile(finalPath), sha256Hex(body));
    QVERIFY(!QFileInfo::exists(partPath));

    const QJsonObject listed = listSingleDownload();
    QCOMPARE(listed.value(u"state"_s).toString(), u"completed"_s);
    QCOMPARE(listed.value(u"resumable"_s).toBool(true), false);
    QVERIFY(listed.value(u"message"_s).toString().contains(u"does not support resuming"_s));

    // Every run started over with a plain full GET; the last one carried the whole file.
    const QList<RequestRecord> gets = [&] {
        QList<RequestRecord> list;
        for (const RequestRecord &r : server.requests(path)) {
            if (r.method == "GET")
                list.append(r);
        }
        return list;
    }();
    QCOMPARE(gets.size(), kills + 1);
    for (const RequestRecord &r : gets)
        QCOMPARE(r.status, 200);
    QCOMPARE(gets.last().bodyBytesSent, size);
    qInfo("no-range: %d kills, served %lld bytes for a %lld-byte file, wall %.1f s", kills,
          server.bodyBytesServed(path), size, double(wall.elapsed()) / 1000);
}

QTEST_GUILESS_MAIN(CrashResumeTest)
#include "tst_crashresume.moc"
