#include "segmentbardelegate.h"
#include "transfermodel.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::ui;

namespace {

constexpr qint64 total = 400;
constexpr int cellWidth = 1208; // 1200 px of bar inside margins and frame: 3 px per byte

QPalette paletteWith(const QColor &base, const QColor &text, const QColor &highlight,
                     const QColor &mid)
{
    QPalette palette;
    palette.setColor(QPalette::Window, base);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Highlight, highlight);
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Mid, mid);
    return palette;
}

QPalette lightPalette()
{
    return paletteWith(Qt::white, Qt::black, QColor(0x30, 0x8c, 0xc6), QColor(0xa0, 0xa0, 0xa0));
}

QPalette darkPalette()
{
    return paletteWith(QColor(0x1e, 0x1e, 0x1e), QColor(0xe0, 0xe0, 0xe0), QColor(0x2a, 0x82, 0xda),
                       QColor(0x50, 0x50, 0x50));
}

// Four 100-byte ranges: 0 and 2 finished, 1 half done with a connection on it, 3 untouched.
DownloadSnapshot fourSegments(DownloadState state = DownloadState::Downloading)
{
    DownloadSnapshot s;
    s.id = 1;
    s.fileName = u"image.iso"_s;
    s.url = QUrl(u"https://example.com/image.iso"_s);
    s.total = total;
    s.done = 250;
    s.state = state;
    s.segments = {{0, 100, 100, false, 0},
                  {100, 200, 50, true, 4096},
                  {200, 300, 100, false, 0},
                  {300, 400, 0, false, 0}};
    return s;
}

struct Rendering
{
    QImage image;
    QRect bar;   // logical
    qreal ratio; // device pixels per logical pixel

    QColor at(qreal x, qreal y) const { return image.pixelColor(int(x * ratio), int(y * ratio)); }
    // Colour at a byte offset, half-way down the bar; the percentage text is centred, so the
    // byte offsets used below stay well clear of it.
    QColor atByte(qreal bytes) const
    {
        const QRectF inner = QRectF(bar).adjusted(1, 1, -1, -1);
        return at(inner.left() + inner.width() * bytes / total + 0.5, inner.center().y());
    }
};

Rendering render(const DownloadSnapshot &snapshot, const QPalette &palette, qreal ratio = 1.0)
{
    TransferModel model;
    model.applySnapshots({snapshot});
    SegmentBarDelegate delegate;
    QStyleOptionViewItem option;
    option.rect = QRect(0, 0, cellWidth, 28);
    option.palette = palette;
    option.state = QStyle::State_Enabled;
    option.font = QApplication::font();
    option.fontMetrics = QFontMetrics(option.font);

    Rendering r;
    r.ratio = ratio;
    r.bar = SegmentBarDelegate::barRect(option);
    r.image = QImage(option.rect.size() * ratio, QImage::Format_ARGB32_Premultiplied);
    r.image.setDevicePixelRatio(ratio);
    r.image.fill(palette.color(QPalette::Base));
    QPainter painter(&r.image);
    delegate.paint(&painter, option, model.index(0, TransferModel::Progress));
    painter.end();
    return r;
}

qreal distance(const QColor &a, const QColor &b)
{
    return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) +
           std::abs(a.blue() - b.blue());
}

} // namespace

class TestSegmentBarDelegate final : public QObject
{
    Q_OBJECT
private slots:
    void paint_fillsDoneRangesPerSegment_data()
    {
        QTest::addColumn<QPalette>("palette");
        QTest::addColumn<qreal>("ratio");
        QTest::newRow("light") << lightPalette() << 1.0;
        QTest::newRow("dark") << darkPalette() << 1.0;
        QTest::newRow("light at device pixel ratio 2") << lightPalette() << 2.0;
        QTest::newRow("dark at device pixel ratio 2") << darkPalette() << 2.0;
    }

    void paint_fillsDoneRangesPerSegment()
    {
        QFETCH(QPalette, palette);
        QFETCH(qreal, ratio);
        const Rendering r = render(fourSegments(), palette, ratio);
        const QColor base = palette.color(QPalette::Base);
        const QColor highlight = palette.color(QPalette::Highlight);

        const QColor segment0 = r.atByte(50);
        const QColor segment1Done = r.atByte(25 + 100);
        const QColor segment1Edge = r.atByte(149.6); // the last pixel before the write position
        const QColor segment1Left = r.atByte(185);
        const QColor segment2 = r.atByte(260);
        const QColor segment3 = r.atByte(350);

        // Untouched bytes show the palette's base, finished ranges share one softer fill,
        // the range being fetched is the full highlight with a distinct line at its edge.
        QCOMPARE(segment3, base);
        QCOMPARE(segment1Left, base);
        QCOMPARE(segment2, segment0);
        QVERIFY(segment0 != base);
        QCOMPARE(segment1Done, highlight);
        QVERIFY(segment1Done != segment0);
        QVERIFY(segment1Edge != segment1Done);
        QVERIFY(segment1Edge != base);
        // The soft fill is still the highlight's hue: nearer to it than to the base.
        QVERIFY(distance(segment0, highlight) < distance(segment0, base));
        // The frame uses the palette's mid colour.
        QCOMPARE(r.at(r.bar.left() + 0.5, r.bar.center().y()), palette.color(QPalette::Mid));
    }

    void paint_darkPaletteChangesTheColours()
    {
        const Rendering light = render(fourSegments(), lightPalette());
        const Rendering dark = render(fourSegments(), darkPalette());
        QVERIFY(light.atByte(50) != dark.atByte(50));
        QVERIFY(light.atByte(350) != dark.atByte(350));
    }

    void paint_devicePixelRatio2MatchesRatio1()
    {
        const Rendering one = render(fourSegments(), lightPalette(), 1.0);
        const Rendering two = render(fourSegments(), lightPalette(), 2.0);
        QCOMPARE(two.image.size(), one.image.size() * 2);
        for (qreal bytes : {50.0, 125.0, 185.0, 260.0, 350.0})
            QCOMPARE(two.atByte(bytes), one.atByte(bytes));
    }

    void paint_failedIsRedWithContrastOnEitherPalette_data()
    {
        QTest::addColumn<QPalette>("palette");
        QTest::newRow("light") << lightPalette();
        QTest::newRow("dark") << darkPalette();
    }

    void paint_failedIsRedWithContrastOnEitherPalette()
    {
        QFETCH(QPalette, palette);
        const Rendering r = render(fourSegments(DownloadState::Failed), palette);
        const QColor done = r.atByte(50);
        QVERIFY2(done.red() > done.green() + 60 && done.red() > done.blue() + 60,
                 qPrintable(done.name()));
        QVERIFY(distance(done, palette.color(QPalette::Base)) > 150);
        QCOMPARE(r.atByte(350), palette.color(QPalette::Base));
    }

    void paint_completedWithoutSegmentsFillsTheWholeBar()
    {
        DownloadSnapshot s = fourSegments(DownloadState::Completed);
        s.done = total;
        s.segments.clear();
        const Rendering r = render(s, lightPalette());
        QVERIFY(r.atByte(50) != lightPalette().color(QPalette::Base));
        QCOMPARE(r.atByte(350), r.atByte(50));
    }

    void paint_unknownSizeDrawsWithoutSegments()
    {
        DownloadSnapshot s = fourSegments();
        s.total = -1;
        s.segments = {{0, -1, 250, true, 4096}};
        const Rendering r = render(s, lightPalette());
        const QColor base = lightPalette().color(QPalette::Base);
        // A hatched bar: some pixels in the first tenth are not the base colour.
        bool marked = false;
        for (int x = r.bar.left() + 2; x < r.bar.left() + r.bar.width() / 10; ++x)
            marked = marked || r.at(x, r.bar.center().y()) != base;
        QVERIFY(marked);
    }

    void sizeHint_isAtLeastMinimumWidth()
    {
        TransferModel model;
        model.applySnapshots({fourSegments()});
        SegmentBarDelegate delegate;
        QStyleOptionViewItem option;
        option.font = QApplication::font();
        option.fontMetrics = QFontMetrics(option.font);
        const QSize hint = delegate.sizeHint(option, model.index(0, TransferModel::Progress));
        QVERIFY(hint.width() >= SegmentBarDelegate::minimumWidth);
        QVERIFY(hint.height() > option.fontMetrics.height());
    }
};

QTEST_MAIN(TestSegmentBarDelegate)
#include "tst_segmentbardelegate.moc"
