#pragma once

#include "api/downloadtypes.h"
#include "categories.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QIcon>
#include <QList>
#include <optional>

namespace ferry::ui {

// The download table. It holds copies of the engine's snapshots, never engine objects, and is
// fed once per tick with the downloads that changed. Raw values live in the roles below so
// that the delegate, the filter and sorting never parse display text. GUI thread only.
class TransferModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransferModel)
public:
    // Position: the place among unfinished downloads in the order the engine starts them.
    enum Column { Position, Name, Size, Progress, Speed, Eta, State, Added, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        IdRole = Qt::UserRole + 1, // DownloadId
        StateRole,                 // int of DownloadState
        CategoryRole,              // int of Category
        ProgressRole,              // double 0..1, -1 when the size is unknown
        SegmentsRole,              // QList<ferry::SegmentSnapshot>
        TotalRole,                 // qint64, -1 when unknown
        DoneRole,                  // qint64
        SpeedRole,                 // qint64 bytes per second
        EtaRole,                   // qint64 seconds, -1 when unknown
        AddedRole,                 // QDateTime (UTC)
        UrlRole,                   // QString
        MessageRole,               // QString
        SortRole,                  // raw value of the column, for QSortFilterProxyModel
        SearchTextRole,            // file name + " " + URL, lower-case
        KindRole,                  // int of TransferKind
        SourceRole,                // QString, s3:// URI of an S3 transfer
        PositionRole,              // int, 1 for the next to start; 0 when finished
    };
    Q_ENUM(Role)

    explicit TransferModel(QObject *parent = nullptr);
    ~TransferModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Dragging rows to another place in the queue. Only unfinished rows can be dragged; a drop
    // lands before the row it is dropped on or above, and at the end of the queue below the
    // last unfinished row. The model does not reorder itself: it asks, with
    // queueMoveRequested(), and shows the new order when the engine's snapshots say so.
    static QString queueMimeType();
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    Qt::DropActions supportedDragActions() const override { return Qt::MoveAction; }
    Qt::DropActions supportedDropActions() const override { return Qt::MoveAction; }
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                         const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                      const QModelIndex &parent) override;

    // One tick's worth of changes: known ids are updated in place, unknown ones appended.
    void applySnapshots(const QList<DownloadSnapshot> &changed);
    void resetTo(const QList<DownloadSnapshot> &all);
    void removeDownload(DownloadId id);

    DownloadId idAt(int row) const; // 0 when out of range
    int rowOf(DownloadId id) const; // -1 when unknown
    std::optional<DownloadSnapshot> snapshot(DownloadId id) const;

signals:
    // `ids` (in queue order) are to go right before `beforeId`; 0: to the end of the queue.
    void queueMoveRequested(const QList<ferry::DownloadId> &ids, ferry::DownloadId beforeId);

private:
    // Derived values are computed once per update rather than on every data() call, because
    // the filter proxy asks for them for every row on every tick.
    struct Row
    {
        DownloadSnapshot snapshot;
        Category category = Category::Other;
        QString searchText;
        int position = 0;
    };
    static Row makeRow(const DownloadSnapshot &snapshot);
    static double progressOf(const DownloadSnapshot &snapshot);
    QVariant displayData(const Row &row, int column) const;
    QVariant sortData(const Row &row, int column) const;
    QString toolTip(const Row &row, int column) const;
    QIcon icon(Category category) const;
    void emitChangedSpans(QList<int> rows);
    void reindexFrom(int firstRow);
    // Numbers the unfinished rows in queue order; returns the rows whose number changed.
    QList<int> renumber();
    QList<int> queuePositions() const; // per row, 0 for finished ones
    static QList<DownloadId> idsIn(const QMimeData *data);
    void emitPositionsChanged(const QList<int> &rows);

    QList<Row> m_rows;
    QHash<DownloadId, int> m_rowById; // invariant: m_rowById[m_rows[i].snapshot.id] == i
    mutable QHash<int, QIcon> m_icons;
    QIcon m_uploadIcon;
    QIcon m_bundleIcon;
};

} // namespace ferry::ui

Q_DECLARE_METATYPE(ferry::SegmentSnapshot)
