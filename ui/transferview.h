#pragma once

#include <QTableView>

class QMenu;

namespace ferry::ui {

// The transfer list as a table: columns sized to their content with Name taking the slack, a
// header menu to choose the columns, and a hint painted over the empty list saying how to add
// a download. Selected unfinished rows can be dragged to another place in the queue while the
// list shows the queue's order (# ascending); a line shows where they will land. Drags from
// elsewhere (links, files) are left to the window. The model is the filter proxy over
// TransferModel. GUI thread only.
class TransferView final : public QTableView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransferView)
public:
    explicit TransferView(QWidget *parent = nullptr);

    // The first-start layout: the useful columns in their order, the rest hidden, widths from
    // the font and the translated texts. Also what "Reset Columns" goes back to.
    void applyDefaultColumns();
    // A header layout saved by saveColumns(); false (and nothing changed) when it does not fit
    // the current columns.
    bool restoreColumns(const QByteArray &state);
    QByteArray saveColumns() const;
    // One checkable entry per column; Name cannot be hidden. The caller owns the menu.
    QMenu *createColumnMenu(QWidget *parent);

    // Painted in the middle of the list while it has no rows; empty paints nothing.
    void setEmptyText(const QString &text);
    QString emptyText() const { return m_emptyText; }

    // Whether rows can be dragged to another place: only in the queue's own order.
    bool showsQueueOrder() const;
    // The row before which a drag at `pos` (viewport coordinates) would land; rowCount() for
    // the end. Never inside the finished rows, which have no place in the queue.
    int dropRowAt(const QPoint &pos) const;
    int dropIndicatorRow() const { return m_dropRow; } // -1 while nothing is dragged over

signals:
    // The user showed, hid or reset columns; a good moment to remember the layout.
    void columnsChanged();

protected:
    void paintEvent(QPaintEvent *event) override;
    void startDrag(Qt::DropActions supportedActions) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    bool isQueueDrag(const QDropEvent *event) const;
    void setDropRow(int row);
    QPixmap dragPixmap(const QModelIndexList &rows) const;

    QString m_emptyText;
    int m_dropRow = -1;
};

} // namespace ferry::ui
