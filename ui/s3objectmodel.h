#pragma once

#include "s3/s3client.h"

#include "s3/s3types.h"
#include "s3mime.h"

#include <QAbstractTableModel>
#include <QIcon>
#include <QPointer>
#include <QSortFilterProxyModel>

namespace ferry::ui {

// The folders (common prefixes) and objects directly below one prefix of a bucket, folders
// first. Listing is lazy: setLocation() asks for the first page only and the view pulls the
// next page through fetchMore() when it scrolls near the end, one request at a time, so a
// prefix with 100,000 objects shows its first rows at once and never blocks. GUI thread only.
class S3ObjectModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(S3ObjectModel)
public:
    enum Column { Name, Size, Modified, StorageClass, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        KeyRole = Qt::UserRole + 1, // QString: full key, or the folder's prefix ending in '/'
        IsFolderRole,               // bool
        SizeRole,                   // qint64, -1 for folders
        ModifiedRole,               // QDateTime (UTC), invalid for folders
        StorageClassRole,           // QString
        ETagRole,                   // QByteArray with its quotes
        SortRole,                   // raw value of the column, for QSortFilterProxyModel
    };
    Q_ENUM(Role)

    explicit S3ObjectModel(QObject *parent = nullptr);
    ~S3ObjectModel() override;

    // Shows `prefix` ("" for the bucket's root, else ending with '/') of `bucket` and loads its
    // first page. A reply still running for the previous location is dropped.
    void setLocation(s3::Client *client, const QString &bucket, const QString &prefix);
    void clear();
    // Lists the current location again from its first page.
    void refresh();

    s3::Client *client() const { return m_client; }
    QString accountId() const;
    QString bucket() const { return m_bucket; }
    QString prefix() const { return m_prefix; }
    bool isLoading() const { return m_reply != nullptr; }
    // True once the last page of the location arrived.
    bool isComplete() const { return m_started && !m_hasMore && !m_reply; }
    int folderCount() const { return int(m_folders.size()); }
    int objectCount() const { return int(m_objects.size()); }
    s3::Error lastError() const { return m_error; }

    bool isFolder(int row) const { return row >= 0 && row < folderCount(); }
    QString keyAt(int row) const; // the folder's prefix for folder rows
    // The name the Name column shows: the key below the prefix, a folder without its '/'. A
    // view into the model's data, valid until the rows change.
    QStringView nameAt(int row) const;
    std::optional<s3::Object> objectAt(int row) const;
    // Orders two rows by a column's raw value (folders and objects alike; the proxy puts
    // folders first). Typed, without QVariant: sorting 100,000 rows calls it millions of times.
    int compareRows(int left, int right, int column, Qt::CaseSensitivity cs,
                    bool localeAware) const;
    // The selected rows as a selection of this model's account and bucket.
    S3Selection selection(const QList<int> &rows) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    Qt::DropActions supportedDragActions() const override;

signals:
    // A page arrived (or the first page failed); the location is what setLocation() set.
    void pageLoaded();
    void loadingChanged(bool loading);
    void errorOccurred(const ferry::s3::Error &error);

private:
    void requestPage();
    void onPage(s3::Reply *reply, quint64 generation);
    const s3::Object *object(int row) const; // null for folder rows
    QVariant sortData(int row, int column) const;
    QIcon icon(bool folder) const;

    QPointer<s3::Client> m_client;
    QString m_bucket;
    QString m_prefix;
    QStringList m_folders;
    QList<s3::Object> m_objects;
    QString m_token;
    bool m_hasMore = false;
    bool m_started = false;
    QPointer<s3::Reply> m_reply;
    quint64 m_generation = 0; // replies of an older location are ignored
    s3::Error m_error;
    mutable QIcon m_folderIcon; // asked for every painted row: looked up in the style once
    mutable QIcon m_fileIcon;
};

// Filters the loaded rows by name and sorts with folders always before objects. With an
// S3ObjectModel as source it compares and filters on the model's own data, not through QVariant,
// so that a folder of 100,000 objects sorts and filters within a frame or two.
class S3ObjectFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(S3ObjectFilterProxy)
public:
    explicit S3ObjectFilterProxy(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;
    // Keeps the rows whose name contains `text` (filterCaseSensitivity(), case-insensitive by
    // default); empty shows every row. The filter box of the S3 panel.
    void setNameFilter(const QString &text);
    QString nameFilter() const { return m_nameFilter; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QPointer<S3ObjectModel> m_model;
    QString m_nameFilter;
};

} // namespace ferry::ui
