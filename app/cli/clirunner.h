#pragma once

#include "clioptions.h"
#include "progressprinter.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <memory>

namespace ferry {
class DownloadManager;
class S3Transfers;
}

namespace ferry::cli {

class S3Command;
class ZipCommand;
class S3Session;

enum ExitCode { Ok = 0, DownloadFailed = 1, Usage = 2, StateError = 3, Stopped = 4 };

// Runs one ferry-cli command on the engine and turns the outcome into an exit code.
class CliRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CliRunner)
public:
    explicit CliRunner(CliOptions options, QObject *parent = nullptr);
    ~CliRunner() override;

    // Returns an exit code for commands that end at once, or -1 when the event loop must run
    // until done(code) is emitted.
    int start();
    // SIGINT / SIGTERM: pause everything (progress is saved) and stop.
    void interrupt();

signals:
    void done(int exitCode);

private:
    int list();
    // clilists.cpp
    int exportList();
    int importList();
    int pause();
    int remove();
    int removeNow(const QList<DownloadId> &ids, const QHash<DownloadId, QString> &accountErrors);
    int run(const QList<DownloadId> &ids);
    int resume(const QList<DownloadId> &ids);
    void checkProgress();
    // Every download of run() has ended: report the exit code.
    void finish();
    QString ownerOf(DownloadId id) const;

    CliOptions m_options;
    // Declared before the manager so that its jobs stop before the S3 clients go away.
    std::unique_ptr<S3Transfers> m_s3;
    std::unique_ptr<DownloadManager> m_manager;
    std::unique_ptr<S3Session> m_s3Session;
    std::unique_ptr<S3Command> m_s3Command;
    std::unique_ptr<ZipCommand> m_zipCommand;
    std::unique_ptr<ProgressPrinter> m_printer;
    QSet<DownloadId> m_waiting;
    QHash<DownloadId, QString> m_removing; // removed, server not yet cleaned up -> s3:// address
    bool m_insideRemove = false;
    QTimer m_poll;
    int m_exitCode = Ok;
    bool m_interrupted = false;
};

} // namespace ferry::cli
