#include "s3objectmodel.h"

#include "format.h"

#include "s3/s3client.h"

#include <QApplication>
#include <QMimeData>
#include <QSet>
#include <QStyle>

using namespace Qt::StringLiterals;

namespace ferry::ui {

S3ObjectModel::S3ObjectModel(QObject *parent) : QAbstractTableModel(parent)
{
}

S3ObjectModel::~S3ObjectModel()
{
    // abort() answers synchronously; nobody must hear about it while the owner is being torn down.
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
    }
}

QString S3ObjectModel::accountId() const
{
    return m_client ? m_client->account().id : QString();
}

void S3ObjectModel::setLocation(s3::Client *client, const QString &bucket, const QString &prefix)
{
    clear();
    m_client = client;
    m_bucket = bucket;
    m_prefix = prefix;
    if (!m_client || m_bucket.isEmpty())
        return;
    m_started = true;
    m_hasMore = true;
    requestPage();
}

void S3ObjectModel::clear()
{
    ++m_generation;
    const bool wasLoading = isLoading();
    if (m_reply)
        m_reply->abort();
    m_reply = nullptr;
    beginResetModel();
    m_folders.clear();
    m_objects.clear();
    m_token.clear();
    m_hasMore = false;
    m_started = false;
    m_error = {};
    endResetModel();
    if (wasLoading)
        emit loadingChanged(false);
}

void S3ObjectModel::refresh()
{
    setLocation(m_client, m_bucket, m_prefix);
}

void S3ObjectModel::requestPage()
{
    if (!m_client || m_reply || !m_hasMore)
        return;
    const quint64 generation = m_generation;
    s3::Reply *reply = m_client->listObjects(m_bucket, m_prefix, u"/"_s, m_token);
    m_reply = reply;
    connect(reply, &s3::Reply::finished, this,
            [this, reply, generation] { onPage(reply, generation); });
    emit loadingChanged(true);
}

void S3ObjectModel::onPage(s3::Reply *reply, quint64 generation)
{
    if (generation != m_generation)
        return; // an older location's answer
    m_reply = nullptr;
    if (reply->error.isError()) {
        // Stop paging: retrying from the view's scroll handler would hammer a failing server.
        m_hasMore = false;
        m_error = reply->error;
        emit loadingChanged(false);
        emit errorOccurred(m_error);
        emit pageLoaded();
        return;
    }
    const s3::ListPage &page = reply->page;
    QStringList folders;
    for (const QString &p : page.prefixes) {
        if (p != m_prefix)
            folders.append(p);
    }
    QList<s3::Object> objects;
    objects.reserve(page.objects.size());
    for (const s3::Object &o : page.objects) {
        if (o.key != m_prefix) // the zero-byte "folder marker" some consoles create
            objects.append(o);
    }
    // Paging state first: a view (or model tester) may call fetchMore() from rowsInserted.
    m_token = page.nextContinuationToken;
    m_hasMore = page.truncated && !m_token.isEmpty();
    if (!folders.isEmpty()) {
        const int first = folderCount();
        beginInsertRows({}, first, first + int(folders.size()) - 1);
        m_folders.append(folders);
        endInsertRows();
    }
    if (!objects.isEmpty()) {
        const int first = rowCount();
        beginInsertRows({}, first, first + int(objects.size()) - 1);
        m_objects.append(objects);
        endInsertRows();
    }
    emit loadingChanged(isLoading());
    emit pageLoaded();
}

QString S3ObjectModel::keyAt(int row) const
{
    if (isFolder(row))
        return m_folders.at(row);
    const s3::Object *o = object(row);
    return o ? o->key : QString();
}

const s3::Object *S3ObjectModel::object(int row) const
{
    const int i = row - folderCount();
    return i >= 0 && i < objectCount() ? &m_objects.at(i) : nullptr;
}

std::optional<s3::Object> S3ObjectModel::objectAt(int row) const
{
    if (const s3::Object *o = object(row))
        return *o;
    return std::nullopt;
}

QStringView S3ObjectModel::nameAt(int row) const
{
    QStringView key;
    if (isFolder(row))
        key = m_folders.at(row);
    else if (const s3::Object *o = object(row))
        key = o->key;
    if (key.startsWith(m_prefix))
        key = key.mid(m_prefix.size());
    if (key.endsWith(u'/'))
        key.chop(1);
    return key;
}

int S3ObjectModel::compareRows(int left, int right, int column, Qt::CaseSensitivity cs,
                               bool localeAware) const
{
    const auto compareText = [cs, localeAware](QStringView a, QStringView b) {
        return localeAware ? QString::localeAwareCompare(a, b) : a.compare(b, cs);
    };
    const s3::Object *l = object(left);
    const s3::Object *r = object(right);
    switch (column) {
    case Name:
        return compareText(nameAt(left), nameAt(right));
    case Size: {
        const qint64 a = l ? l->size : -1;
        const qint64 b = r ? r->size : -1;
        return a < b ? -1 : a > b ? 1 : 0;
    }
    case Modified: {
        // Folders have no date; an invalid QDateTime sorts before every valid one.
        const QDateTime a = l ? l->lastModified : QDateTime();
        const QDateTime b = r ? r->lastModified : QDateTime();
        return a < b ? -1 : b < a ? 1 : 0;
    }
    case StorageClass:
        return compareText(l ? QStringView(l->storageClass) : QStringView(),
                           r ? QStringView(r->storageClass) : QStringView());
    default:
        return 0;
    }
}

S3Selection S3ObjectModel::selection(const QList<int> &rows) const
{
    S3Selection s;
    s.accountId = accountId();
    s.bucket = m_bucket;
    QSet<int> seen;
    for (int row : rows) {
        if (row < 0 || row >= rowCount() || seen.contains(row))
            continue;
        seen.insert(row);
        if (isFolder(row))
            s.prefixes.append(m_folders.at(row));
        else if (const auto o = objectAt(row))
            s.objects.append({o->key, o->size});
    }
    return s;
}

int S3ObjectModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_folders.size() + m_objects.size());
}

int S3ObjectModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant S3ObjectModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const int column = index.column();
    const bool folder = isFolder(row);
    const s3::Object *o = folder ? nullptr : object(row);
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Name:
            return nameAt(row).toString();
        case Size:
            return o ? formatSize(o->size) : QString();
        case Modified:
            return o ? formatDateTime(o->lastModified) : QString();
        case StorageClass:
            return o ? o->storageClass : QString();
        default:
            return {};
        }
    case Qt::DecorationRole:
        return column == Name ? QVariant(icon(folder)) : QVariant();
    case Qt::ToolTipRole:
        return column == Name ? QVariant(s3::Client::s3Uri(m_bucket, keyAt(row))) : QVariant();
    case Qt::TextAlignmentRole:
        return column == Size ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case KeyRole:
        return keyAt(row);
    case IsFolderRole:
        return folder;
    case SizeRole:
        return o ? o->size : qint64(-1);
    case ModifiedRole:
        return o ? o->lastModified : QDateTime();
    case StorageClassRole:
        return o ? o->storageClass : QString();
    case ETagRole:
        return o ? o->etag : QByteArray();
    case SortRole:
        return sortData(row, column);
    default:
        return {};
    }
}

QIcon S3ObjectModel::icon(bool folder) const
{
    if (!qobject_cast<QApplication *>(QCoreApplication::instance()))
        return {};
    QIcon &cached = folder ? m_folderIcon : m_fileIcon;
    if (cached.isNull())
        cached =
            QApplication::style()->standardIcon(folder ? QStyle::SP_DirIcon : QStyle::SP_FileIcon);
    return cached;
}

QVariant S3ObjectModel::sortData(int row, int column) const
{
    const s3::Object *o = object(row);
    switch (column) {
    case Name:
        return nameAt(row).toString();
    case Size:
        return o ? o->size : qint64(-1);
    case Modified:
        return o ? o->lastModified : QDateTime();
    case StorageClass:
        return o ? o->storageClass : QString();
    default:
        return {};
    }
}

QVariant S3ObjectModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Name");
    case Size:
        return tr("Size");
    case Modified:
        return tr("Modified");
    case StorageClass:
        return tr("Storage class");
    default:
        return {};
    }
}

Qt::ItemFlags S3ObjectModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid())
        f |= Qt::ItemIsDragEnabled | Qt::ItemNeverHasChildren;
    return f;
}

bool S3ObjectModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_hasMore && !m_reply && m_client;
}

void S3ObjectModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        requestPage();
}

QStringList S3ObjectModel::mimeTypes() const
{
    return {QString(s3ObjectsMimeType), u"text/plain"_s};
}

QMimeData *S3ObjectModel::mimeData(const QModelIndexList &indexes) const
{
    QList<int> rows;
    for (const QModelIndex &index : indexes) {
        if (index.isValid() && index.model() == this)
            rows.append(index.row());
    }
    const S3Selection s = selection(rows);
    return s.isEmpty() ? nullptr : s3SelectionToMimeData(s);
}

Qt::DropActions S3ObjectModel::supportedDragActions() const
{
    return Qt::CopyAction;
}

S3ObjectFilterProxy::S3ObjectFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(S3ObjectModel::SortRole);
    setFilterKeyColumn(S3ObjectModel::Name);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void S3ObjectFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    m_model = qobject_cast<S3ObjectModel *>(model);
    QSortFilterProxyModel::setSourceModel(model);
}

void S3ObjectFilterProxy::setNameFilter(const QString &text)
{
    if (text == m_nameFilter)
        return;
    m_nameFilter = text;
    invalidateRowsFilter();
}

bool S3ObjectFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_nameFilter.isEmpty() && m_model && !sourceParent.isValid() &&
        !m_model->nameAt(sourceRow).contains(m_nameFilter, filterCaseSensitivity()))
        return false;
    return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
}

bool S3ObjectFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (m_model && left.model() == m_model && right.model() == m_model &&
        sortRole() == S3ObjectModel::SortRole) {
        const bool leftFolder = m_model->isFolder(left.row());
        const bool rightFolder = m_model->isFolder(right.row());
        if (leftFolder != rightFolder) // folders stay on top in either order
            return sortOrder() == Qt::AscendingOrder ? leftFolder : rightFolder;
        return m_model->compareRows(left.row(), right.row(), left.column(), sortCaseSensitivity(),
                                    isSortLocaleAware()) < 0;
    }
    const bool leftFolder = left.data(S3ObjectModel::IsFolderRole).toBool();
    const bool rightFolder = right.data(S3ObjectModel::IsFolderRole).toBool();
    if (leftFolder != rightFolder)
        return sortOrder() == Qt::AscendingOrder ? leftFolder : rightFolder;
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace ferry::ui
