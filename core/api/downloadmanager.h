#pragma once

#include "api/downloadtypes.h"
#include "engine/enginesettings.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace ferry {

namespace zipread {
struct UnpackOutcome;
}

class AddressCheck;
class ArchiveUnpacker;
class DownloadLock;
class DownloadJob;
class HostLimiter;
class RateLimiter;
class RequestSigner;
class SecretVault;
class Storage;
class TransferJob;
struct JobEnvironment;
struct StoredDownload;

// The one door into the engine for the window and the CLI. It hands out plain snapshots,
// never engine objects. Lives on (and must be used from) the thread that created it.
class DownloadManager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DownloadManager)
public:
    explicit DownloadManager(const QString &stateDir, EngineSettings settings = {}, QObject *parent = nullptr);
    ~DownloadManager() override;

    // Opens the state database. Downloads that were running when the last process died come
    // back as queued; with `resumeUnfinished` they start again right away.
    bool open(bool resumeUnfinished, QString *error);
    static QString defaultStateDir();
    // Keeps the headers of downloads (cookies, Authorization, passwords) in the system keychain
    // so that a download started again after a restart sends them without asking (see
    // SecretVault); set before open(). Without one they live in memory only.
    void setSecretVault(std::unique_ptr<SecretVault> vault);
    SecretVault *secretVault() const { return m_vault.get(); }
    QString stateDir() const { return m_stateDir; }
    // Downloads that were running when the previous process ended without pausing them
    // (a crash, kill -9, power cut), as found by open().
    QList<DownloadId> recovered() const { return m_recovered; }
    // Whether this process unpacks the download's archive now (see DownloadRequest::extractArchive).
    bool extracting(DownloadId id) const { return m_unpackers.contains(id); }

    // How a change to one download went. A download this process is not running is changed
    // under its lock and on its row as the database has it now, so that a process about to
    // start it, or this one, never works from values read earlier.
    enum class Change {
        Done,
        RunElsewhere, // another process runs it: nothing changed here; that process must be asked
        Gone,         // no such download (another process may just have removed it)
    };

    // Adds a download, or returns the existing one for the same URL and folder that is not
    // finished yet: it is resumed, and takes what this request gives (checksum, connections,
    // speed limit, secrets) while keeping what the request leaves unset. A request with
    // `evenIfPresent` always makes a new download.
    DownloadId add(const DownloadRequest &request, QString *error);
    Change pause(DownloadId id);
    void resume(DownloadId id);
    // False when there is no such download, or another process runs it (it stays).
    bool remove(DownloadId id, FileRemoval finished);
    bool remove(DownloadId id, bool deleteFile) { return remove(id, deleteFile ? FileRemoval::Delete : FileRemoval::Keep); }
    void pauseAll();
    void setPriority(DownloadId id, int priority);
    // Moves an unfinished download `steps` places in the queue (negative: towards the front).
    // The queue is the order the scheduler starts downloads in: priority, then age.
    void moveInQueue(DownloadId id, int steps);
    // Moves unfinished downloads, keeping their order among themselves, to just before
    // `beforeId` in the queue; to its end when `beforeId` is 0, finished or unknown.
    void moveInQueueBefore(const QList<DownloadId> &ids, DownloadId beforeId);
    void setRateLimit(DownloadId id, qint64 bytesPerSecond);
    // The most connections a download may use (1..32); a running one adds or drops
    // connections from its next tick. Other kinds of transfer keep theirs.
    void setConnections(DownloadId id, int count);
    // Gives an unfinished HTTP(S) download another address for the same file (an expired
    // signed link, a one-time link): the new address is probed with `secrets` (kept in memory
    // only, sent to its origin only) and must serve the same size (unless the download has
    // nothing on disk and never learnt its size), the same ETag and
    // Last-Modified where both sides have one, else the same bytes where the download has
    // them. Then the address is stored and the download goes on without fetching again what
    // it has; a running or failed one continues. `done` is called once, later, on this thread:
    // `ok` false with `message` saying what differs or why nothing changed. See addresschange.cpp.
    using AddressChanged = std::function<void(bool ok, const QString &message)>;
    void changeAddress(DownloadId id, const QUrl &url, const HeaderList &secrets, AddressChanged done);
    void setGlobalRateLimit(qint64 bytesPerSecond);
    void setMaxConcurrentDownloads(int count);
    void setConnectionsPerHost(int count);

    // S3 objects are fetched with requests signed for their account. The factory makes a
    // signer for an object's s3:// URI and stored address; downloads of that account that waited for it can run.
    using SignerFactory = std::function<std::shared_ptr<const RequestSigner>(const QString &source, const QUrl &url)>;
    void setSignerFactory(const QString &account, SignerFactory factory);
    bool hasSignerFactory(const QString &account) const { return m_signers.contains(account); }

    // Transfers other than downloads (uploads, bundles) are made by a factory per kind,
    // registered before open(); a stored one whose kind has no factory stays paused.
    using JobFactory = std::function<TransferJob *(const StoredDownload &record, const JobEnvironment &env, QObject *parent)>;
    void setJobFactory(TransferKind kind, JobFactory factory);
    // Records and queues a transfer of a registered kind; returns its id, or 0 with `error`.
    DownloadId addTransfer(StoredDownload record, QString *error);

    // What a list of downloads shows beyond a snapshot (downloadmanagerlists.cpp): the checksum
    // asked for, and the names, never the values, of the headers it is sent with in this process.
    struct ListDetails
    {
        QString checksum;
        QList<QByteArray> headerNames;
    };
    ListDetails listDetails(DownloadId id) const;
    // The headers a download is sent with in this process (cookies, Authorization; memory
    // only), for reading its address another way (the contents of a remote archive).
    HeaderList requestHeaders(DownloadId id) const;
    QList<DownloadSnapshot> snapshots() const;
    std::optional<DownloadSnapshot> snapshot(DownloadId id) const;
    // Sums for a status line, without building a snapshot per download.
    struct Totals {
        qint64 speed = 0;
        int active = 0;
        int queued = 0;
    };
    Totals totals() const;
    // Retries, errors and restarts of this run, oldest first.
    QList<DownloadEvent> events(DownloadId id) const;
    const EngineSettings &settings() const { return m_settings; }
    // Waits for every queued database write and keychain call (used before exiting).
    void flush();

    static constexpr int tickMs = 250;

signals:
    // One batch per tick with the downloads that changed since the last one.
    void snapshotsUpdated(const QList<ferry::DownloadSnapshot> &changed);
    void downloadAdded(ferry::DownloadId id);
    void downloadRemoved(ferry::DownloadId id);
    // Once per remove(), when what the transfer left on a server (an unfinished multipart
    // upload) is gone, or could not be removed (`ok` false, `message` says why): inside
    // remove() when there was nothing to remove, later when an abort request is under way.
    void transferDiscarded(ferry::DownloadId id, bool ok, const QString &message);
    // From remove(): a finished file could not go as asked (no trash for its folder) and was kept.
    void fileKept(ferry::DownloadId id, const QString &message);
    void stateChanged(ferry::DownloadId id, ferry::DownloadState state);

private:
    TransferJob *job(DownloadId id) const;
    // Runs `apply` on a download: directly when this process runs it (or it is not a download
    // over HTTP), else under a claim (see DownloadJob::claim); `owner` learns who runs it.
    Change change(DownloadId id, const std::function<void(TransferJob *)> &apply, QString *owner = nullptr);
    // Another process removed the download: this one only lets go of it, the files are not its.
    void forget(DownloadId id);
    // The unfinished download this process knows for the same address, folder and name, or 0.
    DownloadId existing(const QUrl &url, const QString &dir, const QString &fileName) const;
    // The same, among the rows other processes recorded since this one last looked, up to its
    // own new row `self` (see add()).
    std::optional<StoredDownload> recordedElsewhere(const QUrl &url, const QString &dir, const QString &fileName,
                                                    DownloadId self);
    TransferJob *createJob(const StoredDownload &record, const HeaderList &secrets);
    JobEnvironment environment();
    // Unfinished transfers in the order schedule() starts them.
    QList<TransferJob *> queueOrder() const;
    void schedule();
    void tick();
    bool pathTaken(const QString &path, DownloadId self) const;
    // The keychain side of a download's headers, see downloadsecrets.cpp.
    void keepSecrets(DownloadId id, const QUrl &url, const HeaderList &secrets);
    void forgetSecrets(DownloadId id);
    // True when the job lacks its headers and the keychain is asked for them first: it stays
    // queued until the answer comes.
    bool awaitSecrets(TransferJob *j);
    // Unpacking completed ZIP archives, see downloadextract.cpp. A completed download asked to
    // be unpacked is unpacked now, or again after an interruption (its own hidden folder goes
    // first); true when that started here.
    bool continueExtract(DownloadId id);
    void extractFinished(DownloadId id, const zipread::UnpackOutcome &outcome);
    // Stops unpacking under way (pause, remove, quit); its hidden folder goes, the record keeps
    // that it is unfinished.
    void stopExtract(DownloadId id);
    // Removing a download whose unpacking a killed process left unfinished: the hidden folder
    // its stored record names (its own) goes, under the archive's lock.
    void dropUnfinishedExtract(DownloadId id);
    static QString notOurs(const QString &archiveName);
    // Starts the archives waiting for a slot, while there is one.
    void startQueuedExtracts();
    // What a request asks (on: unpack; trash: the archive afterwards) into a record's extra JSON.
    static QByteArray extractAsked(const QByteArray &extra, bool on, bool trash);
    void askExtract(TransferJob *j, bool on, bool trash);
    void trackExtract(const StoredDownload &record);
    DownloadSnapshot withExtract(DownloadSnapshot s) const;

    QString m_stateDir;
    EngineSettings m_settings;
    std::unique_ptr<Storage> m_storage;
    std::unique_ptr<HostLimiter> m_hosts;
    std::shared_ptr<RateLimiter> m_globalLimiter;
    std::map<DownloadId, TransferJob *> m_jobs; // ordered by id: the queue's tie-break is age
    std::map<TransferKind, JobFactory> m_factories;
    QHash<QString, SignerFactory> m_signers;     // by account id
    QSet<DownloadId> m_dirty;                    // state changed since the last tick
    QList<DownloadId> m_recovered;
    QSet<DownloadId> m_held;                     // queued, but not to be started by this process
    DownloadId m_lastSeenId = 0;                 // every row up to it is a job here or in m_foreign
    QSet<DownloadId> m_foreign;                  // unfinished rows of other processes, not jobs here
    QHash<DownloadId, AddressCheck *> m_addressChecks; // a new address being checked, children
    std::unique_ptr<SecretVault> m_vault;
    QSet<DownloadId> m_awaitingSecrets;          // queued until the keychain answers
    QSet<DownloadId> m_secretsAsked;             // the keychain was asked once (until resume())
    QHash<DownloadId, ExtractState> m_extractStates; // of downloads asked to be unpacked
    QHash<DownloadId, ArchiveUnpacker *> m_unpackers;  // unpacking now, children
    std::map<DownloadId, std::unique_ptr<DownloadLock>> m_extractLocks; // one process per archive
    QList<DownloadId> m_extractQueue; // waiting for one of the few unpacking slots
    QTimer m_ticker;
    QElapsedTimer m_clock;
    bool m_scheduling = false;
};

} // namespace ferry
