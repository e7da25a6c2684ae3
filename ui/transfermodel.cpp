#include "transfermodel.h"

#include "format.h"
#include "steadyicon.h"

#include <QColor>
#include <QCoreApplication>
#include <QDataStream>
#include <QFont>
#include <QIODevice>
#include <QLocale>
#include <QMimeData>
#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace ferry::ui {

TransferModel::TransferModel(QObject *parent)
    : QAbstractTableModel(parent), m_uploadIcon(steadyIcon(QIcon(u":/icons/upload.svg"_s))),
      m_bundleIcon(steadyIcon(QIcon(u":/icons/archive.svg"_s)))
{
}

TransferModel::~TransferModel() = default;

int TransferModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TransferModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TransferModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const DownloadSnapshot &s = row.snapshot;
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, column);
    case Qt::DecorationRole:
        if (column != Name)
            return {};
        // Uploads and bundles show what they do; downloads show what they are.
        if (s.kind == TransferKind::Upload)
            return m_uploadIcon;
        if (s.kind == TransferKind::ZipLocal || s.kind == TransferKind::ZipBucket)
            return m_bundleIcon;
        return QVariant(icon(row.category));
    case Qt::ForegroundRole:
        // A failed download stands out where its state is written; the rest keep the palette.
        if (column == State && s.state == DownloadState::Failed)
            return QColor(0xc0, 0x1c, 0x28);
        return {};
    case Qt::FontRole:
        if (s.state != DownloadState::Paused)
            return {};
        {
            QFont font;
            font.setItalic(true); // waiting for the user, not for a slot
            return font;
        }
    case Qt::ToolTipRole: {
        const QString tip = toolTip(row, column);
        return tip.isEmpty() ? QVariant() : QVariant(tip);
    }
    case Qt::TextAlignmentRole:
        switch (column) {
        case Position:
        case Size:
        case Speed:
        case Eta:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        case Progress:
            return int(Qt::AlignCenter);
        default:
            return {};
        }
    case IdRole:
        return s.id;
    case KindRole:
        return int(s.kind);
    case SourceRole:
        return s.source;
    case PositionRole:
        return row.position;
    case StateRole:
        return int(s.state);
    case CategoryRole:
        return int(row.category);
    case ProgressRole:
        return progressOf(s);
    case SegmentsRole:
        return QVariant::fromValue(s.segments);
    case TotalRole:
        return s.total;
    case DoneRole:
        return s.done;
    case SpeedRole:
        return s.speed;
    case EtaRole:
        return s.etaSeconds;
    case AddedRole:
        return s.added;
    case UrlRole:
        return s.url.toDisplayString();
    case MessageRole:
        return s.message;
    case SortRole:
        return sortData(row, column);
    case SearchTextRole:
        return row.searchText;
    default:
        return {};
    }
}

QVariant TransferModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole && section == Position)
        return tr("Place in the queue: unfinished downloads start in this order. Drag rows to "
                  "change it.");
    if (role == Qt::TextAlignmentRole) {
        if (section == Position || section == Size || section == Speed || section == Eta)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Position:
        return tr("#", "place in the queue");
    case Name:
        return tr("Name");
    case Size:
        return tr("Size");
    case Progress:
        return tr("Progress");
    case Speed:
        return tr("Speed");
    case Eta:
        return tr("Time left");
    case State:
        return tr("Status");
    case Added:
        return tr("Added");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> TransferModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert({{IdRole, "id"},
                  {StateRole, "state"},
                  {CategoryRole, "category"},
                  {ProgressRole, "progress"},
                  {SegmentsRole, "segments"},
                  {TotalRole, "total"},
                  {DoneRole, "done"},
                  {SpeedRole, "speed"},
                  {EtaRole, "eta"},
                  {AddedRole, "added"},
                  {UrlRole, "url"},
                  {MessageRole, "message"},
                  {SortRole, "sort"},
                  {SearchTextRole, "searchText"},
                  {PositionRole, "position"}});
    return names;
}

QString TransferModel::queueMimeType()
{
    return u"application/x-ferry-queue-ids"_s;
}

Qt::ItemFlags TransferModel::flags(const QModelIndex &index) const
{
    // Only the list as a whole takes drops: a row is a place between rows, never a target.
    if (!index.isValid())
        return Qt::ItemIsDropEnabled;
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.row() < m_rows.size() && m_rows.at(index.row()).position > 0)
        f |= Qt::ItemIsDragEnabled;
    return f;
}

QStringList TransferModel::mimeTypes() const
{
    return {queueMimeType()};
}

QMimeData *TransferModel::mimeData(const QModelIndexList &indexes) const
{
    QList<int> rows;
    for (const QModelIndex &index : indexes) {
        if (index.isValid() && index.row() < m_rows.size() && m_rows.at(index.row()).position > 0 &&
            !rows.contains(index.row()))
            rows.append(index.row());
    }
    if (rows.isEmpty())
        return nullptr;
    std::sort(rows.begin(), rows.end(),
              [this](int a, int b) { return m_rows.at(a).position < m_rows.at(b).position; });
    QList<DownloadId> ids;
    for (int row : std::as_const(rows))
        ids.append(m_rows.at(row).snapshot.id);
    // Ids mean something only in this process: another Ferry's list may hold other downloads
    // under the same numbers.
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out << QCoreApplication::applicationPid() << ids;
    auto *mime = new QMimeData;
    mime->setData(queueMimeType(), bytes);
    return mime;
}

QList<DownloadId> TransferModel::idsIn(const QMimeData *data)
{
    if (!data || !data->hasFormat(queueMimeType()))
        return {};
    QDataStream in(data->data(queueMimeType()));
    qint64 pid = 0;
    QList<DownloadId> ids;
    in >> pid >> ids;
    if (in.status() != QDataStream::Ok || pid != QCoreApplication::applicationPid())
        return {};
    return ids;
}

bool TransferModel::canDropMimeData(const QMimeData *data, Qt::DropAction action, int row,
                                    int column, const QModelIndex &parent) const
{
    Q_UNUSED(row);
    Q_UNUSED(column);
    Q_UNUSED(parent);
    return action == Qt::MoveAction && !idsIn(data).isEmpty();
}

bool TransferModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                                 const QModelIndex &parent)
{
    Q_UNUSED(column);
    QList<DownloadId> ids;
    for (DownloadId id : idsIn(action == Qt::MoveAction ? data : nullptr)) {
        const int at = rowOf(id);
        if (at >= 0 && m_rows.at(at).position > 0)
            ids.append(id);
    }
    if (ids.isEmpty())
        return false;
    // Dropped on a row: before it. A finished row has no place in the queue; the end of the
    // queue is the nearest there is.
    const int target = parent.isValid() ? parent.row() : row;
    const DownloadId before =
        target >= 0 && target < m_rows.size() && m_rows.at(target).position > 0 ? idAt(target) : 0;
    emit queueMoveRequested(ids, before);
    return true;
}

void TransferModel::applySnapshots(const QList<DownloadSnapshot> &changed)
{
    QList<int> updatedRows;
    updatedRows.reserve(changed.size());
    QList<Row> added;
    QHash<DownloadId, qsizetype> addedAt; // the same new id twice in one batch: the later wins
    bool reordered = false;
    for (const DownloadSnapshot &s : changed) {
        if (const auto it = m_rowById.constFind(s.id); it != m_rowById.cend()) {
            const DownloadSnapshot &old = m_rows.at(*it).snapshot;
            reordered |= old.priority != s.priority || (old.state == DownloadState::Completed) !=
                                                           (s.state == DownloadState::Completed);
            const int position = m_rows.at(*it).position;
            m_rows[*it] = makeRow(s);
            m_rows[*it].position = position;
            updatedRows.append(*it);
        } else if (const auto a = addedAt.constFind(s.id); a != addedAt.cend()) {
            added[*a] = makeRow(s);
        } else {
            addedAt.insert(s.id, added.size());
            added.append(makeRow(s));
        }
    }
    // Updates are announced before the insert so that the row numbers refer to the old table.
    emitChangedSpans(std::move(updatedRows));
    if (added.isEmpty()) {
        if (reordered)
            emitPositionsChanged(renumber());
        return;
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    m_rows.append(std::move(added));
    reindexFrom(first);
    // New rows arrive numbered; older ones change only when a new one goes ahead of them, and
    // are told so once the insert is complete.
    const QList<int> positions = queuePositions();
    for (int i = first; i < m_rows.size(); ++i)
        m_rows[i].position = positions.at(i);
    endInsertRows();
    emitPositionsChanged(renumber());
}

void TransferModel::resetTo(const QList<DownloadSnapshot> &all)
{
    beginResetModel();
    m_rows.clear();
    m_rowById.clear();
    m_rows.reserve(all.size());
    for (const DownloadSnapshot &s : all) {
        if (const auto it = m_rowById.constFind(s.id); it != m_rowById.cend()) {
            m_rows[*it] = makeRow(s);
            continue;
        }
        m_rowById.insert(s.id, int(m_rows.size()));
        m_rows.append(makeRow(s));
    }
    renumber();
    endResetModel();
}

void TransferModel::removeDownload(DownloadId id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    const bool queued = m_rows.at(row).position > 0;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    m_rowById.remove(id);
    reindexFrom(row);
    endRemoveRows();
    if (queued)
        emitPositionsChanged(renumber());
}

DownloadId TransferModel::idAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).snapshot.id : DownloadId(0);
}

int TransferModel::rowOf(DownloadId id) const
{
    return m_rowById.value(id, -1);
}

std::optional<DownloadSnapshot> TransferModel::snapshot(DownloadId id) const
{
    const int row = rowOf(id);
    if (row < 0)
        return std::nullopt;
    return m_rows.at(row).snapshot;
}

TransferModel::Row TransferModel::makeRow(const DownloadSnapshot &snapshot)
{
    Row row;
    row.snapshot = snapshot;
    row.category = categoryForFileName(snapshot.fileName);
    row.searchText = (snapshot.fileName % u' ' % snapshot.url.toDisplayString()).toLower();
    if (!snapshot.source.isEmpty())
        row.searchText += u' ' + snapshot.source.toLower();
    return row;
}

double TransferModel::progressOf(const DownloadSnapshot &snapshot)
{
    // A finished download is whole even when the server never said how large it was.
    if (snapshot.state == DownloadState::Completed)
        return 1.0;
    if (snapshot.total < 0)
        return -1.0;
    if (snapshot.total == 0)
        return 0.0;
    return std::clamp(double(snapshot.done) / double(snapshot.total), 0.0, 1.0);
}

QVariant TransferModel::displayData(const Row &row, int column) const
{
    const DownloadSnapshot &s = row.snapshot;
    const bool running = s.state == DownloadState::Downloading;
    switch (Column(column)) {
    case Position:
        return row.position > 0 ? QLocale().toString(row.position) : QString();
    case Name:
        return s.fileName.isEmpty() ? s.url.toDisplayString() : s.fileName;
    case Size:
        if (s.total < 0 && s.state == DownloadState::Completed)
            return formatSize(s.done);
        return formatSize(s.total);
    case Progress: {
        const double progress = progressOf(s);
        if (progress < 0)
            return u"\u2013"_s;
        if (progress >= 1.0)
            return tr("%1 %").arg(QLocale().toString(100));
        // Rounded down, so that "100 %" only ever means done.
        const double percent = std::floor(progress * 1000.0) / 10.0;
        return tr("%1 %").arg(QLocale().toString(percent, 'f', 1));
    }
    case Speed:
        return running ? formatSpeed(s.speed) : QString();
    case Eta:
        return running ? formatEta(s.etaSeconds) : QString();
    case State: {
        QString text = stateName(s.state);
        if (!text.isEmpty())
            text[0] = text[0].toUpper();
        return text;
    }
    case Added:
        return formatDateTime(s.added);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TransferModel::sortData(const Row &row, int column) const
{
    const DownloadSnapshot &s = row.snapshot;
    const bool running = s.state == DownloadState::Downloading;
    switch (Column(column)) {
    // Finished rows follow the queue, oldest first, so that equal keys never depend on
    // the order rows arrived in.
    case Position:
        return row.position > 0 ? qint64(row.position) : (qint64(1) << 40) + s.id;
    case Name:
        return s.fileName.isEmpty() ? s.url.toDisplayString() : s.fileName;
    case Size:
        return s.total;
    case Progress:
        return progressOf(s);
    case Speed:
        return running ? s.speed : qint64(0);
    // Unknown and idle sort after every real estimate in ascending order.
    case Eta:
        return running && s.etaSeconds >= 0 ? s.etaSeconds : std::numeric_limits<qint64>::max();
    case State:
        return int(s.state);
    // Whole seconds, as the database keeps them, then the id: rows added in the same second
    // keep one order, before and after a restart.
    case Added:
        return s.added.isValid() ? (s.added.toSecsSinceEpoch() << 24) + (s.id & 0xffffff)
                                 : std::numeric_limits<qint64>::min();
    case ColumnCount:
        break;
    }
    return {};
}

QString TransferModel::toolTip(const Row &row, int column) const
{
    const DownloadSnapshot &s = row.snapshot;
    if (column == Name) {
        QString where = s.url.toDisplayString();
        if (s.kind == TransferKind::Upload)
            where = tr("Upload to %1").arg(s.source);
        else if (s.kind == TransferKind::ZipLocal || s.kind == TransferKind::ZipBucket)
            where = tr("ZIP bundle: %1").arg(s.source.isEmpty() ? s.targetPath : s.source);
        else if (!s.source.isEmpty())
            where = tr("Download of %1").arg(s.source);
        return s.message.isEmpty() ? where : where % u'\n' % s.message;
    }
    if (column == State && !s.message.isEmpty() &&
        (s.state == DownloadState::Failed || s.state == DownloadState::Paused))
        return stateName(s.state) % u": "_s % s.message;
    return {};
}

QIcon TransferModel::icon(Category category) const
{
    // QIcon construction looks up an icon engine; once per category is enough.
    auto it = m_icons.find(int(category));
    if (it == m_icons.end())
        it = m_icons.insert(int(category), steadyIcon(categoryIcon(category)));
    return *it;
}

void TransferModel::emitChangedSpans(QList<int> rows)
{
    if (rows.isEmpty())
        return;
    const int lastColumn = ColumnCount - 1;
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    // Past half the table, one repaint of everything is cheaper than many small ones.
    if (rows.size() * 2 > m_rows.size()) {
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, lastColumn));
        return;
    }
    qsizetype spanStart = 0;
    for (qsizetype i = 1; i <= rows.size(); ++i) {
        if (i < rows.size() && rows[i] == rows[i - 1] + 1)
            continue;
        emit dataChanged(index(rows[spanStart], 0), index(rows[i - 1], lastColumn));
        spanStart = i;
    }
}

QList<int> TransferModel::renumber()
{
    const QList<int> positions = queuePositions();
    QList<int> changed;
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).position != positions.at(i)) {
            m_rows[i].position = positions.at(i);
            changed.append(i);
        }
    }
    return changed;
}

QList<int> TransferModel::queuePositions() const
{
    // The engine's queue order (DownloadManager::schedule): higher priority first, then the
    // older download (lower id).
    QList<int> queue;
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).snapshot.state != DownloadState::Completed)
            queue.append(i);
    }
    std::sort(queue.begin(), queue.end(), [this](int a, int b) {
        const DownloadSnapshot &x = m_rows.at(a).snapshot;
        const DownloadSnapshot &y = m_rows.at(b).snapshot;
        return x.priority != y.priority ? x.priority > y.priority : x.id < y.id;
    });
    QList<int> positions(m_rows.size(), 0);
    for (int i = 0; i < queue.size(); ++i)
        positions[queue.at(i)] = i + 1;
    return positions;
}

void TransferModel::emitPositionsChanged(const QList<int> &rows)
{
    if (rows.isEmpty())
        return;
    if (rows.size() * 2 > m_rows.size()) {
        emit dataChanged(index(0, Position), index(int(m_rows.size()) - 1, Position));
        return;
    }
    for (int row : rows)
        emit dataChanged(index(row, Position), index(row, Position));
}

void TransferModel::reindexFrom(int firstRow)
{
    for (int i = firstRow; i < m_rows.size(); ++i)
        m_rowById.insert(m_rows.at(i).snapshot.id, i);
}

} // namespace ferry::ui
