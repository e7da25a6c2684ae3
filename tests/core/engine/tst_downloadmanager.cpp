// The manager's own behaviour: adding, naming, queueing and priorities, concurrency, pause and
// resume, removal, rate limits and persistence across restarts.
#include "downloadmanagerfixture.h"
#include "sandbox.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

class TestDownloadManager final : public QObject, private DownloadManagerFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { QVERIFY(createFixture()); }
    void cleanup() { destroyFixture(); }

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
};

QTEST_GUILESS_MAIN(TestDownloadManager)
#include "tst_downloadmanager.moc"
