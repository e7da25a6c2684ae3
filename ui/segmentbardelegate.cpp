#include "segmentbardelegate.h"

#include "api/downloadtypes.h"
#include "transfermodel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace ferry::ui {

namespace {

constexpr int horizontalMargin = 3;
constexpr int verticalMargin = 2;
constexpr qreal edgeWidth = 2.0;

struct Fill
{
    QRectF rect;
    QColor color;
};

struct BarColors
{
    QColor frame;
    QColor empty;
    QColor soft;   // bytes on disk that nobody is working on
    QColor strong; // bytes of a range a connection is fetching right now
    QColor edge;   // where that connection is writing
    QColor text;   // over the empty part
};

QColor mix(const QColor &a, const QColor &b, qreal bShare)
{
    const qreal aShare = 1.0 - bShare;
    return QColor::fromRgbF(float(a.redF() * aShare + b.redF() * bShare),
                            float(a.greenF() * aShare + b.greenF() * bShare),
                            float(a.blueF() * aShare + b.blueF() * bShare));
}

BarColors colorsFor(const QPalette &palette, QPalette::ColorGroup group, DownloadState state)
{
    BarColors c;
    c.frame = palette.color(group, QPalette::Mid);
    c.empty = palette.color(group, QPalette::Base);
    c.text = palette.color(group, QPalette::Text);
    // The one fixed colour: a red that keeps about 5:1 contrast against the base of either
    // a light or a dark palette, so a failed download reads as failed in both.
    const bool darkBase = c.empty.lightness() < 128;
    const QColor accent = state == DownloadState::Failed
                              ? (darkBase ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28))
                              : palette.color(group, QPalette::Highlight);
    c.strong = accent;
    c.soft = mix(accent, c.empty, 0.35);
    // "Brighter" must still stand out when the highlight is already pale.
    c.edge = accent.lightness() > 170 ? accent.darker(160) : accent.lighter(160);
    return c;
}

QList<Fill> segmentFills(const QRectF &inner, qint64 total, double progress, DownloadState state,
                         const QList<SegmentSnapshot> &segments, const BarColors &c)
{
    QList<Fill> fills;
    const bool running = state == DownloadState::Downloading;
    const auto xAt = [&](qint64 bytes) {
        return inner.left() +
               inner.width() * double(std::clamp<qint64>(bytes, 0, total)) / double(total);
    };
    const auto span = [&](qreal left, qreal right, const QColor &color) {
        if (right > left)
            fills.append({QRectF(left, inner.top(), right - left, inner.height()), color});
    };
    // Completed downloads usually have no ranges left; a single fill says the same thing.
    if (segments.isEmpty() || total <= 0 || state == DownloadState::Completed) {
        const qreal right = inner.left() + inner.width() * std::clamp(progress, 0.0, 1.0);
        span(inner.left(), right, running ? c.strong : c.soft);
        if (running && progress > 0.0 && progress < 1.0)
            span(std::max(inner.left(), right - edgeWidth), right, c.edge);
        return fills;
    }
    for (const SegmentSnapshot &s : segments) {
        const qint64 end = s.end < 0 ? total : std::min(s.end, total);
        const qint64 length = std::max<qint64>(end - s.start, 0);
        const qint64 done = std::clamp<qint64>(s.done, 0, length);
        const bool active = s.active && running && done < length;
        const qreal left = xAt(s.start);
        const qreal edge = xAt(s.start + done);
        span(left, edge, active ? c.strong : c.soft);
        if (!active)
            continue;
        // An active range with nothing on disk yet still shows where its connection starts.
        if (edge > left)
            span(std::max(left, edge - edgeWidth), edge, c.edge);
        else
            span(left, std::min(xAt(end), left + edgeWidth), c.edge);
    }
    return fills;
}

// The text sits on a small plate of the base colour: over a map of many thin segments, text
// that changed colour with every segment edge was hard to read.
void drawText(QPainter *painter, const QRectF &inner, const QString &text, const QList<Fill> &fills,
              const BarColors &c)
{
    Q_UNUSED(fills);
    if (text.isEmpty())
        return;
    const QFontMetricsF fm(painter->font());
    const qreal width = fm.horizontalAdvance(text) + 8;
    const qreal height = qMin(inner.height(), fm.height() + 2);
    const QRectF plate(inner.center().x() - width / 2, inner.center().y() - height / 2, width, height);
    QColor background = c.empty;
    background.setAlpha(220);
    painter->setPen(Qt::NoPen);
    painter->setBrush(background);
    painter->drawRoundedRect(plate, 3, 3);
    painter->setPen(c.text);
    painter->drawText(plate, Qt::AlignCenter | Qt::TextSingleLine, text);
}

} // namespace

SegmentBarDelegate::SegmentBarDelegate(QObject *parent) : QStyledItemDelegate(parent)
{
}

SegmentBarDelegate::~SegmentBarDelegate() = default;

QRect SegmentBarDelegate::barRect(const QStyleOptionViewItem &option)
{
    const QRect cell =
        option.rect.adjusted(horizontalMargin, verticalMargin, -horizontalMargin, -verticalMargin);
    const int height = std::min(cell.height(), option.fontMetrics.height() + 4);
    return QRect(cell.left(), cell.top() + (cell.height() - height) / 2, cell.width(), height);
}

void SegmentBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    // The style paints the selection and focus; the bar replaces the text and icon.
    opt.text.clear();
    opt.icon = QIcon();
    opt.features &= ~(QStyleOptionViewItem::HasDisplay | QStyleOptionViewItem::HasDecoration);
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QRect bar = barRect(option);
    if (bar.width() < 4 || bar.height() < 4)
        return;
    const auto state = DownloadState(index.data(TransferModel::StateRole).toInt());
    const QVariant progressData = index.data(TransferModel::ProgressRole);
    const double progress = progressData.isValid() ? progressData.toDouble() : -1.0;
    const qint64 total = index.data(TransferModel::TotalRole).toLongLong();
    const auto segments = index.data(TransferModel::SegmentsRole).value<QList<SegmentSnapshot>>();
    const QPalette::ColorGroup group =
        option.state & QStyle::State_Enabled ? QPalette::Active : QPalette::Disabled;
    const BarColors colors = colorsFor(option.palette, group, state);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    // Frame and background as two fills rather than a pen, so they stay crisp at any device
    // pixel ratio.
    painter->fillRect(bar, colors.frame);
    const QRectF inner = QRectF(bar).adjusted(1, 1, -1, -1);
    painter->fillRect(inner, colors.empty);

    QList<Fill> fills;
    if (progress < 0) {
        // Size unknown: there is nothing to measure against, so a moving download gets a
        // hatched bar and the text says "–".
        if (state == DownloadState::Downloading)
            painter->fillRect(inner, QBrush(colors.strong, Qt::BDiagPattern));
    } else {
        fills = segmentFills(inner, total, progress, state, segments, colors);
        for (const Fill &f : std::as_const(fills))
            painter->fillRect(f.rect, f.color);
    }
    painter->setFont(opt.font);
    drawText(painter, inner, text, fills, colors);
    painter->restore();
}

QSize SegmentBarDelegate::sizeHint(const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(std::max(size.width(), minimumWidth));
    size.setHeight(std::max(size.height(), option.fontMetrics.height() + 4 + 2 * verticalMargin));
    return size;
}

} // namespace ferry::ui
