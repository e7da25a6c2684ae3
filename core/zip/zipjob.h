#pragma once

#include "engine/transferjob.h"
#include "s3/s3types.h"
#include "s3/sigv4.h"
#include "storage/storedrecord.h"
#include "zip/bundleselection.h"
#include "zip/zipbundler.h"

#include <QPointer>
#include <functional>
#include <memory>
#include <optional>

class QThread;

namespace ferry {
class RateLimiter;
}

namespace ferry::zip {

// A ZIP bundle in the transfer queue (TransferKind::ZipLocal or ZipBucket): the selection in
// the record's `extra` JSON is listed and bundled by a ZipBundler on a worker thread of its own.
// Deflating and CRC-32 of gigabytes would take whole seconds of the manager's (GUI) thread;
// there only progress arrives, as queued signals at most ten times a second.
//
// A paused, failed or interrupted bundle continues from its last checkpoint: the worker keeps a
// journal in the state folder (see BundleJournal) and reports checkpoints, whose journal
// length is saved in the record; the .part or the upload stays. Removing the bundle removes
// them (aborting the upload). Lives on the manager's thread.
class ZipJob final : public TransferJob
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ZipJob)
public:
    // The account's settings and a copy of its credentials, for the client the worker thread
    // makes for itself; the copy stays in memory. nullopt while the account is locked.
    struct Access {
        s3::Account account;
        s3::Credentials credentials;
    };
    using AccessProvider = std::function<std::optional<Access>(const QString &accountId)>;

    ZipJob(StoredDownload record, const JobEnvironment &env, AccessProvider access, BundlerOptions options = {},
           QObject *parent = nullptr);
    ~ZipJob() override;

    // A record to hand to DownloadManager::addTransfer().
    static StoredDownload recordFor(const BundleSelection &selection);

    // The presigned link of a finished bucket bundle (also in the record's message).
    QString shareLink() const { return m_shareLink; }
    // Objects left out (skip-on-error), with the reason.
    QList<QPair<QString, QString>> skippedObjects() const { return m_skipped; }

    void start() override;
    void enqueue() override;
    void pause(const QString &message = {}) override;
    void suspend() override;
    QString discard(FileRemoval finished) override;
    void setRateLimit(qint64 bytesPerSecond) override;
    void setPriority(int priority) override;
    void tick() override;
    DownloadSnapshot snapshot() const override;

signals:
    void shareLinkReady(ferry::DownloadId id, const QString &url);

private:
    // Stops the worker; `cancel` also removes what it wrote (the .part, the upload).
    void stopWorker(bool cancel = false);
    // Removes what a bundle that is not running left behind.
    void removeLeftovers();
    QString journalPath() const;
    // The local archive the last run finished though its end was never recorded (a pause that
    // raced it, a crash right after the rename); empty when there is none.
    QString finishedUnrecorded() const;
    void onFinished(bool ok, const QString &message, const QString &result);

    BundleSelection m_selection;
    QString m_selectionError;
    AccessProvider m_access;
    BundlerOptions m_options;
    // The bundle's own limit; the worker thread reads it and the global one as it transfers.
    std::shared_ptr<RateLimiter> m_limiter;
    QThread *m_thread = nullptr;
    QPointer<QThread> m_stopping; // the last run's thread, until it let go of its files
    QPointer<ZipBundler> m_bundler;
    QList<QPair<QString, QString>> m_skipped;
    QString m_shareLink;
    qint64 m_done = 0;
    int m_entriesDone = 0;
    int m_entriesTotal = 0;
};

} // namespace ferry::zip
