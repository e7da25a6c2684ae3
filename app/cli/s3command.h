#pragma once

#include "api/downloadtypes.h"
#include "clioptions.h"

#include <QObject>
#include <functional>

namespace ferry {
class DownloadManager;
class S3Transfers;
namespace s3 {
class Client;
}
} // namespace ferry

namespace ferry::cli {

class ProgressPrinter;
class S3Session;

// `ferry-cli s3 ls|get|put|presign|zip`. Listing and presigning talk to the account's client
// directly; get, put and zip queue transfers through S3Transfers and then run like `get`, so the
// engine, its progress, pausing and resuming are the same as for every other transfer.
// Main thread.
class S3Command final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(S3Command)
public:
    // `run` takes over once transfers are queued (it reports through the runner's done()).
    using Run = std::function<void(const QList<DownloadId> &ids)>;
    S3Command(const CliOptions &options, S3Session *session, S3Transfers *transfers, ProgressPrinter *printer,
              Run run, QObject *parent = nullptr);
    ~S3Command() override;

    void start();

signals:
    // For commands that end without running transfers (ls, presign, errors).
    void done(int exitCode);

private:
    void ls(s3::Client *client);
    void listPage(s3::Client *client, const QString &bucket, const QString &prefix, const QString &token);
    void get(s3::Client *client);
    void getObject(s3::Client *client, const QString &bucket, const QString &key);
    void put(s3::Client *client);
    void presign(s3::Client *client);
    void zip(s3::Client *client);
    void followBundle(DownloadId id);
    void bundleUpdated(const DownloadSnapshot &d);
    void fail(const QString &message, int code);
    void print(const QByteArray &line);

    CliOptions m_options;
    S3Session *m_session;
    S3Transfers *m_transfers;
    ProgressPrinter *m_printer;
    Run m_run;
    // zip: what was already reported about the bundle being followed.
    DownloadId m_bundle = 0;
    QString m_zipWanted; // the -o path asked for (the archive may get another free name)
    bool m_bundleReported = false;
    int m_entriesShown = -1;
    qint64 m_entriesShownAt = 0;
};

} // namespace ferry::cli
