// ferry-cli zip get of a large entry: it becomes a download of the engine (parallel ranges over
// the entry's span only), survives a kill -9 in the middle and is carried on by ferry-cli resume,
// fetching again only what the last checkpoints had not recorded; small entries are still read
// at once.
#include "clifixture.h"
#include "entrytestsupport.h"
#include "sandbox.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry::test;
using namespace ferry::test::zipread;

namespace {
constexpr qint64 kMiB = 1024 * 1024;
constexpr qint64 kEntrySize = 110 * kMiB;
// Each response of the server is throttled, so the kill lands in the middle.
constexpr qint64 kPerConnection = 2 * kMiB;
constexpr int kConnections = 8;
// Progress is committed at most every second after a sync; with the tick that drives it, a kill
// loses at most about 1.5 s of every connection's bytes. Socket buffers add what was sent but
// never read; 4 MiB covers them on loopback.
constexpr qint64 kRefetchBound = qint64(kConnections * kPerConnection * 1.5) + 4 * kMiB;
} // namespace

class TestCliZipResume final : public CliFixture
{
    Q_OBJECT

private slots:
    void killedEntryDownload_resumesAndRefetchesLittle()
    {
        QElapsedTimer timer;
        timer.start();
        const QByteArray big = deterministicBytes(kEntrySize, 41);
        const QByteArray small = "small entry\n";
        QHash<QString, EntryPlace> places;
        QString error;
        const QByteArray archive = makeZip(
            m_tmp->path(), {{u"small.txt"_s, small, true}, {u"media/big.bin"_s, big, false}},
            &places, &error);
        QVERIFY2(!archive.isEmpty(), qPrintable(error));
        const QString path = u"/sets/media.zip"_s;
        m_server->setResource(path, Resource{archive, "\"media-1\"", {}, {}});
        Faults slow;
        slow.bytesPerSecond = kPerConnection;
        m_server->setFaults(path, slow);
        const QString url = m_server->url(path.mid(1)).toString();

        const QStringList args = withState(
            {u"zip"_s, u"get"_s, url, u"media/big.bin"_s, u"small.txt"_s, u"-d"_s, m_outDir});
        std::unique_ptr<QProcess> first = startCli(args);
        // Killed once about two thirds of the entry have been sent: past the first commits of
        // progress, which a machine busy with other tests can delay by seconds (a kill at a
        // third has been seen to keep nothing there, and to fetch it all again).
        QTRY_VERIFY_WITH_TIMEOUT(m_server->bodyBytesServed(path) >= kEntrySize * 2 / 3, 30000);
        first->kill(); // SIGKILL: no pause, no last checkpoint
        QVERIFY(first->waitForFinished(10000));
        const qint64 servedBefore = m_server->bodyBytesServed(path);
        QVERIFY(!QFile::exists(m_outDir + u"/media/big.bin"_s));
        QCOMPARE(readFile(m_outDir + u"/small.txt"_s), small); // small entries are read at once

        // Only the entry's span was asked for, by several connections.
        const qint64 spanStart = places.value(u"media/big.bin"_s).offset;
        const qint64 spanEnd = places.value(u"media/big.bin"_s).data + kEntrySize; // exclusive
        QSet<int> connections;
        for (const RequestRecord &r : m_server->requests(path)) {
            const auto [a, b] = parseRange(r.range);
            if (b == archive.size() - 1 || a < spanStart)
                continue; // the listing's tail, or the small entry read at once
            QVERIFY2(a >= spanStart && b < spanEnd + 24, r.range.constData());
            connections.insert(r.connection);
        }
        QVERIFY2(connections.size() > 1, qPrintable(QString::number(connections.size())));

        m_server->setFaults(path, {}); // full speed for the rest
        m_server->clearLog();
        const CliResult resumed = runCli(withState({u"resume"_s}), 60000);
        VERIFY_EXIT(resumed, 0);
        const qint64 servedAfter = m_server->bodyBytesServed(path);
        QCOMPARE(sha256OfFile(m_outDir + u"/media/big.bin"_s), sha256Hex(big));
        // Nothing else is left: no span, no half-decoded file, no second copy.
        QStringList files;
        QDirIterator it(m_outDir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext())
            files.append(QDir(m_outDir).relativeFilePath(it.next()));
        files.sort();
        QCOMPARE(files, (QStringList{u"media/big.bin"_s, u"small.txt"_s}));

        const qint64 span = spanEnd - spanStart;
        const qint64 listingBytes =
            servedBefore - qMin(servedBefore, span); // upper bound of the tail read
        const qint64 refetched = servedBefore + servedAfter - span;
        qInfo("entry span %lld bytes; served before the kill %lld, after %lld; fetched again %lld "
              "(bound %lld); %lld ms",
              span, servedBefore, servedAfter, refetched, kRefetchBound, timer.elapsed());
        Q_UNUSED(listingBytes);
        QVERIFY2(refetched <= kRefetchBound, qPrintable(QString::number(refetched)));
    }

    void sameNames_directAndEngineEntriesNeverShareOne()
    {
        // "a|b.bin" is made "a_b.bin", the name of another entry: the choice is named once, so
        // the large one (a download of the engine) and the small one (read at once) each get
        // their own name, whichever is written first.
        const QByteArray big = deterministicBytes(17 * 1024 * 1024, 42);
        const QByteArray small = "small entry\n";
        QHash<QString, EntryPlace> places;
        QString error;
        const QByteArray archive = makeZip(
            m_tmp->path(), {{u"a_b.bin"_s, small, true}, {u"a|b.bin"_s, big, false}}, &places,
            &error);
        QVERIFY2(!archive.isEmpty(), qPrintable(error));
        const QString path = u"/sets/names.zip"_s;
        m_server->setResource(path, Resource{archive, "\"names-1\"", {}, {}});
        const QString url = m_server->url(path.mid(1)).toString();
        const CliResult got = runCli(
            withState({u"zip"_s, u"get"_s, url, u"a|b.bin"_s, u"a_b.bin"_s, u"-d"_s, m_outDir}),
            60000);
        VERIFY_EXIT(got, 0);
        QCOMPARE(readFile(m_outDir + u"/a_b.bin"_s), small);
        QCOMPARE(sha256OfFile(m_outDir + u"/a_b (1).bin"_s), sha256Hex(big));
        QCOMPARE(QDir(m_outDir).entryList(QDir::Files | QDir::Hidden),
                 (QStringList{u"a_b (1).bin"_s, u"a_b.bin"_s}));
    }
};

QTEST_GUILESS_MAIN(TestCliZipResume)
#include "tst_cli_zipresume.moc"
