#include "engine/failurepolicy.h"

#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(ferry::FailureContext)
Q_DECLARE_METATYPE(ferry::FailureDecision)

namespace {

// Jitter pinned to its ceiling: attempt n waits 1000 * 2^n ms (capped at 60 s); three attempts.
FailurePolicy policy(ChangedFilePolicy changedFile = ChangedFilePolicy::Restart)
{
    return FailurePolicy(Backoff(BackoffPolicy{1000, 60000, 3}, [] { return 1.0; }), changedFile, 2);
}

TransferError error(TransferError::Kind kind, int status = 0, qint64 retryAfterMs = -1)
{
    return TransferError{kind, status, retryAfterMs, u"failed"_s};
}

// A planned, resumable download of three connections whose request follows a redirect.
FailureContext onSegment(TransferError e, int failures = 0, qint64 lastFailureWritten = -1, qint64 written = 0)
{
    return FailureContext{.error = e, .onSegment = true, .segmentFailures = failures,
                          .lastFailureWritten = lastFailureWritten, .written = written, .links = 3,
                          .resumable = true, .planned = true, .redirected = true};
}

FailureContext probing(TransferError e, int probeFailures = 0)
{
    return FailureContext{.error = e, .probing = true, .probeFailures = probeFailures, .links = 1,
                          .resumable = true, .planned = false, .redirected = true};
}

FailureContext racing(TransferError e, int duplicateFailures)
{
    FailureContext c = onSegment(e);
    c.onSegment = false;
    c.duplicate = true;
    c.duplicateFailures = duplicateFailures;
    return c;
}

template <typename F>
FailureContext with(FailureContext c, F change)
{
    change(c);
    return c;
}

} // namespace

class TestFailurePolicy final : public QObject
{
    Q_OBJECT
private slots:
    void decide_data();
    void decide();
};

void TestFailurePolicy::decide_data()
{
    QTest::addColumn<FailureContext>("context");
    QTest::addColumn<bool>("stopOnChange");
    QTest::addColumn<FailureDecision>("expected");
    using D = FailureDecision;
    const auto changed = onSegment(error(TransferError::FileChanged));

    QTest::newRow("changed file starts over") << changed << false << D{.action = D::StartOver, .restarts = 1};
    QTest::newRow("changed file, last restart allowed")
        << with(changed, [](auto &c) { c.restarts = 1; }) << false << D{.action = D::StartOver, .restarts = 2};
    QTest::newRow("changed file too often gives up")
        << with(changed, [](auto &c) { c.restarts = 2; }) << false << D{.action = D::GiveUpRestarts, .restarts = 3};
    QTest::newRow("changed file stops when set to")
        << with(changed, [](auto &c) { c.restarts = 2; }) << true << D{.action = D::StopChangedFile};
    // The whole unchanged file in answer to If-Range: no restart, no backoff, no failure counted.
    QTest::newRow("If-Range answered with the unchanged file")
        << onSegment(error(TransferError::IfRangeIgnored), 2, 0, 0) << true << D{.action = D::RetryWithoutIfRange};
    QTest::newRow("If-Range answered with the unchanged file, racing")
        << racing(error(TransferError::IfRangeIgnored), 1) << false << D{.action = D::RetryWithoutIfRange};

    for (int status : {401, 403, 404, 410}) {
        QTest::addRow("%d on a redirect target refreshes it", status)
            << onSegment(error(TransferError::Fatal, status)) << false << D{.action = D::RefreshUrl};
    }
    QTest::newRow("404 without a redirect fails")
        << with(onSegment(error(TransferError::Fatal, 404)), [](auto &c) { c.redirected = false; }) << false
        << D{.action = D::Fail};
    QTest::newRow("404 while already refreshing fails")
        << with(onSegment(error(TransferError::Fatal, 404)), [](auto &c) { c.refreshingUrl = true; }) << false
        << D{.action = D::Fail};
    QTest::newRow("404 before anything was planned fails")
        << probing(error(TransferError::Fatal, 404)) << false << D{.action = D::Fail};
    QTest::newRow("other fatal status fails") << onSegment(error(TransferError::Fatal, 400)) << false << D{.action = D::Fail};
    QTest::newRow("TLS error fails") << onSegment(error(TransferError::Fatal)) << false << D{.action = D::Fail};

    QTest::newRow("disk error pauses") << onSegment(error(TransferError::Disk)) << false << D{.action = D::Pause};

    QTest::newRow("first network failure retries the segment")
        << onSegment(error(TransferError::Network)) << false << D{.action = D::RetrySegment, .failures = 1, .delayMs = 1000};
    QTest::newRow("wrong range retries the segment")
        << onSegment(error(TransferError::WrongRange)) << false << D{.action = D::RetrySegment, .failures = 1, .delayMs = 1000};
    QTest::newRow("failure without progress counts up")
        << onSegment(error(TransferError::Network), 1, 500, 500) << false
        << D{.action = D::RetrySegment, .failures = 2, .delayMs = 2000};
    QTest::newRow("progress since the last failure starts the count over")
        << onSegment(error(TransferError::Network), 2, 500, 900) << false
        << D{.action = D::RetrySegment, .failures = 1, .delayMs = 1000};
    QTest::newRow("segment gives up after the last attempt")
        << onSegment(error(TransferError::Network), 2, 500, 500) << false << D{.action = D::GiveUp, .failures = 3};
    QTest::newRow("Retry-After wins over the backoff")
        << onSegment(error(TransferError::Network, 0, 7000)) << false
        << D{.action = D::RetrySegment, .failures = 1, .delayMs = 7000};
    QTest::newRow("hostile Retry-After is clamped")
        << onSegment(error(TransferError::Network, 0, 24LL * 3600 * 1000)) << false
        << D{.action = D::RetrySegment, .failures = 1, .delayMs = Backoff::MaxRetryAfterMs};
    QTest::newRow("single stream rewinds to byte 0")
        << with(onSegment(error(TransferError::Network)), [](auto &c) { c.resumable = false; c.links = 1; }) << false
        << D{.action = D::RetrySegment, .failures = 1, .delayMs = 1000, .rewind = true};

    QTest::newRow("busy host: fewer links, Retry-After honoured")
        << onSegment(error(TransferError::Throttled, 503, 5000)) << false
        << D{.action = D::RetrySegment, .throttled = true, .linkCap = 2, .failures = 1, .delayMs = 5000, .retireLink = true};
    QTest::newRow("busy host keeps its last link")
        << with(onSegment(error(TransferError::Throttled, 429)), [](auto &c) { c.links = 1; }) << false
        << D{.action = D::RetrySegment, .throttled = true, .linkCap = 1, .failures = 1, .delayMs = 1000};
    QTest::newRow("busy host, attempts exhausted")
        << onSegment(error(TransferError::Throttled, 503), 2, 0, 0) << false
        << D{.action = D::GiveUp, .throttled = true, .linkCap = 2, .failures = 3};

    QTest::newRow("probe retries") << probing(error(TransferError::Network)) << false
                                   << D{.action = D::RetryProbe, .failures = 1, .delayMs = 1000};
    QTest::newRow("probe counts its failures") << probing(error(TransferError::Network), 1) << false
                                               << D{.action = D::RetryProbe, .failures = 2, .delayMs = 2000};
    QTest::newRow("probe gives up") << probing(error(TransferError::Network), 2) << false
                                    << D{.action = D::GiveUp, .failures = 3};
    QTest::newRow("range no longer in the plan retries like a probe")
        << with(onSegment(error(TransferError::Network)), [](auto &c) { c.onSegment = false; }) << false
        << D{.action = D::RetryProbe, .failures = 1, .delayMs = 1000};

    QTest::newRow("failed race waits like a retry") << racing(error(TransferError::Network), 1) << false
                                                    << D{.action = D::RetryDuplicate, .failures = 2, .delayMs = 2000};
    QTest::newRow("failed race never gives up") << racing(error(TransferError::Network), 5) << false
                                                << D{.action = D::RetryDuplicate, .failures = 6, .delayMs = 32000};
    QTest::newRow("failed race ignores Retry-After")
        << racing(error(TransferError::Throttled, 503, 9000), 0) << false
        << D{.action = D::RetryDuplicate, .throttled = true, .linkCap = 2, .failures = 1, .delayMs = 1000};
}

void TestFailurePolicy::decide()
{
    QFETCH(FailureContext, context);
    QFETCH(bool, stopOnChange);
    QFETCH(FailureDecision, expected);

    const FailureDecision d =
        policy(stopOnChange ? ChangedFilePolicy::Fail : ChangedFilePolicy::Restart).decide(context);
    QCOMPARE(int(d.action), int(expected.action));
    QCOMPARE(d.restarts, expected.restarts);
    QCOMPARE(d.throttled, expected.throttled);
    QCOMPARE(d.linkCap, expected.linkCap);
    QCOMPARE(d.failures, expected.failures);
    QCOMPARE(d.delayMs, expected.delayMs);
    QCOMPARE(d.rewind, expected.rewind);
    QCOMPARE(d.retireLink, expected.retireLink);
}

QTEST_GUILESS_MAIN(TestFailurePolicy)
#include "tst_failurepolicy.moc"
