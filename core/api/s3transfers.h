#pragma once

#include "api/downloadtypes.h"
#include "zip/zipjob.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <functional>

namespace ferry {

class DownloadManager;

namespace s3 {
class Client;
}

// Makes both ZIP bundle kinds run as ZipJobs in `manager`'s queue; register before the manager
// opens its database, so stored bundles come back as bundles.
void registerBundleJobs(DownloadManager &manager, zip::ZipJob::AccessProvider access, zip::BundlerOptions options = {});

// S3 objects in the transfer queue: downloads of objects and whole prefixes through the
// segmented engine (ranged GETs signed per request, ETag as validator) and uploads of local
// files and folders. Holds one client per opened account; credentials stay inside the
// clients, in memory. Lives on the manager's thread.
class S3Transfers final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(S3Transfers)
public:
    explicit S3Transfers(DownloadManager *manager, QObject *parent = nullptr);
    ~S3Transfers() override;

    // Takes ownership. Downloads and uploads of this account that waited for its credentials
    // can run from now on.
    void addClient(s3::Client *client);
    s3::Client *client(const QString &accountId) const;
    // The queue these transfers run in, for following their progress.
    DownloadManager *manager() const { return m_manager; }

    // One object into `directory` (created when missing) under its last key segment.
    DownloadId downloadObject(const QString &accountId, const QString &bucket, const QString &key,
                              const QString &directory, QString *error, qint64 size = -1);
    // Every object under `prefix`, keeping the folders below the prefix. Lists page by page
    // and reports once all are queued (ids of the queued downloads, or an error).
    using Done = std::function<void(const QList<DownloadId> &ids, const QString &error)>;
    void downloadPrefix(const QString &accountId, const QString &bucket, const QString &prefix,
                        const QString &directory, Done done);
    // A local file, or a folder with everything below it, into `keyPrefix` (ending in '/' or
    // empty for the bucket's root). A single file with a target not ending in '/' is uploaded
    // under exactly that key.
    QList<DownloadId> upload(const QString &accountId, const QString &localPath, const QString &bucket,
                             const QString &keyPrefix, QString *error);

    // Selected objects and prefixes bundled into one ZIP, written to a local file or streamed
    // into a bucket (see zip::BundleSelection); runs as a job in the queue.
    DownloadId bundle(const zip::BundleSelection &selection, QString *error);

    // The local path of a key below `prefix`, made of sanitized segments inside `directory`.
    static QString localPathFor(const QString &directory, const QString &prefix, const QString &key);
    static bool splitUri(const QString &uri, QString *bucket, QString *key);

private:
    void listMore(const QString &accountId, const QString &bucket, const QString &prefix, const QString &directory,
                  const QString &token, std::shared_ptr<QList<DownloadId>> ids, Done done);

    DownloadManager *m_manager;
    QHash<QString, s3::Client *> m_clients;
};

} // namespace ferry
