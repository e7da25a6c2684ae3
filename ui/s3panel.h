#pragma once

#include "s3/s3client.h"

#include "api/downloadtypes.h"
#include "s3/awsconfig.h"
#include "s3/s3types.h"
#include "s3bundledialog.h"

#include <QHash>
#include <QPointer>
#include <QWidget>
#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QMimeData;
class QTableView;
class QToolButton;

namespace ferry {
class DownloadManager;
namespace zip {
struct BundleSelection;
}
class S3Transfers;
namespace s3 {
class AccountStore;
class Client;
class CredentialStore;
} // namespace s3
} // namespace ferry

namespace ferry::ui {

class MessageBar;
class S3Breadcrumb;
class S3ObjectFilterProxy;
class S3ObjectModel;
class UnfinishedUploadsDialog;

// The S3 browser beside the transfer list: account, bucket, breadcrumb path, the objects of the
// current prefix (loaded page by page as the user scrolls), a filter and refresh. Objects dragged
// out carry S3ObjectModel's MIME type; local files dropped in are uploaded into the current
// prefix. Downloads and uploads go through S3Transfers, so they join the ordinary queue.
// Opening an account loads its keys from the CredentialStore and hands a new s3::Client to
// S3Transfers, which owns it from then on. GUI thread only.
class S3Panel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(S3Panel)
public:
    // `downloadDirectory` answers where "Download" puts files (the default download folder).
    S3Panel(S3Transfers *transfers, s3::AccountStore *accounts, s3::CredentialStore *credentials,
            std::function<QString()> downloadDirectory, QWidget *parent = nullptr);
    ~S3Panel() override;

    // The profiles offered for import and in the account dialog (default: ~/.aws of this user).
    void setAwsConfig(const s3::AwsConfig &config);
    // Lets the panel refresh the listing when an upload into the shown bucket completes.
    void setDownloadManager(DownloadManager *manager);
    // Where the bundle dialogs take their compression level from (the settings); 6 without it.
    void setDeflateLevelSource(std::function<int()> level) { m_deflateLevel = std::move(level); }

    void openAccount(const QString &accountId);
    void openBucket(const QString &bucket);
    void openPrefix(const QString &prefix);
    void goUp();
    void refresh();

    QString accountId() const { return m_accountId; }
    QString bucket() const;
    QString prefix() const;
    QStringList buckets() const;
    S3ObjectModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QString messageText() const;
    QString statusText() const;

    // Uploads local files and folders into the current prefix; returns the queued transfers.
    QList<DownloadId> uploadLocalPaths(const QStringList &paths);
    // The selected rows, as view rows mapped to the model.
    QList<int> selectedRows() const;
    void downloadSelected(const QString &directory);
    void shareSelected();
    // The selection as one ZIP file at `localPath`, or streamed into `bucket` under `key`; both
    // run as a job in the transfer list. When a bucket bundle completes, its share link goes to
    // the clipboard. Return the job, or 0 (with a message in the panel) when nothing was queued.
    DownloadId bundleSelectedTo(const QString &localPath, const S3BundleOptions &options);
    DownloadId bundleSelectedIntoBucket(const QString &bucket, const QString &key,
                                        const S3BundleOptions &options);
    // The archive's default base name: the selection's common folder, a single item's name or
    // the bucket.
    QString defaultBundleName() const;
    // "Download as ZIP…" and "Bundle into bucket…": the dialog, then the bundle.
    void bundleSelectedAsZip();
    void bundleSelectedIntoBucketDialog();
    void copySelectedUris();
    void deleteSelected();
    void showSelectedProperties();
    // "Unfinished Uploads…": the multipart uploads the open bucket holds, in a dialog of its
    // own (returned; it deletes itself when closed). Null without an open bucket.
    UnfinishedUploadsDialog *showUnfinishedUploads();
    void addAccount();
    void editAccount();
    void importAwsProfiles();

signals:
    // "Show Contents…" of the selected object, a ZIP archive read remotely.
    void contentsRequested(const QString &accountId, const QString &bucket, const QString &key);
    void accountOpened(const QString &accountId);
    void bucketsLoaded();
    void locationChanged(const QString &bucket, const QString &prefix);
    // Downloads of a selection were queued (count) or failed (error not empty).
    void downloadsQueued(int count, const QString &error);
    void uploadsQueued(const QList<ferry::DownloadId> &ids);
    void deleted(int count);
    // A bucket bundle completed and its share link is on the clipboard.
    void bundleLinkCopied(ferry::DownloadId id, const QString &url);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createWidgets();
    void createActions();
    void reloadAccounts();
    void onAccountOpened(const s3::Account &account, s3::Client *client, quint64 generation);
    void showContextMenu(const QPoint &pos);
    void showSelectedContents();
    void activateRow(const QModelIndex &proxyIndex);
    void updateStatus();
    void showMessage(const QString &text);
    void onTransferState(DownloadId id, DownloadState state);
    DownloadId queueBundle(zip::BundleSelection selection, const S3BundleOptions &options);
    static QStringList localPaths(const QMimeData *mime);

    S3Transfers *m_transfers;
    s3::AccountStore *m_accounts;
    s3::CredentialStore *m_credentials;
    std::function<QString()> m_downloadDirectory;
    std::function<int()> m_deflateLevel;
    s3::AwsConfig m_aws;
    QPointer<DownloadManager> m_manager;
    QPointer<s3::Client> m_client;
    QString m_accountId;
    quint64 m_openGeneration = 0;         // answers for an account the user has left are ignored
    QHash<DownloadId, QString> m_uploads; // upload -> bucket it goes into
    QHash<DownloadId, QString> m_bundles; // bucket bundle -> bucket it goes into

    QComboBox *m_accountCombo = nullptr;
    QToolButton *m_accountMenuButton = nullptr;
    QComboBox *m_bucketCombo = nullptr;
    S3Breadcrumb *m_breadcrumb = nullptr;
    QLineEdit *m_filter = nullptr;
    QToolButton *m_refreshButton = nullptr;
    MessageBar *m_messageBar = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_status = nullptr;
    S3ObjectModel *m_model = nullptr;
    S3ObjectFilterProxy *m_proxy = nullptr;

    QAction *m_downloadAction = nullptr;
    QAction *m_downloadToAction = nullptr;
    QAction *m_zipAction = nullptr;
    QAction *m_bundleAction = nullptr;
    QAction *m_shareAction = nullptr;
    QAction *m_copyUriAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_propertiesAction = nullptr;
    QAction *m_contentsAction = nullptr;
    QAction *m_unfinishedAction = nullptr;
    QAction *m_upAction = nullptr;
    QAction *m_openAction = nullptr;
};

} // namespace ferry::ui
