// A few thousand damaged archives (bytes flipped in the central directory and end records,
// fields set to extremes, cut short) are listed and their entries extracted from memory: every
// one either works or fails with a reason, and none crashes or hangs.
#include "zipread/zipreader.h"

#include "sandbox.h"
#include "ziparchivemakers.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::zipread;
using namespace ferry::test::zipread;

namespace {

constexpr int kArchives = 10000;
constexpr qint64 kBudgetMs = 15000;

QByteArray mutate(const QByteArray &original, QRandomGenerator &rng)
{
    QByteArray b = original;
    const qsizetype size = b.size();
    // Most mutations hit the central directory and end records, where the parser works.
    const qsizetype tail = qMin<qsizetype>(size, 600);
    const auto tailPos = [&] { return size - tail + qsizetype(rng.bounded(int(tail))); };
    switch (rng.bounded(5)) {
    case 0: // a few flipped bytes near the end
        for (int n = 1 + rng.bounded(8); n > 0; --n)
            b[tailPos()] = char(rng.bounded(256));
        break;
    case 1: { // a 16- or 32-bit field set to an extreme
        const qsizetype at = qMin(tailPos(), size - 4);
        const quint32 values[] = {0xFFFFFFFFu, 0x7FFFFFFFu,   0xFFFFu,
                                  0,           quint32(size), quint32(size) + 1};
        const quint32 v = values[rng.bounded(6)];
        std::memcpy(b.data() + at, &v, rng.bounded(2) ? 4 : 2);
        break;
    }
    case 2: // cut short, or garbage after the end
        if (rng.bounded(2))
            b.truncate(qsizetype(rng.bounded(int(size))));
        else
            b.append(test::deterministicBytes(rng.bounded(200), rng.generate()));
        break;
    case 3: // anywhere: local headers and data
        for (int n = 1 + rng.bounded(4); n > 0; --n)
            b[qsizetype(rng.bounded(int(size)))] = char(rng.bounded(256));
        break;
    default: { // a copy of a signature somewhere else in the tail
        static const QByteArray signatures[] = {"PK\x01\x02", "PK\x05\x06", "PK\x06\x06",
                                                "PK\x06\x07"};
        const qsizetype at = qMin(tailPos(), size - 4);
        b.replace(at, 4, signatures[rng.bounded(4)]);
        break;
    }
    }
    return b;
}

} // namespace

class TestZipReaderFuzz final : public QObject
{
    Q_OBJECT

private slots:
    void damagedArchives_neverCrash()
    {
        QHash<QString, QByteArray> files{{u"a.txt"_s, QByteArray("text ").repeated(300)},
                                         {u"dir/b.bin"_s, test::deterministicBytes(3000, 1)},
                                         {u"Grüße/c.txt"_s, "c"},
                                         {u"empty"_s, {}}};
        const QList<QByteArray> bases{ferryArchive(files, false), ferryArchive(files, true),
                                      manyEntriesArchive(40)};
        for (const QByteArray &base : bases)
            QVERIFY(!base.isEmpty());
        // QBuffer warns about every seek past its end, which damaged offsets ask for by the
        // thousand.
        QLoggingCategory::setFilterRules(u"default.warning=false"_s);
        QRandomGenerator rng(0xF0221);
        QElapsedTimer timer;
        timer.start();
        int opened = 0, refused = 0, extracted = 0, failedEntries = 0, done = 0;
        for (; done < kArchives && timer.elapsed() < kBudgetMs; ++done) {
            QByteArray bytes = mutate(bases.at(done % bases.size()), rng);
            QBuffer buffer(&bytes);
            QVERIFY(buffer.open(QIODevice::ReadOnly));
            ZipReader reader(&buffer);
            if (!reader.open()) {
                ++refused;
                QVERIFY(!reader.errorString().isEmpty());
                continue;
            }
            ++opened;
            int n = 0;
            for (const ZipEntry &e : reader.entries()) {
                if (++n > 50)
                    break;
                if (e.directory || e.size > 1024 * 1024)
                    continue;
                QBuffer out;
                out.open(QIODevice::WriteOnly);
                if (reader.extract(e, &out)) {
                    ++extracted;
                    QCOMPARE(out.data().size(), e.size);
                } else {
                    ++failedEntries;
                    QVERIFY(!reader.errorString().isEmpty());
                }
            }
        }
        qInfo("%d damaged archives in %lld ms: %d refused, %d opened; %d entries extracted, %d "
              "refused",
              done, timer.elapsed(), refused, opened, extracted, failedEntries);
        QVERIFY(done >= 2000);
        QVERIFY(refused > 0 && opened > 0 && failedEntries > 0);
    }
};

QTEST_GUILESS_MAIN(TestZipReaderFuzz)
#include "tst_zipreaderfuzz.moc"
