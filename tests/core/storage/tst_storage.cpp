#include "api/downloadmanager.h"
#include "engine/partfile.h"
#include "storage/storage.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry;

namespace {

// A connection of the test's own, as another program would open the file.
QVariantList rawQuery(const QString &dbPath, const QStringList &statements)
{
    const QString name = u"tst_storage-raw"_s;
    QVariantList lastRow;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(dbPath);
        if (db.open()) {
            QSqlQuery q(db);
            for (const QString &sql : statements) {
                lastRow.clear();
                if (q.exec(sql) && q.next()) {
                    for (int i = 0; i < q.record().count(); ++i)
                        lastRow.append(q.value(i));
                }
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return lastRow;
}

QVariant rawScalar(const QString &dbPath, const QString &sql)
{
    return rawQuery(dbPath, {sql}).value(0);
}

StoredDownload fullRecord(const QString &dir)
{
    StoredDownload d;
    d.url = QUrl(u"https://example.org/a%20b/file.iso?x=1&y=%C3%BC"_s);
    d.finalUrl = QUrl(u"https://cdn.example.org/mirror/file.iso"_s);
    d.directory = dir;
    d.fileName = u"Bericht über 2024.iso"_s;
    d.partPath = dir + u"/Bericht über 2024.iso.part"_s;
    d.targetPath = dir + u"/Bericht über 2024 (1).iso"_s;
    d.nameFromUser = true;
    d.total = 5'000'000'000; // beyond 32 bits
    d.etag = "\"abc-123\"";
    d.lastModified = u"Fri, 17 May 2024 10:20:30 GMT"_s;
    d.resumable = true;
    d.state = DownloadState::Failed;
    d.message = u"Connection refused. Retrying in 4 s."_s;
    d.connections = 12;
    d.rateLimit = 512 * 1024;
    d.checksum = u"sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"_s;
    d.partDevice = 0xfd01;
    d.partInode = 0x1'0000'0001ULL; // beyond 32 bits
    d.needsSecrets = true;
    d.priority = -3;
    d.added = QDateTime::fromMSecsSinceEpoch(1715941230123, Qt::UTC);
    d.finished = QDateTime::fromMSecsSinceEpoch(1715941290456, Qt::UTC);
    d.restarts = 2;
    d.segments = {{0, 1'000'000'000, 1'000'000'000},
                  {1'000'000'000, 3'000'000'000, 12345},
                  {3'000'000'000, 5'000'000'000, 0}};
    return d;
}

void compareSegments(const QList<SegmentRecord> &actual, const QList<SegmentRecord> &expected)
{
    QCOMPARE(actual.size(), expected.size());
    for (qsizetype i = 0; i < actual.size(); ++i) {
        QCOMPARE(actual.at(i).start, expected.at(i).start);
        QCOMPARE(actual.at(i).end, expected.at(i).end);
        QCOMPARE(actual.at(i).done, expected.at(i).done);
    }
}

void compareRecords(const StoredDownload &a, const StoredDownload &e)
{
    QCOMPARE(a.id, e.id);
    QCOMPARE(a.url, e.url);
    QCOMPARE(a.finalUrl, e.finalUrl);
    QCOMPARE(a.directory, e.directory);
    QCOMPARE(a.fileName, e.fileName);
    QCOMPARE(a.partPath, e.partPath);
    QCOMPARE(a.targetPath, e.targetPath);
    QCOMPARE(a.nameFromUser, e.nameFromUser);
    QCOMPARE(a.total, e.total);
    QCOMPARE(a.etag, e.etag);
    QCOMPARE(a.lastModified, e.lastModified);
    QCOMPARE(a.resumable, e.resumable);
    QCOMPARE(int(a.state), int(e.state));
    QCOMPARE(a.message, e.message);
    QCOMPARE(a.connections, e.connections);
    QCOMPARE(a.rateLimit, e.rateLimit);
    QCOMPARE(a.checksum, e.checksum);
    QCOMPARE(a.partDevice, e.partDevice);
    QCOMPARE(a.partInode, e.partInode);
    QCOMPARE(a.needsSecrets, e.needsSecrets);
    QCOMPARE(a.priority, e.priority);
    QCOMPARE(a.added.isValid(), e.added.isValid());
    QCOMPARE(a.added, e.added);
    QCOMPARE(a.finished.isValid(), e.finished.isValid());
    QCOMPARE(a.finished, e.finished);
    QCOMPARE(a.restarts, e.restarts);
    compareSegments(a.segments, e.segments);
}

} // namespace

class StorageTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void open_freshPathCreatesSchema();
    void open_againIsIdempotentAndKeepsRows();
    void open_newerSchemaRefusedNamingTheDatabase();
    void insert_loadAllRoundTripsEveryField();
    void insert_defaultsRoundTripAsEmpty();
    void save_updatesEveryFieldAndReplacesSegments();
    void remove_deletesDownloadAndItsSegments();
    void saveWithPartFile_writesSegments();
    void saveWithUnsyncablePartFile_keepsLastCheckpoint();
    void manager_secretsNeverReachTheDatabase();
    void open_olderSchemaDropsStoredHeaders();

private:
    QString dbPath() const { return m_tmp->filePath(u"state/ferry.sqlite"_s); }

    std::unique_ptr<QTemporaryDir> m_tmp;
};

void StorageTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void StorageTest::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
}

void StorageTest::cleanup()
{
    m_tmp.reset();
}

// Segments that claim bytes reach the database only with a synced part file, as in the engine.
static std::shared_ptr<PartFile> syncedPartFile(const QString &path)
{
    auto file = std::make_shared<PartFile>(path);
    QString error;
    bool exists = false;
    if (!file->create(0, &exists, &error) && !(exists && file->open(0, {}, &error)))
        qFatal("cannot open %s: %s", qPrintable(path), qPrintable(error));
    return file;
}

static DownloadId store(Storage &storage, StoredDownload record, const QString &partPath)
{
    record.id = storage.insert(record);
    storage.save(record, syncedPartFile(partPath));
    storage.flush();
    return record.id;
}

void StorageTest::open_freshPathCreatesSchema()
{
    QVERIFY(!QFileInfo::exists(dbPath()));
    Storage storage(dbPath());
    QString error;
    QVERIFY2(storage.open(&error), qPrintable(error));
    QVERIFY(QFileInfo::exists(dbPath())); // the missing folder was created as well
    QCOMPARE(storage.path(), dbPath());

    QCOMPARE(rawScalar(dbPath(), u"PRAGMA user_version"_s).toInt(), Storage::schemaVersion);
    QCOMPARE(
        rawScalar(
            dbPath(),
            u"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('downloads', 'segments')"_s)
            .toInt(),
        2);
    QVERIFY(storage.loadAll().isEmpty());
}

void StorageTest::open_againIsIdempotentAndKeepsRows()
{
    StoredDownload record = fullRecord(m_tmp->path());
    {
        Storage storage(dbPath());
        QString error;
        QVERIFY2(storage.open(&error), qPrintable(error));
        record.id = store(storage, record, m_tmp->filePath(u"sync.part"_s));
        QVERIFY(record.id > 0);
    }
    for (int round = 0; round < 2; ++round) {
        Storage storage(dbPath());
        QString error;
        QVERIFY2(storage.open(&error), qPrintable(error));
        const QList<StoredDownload> all = storage.loadAll();
        QCOMPARE(all.size(), 1);
        compareRecords(all.first(), record);
    }
    QCOMPARE(rawScalar(dbPath(), u"PRAGMA user_version"_s).toInt(), Storage::schemaVersion);
}

void StorageTest::open_newerSchemaRefusedNamingTheDatabase()
{
    QVERIFY(QDir().mkpath(QFileInfo(dbPath()).absolutePath()));
    const int future = Storage::schemaVersion + 1;
    rawQuery(dbPath(), {u"CREATE TABLE from_the_future (x INTEGER)"_s,
                        u"PRAGMA user_version = %1"_s.arg(future)});
    QCOMPARE(rawScalar(dbPath(), u"PRAGMA user_version"_s).toInt(), future);

    Storage storage(dbPath());
    QString error;
    QVERIFY(!storage.open(&error));
    QVERIFY2(error.contains(dbPath()), qPrintable(error));
    QVERIFY2(error.contains(u"newer"_s), qPrintable(error));

    // Refused means untouched: no downgrade, no tables of ours.
    QCOMPARE(rawScalar(dbPath(), u"PRAGMA user_version"_s).toInt(), future);
    QCOMPARE(rawScalar(dbPath(), u"SELECT COUNT(*) FROM sqlite_master WHERE name = 'downloads'"_s)
                 .toInt(),
             0);
}

void StorageTest::insert_loadAllRoundTripsEveryField()
{
    Storage storage(dbPath());
    QString error;
    QVERIFY2(storage.open(&error), qPrintable(error));
    StoredDownload first = fullRecord(m_tmp->path());
    StoredDownload second = fullRecord(m_tmp->path());
    second.url = QUrl(u"http://127.0.0.1:8080/other"_s);
    second.state = DownloadState::Paused;
    second.partInode = 0;
    second.segments = {{0, 10, 3}};
    first.id = store(storage, first, m_tmp->filePath(u"sync.part"_s));
    second.id = store(storage, second, m_tmp->filePath(u"sync.part"_s));
    QVERIFY(first.id > 0);
    QVERIFY(second.id > first.id);

    const QList<StoredDownload> all = storage.loadAll();
    QCOMPARE(all.size(), 2);
    compareRecords(all.at(0), first);
    compareRecords(all.at(1), second);
}

void StorageTest::insert_defaultsRoundTripAsEmpty()
{
    Storage storage(dbPath());
    QString error;
    QVERIFY2(storage.open(&error), qPrintable(error));
    StoredDownload plain;
    plain.url = QUrl(u"http://example.org/x"_s);
    plain.directory = m_tmp->path();
    plain.id = store(storage, plain, m_tmp->filePath(u"sync.part"_s));
    QVERIFY(plain.id > 0);

    const QList<StoredDownload> all = storage.loadAll();
    QCOMPARE(all.size(), 1);
    compareRecords(all.first(), plain);
    QVERIFY(!all.first().added.isValid());
    QVERIFY(!all.first().finished.isValid());
    QCOMPARE(all.first().total, -1);
}

void StorageTest::save_updatesEveryFieldAndReplacesSegments()
{
    Storage storage(dbPath());
    QString error;
    QVERIFY2(storage.open(&error), qPrintable(error));
    StoredDownload d = fullRecord(m_tmp->path());
    d.id = store(storage, d, m_tmp->filePath(u"sync.part"_s));

    d.url = QUrl(u"https://example.org/v2"_s);
    d.finalUrl = QUrl(u"https://cdn2.example.org/v2"_s);
    d.fileName = u"v2.bin"_s;
    d.partPath = m_tmp->filePath(u"v2.bin.part"_s);
    d.targetPath = m_tmp->filePath(u"v2.bin"_s);
    d.nameFromUser = false;
    d.total = 42;
    d.etag = "W/\"weak\"";
    d.lastModified.clear();
    d.resumable = false;
    d.state = DownloadState::Completed;
    d.message.clear();
    d.connections = 1;
    d.rateLimit = 0;
    d.checksum.clear();
    d.partDevice = 7;
    d.partInode = 8;
    d.needsSecrets = false;
    d.priority = 7;
    d.finished = QDateTime();
    d.restarts = 3;
    d.segments = {{0, 42, 42}}; // three rows become one
    storage.save(d, syncedPartFile(m_tmp->filePath(u"sync.part"_s)));

    const QList<StoredDownload> all = storage.loadAll();
    QCOMPARE(all.size(), 1);
    compareRecords(all.first(), d);
    QCOMPARE(rawScalar(dbPath(), u"SELECT COUNT(*) FROM segments"_s).toInt(), 1);
}

void StorageTest::remove_deletesDownloadAndItsSegments()
{
    Storage storage(dbPath());
    QString error;
    QVERIFY2(storage.open(&error), qPrintable(error));
    StoredDownload gone = fullRecord(m_tmp->path());
    StoredDownload kept = fullRecord(m_tmp->path());
    kept.url = QUrl(u"https://example.org/kept"_s);
    gone.id = store(storage, gone, m_tmp->filePath(u"sync.part"_s));
    kept.id = store(storage, kept, m_tmp->filePath(u"sync.part"_s));

    storage.remove(gone.id);
    const QList<StoredDownload> all = storage.loadAll(); // runs after the queued remove
    QCOMPARE(all.size(), 1);
    compareRecords(all.first(), kept);
    QCOMPARE(
        rawScalar(dbPath(), u"SELECT COUNT(*) FROM segments WHERE download_id = %1"_s.arg(gone.id))
            .toInt(),
        0);
    QCOMPARE(
        rawScalar(dbPath(), u"SELECT COUNT(*) FROM segments WHERE download_id = %1"_s.arg(kept.id))
            .toInt(),
        int(kept.segments.size()));
}

void StorageTest::saveWithPartFile_writesSegments()
{
    Storage storage(dbPath());
    QString error;
    QVERIFY2(storage.open(&error), qPrintable(error));
    StoredDownload d;
    d.url = QUrl(u"http://example.org/part"_s);
    d.directory = m_tmp->path();
    d.partPath = m_tmp->filePath(u"part.bin.part"_s);
    d.total = 1024 * 1024;
    d.id = storage.insert(d);

    auto file = std::make_shared<PartFile>(d.partPath);
    bool exists = false;
    QVERIFY2(file->create(d.total, &exists, &error), qPrintable(error));
    const QByteArray chunk(64 * 1024, 'x');
    QVERIFY2(file->write(0, chunk.constData(), chunk.size(), &error), qPrintable(error));
    QVERIFY2(file->write(512 * 1024, chunk.constData(), 1000, &error), qPrintable(error));
    d.segments = {{0, 512 * 1024, chunk.size()}, {512 * 1024, 1024 * 1024, 1000}};
    storage.save(d, file);
    storage.flush();

    const QList<StoredDownload> all = storage.loadAll();
    QCOMPARE(all.size(), 1);
    compareSegments(all.first().segments, d.segments);
}

void StorageTest::saveWithUnsyncablePartFile_keepsLastCheckpoint()
{
    Storage storage(dbPath());
    QString error;
    QVERIFY2(storage.open(&error), qPrintable(error));
    StoredDownload d;
    d.url = QUrl(u"http://example.org/part"_s);
    d.directory = m_tmp->path();
    d.total = 100;
    d.segments = {{0, 100, 10}};
    d.id = store(storage, d, m_tmp->filePath(u"sync.part"_s));

    // A file that cannot be synced must not let the database claim its bytes.
    auto closed = std::make_shared<PartFile>(m_tmp->filePath(u"never-opened.part"_s));
    StoredDownload later = d;
    later.segments = {{0, 100, 90}};
    storage.save(later, closed);

    const QList<StoredDownload> all = storage.loadAll();
    QCOMPARE(all.size(), 1);
    compareSegments(all.first().segments, d.segments);
}

void StorageTest::manager_secretsNeverReachTheDatabase()
{
    const QString stateDir = m_tmp->filePath(u"state"_s);
    const QString downloads = m_tmp->filePath(u"downloads"_s);
    QVERIFY(QDir().mkpath(downloads));
    // Headers of any name may carry a secret: none is stored, whatever it is called.
    const QList<QByteArray> secrets = {"SECRET-TOKEN-123", "SECRET-COOKIE-456", "SECRET-PASS-789",
                                       QByteArray("user:SECRET-PASS-789").toBase64(), "SECRET-KEY-AAA",
                                       "SECRET-KEY-BBB", "ferry-test"};
    auto scanStateDir = [&](const char *when) {
        QDirIterator it(stateDir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        int scanned = 0;
        bool plainFieldSeen = false; // proves the scan looks where the rows are kept
        while (it.hasNext()) {
            const QString file = it.next();
            QFile f(file);
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(file));
            const QByteArray raw = f.readAll();
            ++scanned;
            plainFieldSeen = plainFieldSeen || raw.contains("127.0.0.1:1/x");
            for (const QByteArray &secret : secrets) {
                QVERIFY2(!raw.contains(secret),
                         qPrintable(u"%1: %2 contains %3"_s.arg(QLatin1StringView(when), file,
                                                                QString::fromLatin1(secret))));
            }
        }
        QVERIFY2(scanned > 0, when);
        QVERIFY2(plainFieldSeen, when);
    };

    DownloadId id = 0;
    {
        DownloadManager manager(stateDir);
        QString error;
        QVERIFY2(manager.open(false, &error), qPrintable(error));
        DownloadRequest request;
        request.url = QUrl(u"http://user:SECRET-PASS-789@127.0.0.1:1/x"_s);
        request.directory = downloads;
        request.headers = {{"Authorization", "Bearer SECRET-TOKEN-123"},
                           {"Cookie", "session=SECRET-COOKIE-456"},
                           {"X-Auth-Key", "SECRET-KEY-AAA"},
                           {"Ocp-Apim-Subscription-Key", "SECRET-KEY-BBB"},
                           {"X-Client", "ferry-test"}};
        request.startPaused = true;
        id = manager.add(request, &error);
        QVERIFY2(id > 0, qPrintable(error));
        const auto snap = manager.snapshot(id);
        QVERIFY(snap);
        QVERIFY(snap->url.password().isEmpty());
        // While the manager is alive the write-ahead log holds the newest pages.
        manager.flush();
        QVERIFY(QFileInfo::exists(stateDir + u"/ferry.sqlite-wal"_s));
        scanStateDir("while running");
    }
    scanStateDir("after shutdown");

    Storage storage(stateDir + u"/ferry.sqlite"_s);
    QString error;
    QVERIFY2(storage.open(&error), qPrintable(error));
    const QList<StoredDownload> all = storage.loadAll();
    QCOMPARE(all.size(), 1);
    QCOMPARE(all.first().id, id);
    QVERIFY(all.first().needsSecrets); // asked for again after a restart
    QVERIFY(rawScalar(stateDir + u"/ferry.sqlite"_s, u"SELECT headers FROM downloads"_s).isNull());
    QCOMPARE(all.first().url, QUrl(u"http://127.0.0.1:1/x"_s));
}

void StorageTest::open_olderSchemaDropsStoredHeaders()
{
    // A database of the previous schema, whose rows still hold headers the user gave.
    StoredDownload record = fullRecord(m_tmp->path());
    record.needsSecrets = false;
    {
        Storage storage(dbPath());
        QString error;
        QVERIFY2(storage.open(&error), qPrintable(error));
        record.id = store(storage, record, m_tmp->filePath(u"sync.part"_s));
    }
    rawQuery(dbPath(), {u"ALTER TABLE downloads DROP COLUMN part_device"_s,
                        u"ALTER TABLE downloads DROP COLUMN part_inode"_s,
                        uR"(UPDATE downloads SET headers = '[["X-Auth-Key","SECRET-KEY-AAA"]]')"_s,
                        u"PRAGMA user_version = 2"_s});
    Storage storage(dbPath());
    QString error;
    QVERIFY2(storage.open(&error), qPrintable(error));
    QCOMPARE(rawScalar(dbPath(), u"PRAGMA user_version"_s).toInt(), Storage::schemaVersion);
    QVERIFY(rawScalar(dbPath(), u"SELECT headers FROM downloads"_s).isNull());
    const QList<StoredDownload> all = storage.loadAll();
    QCOMPARE(all.size(), 1);
    QVERIFY(all.first().needsSecrets); // the download asks for its headers again
    QCOMPARE(all.first().partInode, quint64(0));
    QCOMPARE(all.first().url, record.url);
}

QTEST_GUILESS_MAIN(StorageTest)
#include "tst_storage.moc"
