#include "transferview.h"

#include "format.h"
#include "segmentbardelegate.h"
#include "transfermodel.h"

#include <QCursor>
#include <QDateTime>
#include <QDrag>
#include <QDragEnterEvent>
#include <QHeaderView>
#include <QMenu>
#include <QMimeData>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QStyle>
#include <QToolTip>
#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace ferry::ui {

namespace {

// Of occasional use: hidden at first start, one click away in the header menu.
constexpr TransferModel::Column hiddenByDefault[] = {TransferModel::Added};

} // namespace

TransferView::TransferView(QWidget *parent) : QTableView(parent)
{
    setObjectName(u"transferView"_s);
    setItemDelegateForColumn(TransferModel::Progress, new SegmentBarDelegate(this));
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setSortingEnabled(true);
    setShowGrid(false);
    setAlternatingRowColors(true);
    setWordWrap(false);
    // Tab leaves the list like any other field; arrows move between rows.
    setTabKeyNavigation(false);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    // Rows are dragged to another place in the queue; the line between rows is painted here
    // across the whole width (the style's indicator would mark one cell only).
    setDragDropMode(QAbstractItemView::DragDrop);
    setDefaultDropAction(Qt::MoveAction);
    setDropIndicatorShown(false);
    // Scrolling near an edge during a drag moves the rows under a cursor that stays put.
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, [this] {
        if (m_dropRow >= 0)
            setDropRow(dropRowAt(viewport()->mapFromGlobal(QCursor::pos())));
    });

    QHeaderView *header = horizontalHeader();
    header->setObjectName(u"transferHeader"_s);
    header->setSectionsMovable(true);
    header->setStretchLastSection(false);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const std::unique_ptr<QMenu> menu(createColumnMenu(this));
        menu->exec(horizontalHeader()->viewport()->mapToGlobal(pos));
    });
}

void TransferView::applyDefaultColumns()
{
    QHeaderView *header = horizontalHeader();
    if (!model() || header->count() != TransferModel::ColumnCount)
        return;
    for (int logical = 0; logical < TransferModel::ColumnCount; ++logical) {
        header->moveSection(header->visualIndex(logical), logical);
        header->setSectionHidden(logical, false);
        header->setSectionResizeMode(logical, QHeaderView::Interactive);
    }
    // Widths from what the cells will hold at their widest, in the current font and language,
    // so that a translation or a large font does not cut them. Name is what people read and
    // gets whatever is left, growing and shrinking with the window.
    const QFontMetrics fm = fontMetrics();
    const int padding =
        2 * (style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, this) + 1) +
        fm.averageCharWidth();
    auto fit = [&](int column, const QStringList &samples) {
        int width = header->sectionSizeHint(column);
        for (const QString &s : samples)
            width = std::max(width, fm.horizontalAdvance(s) + padding);
        header->resizeSection(column, width);
    };
    constexpr qint64 gib = qint64(1) << 30;
    fit(TransferModel::Position, {QStringLiteral("8888")});
    fit(TransferModel::Size, {formatSize(888 * gib), formatSize(1000)});
    fit(TransferModel::Speed, {formatSpeed(qint64(888) << 20), formatSpeed(1000)});
    fit(TransferModel::Eta, {formatEta(88 * 3600 + 59 * 60), formatEta(59 * 60 + 59),
                             formatEta(88 * 86400 + 23 * 3600)});
    QStringList states;
    for (DownloadState s :
         {DownloadState::Queued, DownloadState::Downloading, DownloadState::Verifying,
          DownloadState::Paused, DownloadState::Completed, DownloadState::Failed}) {
        QString text = stateName(s);
        if (!text.isEmpty())
            text[0] = text[0].toUpper();
        states << text;
    }
    fit(TransferModel::State, states);
    fit(TransferModel::Added, {formatDateTime(QDateTime(QDate(2088, 12, 28), QTime(23, 58)))});
    // The segment map needs some length to tell its segments apart; the percentage sits on it.
    fit(TransferModel::Progress, {QString(18, u'0')});
    header->setSectionResizeMode(TransferModel::Name, QHeaderView::Stretch);
    for (TransferModel::Column c : hiddenByDefault)
        header->setSectionHidden(c, true);
}

bool TransferView::restoreColumns(const QByteArray &state)
{
    QHeaderView *header = horizontalHeader();
    if (state.isEmpty() || !header->restoreState(state) ||
        header->count() != TransferModel::ColumnCount)
        return false;
    // Without Name a row says nothing, whatever an edited settings file claims.
    header->setSectionHidden(TransferModel::Name, false);
    return true;
}

QByteArray TransferView::saveColumns() const
{
    return horizontalHeader()->saveState();
}

QMenu *TransferView::createColumnMenu(QWidget *parent)
{
    auto *menu = new QMenu(parent);
    menu->setObjectName(u"columnMenu"_s);
    QHeaderView *header = horizontalHeader();
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        QAction *action = menu->addAction(model()->headerData(logical, Qt::Horizontal).toString());
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(logical));
        action->setEnabled(logical != TransferModel::Name);
        connect(action, &QAction::toggled, this, [this, logical](bool shown) {
            horizontalHeader()->setSectionHidden(logical, !shown);
            emit columnsChanged();
        });
    }
    menu->addSeparator();
    menu->addAction(tr("Reset Columns"), this, [this] {
        applyDefaultColumns();
        emit columnsChanged();
    });
    return menu;
}

void TransferView::setEmptyText(const QString &text)
{
    if (text == m_emptyText)
        return;
    m_emptyText = text;
    viewport()->update();
}

bool TransferView::showsQueueOrder() const
{
    const QHeaderView *header = horizontalHeader();
    return isSortingEnabled() && header->sortIndicatorSection() == TransferModel::Position &&
           header->sortIndicatorOrder() == Qt::AscendingOrder;
}

int TransferView::dropRowAt(const QPoint &pos) const
{
    const QAbstractItemModel *m = model();
    const int count = m ? m->rowCount(rootIndex()) : 0;
    int row = rowAt(pos.y());
    if (row < 0)
        row = pos.y() < 0 ? 0 : count;
    else if (pos.y() >= rowViewportPosition(row) + rowHeight(row) / 2)
        ++row;
    // In the queue's order the finished rows come last; the end of the queue is above them.
    while (row > 0 &&
           m->index(row - 1, 0, rootIndex()).data(TransferModel::PositionRole).toInt() <= 0)
        --row;
    return row;
}

bool TransferView::isQueueDrag(const QDropEvent *event) const
{
    // The model also refuses rows dragged from another Ferry (see TransferModel::mimeData).
    const QMimeData *mime = event->mimeData();
    return model() && mime && mime->hasFormat(TransferModel::queueMimeType()) &&
           model()->canDropMimeData(mime, Qt::MoveAction, -1, -1, rootIndex());
}

void TransferView::setDropRow(int row)
{
    if (row == m_dropRow)
        return;
    m_dropRow = row;
    viewport()->update();
}

void TransferView::startDrag(Qt::DropActions supportedActions)
{
    Q_UNUSED(supportedActions);
    QModelIndexList rows;
    for (const QModelIndex &index : selectionModel()->selectedRows(TransferModel::Name)) {
        if (index.flags() & Qt::ItemIsDragEnabled)
            rows.append(index);
    }
    if (rows.isEmpty())
        return;
    // Dropped between rows sorted by size or name, a download would land somewhere else than
    // where it was let go; the place is only clear in the queue's own order.
    if (!showsQueueOrder()) {
        QToolTip::showText(QCursor::pos(),
                           tr("To change the queue's order by dragging, sort the list by # first."),
                           viewport());
        return;
    }
    QMimeData *mime = model()->mimeData(rows);
    if (!mime)
        return;
    auto *drag = new QDrag(this);
    drag->setMimeData(mime);
    drag->setPixmap(dragPixmap(rows));
    drag->setHotSpot(QPoint(-fontMetrics().height() / 2, -fontMetrics().height() / 2));
    drag->exec(Qt::MoveAction, Qt::MoveAction);
}

QPixmap TransferView::dragPixmap(const QModelIndexList &rows) const
{
    const QModelIndex first = rows.constFirst();
    QString text = first.data().toString();
    if (rows.size() > 1)
        text = tr("%1 and %n more", nullptr, int(rows.size() - 1)).arg(text);
    const QFontMetrics fm = fontMetrics();
    text = fm.elidedText(text, Qt::ElideMiddle, fm.averageCharWidth() * 40);
    const int pad = fm.height() / 3;
    const int iconSize = fm.height();
    const QSize size(3 * pad + iconSize + fm.horizontalAdvance(text), fm.height() + 2 * pad);
    const qreal dpr = devicePixelRatioF();
    QPixmap pixmap(size * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    QPainterPath box;
    box.addRoundedRect(QRectF(QPointF(0, 0), QSizeF(size)).adjusted(0.5, 0.5, -0.5, -0.5), pad,
                       pad);
    painter.fillPath(box, palette().color(QPalette::Base));
    painter.setPen(palette().color(QPalette::Highlight));
    painter.drawPath(box);
    const QIcon icon = first.data(Qt::DecorationRole).value<QIcon>();
    icon.paint(&painter, QRect(pad, pad, iconSize, iconSize));
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QRect(2 * pad + iconSize, 0, size.width() - 2 * pad - iconSize, size.height()),
                     Qt::AlignLeft | Qt::AlignVCenter, text);
    return pixmap;
}

void TransferView::dragEnterEvent(QDragEnterEvent *event)
{
    // Links and files are the window's: ignored here, the event goes on to it.
    if (!isQueueDrag(event) || !showsQueueOrder()) {
        event->ignore();
        return;
    }
    QTableView::dragEnterEvent(event); // the dragging state, for scrolling near the edges
    setDropRow(dropRowAt(event->position().toPoint()));
    event->setDropAction(Qt::MoveAction);
    event->accept();
}

void TransferView::dragMoveEvent(QDragMoveEvent *event)
{
    if (!isQueueDrag(event) || !showsQueueOrder()) {
        event->ignore();
        return;
    }
    QTableView::dragMoveEvent(event);
    setDropRow(dropRowAt(event->position().toPoint()));
    event->setDropAction(Qt::MoveAction);
    event->accept();
}

void TransferView::dragLeaveEvent(QDragLeaveEvent *event)
{
    QTableView::dragLeaveEvent(event);
    setDropRow(-1);
}

void TransferView::dropEvent(QDropEvent *event)
{
    if (!isQueueDrag(event) || !showsQueueOrder()) {
        event->ignore();
        return;
    }
    const int row = dropRowAt(event->position().toPoint());
    setDropRow(-1);
    stopAutoScroll();
    setState(NoState);
    // Column 0: the filter proxy maps a row only together with a valid column.
    if (model()->dropMimeData(event->mimeData(), Qt::MoveAction, row, 0, rootIndex())) {
        event->setDropAction(Qt::MoveAction);
        event->accept();
    } else {
        event->ignore();
    }
}

void TransferView::paintEvent(QPaintEvent *event)
{
    QTableView::paintEvent(event);
    if (m_dropRow >= 0 && model()) {
        const int count = model()->rowCount(rootIndex());
        int y = 0;
        if (m_dropRow < count)
            y = rowViewportPosition(m_dropRow);
        else if (count > 0)
            y = rowViewportPosition(count - 1) + rowHeight(count - 1);
        y = std::clamp(y, 1, viewport()->height() - 2);
        QPainter painter(viewport());
        painter.setRenderHint(QPainter::Antialiasing);
        const QColor color = palette().color(QPalette::Highlight);
        painter.setPen(QPen(color, 2));
        const qreal r = 3;
        painter.drawLine(QPointF(2 * r, y), QPointF(viewport()->width(), y));
        painter.setBrush(palette().color(QPalette::Base));
        painter.drawEllipse(QPointF(r + 1, y), r, r);
    }
    if (m_emptyText.isEmpty() || !model() || model()->rowCount() > 0)
        return;
    // A comfortable line length rather than the full width of a wide window.
    const QFontMetrics fm = fontMetrics();
    const QRect area =
        viewport()->rect().adjusted(fm.height(), fm.height(), -fm.height(), -fm.height());
    QRect box(0, 0, std::min(area.width(), fm.averageCharWidth() * 48), area.height());
    box.moveCenter(area.center());
    QPainter painter(viewport());
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(box, Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
}

} // namespace ferry::ui
