#include "storage/storage.h"

#include "engine/partfile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

// Each entry moves the schema one version up; never edit a released entry, append a new one.
const char *const migrations[] = {
    R"(CREATE TABLE downloads (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        url TEXT NOT NULL, final_url TEXT, directory TEXT NOT NULL, file_name TEXT,
        part_path TEXT, target_path TEXT, name_from_user INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL DEFAULT -1, etag BLOB, last_modified TEXT,
        resumable INTEGER NOT NULL DEFAULT 0, state INTEGER NOT NULL, message TEXT,
        connections INTEGER NOT NULL DEFAULT 8, rate_limit INTEGER NOT NULL DEFAULT 0,
        checksum TEXT, headers TEXT, needs_secrets INTEGER NOT NULL DEFAULT 0,
        priority INTEGER NOT NULL DEFAULT 0, added_at INTEGER, finished_at INTEGER,
        restarts INTEGER NOT NULL DEFAULT 0);
       CREATE TABLE segments (
        download_id INTEGER NOT NULL REFERENCES downloads(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        done INTEGER NOT NULL, PRIMARY KEY (download_id, idx));)",
    R"(ALTER TABLE downloads ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;
       ALTER TABLE downloads ADD COLUMN account TEXT;
       ALTER TABLE downloads ADD COLUMN source TEXT;
       ALTER TABLE downloads ADD COLUMN upload_id TEXT;
       ALTER TABLE downloads ADD COLUMN part_size INTEGER NOT NULL DEFAULT 0;
       ALTER TABLE downloads ADD COLUMN extra BLOB;
       CREATE TABLE upload_parts (
        download_id INTEGER NOT NULL REFERENCES downloads(id) ON DELETE CASCADE,
        number INTEGER NOT NULL, etag TEXT NOT NULL, size INTEGER NOT NULL,
        PRIMARY KEY (download_id, number));)",
    // The identity of the part file a download created, so that only its own file is ever
    // removed; user-given headers are never stored any more (they may carry secrets): stored
    // ones are dropped and their downloads ask for them again.
    R"(ALTER TABLE downloads ADD COLUMN part_device INTEGER NOT NULL DEFAULT 0;
       ALTER TABLE downloads ADD COLUMN part_inode INTEGER NOT NULL DEFAULT 0;
       UPDATE downloads SET needs_secrets = 1 WHERE headers IS NOT NULL AND headers NOT IN ('', '[]');
       UPDATE downloads SET headers = NULL;)",
};

} // namespace

// Lives on the storage thread; owns the connection.
class StorageWorker final : public QObject
{
public:
    explicit StorageWorker(QString path) : m_path(std::move(path)) {}
    ~StorageWorker() override { close(); }

    bool open(QString *error)
    {
        // Several processes may create a fresh database at the same moment; the schema step
        // then meets a lock the busy timeout does not cover. Waiting a little and trying again
        // lets the first one finish.
        for (int attempt = 0;; ++attempt) {
            if (openOnce(error))
                return true;
            const bool busy = error->contains(u"locked"_s) || error->contains(u"busy"_s);
            close();
            if (!busy || attempt >= 50)
                return false;
            QThread::msleep(100);
        }
    }

    void close()
    {
        if (!m_connection.isEmpty()) {
            { QSqlDatabase::database(m_connection).close(); }
            QSqlDatabase::removeDatabase(m_connection);
            m_connection.clear();
        }
    }

    bool openOnce(QString *error)
    {
        QDir().mkpath(QFileInfo(m_path).absolutePath());
        m_connection = u"ferry-storage-"_s + QUuid::createUuid().toString(QUuid::Id128);
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connection);
        db.setDatabaseName(m_path);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open()) {
            *error = db.lastError().text();
            return false;
        }
        QSqlQuery q(db);
        // WAL: readers (another ferry-cli listing) never block the writer; NORMAL sync is
        // safe in WAL mode because the data itself is fdatasync'ed before progress is written.
        for (const auto *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                                   "PRAGMA foreign_keys=ON"}) {
            if (!q.exec(QString::fromLatin1(pragma))) {
                *error = q.lastError().text();
                return false;
            }
        }
        if (!q.exec(u"PRAGMA user_version"_s)) {
            *error = q.lastError().text();
            return false;
        }
        int version = q.next() ? q.value(0).toInt() : 0;
        if (version > Storage::schemaVersion) {
            *error = QCoreApplication::translate("ferry::Storage", "The state database %1 was written by a newer Ferry (schema %2).").arg(m_path).arg(version);
            return false;
        }
        const bool migrating = version < Storage::schemaVersion;
        if (migrating) {
            // Take the write lock first, then look again: another process may have migrated.
            if (!q.exec(u"BEGIN IMMEDIATE"_s)) {
                *error = q.lastError().text();
                return false;
            }
            q.exec(u"PRAGMA user_version"_s);
            version = q.next() ? q.value(0).toInt() : 0;
        }
        for (; version < Storage::schemaVersion; ++version) {
            const auto statements = QString::fromLatin1(migrations[version]).split(u';', Qt::SkipEmptyParts);
            for (const QString &statement : statements) {
                if (statement.trimmed().isEmpty())
                    continue;
                if (!q.exec(statement)) {
                    *error = q.lastError().text();
                    q.exec(u"ROLLBACK"_s);
                    return false;
                }
            }
            q.exec(u"PRAGMA user_version = %1"_s.arg(version + 1));
        }
        if (migrating && !q.exec(u"COMMIT"_s)) {
            *error = q.lastError().text();
            return false;
        }
        return true;
    }

    // Every row, or the one with id `only`.
    QList<StoredDownload> load(DownloadId only = 0)
    {
        QList<StoredDownload> result;
        QSqlDatabase db = QSqlDatabase::database(m_connection);
        QSqlQuery q(db);
        const QString where = only > 0 ? u"WHERE id = %1"_s.arg(only) : QString();
        q.exec(u"SELECT id, url, final_url, directory, file_name, part_path, target_path, "
               "name_from_user, total, etag, last_modified, resumable, state, message, connections, "
               "rate_limit, checksum, needs_secrets, priority, added_at, finished_at, restarts, "
               "kind, account, source, upload_id, part_size, extra, part_device, part_inode FROM downloads "_s + where + u" ORDER BY id"_s);
        while (q.next()) {
            StoredDownload d;
            int c = 0;
            d.id = q.value(c++).toLongLong();
            d.url = QUrl(q.value(c++).toString());
            d.finalUrl = QUrl(q.value(c++).toString());
            d.directory = q.value(c++).toString();
            d.fileName = q.value(c++).toString();
            d.partPath = q.value(c++).toString();
            d.targetPath = q.value(c++).toString();
            d.nameFromUser = q.value(c++).toBool();
            d.total = q.value(c++).toLongLong();
            d.etag = q.value(c++).toByteArray();
            d.lastModified = q.value(c++).toString();
            d.resumable = q.value(c++).toBool();
            d.state = static_cast<DownloadState>(q.value(c++).toInt());
            d.message = q.value(c++).toString();
            d.connections = q.value(c++).toInt();
            d.rateLimit = q.value(c++).toLongLong();
            d.checksum = q.value(c++).toString();
            d.needsSecrets = q.value(c++).toBool();
            d.priority = q.value(c++).toInt();
            const QVariant added = q.value(c++);
            const QVariant finished = q.value(c++);
            d.added = added.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(added.toLongLong(), Qt::UTC);
            d.finished = finished.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(finished.toLongLong(), Qt::UTC);
            d.restarts = q.value(c++).toInt();
            d.kind = static_cast<TransferKind>(q.value(c++).toInt());
            d.account = q.value(c++).toString();
            d.source = q.value(c++).toString();
            d.uploadId = q.value(c++).toString();
            d.partSize = q.value(c++).toLongLong();
            d.extra = q.value(c++).toByteArray();
            d.partDevice = q.value(c++).toULongLong();
            d.partInode = q.value(c++).toULongLong();
            result.append(d);
        }
        QSqlQuery s(db);
        s.prepare(u"SELECT start, \"end\", done FROM segments WHERE download_id = ? ORDER BY idx"_s);
        for (StoredDownload &d : result) {
            s.addBindValue(d.id);
            s.exec();
            while (s.next())
                d.segments.append({s.value(0).toLongLong(), s.value(1).toLongLong(), s.value(2).toLongLong()});
        }
        QSqlQuery p(db);
        p.prepare(u"SELECT number, etag, size FROM upload_parts WHERE download_id = ? ORDER BY number"_s);
        for (StoredDownload &d : result) {
            if (d.kind == TransferKind::Download)
                continue;
            p.addBindValue(d.id);
            p.exec();
            while (p.next())
                d.parts.append({p.value(0).toInt(), p.value(1).toByteArray(), p.value(2).toLongLong()});
        }
        return result;
    }

    DownloadId insert(StoredDownload d)
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection);
        QSqlQuery q(db);
        q.prepare(u"INSERT INTO downloads (url, directory, state) VALUES (?, ?, ?)"_s);
        q.addBindValue(d.url.toString());
        q.addBindValue(d.directory);
        q.addBindValue(int(d.state));
        if (!q.exec()) {
            qWarning("ferry: could not insert a download row: %s", qPrintable(q.lastError().text()));
            return 0;
        }
        d.id = q.lastInsertId().toLongLong();
        save(d, {});
        return d.id;
    }

    void save(const StoredDownload &d, const std::shared_ptr<PartFile> &syncFirst)
    {
        // The order is the whole point: bytes reach the disk, then the rows that claim them.
        if (syncFirst && !syncFirst->dataSync())
            return; // progress stays at the last checkpoint the disk really has
        const bool claimsBytes = std::any_of(d.segments.begin(), d.segments.end(), [](const SegmentRecord &s) { return s.done > 0; });
        const bool writeSegments = syncFirst || !claimsBytes || d.state == DownloadState::Completed;
        QSqlDatabase db = QSqlDatabase::database(m_connection);
        db.transaction();
        QSqlQuery q(db);
        q.prepare(u"UPDATE downloads SET url=?, final_url=?, directory=?, file_name=?, part_path=?, "
                  "target_path=?, name_from_user=?, total=?, etag=?, last_modified=?, resumable=?, "
                  "state=?, message=?, connections=?, rate_limit=?, checksum=?, "
                  "needs_secrets=?, priority=?, added_at=?, finished_at=?, restarts=?, kind=?, account=?, "
                  "source=?, upload_id=?, part_size=?, extra=?, part_device=?, part_inode=? WHERE id=?"_s);
        q.addBindValue(d.url.toString());
        q.addBindValue(d.finalUrl.toString());
        q.addBindValue(d.directory);
        q.addBindValue(d.fileName);
        q.addBindValue(d.partPath);
        q.addBindValue(d.targetPath);
        q.addBindValue(d.nameFromUser);
        q.addBindValue(d.total);
        q.addBindValue(d.etag);
        q.addBindValue(d.lastModified);
        q.addBindValue(d.resumable);
        q.addBindValue(int(d.state));
        q.addBindValue(d.message);
        q.addBindValue(d.connections);
        q.addBindValue(d.rateLimit);
        q.addBindValue(d.checksum);
        q.addBindValue(d.needsSecrets);
        q.addBindValue(d.priority);
        q.addBindValue(d.added.isValid() ? QVariant(d.added.toMSecsSinceEpoch()) : QVariant());
        q.addBindValue(d.finished.isValid() ? QVariant(d.finished.toMSecsSinceEpoch()) : QVariant());
        q.addBindValue(d.restarts);
        q.addBindValue(int(d.kind));
        q.addBindValue(d.account);
        q.addBindValue(d.source);
        q.addBindValue(d.uploadId);
        q.addBindValue(d.partSize);
        q.addBindValue(d.extra);
        q.addBindValue(qint64(d.partDevice));
        q.addBindValue(qint64(d.partInode));
        q.addBindValue(d.id);
        bool ok = q.exec();
        if (!writeSegments) {
            ok ? db.commit() : db.rollback();
            return;
        }
        QSqlQuery del(db);
        del.prepare(u"DELETE FROM segments WHERE download_id = ?"_s);
        del.addBindValue(d.id);
        ok = ok && del.exec();
        QSqlQuery ins(db);
        ins.prepare(u"INSERT INTO segments (download_id, idx, start, \"end\", done) VALUES (?, ?, ?, ?, ?)"_s);
        for (qsizetype i = 0; ok && i < d.segments.size(); ++i) {
            const SegmentRecord &s = d.segments.at(i);
            ins.addBindValue(d.id);
            ins.addBindValue(i);
            ins.addBindValue(s.start);
            ins.addBindValue(s.end);
            ins.addBindValue(s.done);
            ok = ins.exec();
        }
        if (ok) {
            db.commit();
        } else {
            qWarning("ferry: could not save download %lld: %s", d.id, qPrintable(db.lastError().text()));
            db.rollback();
        }
    }

    // A part is recorded once the server confirmed it; clearing starts a new upload.
    void savePart(DownloadId id, const UploadedPart &part)
    {
        QSqlQuery q(QSqlDatabase::database(m_connection));
        q.prepare(u"INSERT OR REPLACE INTO upload_parts (download_id, number, etag, size) VALUES (?, ?, ?, ?)"_s);
        q.addBindValue(id);
        q.addBindValue(part.number);
        q.addBindValue(QString::fromLatin1(part.etag));
        q.addBindValue(part.size);
        if (!q.exec())
            qWarning("ferry: could not record part %d of %lld: %s", part.number, id, qPrintable(q.lastError().text()));
    }

    void clearParts(DownloadId id)
    {
        QSqlQuery q(QSqlDatabase::database(m_connection));
        q.prepare(u"DELETE FROM upload_parts WHERE download_id = ?"_s);
        q.addBindValue(id);
        q.exec();
    }

    void remove(DownloadId id)
    {
        clearParts(id);
        QSqlQuery q(QSqlDatabase::database(m_connection));
        q.prepare(u"DELETE FROM segments WHERE download_id = ?"_s);
        q.addBindValue(id);
        q.exec();
        q.prepare(u"DELETE FROM downloads WHERE id = ?"_s);
        q.addBindValue(id);
        q.exec();
    }

private:
    QString m_path;
    QString m_connection;
};

Storage::Storage(const QString &databasePath, QObject *parent)
    : QObject(parent), m_path(databasePath), m_worker(new StorageWorker(databasePath))
{
    m_thread.setObjectName(u"ferry-storage"_s);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

Storage::~Storage()
{
    flush();
    m_thread.quit();
    m_thread.wait();
}

bool Storage::open(QString *error)
{
    bool ok = false;
    QString message;
    QMetaObject::invokeMethod(m_worker, [&] { ok = m_worker->open(&message); }, Qt::BlockingQueuedConnection);
    if (!ok && error)
        *error = message;
    return ok;
}

QList<StoredDownload> Storage::loadAll()
{
    QList<StoredDownload> result;
    QMetaObject::invokeMethod(m_worker, [&] { result = m_worker->load(); }, Qt::BlockingQueuedConnection);
    return result;
}

std::optional<StoredDownload> Storage::load(DownloadId id)
{
    QList<StoredDownload> result;
    // Runs after every save queued before it, so it sees this process's own writes too.
    QMetaObject::invokeMethod(m_worker, [&] { result = m_worker->load(id); }, Qt::BlockingQueuedConnection);
    if (result.isEmpty())
        return std::nullopt;
    return result.first();
}

DownloadId Storage::insert(const StoredDownload &download)
{
    DownloadId id = 0;
    QMetaObject::invokeMethod(m_worker, [&] { id = m_worker->insert(download); }, Qt::BlockingQueuedConnection);
    return id;
}

void Storage::save(const StoredDownload &download, std::shared_ptr<PartFile> syncFirst,
                   std::shared_ptr<std::atomic_int> pending)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, download, f = std::move(syncFirst), p = std::move(pending)] {
        w->save(download, f);
        if (p)
            p->fetch_sub(1);
    }, Qt::QueuedConnection);
}

void Storage::savePart(DownloadId id, const UploadedPart &part)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, id, part] { w->savePart(id, part); }, Qt::QueuedConnection);
}

void Storage::clearParts(DownloadId id)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, id] { w->clearParts(id); }, Qt::QueuedConnection);
}

void Storage::remove(DownloadId id)
{
    QMetaObject::invokeMethod(m_worker, [w = m_worker, id] { w->remove(id); }, Qt::QueuedConnection);
}

void Storage::flush()
{
    if (m_thread.isRunning())
        QMetaObject::invokeMethod(m_worker, [] {}, Qt::BlockingQueuedConnection);
}

} // namespace ferry
