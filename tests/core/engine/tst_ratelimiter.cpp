#include "engine/ratelimiter.h"

#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace ferry;

namespace {

constexpr qint64 KiB = 1024;

// A shared, manually advanced millisecond clock.
struct FakeClock
{
    std::shared_ptr<qint64> now = std::make_shared<qint64>(0);
    RateLimiter::Clock clock() const
    {
        return [now = now] { return *now; };
    }
    void advance(qint64 ms) { *now += ms; }
};

// Drains `limiters` every `stepMs` for `durationMs` simulated milliseconds.
qint64 drain(FakeClock &clock, std::initializer_list<RateLimiter *> limiters, qint64 durationMs,
             qint64 stepMs = 10)
{
    qint64 total = RateLimiter::acquire(limiters, 1 << 30);
    for (qint64 t = 0; t < durationMs; t += stepMs) {
        clock.advance(stepMs);
        total += RateLimiter::acquire(limiters, 1 << 30);
    }
    return total;
}

} // namespace

class TestRateLimiter : public QObject
{
    Q_OBJECT

private slots:
    void capacity_isQuarterSecondWithFloor_data();
    void capacity_isQuarterSecondWithFloor();
    void acquire_overTenSecondsMatchesRate_data();
    void acquire_overTenSecondsMatchesRate();
    void acquire_rarePollingCannotBankBeyondCapacity();
    void acquire_combinedGrantsMinimum();
    void acquire_unlimitedGrantsAll();
    void acquire_ignoresNullAndDuplicates();
    void acquire_rejectsNonPositiveRequest_data();
    void acquire_rejectsNonPositiveRequest();
    void setRate_midwayChangesThroughput();
    void setRate_clampsTokensToNewCapacity();
    void setRate_fromUnlimitedStartsFull();
    void consume_debtDelaysLaterGrants();
    void msUntilAvailable_predictsRefill_data();
    void msUntilAvailable_predictsRefill();
    void msUntilAvailable_combinedIsTheLongestWait();
    void clock_steppingBackAddsNothing();
    void acquire_isThreadSafe();
};

void TestRateLimiter::capacity_isQuarterSecondWithFloor_data()
{
    QTest::addColumn<qint64>("rate");
    QTest::addColumn<qint64>("capacity");

    QTest::newRow("1 MiB/s") << 1024 * KiB << 256 * KiB;
    QTest::newRow("100 KiB/s") << 100 * KiB << 25 * KiB;
    QTest::newRow("64 KiB/s hits floor") << 64 * KiB << 16 * KiB;
    QTest::newRow("1 byte/s floor") << 1LL << 16 * KiB;
    QTest::newRow("unlimited") << 0LL << 0LL;
    QTest::newRow("negative is unlimited") << -5LL << 0LL;
}

void TestRateLimiter::capacity_isQuarterSecondWithFloor()
{
    QFETCH(qint64, rate);
    QFETCH(qint64, capacity);

    FakeClock clock;
    RateLimiter limiter(clock.clock());
    limiter.setRate(rate);
    QCOMPARE(limiter.capacity(), capacity);
    QCOMPARE(limiter.unlimited(), rate <= 0);
    QCOMPARE(limiter.rate(), std::max<qint64>(rate, 0));
    if (rate > 0)
        QCOMPARE(limiter.available(), capacity); // starts full
}

void TestRateLimiter::acquire_overTenSecondsMatchesRate_data()
{
    QTest::addColumn<qint64>("stepMs");

    QTest::newRow("1 ms steps") << 1LL;
    QTest::newRow("10 ms steps") << 10LL;
    QTest::newRow("250 ms steps") << 250LL;
}

void TestRateLimiter::acquire_overTenSecondsMatchesRate()
{
    QFETCH(qint64, stepMs);

    FakeClock clock;
    RateLimiter limiter(clock.clock());
    limiter.setRate(100 * KiB);
    const qint64 granted = drain(clock, {&limiter}, 10000, stepMs);
    const qint64 expected = 1000 * KiB;
    QVERIFY2(granted >= expected - limiter.capacity() && granted <= expected + limiter.capacity(),
             qPrintable(QString::number(granted)));
}

void TestRateLimiter::acquire_rarePollingCannotBankBeyondCapacity()
{
    // Polling once a second, the bucket overflows after 250 ms: idle time is not saved up, so a
    // stalled connection cannot burst far above the limit when it resumes.
    FakeClock clock;
    RateLimiter limiter(clock.clock());
    limiter.setRate(100 * KiB);
    QCOMPARE(drain(clock, {&limiter}, 10000, 1000), 11 * 25 * KiB);
}

void TestRateLimiter::acquire_combinedGrantsMinimum()
{
    FakeClock clock;
    RateLimiter global(clock.clock());
    RateLimiter perDownload(clock.clock());
    global.setRate(400 * KiB);
    perDownload.setRate(100 * KiB);

    const qint64 granted = drain(clock, {&global, &perDownload}, 10000);
    QVERIFY(granted >= 1000 * KiB - perDownload.capacity());
    QVERIFY(granted <= 1000 * KiB + perDownload.capacity());

    // A single grant never exceeds what the tighter bucket holds, and both buckets pay for it.
    clock.advance(60000);
    QCOMPARE(RateLimiter::acquire({&global, &perDownload}, 1 << 30), perDownload.capacity());
    QCOMPARE(global.available(), global.capacity() - perDownload.capacity());
    QCOMPARE(perDownload.available(), 0);
}

void TestRateLimiter::acquire_unlimitedGrantsAll()
{
    FakeClock clock;
    RateLimiter limiter(clock.clock());
    QVERIFY(limiter.unlimited());
    QCOMPARE(RateLimiter::acquire({&limiter}, 5'000'000'000LL), 5'000'000'000LL);
    QCOMPARE(RateLimiter::acquire({&limiter}, 1), 1);
    QVERIFY(limiter.available() > (qint64(1) << 60));
    QCOMPARE(limiter.msUntilAvailable(1 << 30), 0);
    limiter.consume(1 << 30);
    QCOMPARE(limiter.msUntilAvailable(1), 0);
    QCOMPARE(RateLimiter::acquire({}, 77), 77);
}

void TestRateLimiter::acquire_ignoresNullAndDuplicates()
{
    FakeClock clock;
    RateLimiter limiter(clock.clock());
    limiter.setRate(100 * KiB);
    // Passing the same limiter twice must neither deadlock nor charge it twice.
    QCOMPARE(RateLimiter::acquire({nullptr, &limiter, &limiter, nullptr}, 1000), 1000);
    QCOMPARE(limiter.available(), limiter.capacity() - 1000);
    QCOMPARE(RateLimiter::acquire({nullptr}, 1000), 1000);
}

void TestRateLimiter::acquire_rejectsNonPositiveRequest_data()
{
    QTest::addColumn<qint64>("wanted");
    QTest::newRow("zero") << 0LL;
    QTest::newRow("negative") << -100LL;
    QTest::newRow("int64 min") << std::numeric_limits<qint64>::min();
}

void TestRateLimiter::acquire_rejectsNonPositiveRequest()
{
    QFETCH(qint64, wanted);
    FakeClock clock;
    RateLimiter limiter(clock.clock());
    limiter.setRate(100 * KiB);
    QCOMPARE(RateLimiter::acquire({&limiter}, wanted), 0);
    QCOMPARE(limiter.available(), limiter.capacity());
}

void TestRateLimiter::setRate_midwayChangesThroughput()
{
    FakeClock clock;
    RateLimiter limiter(clock.clock());
    limiter.setRate(100 * KiB);
    qint64 granted = drain(clock, {&limiter}, 5000);
    limiter.setRate(200 * KiB);
    granted += drain(clock, {&limiter}, 5000);

    // 5 s at 100 KiB/s + 5 s at 200 KiB/s, plus at most the initial and the raised burst.
    const qint64 expected = 500 * KiB + 1000 * KiB;
    QVERIFY2(granted >= expected && granted <= expected + 25 * KiB + 50 * KiB,
             qPrintable(QString::number(granted)));
}

void TestRateLimiter::setRate_clampsTokensToNewCapacity()
{
    FakeClock clock;
    RateLimiter limiter(clock.clock());
    limiter.setRate(1024 * KiB);
    QCOMPARE(limiter.available(), 256 * KiB);
    limiter.setRate(100 * KiB);
    QCOMPARE(limiter.available(), 25 * KiB);
    // Raising the rate does not invent tokens; they accrue over time.
    limiter.setRate(1024 * KiB);
    QCOMPARE(limiter.available(), 25 * KiB);
    clock.advance(100);
    QCOMPARE(limiter.available(), 25 * KiB + 1024 * KiB / 10);
}

void TestRateLimiter::setRate_fromUnlimitedStartsFull()
{
    FakeClock clock;
    RateLimiter limiter(clock.clock());
    limiter.setRate(0);
    limiter.consume(10 * 1024 * KiB); // ignored while unlimited
    limiter.setRate(100 * KiB);
    QCOMPARE(limiter.available(), 25 * KiB);
    limiter.setRate(-1);
    QVERIFY(limiter.unlimited());
    QCOMPARE(limiter.rate(), 0);
}

void TestRateLimiter::consume_debtDelaysLaterGrants()
{
    FakeClock clock;
    RateLimiter limiter(clock.clock());
    limiter.setRate(100 * KiB);
    limiter.consume(125 * KiB); // 25 KiB of tokens, 100 KiB of debt
    QCOMPARE(limiter.available(), -100 * KiB);
    QCOMPARE(RateLimiter::acquire({&limiter}, 1000), 0);
    QCOMPARE(limiter.msUntilAvailable(1), 1001); // (100 KiB + 1 byte) at 100 KiB/s, rounded up
    clock.advance(1000);
    QCOMPARE(limiter.available(), 0);
    QCOMPARE(RateLimiter::acquire({&limiter}, 1000), 0);
    clock.advance(10);
    QCOMPARE(RateLimiter::acquire({&limiter}, 100000), 1024);
}

void TestRateLimiter::msUntilAvailable_predictsRefill_data()
{
    QTest::addColumn<qint64>("request");
    QTest::addColumn<qint64>("expectedMs");

    // 100 KiB/s limiter that has just been emptied.
    QTest::newRow("nothing") << 0LL << 0LL;
    QTest::newRow("one byte") << 1LL << 1LL;
    QTest::newRow("1 KiB") << KiB << 10LL;
    QTest::newRow("10 KiB") << 10 * KiB << 100LL;
    QTest::newRow("full bucket") << 25 * KiB << 250LL;
    QTest::newRow("beyond capacity waits for full bucket") << 1024 * KiB << 250LL;
    QTest::newRow("negative") << -5LL << 0LL;
}

void TestRateLimiter::msUntilAvailable_predictsRefill()
{
    QFETCH(qint64, request);
    QFETCH(qint64, expectedMs);

    FakeClock clock;
    RateLimiter limiter(clock.clock());
    limiter.setRate(100 * KiB);
    QCOMPARE(RateLimiter::acquire({&limiter}, 1 << 30), 25 * KiB);
    QCOMPARE(limiter.msUntilAvailable(request), expectedMs);
    clock.advance(expectedMs);
    QVERIFY(limiter.available() >= std::min(request, limiter.capacity()));
}

void TestRateLimiter::msUntilAvailable_combinedIsTheLongestWait()
{
    FakeClock clock;
    RateLimiter fast(clock.clock());
    RateLimiter slow(clock.clock());
    fast.setRate(1000 * KiB);
    slow.setRate(100 * KiB);
    RateLimiter::acquire({&fast}, 1 << 30);
    RateLimiter::acquire({&slow}, 1 << 30);
    QCOMPARE(RateLimiter::msUntilAvailable({&fast, &slow, nullptr}, 10 * KiB), 100);
    QCOMPARE(RateLimiter::msUntilAvailable({&fast}, 10 * KiB), 10);
    QCOMPARE(RateLimiter::msUntilAvailable({nullptr}, 10 * KiB), 0);
}

void TestRateLimiter::clock_steppingBackAddsNothing()
{
    FakeClock clock;
    clock.advance(5000);
    RateLimiter limiter(clock.clock());
    limiter.setRate(100 * KiB);
    RateLimiter::acquire({&limiter}, 1 << 30);
    clock.advance(-3000);
    QCOMPARE(limiter.available(), 0);
    clock.advance(3000); // back where it was: still nothing earned
    QCOMPARE(limiter.available(), 0);
    clock.advance(100);
    QCOMPARE(limiter.available(), 10 * KiB);
}

void TestRateLimiter::acquire_isThreadSafe()
{
    // Unchanging clock: the total granted must equal the initial tokens exactly, no matter how
    // the threads interleave, and two limiters locked in opposite orders must not deadlock.
    FakeClock clock;
    RateLimiter a(clock.clock());
    RateLimiter b(clock.clock());
    a.setRate(4096 * KiB);
    b.setRate(8192 * KiB);
    std::atomic<qint64> total = 0;
    QList<QThread *> threads;
    for (int i = 0; i < 8; ++i) {
        threads.append(QThread::create([&, i] {
            for (int n = 0; n < 20000; ++n) {
                total +=
                    i % 2 ? RateLimiter::acquire({&a, &b}, 7) : RateLimiter::acquire({&b, &a}, 7);
            }
        }));
        threads.constLast()->start();
    }
    for (QThread *thread : threads) {
        QVERIFY(thread->wait(30000));
        delete thread;
    }
    QCOMPARE(total.load(), 1024 * KiB);
    QCOMPARE(a.available(), 0);
    QCOMPARE(b.available(), 1024 * KiB);
}

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
