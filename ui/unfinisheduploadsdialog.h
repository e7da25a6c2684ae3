#pragma once

#include "api/downloadtypes.h"
#include "s3/s3types.h"

#include <QDialog>
#include <QPointer>
#include <QSet>

class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace ferry {
class DownloadManager;
namespace s3 {
class Client;
}
} // namespace ferry

namespace ferry::ui {

// The multipart uploads a bucket holds that were neither completed nor aborted: their parts
// cost storage until someone does one or the other. Lists them (ListMultipartUploads) with the
// key, when and by whom each was started — "This Ferry" when the upload belongs to a transfer
// in Ferry's list — and the bytes stored so far, asked for (ListParts) only for the rows that
// come into view. Ferry's own uploads can be resumed through the transfer list; any of them can
// be aborted. Errors stay in the dialog. GUI thread only.
class UnfinishedUploadsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UnfinishedUploadsDialog)
public:
    enum Column { Key, Started, StartedBy, Size, ColumnCount };

    // `manager` tells which uploads are Ferry's and resumes them; it may be null.
    UnfinishedUploadsDialog(s3::Client *client, const QString &bucket, DownloadManager *manager,
                            QWidget *parent = nullptr);
    ~UnfinishedUploadsDialog() override;

    void refresh();
    // The selected row's transfer, queued again in Ferry's list (Ferry's uploads only).
    void resumeSelected();
    // Asks, then aborts the selected upload on the server and lists again.
    void abortSelected();

    QTreeWidget *list() const { return m_list; }
    // The row of `uploadId`, or -1.
    int rowOf(const QString &uploadId) const;
    // The transfer in Ferry's list an upload belongs to, or 0.
    DownloadId transferOf(const QString &uploadId) const;
    bool isLoading() const { return m_loading; }
    QString errorText() const;

signals:
    void listed();
    // The parts of a row's upload were counted (`ok`), or could not be.
    void sizeLoaded(const QString &uploadId, bool ok);
    void resumed(ferry::DownloadId id);
    void aborted(const QString &uploadId);

private:
    void showUploads(const QList<s3::MultipartUpload> &uploads);
    void fetchVisibleSizes();
    void fetchSize(QTreeWidgetItem *item);
    void updateButtons();
    void showError(const QString &text);
    QTreeWidgetItem *selectedItem() const;
    QTreeWidgetItem *itemOf(const QString &uploadId) const;

    QPointer<s3::Client> m_client;
    QString m_bucket;
    QPointer<DownloadManager> m_manager;
    quint64 m_generation = 0; // answers for an earlier listing are dropped
    bool m_loading = false;
    int m_sizesInFlight = 0;
    QSet<QString> m_sizeAsked; // upload ids whose parts were asked for in this listing

    QTreeWidget *m_list = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_resume = nullptr;
    QPushButton *m_abort = nullptr;
    QPushButton *m_refresh = nullptr;
};

} // namespace ferry::ui
