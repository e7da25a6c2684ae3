#include "transferview.h"

#include "format.h"
#include "segmentbardelegate.h"
#include "transfermodel.h"

#include <QDateTime>
#include <QHeaderView>
#include <QMenu>
#include <QPainter>
#include <QStyle>
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

void TransferView::paintEvent(QPaintEvent *event)
{
    QTableView::paintEvent(event);
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
