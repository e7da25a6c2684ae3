// The manager's queue: where added downloads wait, the order they start in, moving them, and
// what the add dialog's probe told before a download's own probe.
#include "downloadmanagerfixture.h"
#include "sandbox.h"

#include <QStandardPaths>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

class TestDownloadQueue final : public QObject, private DownloadManagerFixture
{
    Q_OBJECT

private:
    DownloadId addTo(DownloadManager &m, const QString &path, bool front = false)
    {
        DownloadRequest r;
        r.url = m_server->url(path);
        r.directory = m_out->path();
        r.queueFront = front;
        QString error;
        const DownloadId id = m.add(r, &error);
        if (id == 0)
            qWarning("add failed: %s", qPrintable(error));
        return id;
    }

    // Unfinished downloads in the order the scheduler starts them: priority, then id.
    static QList<DownloadId> queueOf(const DownloadManager &m)
    {
        QList<DownloadSnapshot> list;
        for (const DownloadSnapshot &s : m.snapshots()) {
            if (s.state != DownloadState::Completed)
                list.append(s);
        }
        std::sort(list.begin(), list.end(), [](const DownloadSnapshot &a, const DownloadSnapshot &b) {
            return a.priority != b.priority ? a.priority > b.priority : a.id < b.id;
        });
        QList<DownloadId> ids;
        for (const DownloadSnapshot &s : std::as_const(list))
            ids.append(s.id);
        return ids;
    }

    void serveSlowly(const QString &path, int seed)
    {
        m_server->setResource(path, resource(deterministicBytes(4 * 1024 * 1024, seed)));
        Faults f;
        f.bytesPerSecond = 64 * 1024;
        m_server->setFaults(path, f);
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { QVERIFY(createFixture()); }
    void cleanup() { destroyFixture(); }

    void added_waitsQueuedAndStartsInOrder_startNowFirst()
    {
        const QByteArray body = deterministicBytes(256 * 1024, 31);
        serveSlowly(u"/first"_s, 30);
        for (const QString &p : {u"/b"_s, u"/c"_s, u"/now"_s})
            m_server->setResource(p, resource(body));
        EngineSettings settings;
        settings.maxConcurrentDownloads = 1;
        auto m = makeManager(settings);
        QList<DownloadId> startOrder;
        connect(m.get(), &DownloadManager::stateChanged, this, [&](DownloadId id, DownloadState state) {
            if (state == DownloadState::Downloading && !startOrder.contains(id))
                startOrder.append(id);
        });
        const DownloadId first = addTo(*m, u"/first"_s);
        const DownloadId b = addTo(*m, u"/b"_s);
        const DownloadId c = addTo(*m, u"/c"_s);
        const DownloadId now = addTo(*m, u"/now"_s, true);
        QCOMPARE(m->snapshot(first)->state, DownloadState::Downloading);
        for (DownloadId id : {b, c, now})
            QCOMPARE(m->snapshot(id)->state, DownloadState::Queued);
        QCOMPARE(m->totals().queued, 3);
        QCOMPARE(queueOf(*m), (QList<DownloadId>{now, first, b, c}));
        m->pause(first); // its slot frees up: the queue moves on, front first
        for (DownloadId id : {now, b, c})
            QCOMPARE(waitFinal(*m, id).state, DownloadState::Completed);
        QCOMPARE(startOrder, (QList<DownloadId>{first, now, b, c}));
    }

    void moveInQueue_swapsWithTheNeighbourAndSurvivesARestart()
    {
        serveSlowly(u"/blocker"_s, 32);
        for (const QString &p : {u"/m1"_s, u"/m2"_s, u"/m3"_s})
            m_server->setResource(p, resource(deterministicBytes(64 * 1024, 33)));
        EngineSettings settings;
        settings.maxConcurrentDownloads = 1;
        QList<DownloadId> expected;
        {
            auto m = makeManager(settings);
            const DownloadId blocker = addTo(*m, u"/blocker"_s);
            const DownloadId m1 = addTo(*m, u"/m1"_s);
            const DownloadId m2 = addTo(*m, u"/m2"_s);
            const DownloadId m3 = addTo(*m, u"/m3"_s);
            QCOMPARE(queueOf(*m), (QList<DownloadId>{blocker, m1, m2, m3}));
            m->moveInQueue(m3, -1);
            QCOMPARE(queueOf(*m), (QList<DownloadId>{blocker, m1, m3, m2}));
            m->moveInQueue(m1, +1);
            QCOMPARE(queueOf(*m), (QList<DownloadId>{blocker, m3, m1, m2}));
            m->moveInQueue(m2, +5); // already last
            m->moveInQueue(blocker, -1); // already first
            expected = {blocker, m3, m1, m2};
            QCOMPARE(queueOf(*m), expected);
            m->pauseAll();
        }
        auto again = makeManager(settings);
        QCOMPARE(queueOf(*again), expected);
    }

    void moveInQueueBefore_movesTheBlockInItsOrder_finishedOrUnknownMeansTheEnd()
    {
        serveSlowly(u"/blocker"_s, 34);
        const QStringList paths{u"/n1"_s, u"/n2"_s, u"/n3"_s, u"/n4"_s, u"/done"_s};
        for (const QString &p : paths)
            m_server->setResource(p, resource(deterministicBytes(64 * 1024, 35)));
        EngineSettings settings;
        settings.maxConcurrentDownloads = 1;
        auto m = makeManager(settings);
        const DownloadId done = addTo(*m, u"/done"_s);
        QCOMPARE(waitFinal(*m, done).state, DownloadState::Completed);
        const DownloadId b = addTo(*m, u"/blocker"_s);
        QList<DownloadId> n;
        for (const QString &p : paths.mid(0, 4))
            n.append(addTo(*m, p));
        QCOMPARE(queueOf(*m), (QList<DownloadId>{b, n[0], n[1], n[2], n[3]}));
        // Given out of order, they keep the order they had.
        m->moveInQueueBefore({n[3], n[1]}, n[0]);
        QCOMPARE(queueOf(*m), (QList<DownloadId>{b, n[1], n[3], n[0], n[2]}));
        // Before one of themselves: they stay where they are.
        m->moveInQueueBefore({n[1], n[3]}, n[3]);
        QCOMPARE(queueOf(*m), (QList<DownloadId>{b, n[1], n[3], n[0], n[2]}));
        m->moveInQueueBefore({n[1]}, done);
        QCOMPARE(queueOf(*m), (QList<DownloadId>{b, n[3], n[0], n[2], n[1]}));
        m->moveInQueueBefore({b, n[3]}, 0);
        QCOMPARE(queueOf(*m), (QList<DownloadId>{n[0], n[2], n[1], b, n[3]}));
        m->moveInQueueBefore({done}, n[0]); // finished: it has no place to move
        QCOMPARE(queueOf(*m), (QList<DownloadId>{n[0], n[2], n[1], b, n[3]}));
        m->pauseAll();
    }

    void probedHints_showBeforeTheStartAndAcrossARestart_theOwnProbeDecides()
    {
        serveSlowly(u"/hold"_s, 34);
        const QByteArray body = deterministicBytes(300 * 1024, 35);
        m_server->setResource(u"/real.bin"_s, resource(body));
        EngineSettings settings;
        settings.maxConcurrentDownloads = 1;
        DownloadId id = 0;
        DownloadId hold = 0;
        {
            auto m = makeManager(settings);
            hold = addTo(*m, u"/hold"_s);
            DownloadRequest r;
            r.url = m_server->url(u"/real.bin"_s);
            r.directory = m_out->path();
            r.probedName = u"hinted.bin"_s;
            r.probedSize = 123456;
            r.probedResumable = true;
            QString error;
            id = m->add(r, &error);
            QVERIFY2(id != 0, qPrintable(error));
            const DownloadSnapshot s = *m->snapshot(id);
            QCOMPARE(s.state, DownloadState::Queued);
            QCOMPARE(s.fileName, u"hinted.bin"_s);
            QCOMPARE(s.total, 123456);
            QVERIFY(s.resumable);
        }
        auto m = makeManager(settings);
        DownloadSnapshot s = *m->snapshot(id);
        QCOMPARE(s.fileName, u"hinted.bin"_s);
        QCOMPARE(s.total, 123456);
        QVERIFY(s.resumable);
        // The hints made no part file and no segments: the download probes from zero, and the
        // server's answer replaces every hint.
        m->remove(hold, true);
        m->resume(id);
        s = waitFinal(*m, id);
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(s.fileName, u"real.bin"_s);
        QCOMPARE(s.total, body.size());
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        QCOMPARE(m_server->requests(u"/real.bin"_s).constFirst().range, QByteArray("bytes=0-"));
    }

    void userName_isKeptOverTheProbedOne()
    {
        m_server->setResource(u"/named.bin"_s, resource(deterministicBytes(64 * 1024, 36)));
        auto m = makeManager();
        DownloadRequest r;
        r.url = m_server->url(u"/named.bin"_s);
        r.directory = m_out->path();
        r.fileName = u"mine.bin"_s;
        r.probedName = u"named.bin"_s;
        QString error;
        const DownloadId id = m->add(r, &error);
        QCOMPARE(m->snapshot(id)->fileName, u"mine.bin"_s);
        QCOMPARE(waitFinal(*m, id).fileName, u"mine.bin"_s);
    }
};

QTEST_GUILESS_MAIN(TestDownloadQueue)
#include "tst_downloadqueue.moc"
