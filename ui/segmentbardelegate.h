#pragma once

#include <QStyledItemDelegate>

namespace ferry::ui {

// Paints the Progress column as one bar per download with every connection's range visible:
// finished ranges soft, ranges being fetched strong with a bright line at their moving edge,
// the percentage centred on top. Reads TransferModel's ProgressRole, SegmentsRole, TotalRole,
// StateRole and DisplayRole, nothing else; colours come from the option's palette.
class SegmentBarDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SegmentBarDelegate)
public:
    explicit SegmentBarDelegate(QObject *parent = nullptr);
    ~SegmentBarDelegate() override;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // Where inside the cell the bar (frame included) is drawn; the frame is 1 px wide.
    static QRect barRect(const QStyleOptionViewItem &option);

    static constexpr int minimumWidth = 120;
};

} // namespace ferry::ui
