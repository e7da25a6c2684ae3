// Downloads that are ZIP archives, unpacked when complete: real downloads from nginx of archives
// Python's zipfile makes here, then what a user would look at: the folder's name, every file's
// SHA-256, where the archive went, what the log and the message say.
#include "api/downloadmanager.h"
#include "nginxserver.h"
#include "storage/storage.h"
#include "zipread/localunpack.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry;
using ferry::test::NginxServer;

namespace {

constexpr int kTimeoutMs = 30'000;

struct Entry
{
    QString name; // as stored; a folder ends in '/'
    QByteArray data;
    bool bzip2 = false; // a compression method Ferry does not unpack
};

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator rng(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(rng.generate() & 0xFF);
    return bytes;
}

// Writes the archive with Python's zipfile, names exactly as given (ZipInfo keeps "../x").
QString makeZip(const QString &path, const QList<Entry> &entries)
{
    QJsonArray list;
    for (const Entry &e : entries)
        list.append(QJsonArray{e.name, QString::fromLatin1(e.data.toBase64()), e.bzip2});
    static const char script[] = R"(
import base64, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name, data, bzip2 in json.load(sys.stdin):
        info = zipfile.ZipInfo(name, date_time=(2024, 5, 6, 7, 8, 10))
        info.compress_type = zipfile.ZIP_BZIP2 if bzip2 else zipfile.ZIP_DEFLATED
        info.external_attr = (0o40755 if name.endswith("/") else 0o100644) << 16
        z.writestr(info, base64.b64decode(data))
)";
    QProcess python;
    python.start(u"python3"_s, {u"-c"_s, QString::fromLatin1(script), path});
    if (!python.waitForStarted())
        return u"python3 cannot be started"_s;
    python.write(QJsonDocument(list).toJson(QJsonDocument::Compact));
    python.closeWriteChannel();
    if (!python.waitForFinished(60'000) || python.exitCode() != 0)
        return QString::fromUtf8(python.readAllStandardError());
    return {};
}

QByteArray sha256(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray sha256Of(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return "missing: " + path.toUtf8();
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result().toHex();
}

// Every file and folder below `dir`, hidden ones included, '/'-separated, sorted.
QStringList tree(const QString &dir)
{
    QStringList all;
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        all.append(path.mid(dir.size() + 1) + (QFileInfo(path).isDir() ? u"/"_s : QString()));
    }
    all.sort();
    return all;
}

// "Extracted 3 files into “data”.": the plural comes from the English translation, which a
// core test does not load, so "file(s)" passes too.
QRegularExpression extractedMessage(int files, const QString &folder)
{
    return QRegularExpression(u"^Extracted %1 file(s|\\(s\\)) into “%2”\\.$"_s.arg(files).arg(
        QRegularExpression::escape(folder)));
}

bool extractEnded(const DownloadSnapshot &s)
{
    return s.state == DownloadState::Completed && s.extract != ExtractState::Waiting &&
           s.extract != ExtractState::Running;
}

QStringList texts(const QList<DownloadEvent> &events)
{
    QStringList all;
    for (const DownloadEvent &e : events)
        all.append(e.text);
    return all;
}

} // namespace

class TestDownloadExtract final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_served; // what nginx serves
    std::unique_ptr<QTemporaryDir> m_xdg;    // a private desktop trash
    std::unique_ptr<NginxServer> m_nginx;
    std::unique_ptr<QTemporaryDir> m_state;
    std::unique_ptr<QTemporaryDir> m_out;
    std::unique_ptr<DownloadManager> m_manager;

    QString served(const QString &name) const { return m_served->filePath(name); }
    QString out(const QString &name) const { return QDir(m_out->path()).filePath(name); }

    DownloadId add(const QString &name, bool extract = true, bool trash = false)
    {
        DownloadRequest r;
        r.url = m_nginx->url(u"/"_s + name);
        r.directory = m_out->path();
        r.connections = 4;
        r.extractArchive = extract;
        r.trashArchive = trash;
        QString error;
        const DownloadId id = m_manager->add(r, &error);
        if (id == 0)
            qWarning("add failed: %s", qPrintable(error));
        return id;
    }

    DownloadSnapshot waitExtracted(DownloadId id)
    {
        [&] { QTRY_VERIFY_WITH_TIMEOUT(extractEnded(*m_manager->snapshot(id)), kTimeoutMs); }();
        return *m_manager->snapshot(id);
    }

    void verifyEntries(const QString &folder, const QList<Entry> &entries)
    {
        QStringList expected;
        for (const Entry &e : entries) {
            // The folders a name passes through are made even without entries of their own.
            const QStringList parts = e.name.split(u'/', Qt::SkipEmptyParts);
            for (qsizetype n = 1; n < parts.size(); ++n) {
                const QString folder = parts.first(n).join(u'/') + u'/';
                if (!expected.contains(folder))
                    expected.append(folder);
            }
            if (!expected.contains(e.name))
                expected.append(e.name);
            if (!e.name.endsWith(u'/'))
                QCOMPARE(sha256Of(QDir(folder).filePath(e.name)), sha256(e.data));
        }
        expected.sort();
        QCOMPARE(tree(folder).join(u", "_s), expected.join(u", "_s));
    }

    // Downloads `name` without unpacking it, then closes the manager: the record is then what
    // a test makes of it, as another process would.
    DownloadId downloadOnly(const QString &name)
    {
        const DownloadId id = add(name, false);
        if (!id)
            return 0;
        [&] {
            QTRY_COMPARE_WITH_TIMEOUT(m_manager->snapshot(id)->state, DownloadState::Completed,
                                      kTimeoutMs);
        }();
        m_manager.reset();
        return id;
    }

    // Writes the "extract" key of the stored record, as another process (ferry-cli) would.
    bool storeExtract(DownloadId id, const QJsonObject &extract)
    {
        Storage storage(m_state->filePath(u"ferry.sqlite"_s));
        QString error;
        if (!storage.open(&error))
            return false;
        std::optional<StoredDownload> record = storage.load(id);
        if (!record)
            return false;
        QJsonObject extra = QJsonDocument::fromJson(record->extra).object();
        extra.insert(u"extract"_s, extract);
        record->extra = QJsonDocument(extra).toJson(QJsonDocument::Compact);
        storage.save(*record);
        storage.flush();
        return true;
    }

    // A hidden folder as a process killed while it unpacked leaves it.
    bool makeLeftover(const QString &path)
    {
        if (!QDir().mkpath(path + u"/docs/notes"_s))
            return false;
        QFile f(path + u"/docs/notes/half.txt"_s);
        if (!f.open(QIODevice::WriteOnly))
            return false;
        f.write("half written\n");
        return true;
    }

    void reopen(bool resumeUnfinished)
    {
        m_manager = std::make_unique<DownloadManager>(m_state->path());
        QString error;
        QVERIFY2(m_manager->open(resumeUnfinished, &error), qPrintable(error));
    }

    QStringList outList() const
    {
        return QDir(m_out->path())
            .entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    }

    // A few files in folders, an empty folder, and one file of some MiB (deflated).
    static QList<Entry> sampleEntries()
    {
        return {{u"readme.txt"_s, "Unpacked by Ferry.\n"},
                {u"docs/"_s, {}},
                {u"docs/manual.bin"_s, randomBytes(3 * 1024 * 1024 + 17, 7)},
                {u"docs/notes/todo.txt"_s, QByteArray(200'000, 'x')},
                {u"empty/"_s, {}}};
    }

private slots:
    void initTestCase()
    {
        if (NginxServer::binaryPath().isEmpty())
            QSKIP("nginx is not installed");
        m_xdg = std::make_unique<QTemporaryDir>();
        QVERIFY(m_xdg->isValid());
        // QFile::moveToTrash uses $XDG_DATA_HOME/Trash for files on its file system.
        qputenv("XDG_DATA_HOME", m_xdg->path().toUtf8());
        m_served = std::make_unique<QTemporaryDir>();
        QVERIFY(m_served->isValid());
        QString made = makeZip(served(u"data.zip"_s), sampleEntries());
        QVERIFY2(made.isEmpty(), qPrintable(made));
        made = makeZip(served(u"hostile.zip"_s),
                       {{u"../evil.txt"_s, "escaped upwards\n"},
                        {u"/tmp/ferry-extract-absolute.txt"_s, "escaped to the root\n"},
                        {u"fine/../../../evil2.txt"_s, "escaped through a folder\n"},
                        {u"ok.txt"_s, "stays\n"}});
        QVERIFY2(made.isEmpty(), qPrintable(made));
        made = makeZip(served(u"mixed.zip"_s), {{u"ok.txt"_s, "unpacked\n"},
                                                {u"packed.txt"_s, QByteArray(5000, 'b'), true}});
        QVERIFY2(made.isEmpty(), qPrintable(made));
        // Not an archive, whatever its name says.
        QFile fake(served(u"fake.zip"_s));
        QVERIFY(fake.open(QIODevice::WriteOnly));
        fake.write(randomBytes(300'000, 3));
        fake.close();
        // A real archive with one byte of an entry's data changed: its CRC-32 check fails.
        QVERIFY(QFile::copy(served(u"data.zip"_s), served(u"damaged.zip"_s)));
        QFile damaged(served(u"damaged.zip"_s));
        QVERIFY(damaged.open(QIODevice::ReadWrite));
        const QByteArray bytes = damaged.readAll();
        const qsizetype at = bytes.indexOf("docs/notes/todo.txt") + 19 + 40; // inside its data
        QVERIFY(at > 100);
        damaged.seek(at);
        damaged.write(QByteArray(1, char(bytes.at(at) ^ 0x5A)));
        damaged.close();

        m_nginx = std::make_unique<NginxServer>(m_served->path());
        QString error;
        QVERIFY2(m_nginx->start(&error), qPrintable(error));
    }

    void init()
    {
        m_state = std::make_unique<QTemporaryDir>();
        m_out = std::make_unique<QTemporaryDir>();
        m_manager = std::make_unique<DownloadManager>(m_state->path());
        QString error;
        QVERIFY2(m_manager->open(true, &error), qPrintable(error));
    }

    void cleanup()
    {
        m_manager.reset();
        m_out.reset();
        m_state.reset();
    }

    void zip_unpackedIntoFolderNamedAfterIt_archiveKept()
    {
        const DownloadId id = add(u"data.zip"_s);
        QVERIFY(id);
        QCOMPARE(m_manager->snapshot(id)->extract, ExtractState::Waiting);
        const DownloadSnapshot s = waitExtracted(id);
        QCOMPARE(s.extract, ExtractState::Done);
        QVERIFY2(extractedMessage(3, u"data"_s).match(s.message).hasMatch(), qPrintable(s.message));
        verifyEntries(out(u"data"_s), sampleEntries());
        QCOMPARE(sha256Of(out(u"data.zip"_s)), sha256Of(served(u"data.zip"_s)));
        // Nothing else beside them: no hidden folder left over.
        QCOMPARE(
            QDir(m_out->path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
            QStringList({u"data"_s, u"data.zip"_s}));
        const QStringList log = texts(m_manager->events(id));
        QVERIFY2(log.contains(u"Extracting 5 entries (3.4 MiB) from “data.zip”."_s) ||
                     std::any_of(
                         log.cbegin(), log.cend(),
                         [](const QString &t) { return t.startsWith(u"Extracting 5 entries"_s); }),
                 qPrintable(log.join(u'\n')));
        QVERIFY2(log.contains(s.message), qPrintable(log.join(u'\n')));
    }

    void withoutTheOption_nothingIsUnpacked()
    {
        const DownloadId id = add(u"data.zip"_s, false);
        QTRY_COMPARE_WITH_TIMEOUT(m_manager->snapshot(id)->state, DownloadState::Completed,
                                  kTimeoutMs);
        QCOMPARE(m_manager->snapshot(id)->extract, ExtractState::None);
        QCOMPARE(
            QDir(m_out->path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
            QStringList({u"data.zip"_s}));
    }

    void trashChosen_archiveMovedToTheDesktopTrash()
    {
        const DownloadId id = add(u"data.zip"_s, true, true);
        const DownloadSnapshot s = waitExtracted(id);
        QCOMPARE(s.extract, ExtractState::Done);
        verifyEntries(out(u"data"_s), sampleEntries());
        QVERIFY(!QFileInfo::exists(out(u"data.zip"_s)));
        const QString trashed = m_xdg->filePath(u"Trash/files/data.zip"_s);
        QCOMPARE(sha256Of(trashed), sha256Of(served(u"data.zip"_s)));
        QVERIFY(texts(m_manager->events(id)).contains(u"Moved “data.zip” to the trash."_s));
        QFile::remove(trashed);
    }

    void existingFolder_untouched_newFolderNumbered()
    {
        QVERIFY(QDir().mkpath(out(u"data/docs"_s)));
        QFile mine(out(u"data/docs/manual.bin"_s));
        QVERIFY(mine.open(QIODevice::WriteOnly));
        mine.write("mine, not the archive's\n");
        mine.close();

        const DownloadId id = add(u"data.zip"_s);
        const DownloadSnapshot s = waitExtracted(id);
        QCOMPARE(s.extract, ExtractState::Done);
        QVERIFY2(extractedMessage(3, u"data (1)"_s).match(s.message).hasMatch(),
                 qPrintable(s.message));
        verifyEntries(out(u"data (1)"_s), sampleEntries());
        QCOMPARE(tree(out(u"data"_s)), QStringList({u"docs/"_s, u"docs/manual.bin"_s}));
        QCOMPARE(sha256Of(out(u"data/docs/manual.bin"_s)), sha256("mine, not the archive's\n"));
    }

    void notAZip_completedWithALogLine()
    {
        const DownloadId id = add(u"fake.zip"_s);
        const DownloadSnapshot s = waitExtracted(id);
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(s.extract, ExtractState::NotArchive);
        const QString line = u"Not extracted: “fake.zip” is not a ZIP archive."_s;
        QCOMPARE(s.message, line);
        QVERIFY(texts(m_manager->events(id)).contains(line));
        QCOMPARE(
            QDir(m_out->path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
            QStringList({u"fake.zip"_s}));
        QCOMPARE(sha256Of(out(u"fake.zip"_s)), sha256Of(served(u"fake.zip"_s)));
    }

    void damagedArchive_completedButNothingHalfExtracted()
    {
        const DownloadId id = add(u"damaged.zip"_s);
        const DownloadSnapshot s = waitExtracted(id);
        QCOMPARE(s.state, DownloadState::Completed);
        QCOMPARE(s.extract, ExtractState::Failed);
        QVERIFY2(s.message.startsWith(u"Not extracted: "_s) && s.message.contains(u"todo.txt"_s) &&
                     s.message.endsWith(u"The archive is kept."_s),
                 qPrintable(s.message));
        // Sentences, not run together: the reason ends with its own period.
        QVERIFY2(QRegularExpression(u"[.!?…][”’\"')]? The archive is kept\\.$"_s)
                     .match(s.message)
                     .hasMatch(),
                 qPrintable(s.message));
        QVERIFY2(!s.message.contains(u".."_s), qPrintable(s.message));
        QVERIFY(texts(m_manager->events(id)).contains(s.message));
        QCOMPARE(
            QDir(m_out->path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
            QStringList({u"damaged.zip"_s}));
    }

    void unsupportedEntry_leftOutWithItsReason_archiveNotTrashed()
    {
        const DownloadId id = add(u"mixed.zip"_s, true, true);
        const DownloadSnapshot s = waitExtracted(id);
        QCOMPARE(s.extract, ExtractState::Done);
        QVERIFY2(QRegularExpression(
                     u"^Extracted 1 file(s|\\(s\\)) into “mixed”; some entries were left out "
                     u"\\(see the log\\)\\.$"_s)
                     .match(s.message)
                     .hasMatch(),
                 qPrintable(s.message));
        QCOMPARE(tree(out(u"mixed"_s)), QStringList({u"ok.txt"_s}));
        QCOMPARE(sha256Of(out(u"mixed/ok.txt"_s)), sha256("unpacked\n"));
        // Not everything is out of it: the archive stays although the trash was chosen.
        QCOMPARE(sha256Of(out(u"mixed.zip"_s)), sha256Of(served(u"mixed.zip"_s)));
        const QStringList log = texts(m_manager->events(id));
        QVERIFY2(
            log.contains(
                u"Left out: “packed.txt” uses the compression method bzip2, which Ferry cannot "
                u"unpack (only stored and deflated entries)."_s),
            qPrintable(log.join(u'\n')));
        QVERIFY(log.contains(
            u"“mixed.zip” is kept, not moved to the trash: some of its entries were not extracted."_s));
    }

    void hostileNames_nothingLandsOutsideTheFolder()
    {
        // The download folder sits one level down, so "../evil.txt" would have somewhere to go.
        const QString parent = m_out->path();
        QVERIFY(QDir().mkpath(parent + u"/inner"_s));
        DownloadRequest r;
        r.url = m_nginx->url(u"/hostile.zip"_s);
        r.directory = parent + u"/inner"_s;
        r.extractArchive = true;
        QString error;
        const DownloadId id = m_manager->add(r, &error);
        QVERIFY2(id, qPrintable(error));
        const DownloadSnapshot s = waitExtracted(id);
        QCOMPARE(s.extract, ExtractState::Done);
        QCOMPARE(tree(parent).filter(u"evil"_s).filter(u"hostile/"_s, Qt::CaseSensitive).size(),
                 tree(parent).filter(u"evil"_s).size()); // every "evil" file is inside the folder
        QVERIFY(!QFileInfo::exists(u"/tmp/ferry-extract-absolute.txt"_s));
        QVERIFY(!QFileInfo::exists(QDir::rootPath() + u"ferry-extract-absolute.txt"_s));
        const QStringList inside = tree(parent + u"/inner/hostile"_s);
        QCOMPARE(inside.filter(u".txt"_s).size(), 4);
        QVERIFY(inside.contains(u"ok.txt"_s));
        QCOMPARE(QDir(parent).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList({u"inner"_s}));
        QCOMPARE(QDir(parent + u"/inner"_s)
                     .entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList({u"hostile"_s, u"hostile.zip"_s}));
    }

    void removedWhileUnpacking_hiddenFolderGoesAndNoFolderAppears()
    {
        const DownloadId id = add(u"data.zip"_s);
        // Removed the moment unpacking starts (it starts as the download completes, before
        // anyone hears of the completion), from the event loop as a click would.
        bool removed = false;
        bool wasRunning = false;
        connect(
            m_manager.get(), &DownloadManager::stateChanged, this,
            [&](DownloadId done, DownloadState state) {
                if (done != id || state != DownloadState::Completed || removed)
                    return;
                wasRunning = m_manager->extracting(id);
                removed = m_manager->remove(id, FileRemoval::Keep);
            },
            Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(removed || !m_manager->snapshot(id), kTimeoutMs);
        QVERIFY(removed);
        QVERIFY(wasRunning);
        QVERIFY(!m_manager->snapshot(id));
        // Nothing arrives later from the stopped worker either.
        QTRY_COMPARE(
            QDir(m_out->path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
            QStringList({u"data.zip"_s}));
    }

    void reasons_alwaysEndAsSentences()
    {
        using zipread::LocalUnpack;
        QCOMPARE(LocalUnpack::sentence(u"Cannot create “a/b.txt”: Permission denied"_s),
                 u"Cannot create “a/b.txt”: Permission denied."_s);
        QCOMPARE(LocalUnpack::sentence(u"The data of “x” is damaged."_s),
                 u"The data of “x” is damaged."_s);
        QCOMPARE(LocalUnpack::sentence(u"It said “stop.”"_s), u"It said “stop.”"_s);
        QCOMPARE(LocalUnpack::sentence(u"Cannot open “a.zip”"_s), u"Cannot open “a.zip”."_s);
        QCOMPARE(LocalUnpack::sentence(u"  trailing space  "_s), u"trailing space."_s);
    }

    void duplicateNames_damagedEntryIsNotMerelyLeftOut()
    {
        // Two entries named alike: the first one refused (bzip2), the second one damaged. The
        // damage ends the extraction; it is not reported as an entry left out.
        const QString path = served(u"twice.zip"_s);
        const QString made = makeZip(path, {{u"twice.txt"_s, QByteArray(3000, 'a'), true},
                                            {u"twice.txt"_s, randomBytes(50'000, 11)}});
        QVERIFY2(made.isEmpty(), qPrintable(made));
        QFile zip(path);
        QVERIFY(zip.open(QIODevice::ReadWrite));
        const QByteArray bytes = zip.readAll();
        const qsizetype first = bytes.indexOf("twice.txt");
        const qsizetype second = bytes.indexOf("twice.txt", first + 1);
        QVERIFY(first > 0 && second > first);
        const qsizetype at = second + 9 + 1000; // inside the second entry's data
        zip.seek(at);
        zip.write(QByteArray(1, char(bytes.at(at) ^ 0x5A)));
        zip.close();

        const DownloadId id = add(u"twice.zip"_s);
        const DownloadSnapshot s = waitExtracted(id);
        QFile::remove(path);
        QCOMPARE(s.extract, ExtractState::Failed);
        QVERIFY2(s.message.startsWith(u"Not extracted: "_s) &&
                     s.message.endsWith(u". The archive is kept."_s),
                 qPrintable(s.message));
        QCOMPARE(outList(), QStringList({u"twice.zip"_s}));
    }

    void replacedFile_notUnpackedNotTrashed()
    {
        const DownloadId id = downloadOnly(u"data.zip"_s);
        QVERIFY(id);
        // Another file (same bytes, same size, another inode) takes the downloaded file's name.
        QVERIFY(QFile::remove(out(u"data.zip"_s)));
        QVERIFY(QFile::copy(served(u"data.zip"_s), out(u"data.zip"_s)));
        QVERIFY(storeExtract(id, {{u"step"_s, u"waiting"_s}, {u"trash"_s, true}}));
        reopen(true);
        const DownloadSnapshot s = waitExtracted(id);
        QCOMPARE(s.extract, ExtractState::Failed);
        const QString line = u"Not extracted: “data.zip” is no longer the file Ferry downloaded "
                             u"(another file has taken its name). It is left untouched."_s;
        QCOMPARE(s.message, line);
        QVERIFY(texts(m_manager->events(id)).contains(line));
        QCOMPARE(outList(), QStringList({u"data.zip"_s}));
        QVERIFY(!QFileInfo::exists(m_xdg->filePath(u"Trash/files/data.zip"_s)));
    }

    void untouchedFile_stillOurs_unpackedAfterAReopen()
    {
        // The very file that was downloaded (its identity recorded) is unpacked as before.
        const DownloadId id = downloadOnly(u"data.zip"_s);
        QVERIFY(id);
        QVERIFY(storeExtract(id, {{u"step"_s, u"waiting"_s}, {u"trash"_s, false}}));
        reopen(true);
        const DownloadSnapshot s = waitExtracted(id);
        QCOMPARE(s.extract, ExtractState::Done);
        verifyEntries(out(u"data"_s), sampleEntries());
    }

    void windowWithStaleRecord_removesTheKilledProcessesHiddenFolder()
    {
        const DownloadId id = downloadOnly(u"data.zip"_s);
        QVERIFY(id);
        QVERIFY(storeExtract(id, {{u"step"_s, u"waiting"_s}, {u"trash"_s, false}}));
        // A window is open (it does not start unfinished work of others by itself)...
        reopen(false);
        QCOMPARE(m_manager->snapshot(id)->extract, ExtractState::Waiting);
        // ...while a `ferry-cli get --extract` starts unpacking and is killed midway.
        const QString hidden = out(u".data.ferry-extract"_s);
        QVERIFY(makeLeftover(hidden));
        QVERIFY(storeExtract(
            id, {{u"step"_s, u"unpacking"_s}, {u"trash"_s, false}, {u"temp"_s, hidden}}));
        // Resumed in the window: the stored record decides, so the CLI's folder goes.
        m_manager->resume(id);
        const DownloadSnapshot s = waitExtracted(id);
        QCOMPARE(s.extract, ExtractState::Done);
        verifyEntries(out(u"data"_s), sampleEntries());
        QTRY_COMPARE(outList(), QStringList({u"data"_s, u"data.zip"_s}));
        QVERIFY(texts(m_manager->events(id))
                    .contains(u"Removed the unfinished extraction “.data.ferry-extract” to start "
                              u"it again."_s));
    }

    void removedAfterAKill_hiddenFolderGoes()
    {
        const DownloadId id = downloadOnly(u"data.zip"_s);
        QVERIFY(id);
        const QString hidden = out(u".data.ferry-extract"_s);
        QVERIFY(makeLeftover(hidden));
        QVERIFY(storeExtract(
            id, {{u"step"_s, u"unpacking"_s}, {u"trash"_s, false}, {u"temp"_s, hidden}}));
        // Not another process's folder of the same shape: only the recorded one goes.
        QVERIFY(makeLeftover(out(u".other.ferry-extract"_s)));
        reopen(false); // as `ferry-cli remove` opens it
        QVERIFY(m_manager->remove(id, FileRemoval::Keep));
        QVERIFY(!m_manager->snapshot(id));
        QCOMPARE(outList(), QStringList({u".other.ferry-extract"_s, u"data.zip"_s}));
    }

    void pausedWhileUnpacking_returnsAtOnce_hiddenFolderGoesOnTheWorker()
    {
        const DownloadId id = add(u"data.zip"_s);
        qint64 pauseMs = -1;
        bool paused = false;
        connect(
            m_manager.get(), &DownloadManager::stateChanged, this,
            [&](DownloadId done, DownloadState state) {
                if (done != id || state != DownloadState::Completed || paused)
                    return;
                if (!m_manager->extracting(id))
                    return;
                QElapsedTimer t;
                t.start();
                m_manager->pause(id);
                pauseMs = t.elapsed();
                paused = true;
            },
            Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(paused || extractEnded(*m_manager->snapshot(id)), kTimeoutMs);
        if (!paused)
            QSKIP("unpacking ended before it could be paused");
        QVERIFY2(pauseMs < 500, qPrintable(QString::number(pauseMs)));
        QVERIFY(!m_manager->extracting(id));
        QTRY_COMPARE(outList(), QStringList({u"data.zip"_s}));
        // Resumed: unpacked again, as a whole.
        m_manager->resume(id);
        const DownloadSnapshot s = waitExtracted(id);
        QCOMPARE(s.extract, ExtractState::Done);
        verifyEntries(out(u"data"_s), sampleEntries());
        QTRY_COMPARE(outList(), QStringList({u"data"_s, u"data.zip"_s}));
    }

    void quitWhileUnpacking_returnsAtOnce_nextStartUnpacksAgain()
    {
        const DownloadId id = add(u"data.zip"_s);
        qint64 quitMs = -1;
        connect(
            m_manager.get(), &DownloadManager::stateChanged, this,
            [&](DownloadId done, DownloadState state) {
                if (done != id || state != DownloadState::Completed || quitMs >= 0 ||
                    !m_manager->extracting(id))
                    return;
                QElapsedTimer t;
                t.start();
                m_manager.reset(); // as the window quits
                quitMs = t.elapsed();
            },
            Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(
            quitMs >= 0 || !m_manager || extractEnded(*m_manager->snapshot(id)), kTimeoutMs);
        if (quitMs < 0)
            QSKIP("unpacking ended before the manager could be closed");
        QVERIFY2(quitMs < 1000, qPrintable(QString::number(quitMs)));
        // Whatever the stopped worker left is the next process's to remove: it is recorded.
        reopen(true);
        const DownloadSnapshot s = waitExtracted(id);
        QCOMPARE(s.extract, ExtractState::Done);
        verifyEntries(out(u"data"_s), sampleEntries());
        QTRY_COMPARE(outList(), QStringList({u"data"_s, u"data.zip"_s}));
    }

    void threeArchives_twoUnpackAtOnce_theThirdWaits()
    {
        QList<DownloadId> ids;
        for (const QString &name : {u"q1.zip"_s, u"q2.zip"_s, u"q3.zip"_s}) {
            QFile::remove(served(name));
            QVERIFY(QFile::copy(served(u"data.zip"_s), served(name)));
            if (!m_manager)
                reopen(true);
            ids.append(downloadOnly(name));
            QVERIFY(ids.last());
        }
        for (const DownloadId id : std::as_const(ids))
            QVERIFY(storeExtract(id, {{u"step"_s, u"waiting"_s}, {u"trash"_s, false}}));
        reopen(true); // takes all three up at once
        QVERIFY(m_manager->extracting(ids.at(0)));
        QVERIFY(m_manager->extracting(ids.at(1)));
        QVERIFY(!m_manager->extracting(ids.at(2)));
        QCOMPARE(m_manager->snapshot(ids.at(2))->extract, ExtractState::Waiting);
        const QStringList log = texts(m_manager->events(ids.at(2)));
        QVERIFY2(
            std::any_of(log.cbegin(), log.cend(),
                        [](const QString &t) { return t.startsWith(u"Waiting to unpack: 2 "_s); }),
            qPrintable(log.join(u'\n')));
        int most = 0;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                int now = 0;
                for (const DownloadId id : std::as_const(ids))
                    now += m_manager->extracting(id) ? 1 : 0;
                most = qMax(most, now);
                return std::all_of(ids.cbegin(), ids.cend(), [&](DownloadId id) {
                    return extractEnded(*m_manager->snapshot(id));
                });
            }(),
            kTimeoutMs);
        QVERIFY(most <= 2);
        for (const QString &name : {u"q1"_s, u"q2"_s, u"q3"_s}) {
            QCOMPARE(m_manager->snapshot(ids.at(name.back().digitValue() - 1))->extract,
                     ExtractState::Done);
            verifyEntries(out(name), sampleEntries());
            QFile::remove(served(name + u".zip"_s));
        }
    }
};

QTEST_GUILESS_MAIN(TestDownloadExtract)
#include "tst_downloadextract.moc"
