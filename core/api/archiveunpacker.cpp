#include "api/archiveunpacker.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QThread>

#include <atomic>

namespace ferry {

namespace {

bool present(const QString &path)
{
    const QFileInfo info(path);
    return info.exists() || info.isSymLink();
}

// Removes a tree file by file, stopping between two files once `stop` is set (never through a
// symbolic link: a link is removed, not followed). True when it is gone.
bool removeTree(const QString &path, const std::atomic_bool &stop)
{
    const QFileInfo top(path);
    if (top.isSymLink() || (top.exists() && !top.isDir()))
        return QFile::remove(path);
    QStringList folders;
    QDirIterator it(path, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        if (stop.load())
            return false;
        const QString entry = it.next();
        const QFileInfo info = it.fileInfo();
        if (info.isDir() && !info.isSymLink())
            folders.append(entry);
        else
            QFile::remove(entry);
    }
    // Deepest first: each folder was listed before anything below it.
    for (auto f = folders.crbegin(); f != folders.crend(); ++f)
        QDir().rmdir(*f);
    QDir().rmdir(path);
    return !present(path);
}

} // namespace

// What the worker and this object share. `abandoned` and `owner` are only read and written on
// the manager's thread (the worker's reports are queued there), so no report reaches a deleted
// object.
struct ArchiveUnpacker::Work
{
    std::atomic_bool cancel{false};
    std::atomic_bool leaveFolders{false}; // the process ends: nothing is removed any more
    bool abandoned = false;
    ArchiveUnpacker *owner = nullptr;
};

ArchiveUnpacker::ArchiveUnpacker(DownloadId id, const QString &archivePath, const QString &folder,
                                 QObject *parent, const QString &stale, PartFile::Identity expected)
    : QObject(parent), m_id(id), m_archive(archivePath), m_folder(folder), m_stale(stale),
      m_expected(expected), m_work(std::make_shared<Work>())
{
    m_work->owner = this;
}

ArchiveUnpacker::~ArchiveUnpacker()
{
    cancel();
}

void ArchiveUnpacker::removeLater(const QString &folder)
{
    if (folder.isEmpty())
        return;
    QThread *thread = QThread::create([folder] {
        static const std::atomic_bool never{false};
        removeTree(folder, never);
    });
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->setObjectName(QStringLiteral("unpack-remove"));
    thread->start(QThread::LowPriority);
}

void ArchiveUnpacker::start()
{
    if (m_started)
        return;
    m_started = true;
    // The worker holds only copies and the shared state: it may run on after this object is
    // gone (cancelled), deleting what it had written.
    const std::shared_ptr<Work> work = m_work;
    const DownloadId id = m_id;
    const QString archive = m_archive;
    const QString folder = m_folder;
    const QString stale = m_stale;
    const PartFile::Identity expected = m_expected;
    // Reports go to the manager's thread through the application object, which outlives this.
    const auto post = [work](std::function<void(ArchiveUnpacker *)> report) {
        if (QCoreApplication *app = QCoreApplication::instance()) {
            QMetaObject::invokeMethod(
                app,
                [work, report = std::move(report)] {
                    if (!work->abandoned && work->owner)
                        report(work->owner);
                },
                Qt::QueuedConnection);
        }
    };
    QThread *thread = QThread::create([=] {
        if (!stale.isEmpty() && present(stale)) {
            const QString name = QFileInfo(stale).fileName();
            // A cancel does not stop this (the download may be going for good); only the end of
            // the process does, and the record still names the folder for the next one.
            const bool removed = removeTree(stale, work->leaveFolders);
            if (work->cancel.load())
                return;
            post([id, name, removed](ArchiveUnpacker *self) {
                emit self->logged(
                    id,
                    removed
                        ? tr("Removed the unfinished extraction “%1” to start it again.").arg(name)
                        : tr("The unfinished extraction “%1” could not be removed; "
                             "starting anew beside it.")
                              .arg(name));
            });
        }
        zipread::UnpackOutcome outcome;
        if (work->cancel.load()) {
            outcome.kind = zipread::UnpackOutcome::Kind::Cancelled;
        } else {
            outcome = zipread::LocalUnpack::run(
                archive, folder, work->cancel,
                [post, id](const QString &line) {
                    post([id, line](ArchiveUnpacker *self) { emit self->logged(id, line); });
                },
                expected);
        }
        if (outcome.kind == zipread::UnpackOutcome::Kind::Cancelled) {
            if (!work->leaveFolders.load())
                removeTree(folder, work->leaveFolders);
            return; // whoever cancelled expects no report
        }
        QCoreApplication *app = QCoreApplication::instance();
        if (!app)
            return;
        QMetaObject::invokeMethod(
            app,
            [work, id, outcome, folder] {
                if (work->abandoned || !work->owner) {
                    // Cancelled after the worker was done: what it made goes all the same.
                    if (outcome.kind == zipread::UnpackOutcome::Kind::Extracted &&
                        !work->leaveFolders.load())
                        removeLater(folder);
                    return;
                }
                work->abandoned = true; // the folder is the manager's from now on
                emit work->owner->finished(id, outcome);
            },
            Qt::QueuedConnection);
    });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->setObjectName(QStringLiteral("unpack-%1").arg(m_id));
    m_thread = thread;
    thread->start(QThread::LowPriority);
}

void ArchiveUnpacker::cancel()
{
    if (!m_started || m_work->abandoned)
        return;
    m_work->abandoned = true;
    m_work->owner = nullptr;
    m_work->cancel = true;
    // Nothing waits here: LocalUnpack stops at its next read and the worker removes the folder.
}

void ArchiveUnpacker::cancelLeavingFolders()
{
    if (!m_started)
        return;
    m_work->leaveFolders = true;
    m_work->cancel = true;
    m_work->abandoned = true;
    m_work->owner = nullptr;
    // Short: the worker stops at its next read or its next file; no worker runs on while the
    // process ends. Only this one's: it is deleted on this thread, after it finished.
    if (m_thread)
        m_thread->wait();
}

} // namespace ferry
