#pragma once

#include "clioptions.h"

#include <QMutex>
#include <QObject>
#include <QPointer>

#include <atomic>
#include <functional>
#include <memory>

class QThread;

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
class ZipCommand final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ZipCommand)
public:
    ZipCommand(const CliOptions &options, S3Session *session, ProgressPrinter *printer,
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

    CliOptions m_options;
    S3Session *m_session;
    ProgressPrinter *m_printer;
    QThread *m_thread = nullptr;
    QMutex m_deviceMutex;
    zipread::RemoteZipDevice *m_device = nullptr; // while the worker reads; guarded
    std::atomic_bool m_cancelled = false;
};

} // namespace ferry::cli
