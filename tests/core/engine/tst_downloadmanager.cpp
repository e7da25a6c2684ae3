// The engine against a misbehaving server: every case ends with a byte-exact file or a clear
// error, never with a file that mixes two versions or contains an error page.
#include "api/downloadmanager.h"
#include "faultserver.h"
#include "sandbox.h"
#include "storage/storage.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

namespace {

constexpr int finishTimeoutMs = 60'000;

bool isFinal(DownloadState s)
{
    return s == DownloadState::Completed || s == DownloadState::Failed || s == DownloadState::Paused;
}

Resource resource(const QByteArray &body, const QByteArray &etag = "\"v1\"")
{
    Resource r;
    r.body = body;
    r.etag = etag;
    return r;
}

} // namespace

class TestDownloadManager final : public QObject
{
    Q_OBJECT

private:
    // One manager per test, with short timeouts so faults resolve in seconds.
    std::unique_ptr<DownloadManager> makeManager(EngineSettings settings = {})
    {
        settings.stallTimeoutMs = 1500;
        settings.backoff.baseMs = 50;
        settings.backoff.capMs = 400;
        settings.minSplit = 256 * 1024;
        auto m = std::make_unique<DownloadManager>(m_state->path(), settings);
        QString error;
        if (!m->open(false, &error))
            qFatal("cannot open state: %s", qPrintable(error));
        return m;
    }

    DownloadId add(DownloadManager &m, const QUrl &url, int connections = 8, const QString &checksum = {})
    {
        DownloadRequest r;
        r.url = url;
        r.directory = m_out->path();
        r.connections = connections;
        r.checksum = checksum;
        QString error;
        const DownloadId id = m.add(r, &error);
        if (id == 0)
            qWarning("add failed: %s", qPrintable(error));
        return id;
    }

    DownloadSnapshot waitFinal(DownloadManager &m, DownloadId id, int timeoutMs = finishTimeoutMs)
    {
        [&] { QTRY_VERIFY_WITH_TIMEOUT(isFinal(m.snapshot(id)->state), timeoutMs); }();
        return *m.snapshot(id);
    }

    QStringList outFiles() const { return QDir(m_out->path()).entryList(QDir::Files); }

    std::unique_ptr<QTemporaryDir> m_state;
    std::unique_ptr<QTemporaryDir> m_out;
    std::unique_ptr<FaultServer> m_server;

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_state = std::make_unique<QTemporaryDir>();
        m_out = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<FaultServer>();
        QVERIFY(m_server->start());
    }

    void cleanup()
    {
        m_server.reset();
        m_out.reset();
        m_state.reset();
    }

    void segmented_everyRangeAfterTheFirstCarriesIfRange()
    {
        const QByteArray body = deterministicBytes(6 * 1024 * 1024 + 123, 1);
        m_server->setResource(u"/file.bin"_s, resource(body));
        auto m = makeManager();
        const DownloadId id = add(*m, m_server->url(u"/file.bin"_s));
        const DownloadSnapshot s = waitFinal(*m, id);
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(s.targetPath, m_out->filePath(u"file.bin"_s));
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        QCOMPARE(outFiles(), QStringList{u"file.bin"_s});
        const auto requests = m_server->requests(u"/file.bin"_s);
        QVERIFY2(requests.size() >= 8, qPrintable(u"only %1 requests"_s.arg(requests.size())));
        QCOMPARE(requests.first().range, QByteArray("bytes=0-"));
        for (qsizetype i = 1; i < requests.size(); ++i) {
            QVERIFY(requests[i].range.startsWith("bytes="));
            QCOMPARE(requests[i].ifRange, QByteArray("\"v1\""));
        }
        QVERIFY(s.resumable);
    }

    void cutConnections_areResumedWhereTheyStopped()
    {
        const QByteArray body = deterministicBytes(3 * 1024 * 1024, 2);
        m_server->setResource(u"/cut.bin"_s, resource(body));
        Faults f;
        f.cutAfterBytes = 100 * 1024;
        f.cutRequests = 6;
        m_server->setFaults(u"/cut.bin"_s, f);
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/cut.bin"_s)));
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        // Cut ranges were continued from where they stopped, not fetched again from their start.
        const auto requests = m_server->requests(u"/cut.bin"_s);
        auto startOf = [](const RequestRecord &r) { return r.range.mid(6, r.range.indexOf('-') - 6).toLongLong(); };
        int continued = 0;
        for (qsizetype i = 0; i < requests.size(); ++i) {
            if (requests[i].bodyBytesSent != f.cutAfterBytes)
                continue;
            const qint64 resumeAt = startOf(requests[i]) + f.cutAfterBytes;
            for (qsizetype j = i + 1; j < requests.size(); ++j)
                continued += startOf(requests[j]) == resumeAt ? 1 : 0;
        }
        QVERIFY2(continued >= 3, qPrintable(u"only %1 of 6 cut ranges continued where they stopped"_s.arg(continued)));
    }

    void stalledConnection_isAbortedAndRetried()
    {
        const QByteArray body = deterministicBytes(2 * 1024 * 1024, 3);
        m_server->setResource(u"/stall.bin"_s, resource(body));
        Faults f;
        f.stallAfterBytes = 64 * 1024;
        f.stallRequests = 2;
        m_server->setFaults(u"/stall.bin"_s, f);
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/stall.bin"_s), 2));
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
    }

    void busyServer_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("503") << 503;
        QTest::newRow("429") << 429;
    }

    void busyServer()
    {
        QFETCH(int, status);
        const QByteArray body = deterministicBytes(2 * 1024 * 1024, 4);
        m_server->setResource(u"/busy.bin"_s, resource(body));
        Faults f;
        f.failFirstRequests = 4;
        f.failStatus = status;
        f.retryAfterSeconds = 1;
        m_server->setFaults(u"/busy.bin"_s, f);
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/busy.bin"_s)));
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        // The error pages were answered and retried; none of their bytes reached the file.
        const auto requests = m_server->requests(u"/busy.bin"_s);
        QCOMPARE(requests.first().status, status);
        QVERIFY(std::count_if(requests.begin(), requests.end(), [&](const RequestRecord &r) { return r.status == status; }) == 4);
    }

    void serverWithoutRanges_downloadsOneStreamAndSaysSo()
    {
        const QByteArray body = deterministicBytes(3 * 1024 * 1024 + 7, 5);
        m_server->setResource(u"/norange.bin"_s, resource(body));
        Faults f;
        f.ignoreRange = true;
        m_server->setFaults(u"/norange.bin"_s, f);
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/norange.bin"_s)));
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        QVERIFY(!s.resumable);
        QVERIFY2(s.message.contains(u"does not support resuming"_s), qPrintable(s.message));
        QCOMPARE(m_server->requestCount(u"/norange.bin"_s), 1);
    }

    void wrongContentRange_isNeverWritten()
    {
        const QByteArray body = deterministicBytes(1024 * 1024, 6);
        m_server->setResource(u"/wrong.bin"_s, resource(body));
        Faults f;
        f.wrongContentRange = true;
        m_server->setFaults(u"/wrong.bin"_s, f);
        EngineSettings settings;
        settings.backoff.maxAttempts = 3;
        auto m = makeManager(settings);
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/wrong.bin"_s)));
        QCOMPARE(s.state, DownloadState::Failed);
        QVERIFY2(s.message.contains(u"Content-Range"_s), qPrintable(s.message));
        QVERIFY(!QFileInfo::exists(m_out->filePath(u"wrong.bin"_s)));
    }

    void fileChangedOnServer_restartsAndNeverMixes()
    {
        const QByteArray v1 = deterministicBytes(4 * 1024 * 1024, 7);
        const QByteArray v2 = deterministicBytes(4 * 1024 * 1024, 8);
        m_server->setResource(u"/changing.bin"_s, resource(v1, "\"v1\""));
        Faults f;
        f.changeAfterRequests = 3;
        f.changedBody = v2;
        f.changedEtag = "\"v2\"";
        f.bytesPerSecond = 2 * 1024 * 1024;
        m_server->setFaults(u"/changing.bin"_s, f);
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/changing.bin"_s)));
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(v2));
        QCOMPARE(s.etag, QByteArray("\"v2\""));
    }

    void fileChangedOnServer_failsCleanlyWhenAskedTo()
    {
        const QByteArray v1 = deterministicBytes(4 * 1024 * 1024, 9);
        m_server->setResource(u"/changing.bin"_s, resource(v1, "\"v1\""));
        Faults f;
        f.changeAfterRequests = 2;
        f.changedBody = deterministicBytes(4 * 1024 * 1024, 10);
        f.changedEtag = "\"v2\"";
        f.bytesPerSecond = 2 * 1024 * 1024;
        m_server->setFaults(u"/changing.bin"_s, f);
        EngineSettings settings;
        settings.changedFilePolicy = ChangedFilePolicy::Fail;
        auto m = makeManager(settings);
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/changing.bin"_s)));
        QCOMPARE(s.state, DownloadState::Failed);
        QVERIFY2(s.message.contains(u"changed on the server"_s), qPrintable(s.message));
        QVERIFY(!QFileInfo::exists(m_out->filePath(u"changing.bin"_s)));
    }

    void redirectLoop_failsWithAClearMessage()
    {
        m_server->setRedirect(u"/loop"_s, u"/loop"_s);
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/loop"_s)));
        QCOMPARE(s.state, DownloadState::Failed);
        QVERIFY2(s.message.contains(u"redirected too many times"_s), qPrintable(s.message));
        QVERIFY(outFiles().isEmpty());
    }

    void redirect_isFollowedAndRemembered()
    {
        const QByteArray body = deterministicBytes(2 * 1024 * 1024, 11);
        m_server->setResource(u"/real/target.iso"_s, resource(body));
        m_server->setRedirect(u"/latest"_s, u"/real/target.iso"_s);
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/latest"_s)));
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(s.finalUrl, m_server->url(u"/real/target.iso"_s));
        QCOMPARE(QFileInfo(s.targetPath).fileName(), u"target.iso"_s);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
    }

    void contentDisposition_isSanitized_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QString>("expected");
        QTest::newRow("traversal") << QByteArray("attachment; filename=\"../../etc/passwd\"") << u"passwd"_s;
        QTest::newRow("absolute") << QByteArray("attachment; filename=\"/tmp/evil.sh\"") << u"evil.sh"_s;
        QTest::newRow("utf8") << QByteArray("attachment; filename*=UTF-8''%E4%B8%AD%E6%96%87.txt") << u"中文.txt"_s;
        QTest::newRow("reserved") << QByteArray("attachment; filename=\"CON.txt\"") << u"_CON.txt"_s;
        QTest::newRow("dots") << QByteArray("attachment; filename=\"..\"") << u"download"_s;
    }

    void contentDisposition_isSanitized()
    {
        QFETCH(QByteArray, header);
        QFETCH(QString, expected);
        Resource r = resource(deterministicBytes(64 * 1024, 12));
        r.contentDisposition = header;
        m_server->setResource(u"/get"_s, r);
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/get"_s)));
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(s.targetPath, m_out->filePath(expected));
        QCOMPARE(outFiles(), QStringList{expected});
    }

    void existingFile_isNeverOverwritten()
    {
        const QByteArray body = deterministicBytes(512 * 1024, 13);
        m_server->setResource(u"/report.tar.gz"_s, resource(body));
        QVERIFY(writeFile(m_out->filePath(u"report.tar.gz"_s), "precious"));
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/report.tar.gz"_s)));
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(s.targetPath, m_out->filePath(u"report (1).tar.gz"_s));
        QCOMPARE(readFile(m_out->filePath(u"report.tar.gz"_s)), QByteArray("precious"));
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
    }

    void notFound_failsWithAMessageNotAFile()
    {
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/missing.bin"_s)));
        QCOMPARE(s.state, DownloadState::Failed);
        QVERIFY2(s.message.contains(u"no longer has this file (404"_s), qPrintable(s.message));
        QVERIFY(outFiles().isEmpty());
    }

    void checksum_data()
    {
        QTest::addColumn<bool>("correct");
        QTest::newRow("matching") << true;
        QTest::newRow("mismatching") << false;
    }

    void checksum()
    {
        QFETCH(bool, correct);
        const QByteArray body = deterministicBytes(1024 * 1024, 14);
        m_server->setResource(u"/sum.bin"_s, resource(body));
        const QByteArray hex = correct ? sha256Hex(body) : sha256Hex("something else");
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/sum.bin"_s), 8, u"sha256="_s + QString::fromLatin1(hex)));
        if (correct) {
            QCOMPARE(s.state, DownloadState::Completed);
            QCOMPARE(sha256OfFile(m_out->filePath(u"sum.bin"_s)), sha256Hex(body));
        } else {
            QCOMPARE(s.state, DownloadState::Failed);
            QVERIFY2(s.message.contains(u"checksum does not match"_s), qPrintable(s.message));
            QVERIFY(!QFileInfo::exists(m_out->filePath(u"sum.bin"_s)));
        }
    }

    void badInput_isRejectedAtAdd_data()
    {
        QTest::addColumn<QUrl>("url");
        QTest::addColumn<QString>("directory");
        QTest::addColumn<QString>("checksum");
        QTest::addColumn<QString>("error");
        QTest::newRow("ftp") << QUrl(u"ftp://127.0.0.1/x"_s) << QString() << QString() << u"only http and https"_s;
        QTest::newRow("no host") << QUrl(u"http:///x"_s) << QString() << QString() << u"Not a downloadable address"_s;
        QTest::newRow("missing folder") << QUrl(u"http://127.0.0.1/x"_s) << u"/nonexistent/folder"_s << QString() << u"does not exist"_s;
        QTest::newRow("short checksum") << QUrl(u"http://127.0.0.1/x"_s) << QString() << u"sha256=abc"_s << u"64 hex digits"_s;
    }

    void badInput_isRejectedAtAdd()
    {
        QFETCH(QUrl, url);
        QFETCH(QString, directory);
        QFETCH(QString, checksum);
        QFETCH(QString, error);
        auto m = makeManager();
        DownloadRequest r;
        r.url = url;
        r.directory = directory.isEmpty() ? m_out->path() : directory;
        r.checksum = checksum;
        QString message;
        QCOMPARE(m->add(r, &message), DownloadId(0));
        QVERIFY2(message.contains(error), qPrintable(message));
        QVERIFY(m->snapshots().isEmpty());
    }

    void sameUrlTwice_returnsTheExistingDownload()
    {
        m_server->setResource(u"/once.bin"_s, resource(deterministicBytes(4 * 1024 * 1024, 15)));
        Faults f;
        f.bytesPerSecond = 1024 * 1024;
        m_server->setFaults(u"/once.bin"_s, f);
        auto m = makeManager();
        const DownloadId first = add(*m, m_server->url(u"/once.bin"_s));
        const DownloadId second = add(*m, m_server->url(u"/once.bin"_s));
        QCOMPARE(second, first);
        QCOMPARE(m->snapshots().size(), 1);
        QCOMPARE(waitFinal(*m, first).state, DownloadState::Completed);
        QCOMPARE(outFiles(), QStringList{u"once.bin"_s});
    }

    void pauseAndResume_continuesWithoutRefetching()
    {
        const QByteArray body = deterministicBytes(4 * 1024 * 1024, 16);
        m_server->setResource(u"/pause.bin"_s, resource(body));
        Faults f;
        f.bytesPerSecond = 256 * 1024;
        m_server->setFaults(u"/pause.bin"_s, f);
        auto m = makeManager();
        const DownloadId id = add(*m, m_server->url(u"/pause.bin"_s));
        QTRY_VERIFY_WITH_TIMEOUT(m->snapshot(id)->done > 1024 * 1024, 20'000);
        m->pause(id);
        QCOMPARE(m->snapshot(id)->state, DownloadState::Paused);
        const qint64 doneAtPause = m->snapshot(id)->done;
        QVERIFY(QFileInfo::exists(m_out->filePath(u"pause.bin.part"_s)));
        m->resume(id);
        const DownloadSnapshot s = waitFinal(*m, id);
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        QVERIFY(!QFileInfo::exists(m_out->filePath(u"pause.bin.part"_s)));
        // Only what was in flight at the pause may be fetched twice.
        QVERIFY2(m_server->bodyBytesServed(u"/pause.bin"_s) <= body.size() + 8 * 64 * 1024 + doneAtPause / 8,
                 qPrintable(u"served %1 for %2"_s.arg(m_server->bodyBytesServed(u"/pause.bin"_s)).arg(body.size())));
    }

    void restartOfTheApplication_resumesFromTheDatabase()
    {
        const QByteArray body = deterministicBytes(4 * 1024 * 1024, 17);
        m_server->setResource(u"/persist.bin"_s, resource(body));
        Faults f;
        f.bytesPerSecond = 256 * 1024;
        m_server->setFaults(u"/persist.bin"_s, f);
        DownloadId id = 0;
        {
            auto m = makeManager();
            id = add(*m, m_server->url(u"/persist.bin"_s));
            QTRY_VERIFY_WITH_TIMEOUT(m->snapshot(id)->done > 1536 * 1024, 20'000);
        } // the manager goes away mid-download, as on quit
        f.bytesPerSecond = 0;
        m_server->setFaults(u"/persist.bin"_s, f);
        const qsizetype requestsBefore = m_server->requests(u"/persist.bin"_s).size();
        EngineSettings settings;
        settings.stallTimeoutMs = 1500;
        auto m = std::make_unique<DownloadManager>(m_state->path(), settings);
        QString error;
        QVERIFY(m->open(true, &error));
        // Straight from the database, before a single new byte: the progress made before quit.
        QVERIFY2(m->snapshot(id)->done >= 1536 * 1024, qPrintable(QString::number(m->snapshot(id)->done)));
        QCOMPARE(m->snapshot(id)->state, DownloadState::Downloading);
        const DownloadSnapshot s = waitFinal(*m, id);
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        const auto requests = m_server->requests(u"/persist.bin"_s).mid(requestsBefore);
        QVERIFY(!requests.isEmpty());
        for (const RequestRecord &r : requests) {
            QVERIFY2(r.range != "bytes=0-", "the resumed download started over");
            QCOMPARE(r.ifRange, QByteArray("\"v1\""));
        }
    }

    void folderRemovedBeforeStart_pausesNamingThePath()
    {
        m_server->setResource(u"/late.bin"_s, resource(deterministicBytes(256 * 1024, 18)));
        QTemporaryDir gone;
        auto m = makeManager();
        DownloadRequest r;
        r.url = m_server->url(u"/late.bin"_s);
        r.directory = gone.path();
        r.startPaused = true;
        QString error;
        const DownloadId id = m->add(r, &error);
        QVERIFY(id);
        const QString path = gone.path();
        gone.remove();
        m->resume(id);
        const DownloadSnapshot s = waitFinal(*m, id);
        QCOMPARE(s.state, DownloadState::Paused);
        QVERIFY2(s.message.contains(path) && s.message.contains(u"does not exist"_s), qPrintable(s.message));
    }

    void slowConnection_isOvertakenNotWaitedFor()
    {
        // One connection crawls; the others take over its range instead of waiting at 99 %.
        const QByteArray body = deterministicBytes(4 * 1024 * 1024, 19);
        m_server->setResource(u"/uneven.bin"_s, resource(body));
        Faults f;
        // Only the first of every eight connections crawls: the range's duplicate, or a
        // reconnection, lands on a fast one.
        f.perConnectionBytesPerSecond = {16 * 1024, 0, 0, 0, 0, 0, 0, 0};
        m_server->setFaults(u"/uneven.bin"_s, f);
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/uneven.bin"_s), 4), 30'000);
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
    }

    void rateLimits_holdTheDownloadBack_data()
    {
        QTest::addColumn<bool>("global");
        QTest::newRow("per download") << false;
        QTest::newRow("global, shared by two") << true;
    }

    void rateLimits_holdTheDownloadBack()
    {
        // Only a lower bound on time is asserted: a loaded machine can be slower, never faster.
        QFETCH(bool, global);
        const QByteArray body = deterministicBytes(3 * 1024 * 1024, 20);
        m_server->setResource(u"/a.bin"_s, resource(body));
        m_server->setResource(u"/b.bin"_s, resource(body));
        auto m = makeManager();
        constexpr qint64 limit = 1024 * 1024;
        QElapsedTimer timer;
        timer.start();
        QList<DownloadId> ids;
        if (global) {
            m->setGlobalRateLimit(limit);
            ids << add(*m, m_server->url(u"/a.bin"_s), 4) << add(*m, m_server->url(u"/b.bin"_s), 4);
        } else {
            DownloadRequest r;
            r.url = m_server->url(u"/a.bin"_s);
            r.directory = m_out->path();
            r.connections = 4;
            r.rateLimit = limit;
            QString error;
            ids << m->add(r, &error);
        }
        for (DownloadId id : ids) {
            const DownloadSnapshot s = waitFinal(*m, id);
            QCOMPARE(s.state, DownloadState::Completed);
            QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        }
        const qint64 bytes = body.size() * ids.size();
        const qint64 burst = limit / 4 + 64 * 1024;
        const qint64 minimumMs = (bytes - burst) * 1000 / limit;
        QVERIFY2(timer.elapsed() >= minimumMs, qPrintable(u"%1 bytes in %2 ms with a limit of 1 MiB/s"_s.arg(bytes).arg(timer.elapsed())));
    }

    void queue_runsAtMostMaxConcurrentAndHighestPriorityFirst()
    {
        const QByteArray body = deterministicBytes(1024 * 1024, 21);
        Faults slow;
        slow.bytesPerSecond = 512 * 1024;
        for (const QString &name : {u"/q1"_s, u"/q2"_s, u"/q3"_s, u"/q4"_s}) {
            m_server->setResource(name, resource(body));
            m_server->setFaults(name, slow);
        }
        EngineSettings settings;
        settings.maxConcurrentDownloads = 2;
        auto m = makeManager(settings);
        int active = 0, maxActive = 0;
        QList<DownloadId> startOrder;
        connect(m.get(), &DownloadManager::stateChanged, this, [&](DownloadId id, DownloadState state) {
            int now = 0;
            for (const DownloadSnapshot &s : m->snapshots())
                now += (s.state == DownloadState::Downloading || s.state == DownloadState::Verifying) ? 1 : 0;
            active = now;
            maxActive = qMax(maxActive, active);
            if (state == DownloadState::Downloading && !startOrder.contains(id))
                startOrder.append(id);
        });
        auto addWithPriority = [&](const QString &path, int priority) {
            DownloadRequest r;
            r.url = m_server->url(path);
            r.directory = m_out->path();
            r.priority = priority;
            QString error;
            return m->add(r, &error);
        };
        const DownloadId a = addWithPriority(u"/q1"_s, 0);
        const DownloadId b = addWithPriority(u"/q2"_s, 0);
        const DownloadId low = addWithPriority(u"/q3"_s, 0);
        const DownloadId high = addWithPriority(u"/q4"_s, 9);
        for (DownloadId id : {a, b, low, high})
            QCOMPARE(waitFinal(*m, id).state, DownloadState::Completed);
        QCOMPARE(maxActive, 2);
        QCOMPARE(startOrder.size(), 4);
        QVERIFY2(startOrder.indexOf(high) < startOrder.indexOf(low), "the high-priority download did not start first");
        QCOMPARE(outFiles().size(), 4);
    }

    void remove_withDeleteFileRemovesBothEntryAndFile()
    {
        m_server->setResource(u"/gone.bin"_s, resource(deterministicBytes(128 * 1024, 22)));
        auto m = makeManager();
        const DownloadId id = add(*m, m_server->url(u"/gone.bin"_s));
        const DownloadSnapshot s = waitFinal(*m, id);
        QCOMPARE(s.state, DownloadState::Completed);
        QVERIFY(m->remove(id, true));
        QVERIFY(!m->snapshot(id));
        QVERIFY(!QFileInfo::exists(s.targetPath));
        QVERIFY(!m->remove(id, false));
    }

    void serverWithoutRanges_cutStreamRestartsAtZeroNeverAtAnOffset()
    {
        const QByteArray body = deterministicBytes(4 * 1024 * 1024, 23);
        m_server->setResource(u"/plain.bin"_s, resource(body));
        Faults f;
        f.ignoreRange = true;
        f.cutAfterBytes = 700 * 1024;
        f.cutRequests = 2;
        m_server->setFaults(u"/plain.bin"_s, f);
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/plain.bin"_s)));
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        for (const RequestRecord &r : m_server->requests(u"/plain.bin"_s))
            QVERIFY2(r.range.isEmpty() || r.range == "bytes=0-", r.range.constData());
    }

    void serverWithoutRanges_fileChangedBetweenAttemptsIsNotTruncated()
    {
        const QByteArray v1 = deterministicBytes(1024 * 1024, 24);
        const QByteArray v2 = deterministicBytes(1536 * 1024, 25);
        m_server->setResource(u"/grows.bin"_s, resource(v1, "\"v1\""));
        Faults f;
        f.ignoreRange = true;
        f.cutAfterBytes = 300 * 1024;
        f.cutRequests = 1;
        f.changeAfterRequests = 1;
        f.changedBody = v2;
        f.changedEtag = "\"v2\"";
        m_server->setFaults(u"/grows.bin"_s, f);
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/grows.bin"_s)));
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(v2));
    }

    void busyServer_retryAfterIsHonouredByEveryConnection()
    {
        const QByteArray body = deterministicBytes(4 * 1024 * 1024, 26);
        m_server->setResource(u"/calm.bin"_s, resource(body));
        Faults f;
        f.failFirstRequests = 3;
        f.retryAfterSeconds = 1;
        m_server->setFaults(u"/calm.bin"_s, f);
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/calm.bin"_s)));
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        // No flood: three refusals, then roughly one request per range.
        QVERIFY2(m_server->requestCount(u"/calm.bin"_s) <= 3 + 8 + 8, qPrintable(QString::number(m_server->requestCount(u"/calm.bin"_s))));
    }

    void redirectToAnotherHost_neverCarriesTheCredentials()
    {
        FaultServer other;
        QVERIFY(other.start());
        const QByteArray body = deterministicBytes(2 * 1024 * 1024, 27);
        other.setResource(u"/file.bin"_s, resource(body));
        m_server->setRedirect(u"/go"_s, other.url(u"/file.bin"_s).toString());
        auto m = makeManager();
        DownloadRequest r;
        r.url = m_server->url(u"/go"_s);
        r.directory = m_out->path();
        r.headers = {{"Authorization", "Bearer SECRET-TOKEN"}, {"X-Plain", "yes"}};
        QString error;
        const DownloadSnapshot s = waitFinal(*m, m->add(r, &error));
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        const auto first = m_server->requests(u"/go"_s);
        QVERIFY(!first.isEmpty());
        const bool sentToOrigin = std::any_of(first.first().headers.begin(), first.first().headers.end(),
                                              [](const auto &h) { return h.second == "Bearer SECRET-TOKEN"; });
        QVERIFY(sentToOrigin);
        for (const RequestRecord &req : other.requests(u"/file.bin"_s)) {
            for (const auto &h : req.headers) {
                QVERIFY2(!h.second.contains("SECRET"), "credentials reached the redirect target");
            }
        }
    }

    void expiredRedirectTarget_isRefreshedFromTheOriginalUrlKeepingProgress()
    {
        const QByteArray body = deterministicBytes(4 * 1024 * 1024, 28);
        m_server->setResource(u"/signed/a.bin"_s, resource(body));
        Faults slow;
        slow.bytesPerSecond = 256 * 1024;
        m_server->setFaults(u"/signed/a.bin"_s, slow);
        m_server->setRedirect(u"/latest"_s, u"/signed/a.bin"_s);
        auto m = makeManager();
        const DownloadId id = add(*m, m_server->url(u"/latest"_s));
        QTRY_VERIFY_WITH_TIMEOUT(m->snapshot(id)->done > 1024 * 1024, 20'000);
        m->pause(id);
        const qint64 kept = m->snapshot(id)->done;
        // The signed link expires; the original URL now hands out another one for the same file.
        m_server->removeResource(u"/signed/a.bin"_s);
        m_server->setResource(u"/signed/b.bin"_s, resource(body));
        m_server->setFaults(u"/signed/b.bin"_s, slow);
        m_server->setRedirect(u"/latest"_s, u"/signed/b.bin"_s);
        m->resume(id);
        const DownloadSnapshot s = waitFinal(*m, id);
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        QCOMPARE(s.finalUrl, m_server->url(u"/signed/b.bin"_s));
        qint64 refetched = 0;
        for (const RequestRecord &r : m_server->requests(u"/signed/b.bin"_s))
            refetched += r.range == "bytes=0-" ? 0 : r.bodyBytesSent;
        // The server counts what it pushed into socket buffers of replies the client dropped, so
        // allow a quarter of the file; starting over would still exceed this (kept > 1 MiB).
        QVERIFY2(refetched <= body.size() - kept + body.size() / 4, qPrintable(u"%1 re-fetched, %2 kept"_s.arg(refetched).arg(kept)));
    }

    void serverWithoutValidators_usesOneStreamAndSaysWhy()
    {
        const QByteArray body = deterministicBytes(3 * 1024 * 1024, 29);
        m_server->setResource(u"/novalid.bin"_s, resource(body, QByteArray()));
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/novalid.bin"_s)));
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        QVERIFY(!s.resumable);
        QVERIFY2(s.message.contains(u"ETag"_s), qPrintable(s.message));
        QCOMPARE(m_server->requestCount(u"/novalid.bin"_s), 1);
    }

    void crashRightAfterTheFinalRename_isRecognisedNotDownloadedAgain()
    {
        // What the database holds when the process dies between renaming the finished file and
        // recording it: state Verifying, no part file, the chosen final name on disk.
        const QByteArray body = deterministicBytes(300 * 1024, 30);
        const QString target = m_out->filePath(u"done.bin"_s);
        QVERIFY(writeFile(target, body));
        DownloadId id = 0;
        {
            Storage storage(m_state->path() + u"/ferry.sqlite"_s);
            QString error;
            QVERIFY2(storage.open(&error), qPrintable(error));
            StoredDownload d;
            d.url = m_server->url(u"/done.bin"_s);
            d.directory = m_out->path();
            d.fileName = u"done.bin"_s;
            d.partPath = target + u".part"_s;
            d.targetPath = target;
            d.total = body.size();
            d.resumable = true;
            d.etag = "\"v1\"";
            d.state = DownloadState::Verifying;
            id = storage.insert(d);
        }
        EngineSettings settings;
        auto m = std::make_unique<DownloadManager>(m_state->path(), settings);
        QString error;
        QVERIFY(m->open(true, &error));
        const DownloadSnapshot s = waitFinal(*m, id);
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(s.targetPath, target);
        QCOMPARE(outFiles(), QStringList{u"done.bin"_s}); // no "done (1).bin"
        QCOMPARE(sha256OfFile(target), sha256Hex(body));
        QCOMPARE(m_server->requestCount(u"/done.bin"_s), 0);
    }

    void emptyFile_completes()
    {
        m_server->setResource(u"/empty.txt"_s, resource(QByteArray()));
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/empty.txt"_s)));
        QVERIFY2(s.state == DownloadState::Completed, qPrintable(s.message));
        QCOMPARE(QFileInfo(s.targetPath).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDownloadManager)
#include "tst_downloadmanager.moc"
