// Unpacking a completed download that is a ZIP archive into a folder named after it.
//
// The archive is unpacked into a hidden folder beside it (".data.ferry-extract"), which is
// renamed to the first free name ("data", "data (1)", ...) only when everything worked: the
// folder appears whole or not at all. The record's extra JSON says how far it came (key
// "extract"), written before each step's effect on disk, so a process that died on the way
// (a crash, kill -9) leaves a record that tells the next one which hidden folder is its own to
// remove before unpacking again, or that the folder got its final name just before the end.
#include "api/archiveunpacker.h"
#include "api/downloadmanager.h"

#include "engine/downloadlock.h"
#include "engine/partfile.h"
#include "engine/transferjob.h"
#include "storage/storage.h"
#include "zipread/localunpack.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

const QString kKey = u"extract"_s;
const QString kTempSuffix = u".ferry-extract"_s;
// Archives unpacked at once by one process: more would only fight over the same disk.
constexpr int kMaxUnpacking = 2;

// How far unpacking one download came, as recorded.
enum class Step { None, Waiting, Unpacking, Renaming, Done, Failed, NotZip };

struct ExtractRecord
{
    Step step = Step::None;
    bool trash = false;
    QString temp;   // the hidden folder being filled (Unpacking, Renaming)
    QString folder; // the folder it becomes (Renaming, Done)
    QString stale;  // a hidden folder of an earlier attempt, being removed

    static ExtractRecord from(const QByteArray &extra)
    {
        ExtractRecord r;
        if (extra.isEmpty())
            return r;
        const QJsonObject o = QJsonDocument::fromJson(extra).object().value(kKey).toObject();
        static const QHash<QString, Step> steps = {
            {u"waiting"_s, Step::Waiting},   {u"unpacking"_s, Step::Unpacking},
            {u"renaming"_s, Step::Renaming}, {u"done"_s, Step::Done},
            {u"failed"_s, Step::Failed},     {u"notzip"_s, Step::NotZip}};
        r.step = steps.value(o.value(u"step"_s).toString(), Step::None);
        r.trash = o.value(u"trash"_s).toBool();
        r.temp = o.value(u"temp"_s).toString();
        r.folder = o.value(u"folder"_s).toString();
        r.stale = o.value(u"stale"_s).toString();
        return r;
    }

    QJsonValue toJson() const
    {
        static const QHash<Step, QString> names = {
            {Step::Waiting, u"waiting"_s},   {Step::Unpacking, u"unpacking"_s},
            {Step::Renaming, u"renaming"_s}, {Step::Done, u"done"_s},
            {Step::Failed, u"failed"_s},     {Step::NotZip, u"notzip"_s}};
        if (step == Step::None)
            return QJsonValue(QJsonValue::Undefined);
        QJsonObject o{{u"step"_s, names.value(step)}, {u"trash"_s, trash}};
        if (!temp.isEmpty())
            o.insert(u"temp"_s, temp);
        if (!folder.isEmpty())
            o.insert(u"folder"_s, folder);
        if (!stale.isEmpty())
            o.insert(u"stale"_s, stale);
        return o;
    }

    bool unfinished() const
    {
        return step == Step::Waiting || step == Step::Unpacking || step == Step::Renaming;
    }
};

ExtractState stateOf(Step step)
{
    switch (step) {
    case Step::None:
        return ExtractState::None;
    case Step::Waiting:
    case Step::Unpacking:
    case Step::Renaming:
        return ExtractState::Waiting;
    case Step::Done:
        return ExtractState::Done;
    case Step::Failed:
        return ExtractState::Failed;
    case Step::NotZip:
        return ExtractState::NotArchive;
    }
    return ExtractState::None;
}

bool present(const QString &path)
{
    const QFileInfo info(path);
    return info.exists() || info.isSymLink(); // a dangling link is in the way too
}

// "data.zip" -> "data": the name the folder takes.
QString folderBase(const QString &archivePath)
{
    const QFileInfo info(archivePath);
    const QString base = info.completeBaseName();
    return base.isEmpty() ? info.fileName() : base;
}

QString freeName(const QString &dir, const QString &base, const QString &prefix = {},
                 const QString &suffix = {})
{
    for (int n = 0; n < 10'000; ++n) {
        const QString name = n == 0 ? base : u"%1 (%2)"_s.arg(base).arg(n);
        const QString path = QDir(dir).filePath(prefix + name + suffix);
        if (!present(path))
            return path;
    }
    return {};
}

// Only the hidden folder this download made is ever removed: recorded, in its own folder, and
// carrying the suffix.
bool ownTemp(const QString &temp, const QString &directory)
{
    const QFileInfo info(temp);
    return !temp.isEmpty() && info.fileName().startsWith(u'.') &&
           info.fileName().endsWith(kTempSuffix) && info.isDir() && !info.isSymLink() &&
           QDir(info.absolutePath()) == QDir(directory);
}

} // namespace

QByteArray DownloadManager::extractAsked(const QByteArray &extra, bool on, bool trash)
{
    QJsonObject o = QJsonDocument::fromJson(extra).object();
    if (on)
        o.insert(kKey, ExtractRecord{Step::Waiting, trash, {}, {}, {}}.toJson());
    else
        o.remove(kKey);
    return o.isEmpty() ? QByteArray() : QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void DownloadManager::askExtract(TransferJob *j, bool on, bool trash)
{
    const ExtractRecord now = ExtractRecord::from(j->record().extra);
    if (on == (now.step != Step::None) && (!on || now.trash == trash))
        return;
    ExtractRecord r = now;
    r.step = on ? (r.step == Step::None ? Step::Waiting : r.step) : Step::None;
    r.trash = trash;
    j->setExtraValue(kKey, r.toJson());
    trackExtract(j->record());
}

void DownloadManager::trackExtract(const StoredDownload &record)
{
    const Step step = ExtractRecord::from(record.extra).step;
    const ExtractState state = step == Step::None                ? ExtractState::None
                               : m_unpackers.contains(record.id) ? ExtractState::Running
                                                                 : stateOf(step);
    if (state == m_extractStates.value(record.id, ExtractState::None))
        return;
    if (state == ExtractState::None)
        m_extractStates.remove(record.id);
    else
        m_extractStates.insert(record.id, state);
    m_dirty.insert(record.id);
}

DownloadSnapshot DownloadManager::withExtract(DownloadSnapshot s) const
{
    s.extract = m_extractStates.value(s.id, ExtractState::None);
    return s;
}

bool DownloadManager::continueExtract(DownloadId id)
{
    TransferJob *j = job(id);
    if (!j || j->state() != DownloadState::Completed || m_unpackers.contains(id) ||
        !m_extractStates.contains(id))
        return false;
    auto lock = std::make_unique<DownloadLock>();
    QString owner;
    // What is stored decides (read again under the lock), not what this process read earlier:
    // another process (a `ferry-cli get --extract`, maybe killed midway) may have moved it on.
    // This one's own writes are on disk first.
    m_storage->flush();
    const std::optional<StoredDownload> stored = m_storage->load(id);
    if (!stored)
        return false;
    ExtractRecord r = ExtractRecord::from(stored->extra);
    const auto adopt = [&] {
        if (ExtractRecord::from(j->record().extra).toJson() != r.toJson()) {
            j->setExtraValue(kKey, r.toJson());
            trackExtract(j->record());
        }
    };
    if (!r.unfinished()) {
        adopt();
        return false;
    }
    if (m_unpackers.size() >= kMaxUnpacking) {
        if (!m_extractQueue.contains(id)) {
            m_extractQueue.append(id);
            j->note(tr("Waiting to unpack: %n other archive(s) are being unpacked.", nullptr,
                       int(m_unpackers.size())));
            m_dirty.insert(id);
        }
        return false;
    }
    m_extractQueue.removeAll(id);
    if (!lock->acquire(m_stateDir + u"/locks"_s, u"%1.extract.lock"_s.arg(id), &owner)) {
        j->note(tr("Another Ferry process (%1) is unpacking this archive.").arg(owner));
        return false;
    }
    // Read again now that no other process can change it.
    if (const std::optional<StoredDownload> again = m_storage->load(id))
        r = ExtractRecord::from(again->extra);
    adopt();
    if (!r.unfinished())
        return false;
    const QString directory = j->record().directory;
    const QString archive = j->record().targetPath;
    const PartFile::Identity identity{j->record().partDevice, j->record().partInode};

    if (r.step == Step::Renaming && !present(r.temp) && !r.folder.isEmpty() &&
        QFileInfo(r.folder).isDir()) {
        // Renamed just before the last process ended, before it could record so.
        r.step = Step::Done;
        r.temp.clear();
        r.stale.clear();
        j->setExtraValue(kKey, r.toJson());
        j->note(tr("Extracted into “%1” just before Ferry was interrupted.")
                    .arg(QFileInfo(r.folder).fileName()),
                true);
        trackExtract(j->record());
        m_storage->flush();
        return false;
    }
    // A hidden folder of an earlier attempt is removed on the worker, before it unpacks; until
    // then the record keeps naming it.
    QString stale;
    for (const QString &old : {r.temp, r.stale}) {
        if (old.isEmpty() || !present(old))
            continue;
        if (ownTemp(old, directory) && stale.isEmpty())
            stale = old;
        else
            j->note(
                tr("The unfinished extraction “%1” could not be removed; starting anew beside it.")
                    .arg(QDir::toNativeSeparators(old)));
    }
    if (archive.isEmpty() || !QFileInfo(archive).isFile()) {
        r = {Step::Failed, r.trash, {}, {}, stale};
        j->setExtraValue(kKey, r.toJson());
        j->note(tr("Not extracted: the file “%1” is no longer there.")
                    .arg(QDir::toNativeSeparators(archive)),
                true);
        trackExtract(j->record());
        m_storage->flush();
        if (!stale.isEmpty())
            ArchiveUnpacker::removeLater(stale);
        return false;
    }
    if (!PartFile::matches(archive, identity) || (!identity.isKnown() && j->record().total > 0 &&
                                                  QFileInfo(archive).size() != j->record().total)) {
        // Replaced (or its name taken by something else) since it was downloaded: not ours.
        r = {Step::Failed, r.trash, {}, {}, stale};
        j->setExtraValue(kKey, r.toJson());
        j->note(notOurs(QFileInfo(archive).fileName()), true);
        trackExtract(j->record());
        m_storage->flush();
        if (!stale.isEmpty())
            ArchiveUnpacker::removeLater(stale);
        return false;
    }

    r.step = Step::Unpacking;
    r.folder.clear();
    r.stale = stale;
    r.temp = freeName(directory, folderBase(archive), u"."_s, kTempSuffix);
    j->setExtraValue(kKey, r.toJson());
    // On disk before the folder is: a process killed from now on leaves a record naming it.
    m_storage->flush();

    auto *unpacker = new ArchiveUnpacker(id, archive, r.temp, this, stale, identity);
    connect(unpacker, &ArchiveUnpacker::logged, this, [this](DownloadId done, const QString &line) {
        if (TransferJob *t = job(done))
            t->note(line);
        m_dirty.insert(done);
    });
    connect(unpacker, &ArchiveUnpacker::finished, this, &DownloadManager::extractFinished);
    m_unpackers.insert(id, unpacker);
    m_extractLocks[id] = std::move(lock);
    j->note(tr("Unpacking “%1” into a hidden folder until it is complete.")
                .arg(QFileInfo(archive).fileName()),
            true);
    trackExtract(j->record());
    unpacker->start();
    return true;
}

QString DownloadManager::notOurs(const QString &archiveName)
{
    return tr("Not extracted: “%1” is no longer the file Ferry downloaded (another file has "
              "taken its name). It is left untouched.")
        .arg(archiveName);
}

void DownloadManager::extractFinished(DownloadId id, const zipread::UnpackOutcome &outcome)
{
    using Kind = zipread::UnpackOutcome::Kind;
    ArchiveUnpacker *unpacker = m_unpackers.take(id);
    const QString temp = unpacker ? unpacker->folder() : QString();
    if (unpacker)
        unpacker->deleteLater(); // inside its own signal
    // The outcome is on disk before another process may take the lock: it would otherwise
    // find the record unfinished and unpack a second copy.
    const auto unlock = qScopeGuard([this, id] {
        if (m_storage)
            m_storage->flush();
        m_extractLocks.erase(id);
        startQueuedExtracts();
    });
    TransferJob *j = job(id);
    if (!j) {
        ArchiveUnpacker::removeLater(temp); // removed meanwhile
        return;
    }
    ExtractRecord r = ExtractRecord::from(j->record().extra);
    r.stale.clear(); // the worker removed it before unpacking
    const QString archive = j->record().targetPath;
    const QString archiveName = QFileInfo(archive).fileName();
    const PartFile::Identity identity{j->record().partDevice, j->record().partInode};
    const auto record = [&](Step step, const QString &message) {
        r.step = step;
        if (step != Step::Renaming)
            r.temp.clear();
        j->setExtraValue(kKey, r.toJson());
        if (!message.isEmpty())
            j->note(message, true);
        trackExtract(j->record());
    };
    switch (outcome.kind) {
    case Kind::NotZip:
        record(Step::NotZip, tr("Not extracted: “%1” is not a ZIP archive.").arg(archiveName));
        return;
    case Kind::NotOurs:
        record(Step::Failed, notOurs(archiveName));
        return;
    case Kind::Cancelled:
        record(Step::Unpacking,
               tr("Extraction stopped; it starts again when the download is resumed."));
        return;
    case Kind::Failed:
        record(Step::Failed, tr("Not extracted: %1 The archive is kept.")
                                 .arg(zipread::LocalUnpack::sentence(outcome.error)));
        return;
    case Kind::Extracted:
        break;
    }

    // The folder takes the first free name; what is there already is never touched. The name
    // is recorded before the rename, so an interrupted rename is finished, not repeated.
    QString folder;
    for (int attempt = 0; attempt < 20 && folder.isEmpty(); ++attempt) {
        r.folder = freeName(j->record().directory, folderBase(archive));
        r.temp = temp;
        record(Step::Renaming, {});
        m_storage->flush();
        if (!r.folder.isEmpty() && QDir().rename(temp, r.folder))
            folder = r.folder; // never over anything: Qt renames with RENAME_NOREPLACE
        else if (!present(temp))
            break;
    }
    if (folder.isEmpty()) {
        ArchiveUnpacker::removeLater(temp);
        r.folder.clear();
        record(Step::Failed,
               tr("Not extracted: the folder “%1” could not be renamed to its final name. "
                  "The archive is kept.")
                   .arg(QFileInfo(temp).fileName()));
        return;
    }
    const QString name = QFileInfo(folder).fileName();
    QString message =
        outcome.refused.isEmpty()
            ? tr("Extracted %n file(s) into “%1”.", nullptr, outcome.files).arg(name)
            : tr("Extracted %n file(s) into “%1”; some entries were left out (see the log).",
                 nullptr, outcome.files)
                  .arg(name);
    record(Step::Done, message);
    if (!r.trash)
        return;
    QString why;
    if (!outcome.refused.isEmpty()) {
        j->note(tr("“%1” is kept, not moved to the trash: some of its entries were not extracted.")
                    .arg(archiveName));
    } else if (PartFile::trashIfOwned(
                   archive, identity,
                   j->record().total > 0 ? std::optional<qint64>(j->record().total) : std::nullopt,
                   &why)) {
        j->note(tr("Moved “%1” to the trash.").arg(archiveName));
    } else if (why.isEmpty()) {
        j->note(tr("“%1” is not moved to the trash: it is no longer the file Ferry downloaded "
                   "(another file has taken its name).")
                    .arg(archiveName));
    } else {
        j->note(
            tr("“%1” could not be moved to the trash (there is none for its folder); it is kept.")
                .arg(archiveName));
    }
    m_dirty.insert(id);
}

void DownloadManager::stopExtract(DownloadId id)
{
    m_extractQueue.removeAll(id); // waiting for a slot: it waits for a resume now
    ArchiveUnpacker *unpacker = m_unpackers.take(id);
    if (!unpacker)
        return;
    unpacker->cancel(); // does not wait: the worker stops and removes the hidden folder
    delete unpacker;
    m_extractLocks.erase(id);
    if (TransferJob *j = job(id)) {
        j->note(tr("Extraction stopped; it starts again when the download is resumed."), true);
        trackExtract(j->record());
    }
    startQueuedExtracts();
}

void DownloadManager::startQueuedExtracts()
{
    while (!m_extractQueue.isEmpty() && m_unpackers.size() < kMaxUnpacking)
        continueExtract(m_extractQueue.takeFirst());
}

void DownloadManager::dropUnfinishedExtract(DownloadId id)
{
    // Only what the stored record names, in the download's own folder, with the suffix; and
    // only while no other process unpacks it (it removes its own folder when told to stop).
    if (!m_storage)
        return;
    TransferJob *j = job(id);
    m_storage->flush();
    const std::optional<StoredDownload> stored = m_storage->load(id);
    if (!j || !stored)
        return;
    const ExtractRecord r = ExtractRecord::from(stored->extra);
    if (r.step != Step::Unpacking && r.step != Step::Renaming && r.stale.isEmpty())
        return;
    DownloadLock lock;
    QString owner;
    if (!lock.acquire(m_stateDir + u"/locks"_s, u"%1.extract.lock"_s.arg(id), &owner))
        return;
    QStringList folders;
    if (r.step == Step::Unpacking || r.step == Step::Renaming)
        folders.append(r.temp);
    folders.append(r.stale);
    for (const QString &folder : std::as_const(folders)) {
        // Here and now, under the lock: a `ferry-cli remove` ends right afterwards, and a
        // worker's deleting would end with it. Only a process killed midway leaves one.
        if (ownTemp(folder, stored->directory))
            QDir(folder).removeRecursively();
    }
}

} // namespace ferry
