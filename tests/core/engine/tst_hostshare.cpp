// The downloads running from one server share its connections evenly, give them back when
// another starts, take them up again when one stops, and say what they wait for when none is left.
#include "downloadmanagerfixture.h"
#include "sandbox.h"

#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

class TestHostShare final : public QObject, private DownloadManagerFixture
{
    Q_OBJECT

private:
    // Slow enough that every download is still running when the test looks.
    void serveSlowly(const QString &path, int seed)
    {
        m_server->setResource(path, resource(deterministicBytes(16 * 1024 * 1024, seed)));
        Faults f;
        f.bytesPerSecond = 64 * 1024;
        m_server->setFaults(path, f);
    }

    static int connections(DownloadManager &m, DownloadId id) { return m.snapshot(id)->connections; }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { QVERIFY(createFixture()); }
    void cleanup() { destroyFixture(); }

    void downloadsOfOneServer_shareItsConnectionsEvenly()
    {
        for (int i = 0; i < 3; ++i)
            serveSlowly(u"/share-%1.bin"_s.arg(i), 60 + i);
        EngineSettings settings; // 16 per server, 3 at a time, 8 per download
        auto m = makeManager(settings);
        const DownloadId a = add(*m, m_server->url(u"/share-0.bin"_s));
        const DownloadId b = add(*m, m_server->url(u"/share-1.bin"_s));
        QTRY_COMPARE_WITH_TIMEOUT(connections(*m, a), 8, 15'000);
        QTRY_COMPARE_WITH_TIMEOUT(connections(*m, b), 8, 15'000);

        // A third download gets its share: 16 / 3 each, not one connection or none.
        const DownloadId c = add(*m, m_server->url(u"/share-2.bin"_s));
        QTRY_VERIFY_WITH_TIMEOUT(connections(*m, a) == 5 && connections(*m, b) == 5 && connections(*m, c) == 5, 15'000);
        QVERIFY2(m_server->openConnections() <= 16, qPrintable(QString::number(m_server->openConnections())));
        QVERIFY2(!m->snapshot(c)->message.contains(u"Waiting"_s), qPrintable(m->snapshot(c)->message));

        // When one stops, the others take its connections up again.
        m->pause(a);
        QTRY_VERIFY_WITH_TIMEOUT(connections(*m, b) == 8 && connections(*m, c) == 8, 15'000);
        for (DownloadId id : {b, c})
            m->pause(id);
    }

    void fullServer_saysWhatTheDownloadWaitsFor()
    {
        for (int i = 0; i < 3; ++i)
            serveSlowly(u"/full-%1.bin"_s.arg(i), 70 + i);
        EngineSettings settings;
        settings.connectionsPerHost = 2;
        auto m = makeManager(settings);
        const DownloadId a = add(*m, m_server->url(u"/full-0.bin"_s));
        QTRY_COMPARE_WITH_TIMEOUT(connections(*m, a), 2, 15'000);
        const DownloadId b = add(*m, m_server->url(u"/full-1.bin"_s));
        QTRY_VERIFY_WITH_TIMEOUT(connections(*m, a) == 1 && connections(*m, b) == 1, 15'000);
        const DownloadId c = add(*m, m_server->url(u"/full-2.bin"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m->snapshot(c)->state, DownloadState::Downloading, 15'000);
        QTRY_VERIFY_WITH_TIMEOUT(m->snapshot(c)->message.contains(u"Waiting for a free connection to 127.0.0.1 (2 in use)"_s), 15'000);
        QCOMPARE(connections(*m, c), 0);
        QCOMPARE(m_server->requestCount(u"/full-2.bin"_s), 0);

        // A connection freed by a pause goes to the one that waited, and the note is gone.
        m->pause(a);
        QTRY_VERIFY_WITH_TIMEOUT(connections(*m, c) == 1, 15'000);
        QTRY_VERIFY_WITH_TIMEOUT(!m->snapshot(c)->message.contains(u"Waiting"_s), 15'000);
        QVERIFY(m_server->requestCount(u"/full-2.bin"_s) >= 1);
        for (DownloadId id : {b, c})
            m->pause(id);
    }
};

QTEST_GUILESS_MAIN(TestHostShare)
#include "tst_hostshare.moc"
