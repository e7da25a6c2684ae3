// The engine against a misbehaving server: every case ends with a byte-exact file or a clear
// error, never with a file that mixes two versions or contains an error page.
#include "downloadmanagerfixture.h"
#include "sandbox.h"
#include "storage/storage.h"

#include <QFileInfo>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

class TestDownloadFaults final : public QObject, private DownloadManagerFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { QVERIFY(createFixture()); }
    void cleanup() { destroyFixture(); }

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

    void notFound_failsWithAMessageNotAFile()
    {
        auto m = makeManager();
        const DownloadSnapshot s = waitFinal(*m, add(*m, m_server->url(u"/missing.bin"_s)));
        QCOMPARE(s.state, DownloadState::Failed);
        QVERIFY2(s.message.contains(u"no longer has this file (404"_s), qPrintable(s.message));
        QVERIFY(outFiles().isEmpty());
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
        // Any header may be a credential, whatever its name: none goes to another origin.
        r.headers = {{"Authorization", "Bearer SECRET-TOKEN"}, {"X-Auth-Key", "SECRET-KEY-1"},
                     {"Ocp-Apim-Subscription-Key", "SECRET-KEY-2"}};
        QString error;
        const DownloadSnapshot s = waitFinal(*m, m->add(r, &error));
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(sha256OfFile(s.targetPath), sha256Hex(body));
        const auto first = m_server->requests(u"/go"_s);
        QVERIFY(!first.isEmpty());
        for (const QByteArray secret : {"Bearer SECRET-TOKEN", "SECRET-KEY-1", "SECRET-KEY-2"}) {
            const bool sentToOrigin = std::any_of(first.first().headers.begin(), first.first().headers.end(),
                                                  [&](const auto &h) { return h.second == secret; });
            QVERIFY2(sentToOrigin, secret.constData());
        }
        QVERIFY(!other.requests(u"/file.bin"_s).isEmpty());
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

QTEST_GUILESS_MAIN(TestDownloadFaults)
#include "tst_downloadfaults.moc"
