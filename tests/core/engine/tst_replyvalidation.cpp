// Every reply is judged before a byte of it is written: its coding, its length, its validators.
// Servers that compress ranges, never evaluate If-Range, or answer it with the whole file end
// with the server's exact bytes or a clear error, never with a file mixing two versions.
#include "downloadmanagerfixture.h"
#include "sandbox.h"

#include <QFileInfo>
#include <QLocale>
#include <QTimeZone>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

namespace {

bool eventsMention(const QList<DownloadEvent> &events, const QString &text)
{
    return std::any_of(events.begin(), events.end(), [&](const DownloadEvent &e) { return e.text.contains(text); });
}

QString eventsText(const QList<DownloadEvent> &events)
{
    QStringList lines;
    for (const DownloadEvent &e : events)
        lines.append(e.text);
    return lines.join(u'\n');
}

} // namespace

class TestReplyValidation final : public QObject, private DownloadManagerFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { QVERIFY(createFixture()); }
    void cleanup() { destroyFixture(); }

    void gzipEncodedRanges_areNeverWrittenAndOnePlainStreamFinishes()
    {
        const QByteArray body = deterministicBytes(3 * 1024 * 1024 + 11, 41);
        m_server->setResource(u"/gz.bin"_s, resource(body));
        Faults f;
        f.gzipRanges = true;
        m_server->setFaults(u"/gz.bin"_s, f);
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/gz.bin"_s)));
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        QVERIFY(!s.resumable);
        QVERIFY2(s.message.contains(u"compresses byte ranges (Content-Encoding: gzip)"_s), qPrintable(s.message));
        // One ranged probe, answered compressed and dropped; then one plain GET brought the file.
        const auto requests = m_server->requests(u"/gz.bin"_s);
        const auto ranged = std::count_if(requests.begin(), requests.end(), [](const RequestRecord &r) { return r.status == 206; });
        QCOMPARE(ranged, 1);
        QCOMPARE(requests.last().status, 200);
        QVERIFY(requests.last().range.isEmpty());
    }

    void lastModifiedOnly_ifRangeIgnored_changeWhilePausedNeverMixes()
    {
        const QByteArray v1 = deterministicBytes(4 * 1024 * 1024, 42);
        const QByteArray v2 = deterministicBytes(4 * 1024 * 1024, 43); // same size, new date
        Resource r1 = resource(v1, {});
        r1.lastModified = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);
        m_server->setResource(u"/lm.bin"_s, r1);
        Faults slow;
        slow.ignoreIfRange = true;
        slow.bytesPerSecond = 128 * 1024;
        m_server->setFaults(u"/lm.bin"_s, slow);
        auto m = makeManager();
        const DownloadId id = add(*m, m_server->url(u"/lm.bin"_s), 4);
        QTRY_VERIFY_WITH_TIMEOUT(m->snapshot(id)->done > 512 * 1024, 20'000);
        QVERIFY(m->snapshot(id)->resumable);
        m->pause(id);
        QCOMPARE(m->snapshot(id)->state, DownloadState::Paused);

        Resource r2 = resource(v2, {});
        r2.lastModified = r1.lastModified.addSecs(60);
        m_server->setResource(u"/lm.bin"_s, r2);
        Faults fast;
        fast.ignoreIfRange = true;
        m_server->setFaults(u"/lm.bin"_s, fast);
        m_server->clearLog();
        m->resume(id);
        const DownloadSnapshot s = waitFinal(*m, id);
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(v2)); // all of the new version, nothing of the old
        QVERIFY2(eventsMention(m->events(id), u"changed on the server"_s), qPrintable(eventsText(m->events(id))));
        QCOMPARE(s.lastModified, QString::fromLatin1(httpDateOf(r2.lastModified)));
    }

    void ifRangeAnsweredWithTheWholeFile_unchangedFileFinishesWithoutRestarting()
    {
        const QByteArray body = deterministicBytes(4 * 1024 * 1024, 44);
        m_server->setResource(u"/ir.bin"_s, resource(body, "\"same\""));
        Faults f;
        f.fullBodyForIfRange = true;
        m_server->setFaults(u"/ir.bin"_s, f);
        auto m = makeManager();
        const DownloadId id = add(*m, m_server->url(u"/ir.bin"_s), 4);
        const DownloadSnapshot s = waitFinal(*m, id);
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        QVERIFY2(!eventsMention(m->events(id), u"Starting over"_s), qPrintable(eventsText(m->events(id))));
        QVERIFY2(eventsMention(m->events(id), u"does not evaluate If-Range"_s), qPrintable(eventsText(m->events(id))));
        // Ranges went on in parallel without If-Range once the server showed it ignores it.
        const auto requests = m_server->requests(u"/ir.bin"_s);
        const auto withIfRange = std::count_if(requests.begin(), requests.end(), [](const RequestRecord &r) { return !r.ifRange.isEmpty(); });
        const auto ranges = std::count_if(requests.begin(), requests.end(), [](const RequestRecord &r) { return r.status == 206; });
        QVERIFY2(withIfRange >= 1 && withIfRange <= 4, qPrintable(QString::number(withIfRange)));
        QVERIFY2(ranges >= 3, qPrintable(QString::number(ranges)));
        QVERIFY(s.resumable);
    }

    void ifRangeAnsweredWithTheWholeFile_changedFileStillStartsOver()
    {
        const QByteArray v1 = deterministicBytes(2 * 1024 * 1024, 45);
        const QByteArray v2 = deterministicBytes(2 * 1024 * 1024, 46);
        m_server->setResource(u"/irc.bin"_s, resource(v1, "\"v1\""));
        Faults f;
        f.fullBodyForIfRange = true;
        f.changeAfterRequests = 1; // right after the probe
        f.changedBody = v2;
        f.changedEtag = "\"v2\"";
        m_server->setFaults(u"/irc.bin"_s, f);
        auto m = makeManager();
        const DownloadId id = add(*m, m_server->url(u"/irc.bin"_s), 4);
        const DownloadSnapshot s = waitFinal(*m, id);
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(v2));
        QVERIFY2(eventsMention(m->events(id), u"changed on the server"_s), qPrintable(eventsText(m->events(id))));
    }

    void stallInTheMiddleOfABody_saysNoDataArrived()
    {
        const QByteArray body = deterministicBytes(512 * 1024, 47);
        m_server->setResource(u"/stall.bin"_s, resource(body));
        Faults f;
        f.stallAfterBytes = 64 * 1024;
        f.stallRequests = 1;
        m_server->setFaults(u"/stall.bin"_s, f);
        auto m = makeManager();
        const DownloadId id = add(*m, m_server->url(u"/stall.bin"_s), 1);
        const DownloadSnapshot s = waitFinal(*m, id);
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        const QList<DownloadEvent> events = m->events(id);
        QVERIFY2(eventsMention(events, u"No data arrived for 1 s"_s), qPrintable(eventsText(events)));
        QVERIFY2(!eventsMention(events, u"closed before the range was complete"_s), qPrintable(eventsText(events)));
    }

private:
    static QByteArray httpDateOf(const QDateTime &t)
    {
        return QLocale::c().toString(t.toUTC(), u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s).toLatin1();
    }
};

QTEST_GUILESS_MAIN(TestReplyValidation)
#include "tst_replyvalidation.moc"
