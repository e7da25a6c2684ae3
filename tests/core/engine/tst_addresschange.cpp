// Another address for an unfinished download: accepted only when it serves the same file (size,
// validators, else sampled bytes), after which the download goes on without fetching again
// what it has; refused with a reason naming what differs, leaving the part file as it was.
#include "downloadmanagerfixture.h"
#include "engine/addresscheck.h"
#include "sandbox.h"

#include <QDirIterator>
#include <QFile>
#include <QSet>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

namespace {

struct Answer
{
    bool called = false;
    bool ok = false;
    QString message;
};

// Where each ranged GET starts ("bytes=N-…").
qint64 rangeStart(const RequestRecord &r)
{
    return r.range.mid(6, r.range.indexOf('-') - 6).toLongLong();
}

// Whether `offset` lies in bytes a download already had.
bool alreadyHad(const QList<SegmentSnapshot> &segments, qint64 offset)
{
    for (const SegmentSnapshot &s : segments) {
        if (offset >= s.start && offset < s.start + s.done)
            return true;
    }
    return false;
}

} // namespace

// The Range headers of the reads that compare the new address with what is on disk.
QSet<QByteArray> sampleRanges(const QList<ferry::SegmentSnapshot> &segments)
{
    QList<ferry::RangeSampler::Range> done;
    for (const ferry::SegmentSnapshot &s : segments)
        done.append({s.start, s.done});
    QSet<QByteArray> ranges;
    for (const ferry::RangeSampler::Range &r : ferry::AddressCheck::samplePlan(done))
        ranges.insert("bytes=" + QByteArray::number(r.start) + '-' + QByteArray::number(r.start + r.length - 1));
    return ranges;
}

class TestAddressChange final : public QObject, private DownloadManagerFixture
{
    Q_OBJECT

private:
    Answer changeAddress(DownloadManager &m, DownloadId id, const QUrl &url,
                         const HeaderList &headers = {})
    {
        auto answer = std::make_shared<Answer>();
        m.changeAddress(id, url, headers, [answer](bool ok, const QString &message) {
            answer->called = true;
            answer->ok = ok;
            answer->message = message;
        });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(answer->called, 30'000); }();
        return *answer;
    }

    // A download of `path` paused once more than `atLeast` bytes are on disk.
    DownloadId pausedPartway(DownloadManager &m, const QString &path, qint64 atLeast)
    {
        const DownloadId id = add(m, m_server->url(path));
        [&] { QTRY_VERIFY_WITH_TIMEOUT(m.snapshot(id)->done > atLeast, 30'000); }();
        m.pause(id);
        return id;
    }

    Resource plain(const QByteArray &body)
    {
        Resource r;
        r.body = body;
        return r; // no ETag, no Last-Modified
    }

    Faults slow(qint64 bytesPerSecond)
    {
        Faults f;
        f.bytesPerSecond = bytesPerSecond;
        return f;
    }

    QString partPath() const { return m_out->filePath(u"file.bin.part"_s); }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { QVERIFY(createFixture()); }
    void cleanup() { destroyFixture(); }

    void sameEtag_continuesAtTheNewAddress_withoutFetchingAgain_andKeepsTheCookieInMemory()
    {
        const QByteArray body = deterministicBytes(6 * 1024 * 1024, 41);
        m_server->setResource(u"/old/file.bin"_s, resource(body));
        m_server->setFaults(u"/old/file.bin"_s, slow(512 * 1024));
        m_server->setResource(u"/new/file.bin"_s, resource(body));
        auto m = makeManager();
        const DownloadId id = pausedPartway(*m, u"/old/file.bin"_s, 1024 * 1024);
        QCOMPARE(m->snapshot(id)->state, DownloadState::Paused);
        const QList<SegmentSnapshot> had = m->snapshot(id)->segments;

        QUrl url = m_server->url(u"/new/file.bin"_s);
        url.setQuery(u"sig=SIGNED-QUERY-777"_s);
        const QByteArray cookie = "session=ADDRESS-COOKIE-555";
        const Answer a = changeAddress(*m, id, url, {{"Cookie", cookie}});
        QVERIFY2(a.ok, qPrintable(a.message));
        QCOMPARE(m->snapshot(id)->url, url);
        QCOMPARE(m->snapshot(id)->state, DownloadState::Paused); // paused by the user: stays so
        m->resume(id);
        const DownloadSnapshot s = waitFinal(*m, id);
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));

        const QList<RequestRecord> requests = m_server->requests(u"/new/file.bin"_s);
        QVERIFY(requests.size() >= 2);
        QCOMPARE(requests.first().range, QByteArray("bytes=0-0")); // size and validators
        // Then a few small reads compare the new address with the bytes on disk, even though
        // the ETags agree; nothing else inside those bytes is asked for.
        const QSet<QByteArray> samples = sampleRanges(had);
        QVERIFY(!samples.isEmpty());
        int compared = 0;
        for (const RequestRecord &r : requests)
            compared += samples.contains(r.range) ? 1 : 0;
        QCOMPARE(compared, samples.size());
        for (const RequestRecord &r : requests) {
            bool sent = false;
            for (const auto &[name, value] : r.headers)
                sent =
                    sent || (name.compare("Cookie", Qt::CaseInsensitive) == 0 && value == cookie);
            QVERIFY2(sent, r.range.constData());
            if (&r == &requests.first() || samples.contains(r.range))
                continue;
            QVERIFY2(!alreadyHad(had, rangeStart(r)),
                     qPrintable(u"fetched again: "_s + QString::fromLatin1(r.range)));
        }
        // The history names the new address without its query, which may hold credentials.
        QString history;
        for (const DownloadEvent &e : m->events(id))
            history += e.text + u'\n';
        QVERIFY2(history.contains(
                     u"Address changed to %1"_s.arg(m_server->url(u"/new/file.bin"_s).toString())),
                 qPrintable(history));
        QVERIFY(!history.contains(u"SIGNED-QUERY"_s));

        m->flush();
        QDirIterator it(m_state->path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        int scanned = 0;
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains("ADDRESS-COOKIE-555"), qPrintable(f.fileName()));
            ++scanned;
        }
        QVERIFY(scanned > 0);
    }

    void otherSize_isRefused_andNothingChanges()
    {
        const QByteArray body = deterministicBytes(4 * 1024 * 1024, 42);
        m_server->setResource(u"/file.bin"_s, resource(body));
        m_server->setFaults(u"/file.bin"_s, slow(512 * 1024));
        m_server->setResource(u"/bigger.bin"_s, resource(deterministicBytes(5 * 1024 * 1024, 42)));
        auto m = makeManager();
        const DownloadId id = pausedPartway(*m, u"/file.bin"_s, 512 * 1024);
        m->flush();
        const QByteArray before = sha256OfFile(partPath());
        QVERIFY(!before.isEmpty());

        const Answer a = changeAddress(*m, id, m_server->url(u"/bigger.bin"_s));
        QVERIFY(!a.ok);
        QVERIFY2(a.message.contains(u"size"_s) && a.message.contains(u"5242880"_s) &&
                     a.message.contains(u"4194304"_s),
                 qPrintable(a.message));
        QCOMPARE(m->snapshot(id)->url, m_server->url(u"/file.bin"_s));
        QCOMPARE(m->snapshot(id)->state, DownloadState::Paused);
        QCOMPARE(sha256OfFile(partPath()), before);
        QCOMPARE(m_server->requestCount(u"/bigger.bin"_s), 1); // the probe only
    }

    void sameSizeOtherEtag_isRefused()
    {
        const QByteArray body = deterministicBytes(4 * 1024 * 1024, 43);
        m_server->setResource(u"/file.bin"_s, resource(body));
        m_server->setFaults(u"/file.bin"_s, slow(512 * 1024));
        m_server->setResource(u"/v2.bin"_s, resource(body, "\"v2\""));
        auto m = makeManager();
        const DownloadId id = pausedPartway(*m, u"/file.bin"_s, 512 * 1024);
        m->flush();
        const QByteArray before = sha256OfFile(partPath());

        const Answer a = changeAddress(*m, id, m_server->url(u"/v2.bin"_s));
        QVERIFY(!a.ok);
        QVERIFY2(a.message.contains(u"ETag"_s), qPrintable(a.message));
        QCOMPARE(m->snapshot(id)->url, m_server->url(u"/file.bin"_s));
        QCOMPARE(sha256OfFile(partPath()), before);
    }

    void noValidators_sameBytes_areAccepted_andTheDownloadGoesOn()
    {
        const QByteArray body = deterministicBytes(4 * 1024 * 1024, 44);
        m_server->setResource(u"/file.bin"_s, plain(body));
        m_server->setFaults(u"/file.bin"_s, slow(512 * 1024));
        m_server->setResource(u"/mirror.bin"_s, plain(body));
        auto m = makeManager();
        const DownloadId id = pausedPartway(*m, u"/file.bin"_s, 1024 * 1024);
        const QList<SegmentSnapshot> had = m->snapshot(id)->segments;

        const Answer a = changeAddress(*m, id, m_server->url(u"/mirror.bin"_s));
        QVERIFY2(a.ok, qPrintable(a.message));
        const QList<RequestRecord> checks = m_server->requests(u"/mirror.bin"_s);
        QVERIFY2(checks.size() >= 2, "no bytes were sampled");
        for (const RequestRecord &r : checks.mid(1))
            QVERIFY2(alreadyHad(had, rangeStart(r)),
                     r.range.constData()); // samples only where it has bytes

        m->resume(id);
        const DownloadSnapshot s = waitFinal(*m, id);
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        for (const RequestRecord &r : m_server->requests(u"/mirror.bin"_s).mid(checks.size()))
            QVERIFY2(!alreadyHad(had, rangeStart(r)),
                     qPrintable(u"fetched again: "_s + QString::fromLatin1(r.range)));
    }

    void noValidators_oneDifferingByte_isRefused_namingItsOffset()
    {
        const QByteArray body = deterministicBytes(4 * 1024 * 1024, 45);
        m_server->setResource(u"/file.bin"_s, plain(body));
        m_server->setFaults(u"/file.bin"_s, slow(512 * 1024));
        auto m = makeManager();
        const DownloadId id = pausedPartway(*m, u"/file.bin"_s, 1024 * 1024);
        m->flush();
        const QByteArray before = sha256OfFile(partPath());
        // The check compares the ranges its plan names for these bytes on disk: one byte in the
        // middle of the second one differs.
        QList<RangeSampler::Range> done;
        const QList<SegmentSnapshot> segments = m->snapshot(id)->segments;
        for (const SegmentSnapshot &s : segments)
            done.append({s.start, s.done});
        const QList<RangeSampler::Range> plan = AddressCheck::samplePlan(done);
        QVERIFY(plan.size() >= 2);
        const qint64 offset = plan.at(1).start + plan.at(1).length / 2;
        QByteArray other = body;
        other[offset] = char(other.at(offset) ^ 0x5a);
        m_server->setResource(u"/other.bin"_s, plain(other));

        const Answer a = changeAddress(*m, id, m_server->url(u"/other.bin"_s));
        QVERIFY(!a.ok);
        QVERIFY2(a.message.contains(u"offset %1"_s.arg(offset)), qPrintable(a.message));
        QCOMPARE(m->snapshot(id)->url, m_server->url(u"/file.bin"_s));
        QCOMPARE(sha256OfFile(partPath()), before);
    }

    void failedWithAnExpiredLink_continuesAtTheNewAddress()
    {
        const QByteArray body = deterministicBytes(6 * 1024 * 1024, 46);
        m_server->setResource(u"/file.bin"_s, resource(body));
        // Every response is cut short, and from the ninth request on the link has expired.
        Faults expired;
        expired.cutAfterBytes = 256 * 1024;
        expired.failFromRequest = 8;
        expired.failStatus = 403;
        m_server->setFaults(u"/file.bin"_s, expired);
        m_server->setResource(u"/fresh/file.bin"_s, resource(body));
        auto m = makeManager();
        const DownloadId id = add(*m, m_server->url(u"/file.bin"_s));
        const DownloadSnapshot failed = waitFinal(*m, id);
        QCOMPARE(failed.state, DownloadState::Failed);
        QVERIFY2(failed.message.contains(u"403"_s), qPrintable(failed.message));
        QVERIFY(failed.done > 0);

        const Answer a = changeAddress(*m, id, m_server->url(u"/fresh/file.bin"_s));
        QVERIFY2(a.ok, qPrintable(a.message));
        // Failed: it goes on by itself.
        QTRY_VERIFY_WITH_TIMEOUT(m->snapshot(id)->state == DownloadState::Completed,
                                 finishTimeoutMs);
        QCOMPARE(sha256OfFile(m->snapshot(id)->targetPath), sha256Hex(body));
        const QList<RequestRecord> requests = m_server->requests(u"/fresh/file.bin"_s);
        QCOMPARE(requests.first().range, QByteArray("bytes=0-0"));
        const QSet<QByteArray> samples = sampleRanges(failed.segments);
        for (const RequestRecord &r : requests.mid(1))
            QVERIFY2(samples.contains(r.range) || !alreadyHad(failed.segments, rangeStart(r)),
                     qPrintable(u"fetched again: "_s + QString::fromLatin1(r.range)));
    }

    void refusals_sayWhy()
    {
        const QByteArray body = deterministicBytes(256 * 1024, 47);
        m_server->setResource(u"/done.bin"_s, resource(body));
        auto m = makeManager();
        const DownloadId id = add(*m, m_server->url(u"/done.bin"_s));
        QCOMPARE(waitFinal(*m, id).state, DownloadState::Completed);

        Answer a = changeAddress(*m, id, QUrl(u"ftp://127.0.0.1/done.bin"_s));
        QVERIFY(!a.ok);
        QVERIFY2(a.message.contains(u"only http and https"_s), qPrintable(a.message));
        a = changeAddress(*m, id, m_server->url(u"/done.bin"_s));
        QVERIFY(!a.ok);
        QVERIFY2(a.message.contains(u"finished"_s), qPrintable(a.message));
        a = changeAddress(*m, 9999, m_server->url(u"/done.bin"_s));
        QVERIFY(!a.ok);
        QVERIFY2(a.message.contains(u"no longer in the list"_s), qPrintable(a.message));
    }
};

QTEST_MAIN(TestAddressChange)
#include "tst_addresschange.moc"
