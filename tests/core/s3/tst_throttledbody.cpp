// The upload body that hands Qt only the bytes the rate limiters granted.
#include "engine/ratelimiter.h"
#include "s3/throttledbody.h"

#include "sandbox.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::s3;

namespace {
constexpr qint64 kKiB = 1024;

// A limiter on a clock the test moves by hand.
struct ManualLimiter
{
    explicit ManualLimiter(qint64 rate)
        : limiter(std::make_shared<RateLimiter>([this] { return now; }))
    {
        limiter->setRate(rate);
    }
    qint64 now = 0;
    std::shared_ptr<RateLimiter> limiter;
};
} // namespace

class ThrottledBodyTest final : public QObject
{
    Q_OBJECT

private slots:
    void reads_neverExceedTheGrant_andDeliverEveryByteInOrder()
    {
        const QByteArray data = ferry::test::deterministicBytes(300 * kKiB + 17, 0x3cu);
        ManualLimiter fast(256 * kKiB);
        ManualLimiter slow(64 * kKiB); // the tighter of the two decides
        ThrottledBody body(data, {fast.limiter, slow.limiter});
        QVERIFY(body.isOpen());
        QVERIFY(!body.isSequential());
        QCOMPARE(body.size(), data.size());

        QByteArray received;
        qint64 elapsedMs = 0;
        int shortReads = 0;
        while (!body.atEnd()) {
            QByteArray buffer(48 * kKiB, '\0');
            const qint64 n = body.read(buffer.data(), buffer.size());
            QVERIFY(n >= 0);
            if (n < buffer.size() && received.size() + n < data.size())
                ++shortReads;
            received += buffer.left(n);
            // Never more than a full bucket plus what the elapsed time refilled.
            const qint64 allowed = slow.limiter->capacity() + 64 * kKiB * elapsedMs / 1000;
            QVERIFY2(received.size() <= allowed,
                     qPrintable(u"%1 > %2"_s.arg(received.size()).arg(allowed)));
            elapsedMs += 50;
            fast.now = slow.now = elapsedMs;
            QVERIFY(elapsedMs < 60'000);
        }
        QVERIFY(shortReads > 0); // it was held back
        QCOMPARE(received.size(), data.size());
        QVERIFY(received == data);
        // At 64 KiB/s with a 16 KiB bucket, 300 KiB cannot be through in under 4.4 s.
        QVERIFY2(elapsedMs >= 4400, qPrintable(QString::number(elapsedMs)));
    }

    void nothingGranted_waitsThenSignalsReadyRead()
    {
        const QByteArray data = ferry::test::deterministicBytes(64 * kKiB, 0x11u);
        ManualLimiter limit(16 * kKiB);
        ThrottledBody body(data, {limit.limiter});
        QByteArray buffer(64 * kKiB, '\0');
        QCOMPARE(body.read(buffer.data(), buffer.size()), 16 * kKiB); // the full bucket
        QCOMPARE(body.read(buffer.data(), buffer.size()), 0);
        QVERIFY(!body.atEnd()); // 0 means "later", not "the end", to Qt
        QSignalSpy ready(&body, &QIODevice::readyRead);
        limit.now += 1000;
        QVERIFY(ready.wait(5000));
        QCOMPARE(body.read(buffer.data(), buffer.size()), 16 * kKiB);
    }

    void unlimited_deliversEverythingAtOnce()
    {
        const QByteArray data = ferry::test::deterministicBytes(5 * 1024 * kKiB, 0x22u);
        auto limiter = std::make_shared<RateLimiter>(); // no rate set: unlimited
        ThrottledBody body(data, {limiter, nullptr});
        QVERIFY(body.readAll() == data);
        QVERIFY(body.atEnd());
    }

    void seekBack_sendsTheSameBytesAgain()
    {
        const QByteArray data = ferry::test::deterministicBytes(40 * kKiB, 0x33u);
        ManualLimiter limit(1024 * kKiB);
        ThrottledBody body(data, {limit.limiter});
        const QByteArray first = body.read(10 * kKiB);
        QCOMPARE(first, data.left(10 * kKiB));
        QVERIFY(body.seek(0)); // Qt resends a body when a reused connection had closed
        QCOMPARE(body.read(10 * kKiB), first);
    }

    void limitRemoved_nextReadTakesEverythingLeft()
    {
        const QByteArray data = ferry::test::deterministicBytes(512 * kKiB, 0x44u);
        ManualLimiter limit(16 * kKiB);
        ThrottledBody body(data, {limit.limiter});
        QByteArray received = body.read(data.size());
        QCOMPARE(received.size(), 16 * kKiB);
        limit.limiter->setRate(0);
        received += body.read(data.size());
        QVERIFY(received == data);
    }
};

QTEST_GUILESS_MAIN(ThrottledBodyTest)
#include "tst_throttledbody.moc"
