#pragma once

#include "clioptions.h"
#include "zip/zipnamemapper.h"
#include "zipread/archivelisting.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QPointer>

#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace ferry {
class DownloadManager;
}

namespace ferry::zipread {
class RemoteZipDevice;
}

namespace ferry::cli {

class ProgressPrinter;
class S3Session;

// Checks `zip ls|get SOURCE [ENTRY...]` (in options->arguments). False with a message in
// *error on bad usage.
bool finishZipOptions(CliOptions *options, QString *error);

// `ferry-cli zip ls|get`: lists a remote ZIP archive (an HTTP(S) address or an S3 object) from
// its central directory, or extracts chosen entries, reading only their byte ranges. The reading
// blocks, so it runs on a worker thread of its own; lines and the outcome come back to the main
// thread, where this object lives. Destroying it (Ctrl+C ends the run) cancels the reading and
// waits for the worker.
// Entries of 16 MiB or more (packed) become downloads of the manager instead: several
// connections over the entry's span of the archive, recorded so that `ferry-cli resume` (or the
// same `zip get` again) carries on after a crash. They are handed to `runDownloads` with the exit
// code of the rest, which then waits for them; without any, done() ends the command.
class ZipCommand final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ZipCommand)
public:
    using RunDownloads = std::function<void(const QList<DownloadId> &ids, int exitCode)>;
    ZipCommand(const CliOptions &options, S3Session *session, ProgressPrinter *printer,
               DownloadManager *manager = nullptr, RunDownloads runDownloads = {},
               QObject *parent = nullptr);
    ~ZipCommand() override;

    void start();

signals:
    void done(int exitCode);

private:
    using DeviceFactory = std::function<std::unique_ptr<zipread::RemoteZipDevice>()>;
    void run(DeviceFactory makeDevice);
    int work(const DeviceFactory &makeDevice); // worker thread
    void out(const QByteArray &line);          // worker thread: a line for stdout
    void note(const QString &text);            // worker thread: a line for stderr
    // Main thread: adds the entries `chosen` of `listing` to the manager as downloads.
    // `names` are those of the whole choice (ZipExtractor::mapNames()).
    void addEntryDownloads(const zipread::ArchiveListing &listing, const QList<qsizetype> &chosen,
                           const QHash<qsizetype, zip::ZipName> &names);

    CliOptions m_options;
    S3Session *m_session;
    ProgressPrinter *m_printer;
    DownloadManager *m_manager;
    RunDownloads m_runDownloads;
    zipread::ArchiveSource m_source; // set on the main thread before the worker starts
    QList<DownloadId> m_downloads;   // main thread
    int m_refusedDownloads = 0;      // main thread
    QThread *m_thread = nullptr;
    QMutex m_deviceMutex;
    zipread::RemoteZipDevice *m_device = nullptr; // while the worker reads; guarded
    std::atomic_bool m_cancelled = false;
};

} // namespace ferry::cli
