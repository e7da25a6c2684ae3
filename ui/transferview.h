#pragma once

#include <QTableView>

class QMenu;

namespace ferry::ui {

// The transfer list as a table: columns sized to their content with Name taking the slack, a
// header menu to choose the columns, and a hint painted over the empty list saying how to add
// a download. The model is the filter proxy over TransferModel. GUI thread only.
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

signals:
    // The user showed, hid or reset columns; a good moment to remember the layout.
    void columnsChanged();

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_emptyText;
};

} // namespace ferry::ui
