#pragma once

#include "api/downloadtypes.h"
#include "engine/partfile.h"
#include "zipread/localunpack.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <memory>

class QThread;

namespace ferry {

// Unpacks one finished download that is a ZIP archive into a folder of its own, on a worker
// thread of its own (archives of many GiB never block the manager's thread). The manager
// decides the folder names and what is recorded; this only runs LocalUnpack and reports.
// Lives on the manager's thread; its signals arrive there.
//
// Every removal of a folder happens on the worker: a leftover hidden folder of an earlier
// attempt (`stale`) before unpacking, the partly filled folder after a cancel. The manager's
// thread never waits for a tree of many files to be deleted.
class ArchiveUnpacker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ArchiveUnpacker)
public:
    // `folder` must not exist yet: it is created, filled, and removed again unless it all worked.
    // `stale`, when given, is removed first (a hidden folder of this download's own, left by an
    // interrupted attempt). `expected` is the archive's identity when known (see LocalUnpack).
    ArchiveUnpacker(DownloadId id, const QString &archivePath, const QString &folder,
                    QObject *parent = nullptr, const QString &stale = {},
                    PartFile::Identity expected = {});
    // Cancels, like cancel().
    ~ArchiveUnpacker() override;

    void start();
    // Stops the worker without waiting for it: it stops within one read of the archive and then
    // removes the folder on its own thread (unless finished() was emitted already: the folder is
    // then the receiver's). finished() and logged() are not emitted after it.
    void cancel();
    // For a process that ends: stops the worker and waits only for it to stop (one read of the
    // archive, one file of a removal); the hidden folders stay for the next process, which
    // finds them in the record.
    void cancelLeavingFolders();

    DownloadId id() const { return m_id; }
    QString folder() const { return m_folder; }

    // Removes `folder` on a worker thread of its own.
    static void removeLater(const QString &folder);

signals:
    void logged(ferry::DownloadId id, const QString &line);
    void finished(ferry::DownloadId id, const ferry::zipread::UnpackOutcome &outcome);

private:
    struct Work;

    DownloadId m_id;
    QString m_archive;
    QString m_folder;
    QString m_stale;
    PartFile::Identity m_expected;
    std::shared_ptr<Work> m_work; // shared with the worker, which may outlive this object
    QPointer<QThread> m_thread;   // deletes itself once finished
    bool m_started = false;
};

} // namespace ferry
