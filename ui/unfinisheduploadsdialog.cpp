#include "unfinisheduploadsdialog.h"

#include "format.h"

#include "api/downloadmanager.h"
#include "s3/s3client.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::ui {

namespace {

enum Role {
    UploadIdRole = Qt::UserRole,
    KeyRole,
    TransferRole, // the transfer in Ferry's list, 0 for someone else's upload
};

// Requests for sizes on the wire at once: a long list must not flood the server.
constexpr int maxSizeRequests = 3;

bool isGone(const s3::Error &error)
{
    // Completed or aborted meanwhile; some servers say NoSuchKey for an upload they forgot.
    return error.code == u"NoSuchUpload"_s || error.code == u"NoSuchKey"_s;
}

} // namespace

UnfinishedUploadsDialog::UnfinishedUploadsDialog(s3::Client *client, const QString &bucket,
                                                 DownloadManager *manager, QWidget *parent)
    : QDialog(parent), m_client(client), m_bucket(bucket), m_manager(manager)
{
    setObjectName(u"unfinishedUploadsDialog"_s);
    setWindowTitle(tr("Unfinished Uploads in %1").arg(bucket));

    auto *intro = new QLabel(
        tr("Uploads that were started but neither completed nor aborted. Their parts are stored, "
           "and billed, until one or the other happens."),
        this);
    intro->setWordWrap(true);

    m_list = new QTreeWidget(this);
    m_list->setObjectName(u"unfinishedUploads"_s);
    m_list->setColumnCount(ColumnCount);
    m_list->setHeaderLabels({tr("Key"), tr("Started"), tr("Started by"), tr("Size so far")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setSortingEnabled(true);
    m_list->sortByColumn(Started, Qt::AscendingOrder);
    m_list->header()->setSectionResizeMode(Key, QHeaderView::Stretch);
    m_list->header()->setStretchLastSection(false);
    // The time and the initiator are shown whole; the key takes what is left.
    for (int column : {int(Started), int(StartedBy), int(Size)})
        m_list->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this,
            &UnfinishedUploadsDialog::updateButtons);
    connect(m_list->verticalScrollBar(), &QScrollBar::valueChanged, this,
            &UnfinishedUploadsDialog::fetchVisibleSizes);

    m_status = new QLabel(this);
    m_status->setObjectName(u"unfinishedUploadsStatus"_s);
    m_error = new QLabel(this);
    m_error->setObjectName(u"unfinishedUploadsError"_s);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_resume = buttons->addButton(tr("&Resume"), QDialogButtonBox::ActionRole);
    m_resume->setObjectName(u"resumeButton"_s);
    m_resume->setToolTip(
        tr("Continue this upload in Ferry's transfer list (Ferry's own uploads only)."));
    m_abort = buttons->addButton(tr("&Abort…"), QDialogButtonBox::ActionRole);
    m_abort->setObjectName(u"abortButton"_s);
    m_abort->setToolTip(tr("Remove the upload and the parts stored for it from the server."));
    m_refresh = buttons->addButton(tr("Re&fresh"), QDialogButtonBox::ActionRole);
    m_refresh->setObjectName(u"refreshButton"_s);
    connect(m_resume, &QPushButton::clicked, this, &UnfinishedUploadsDialog::resumeSelected);
    connect(m_abort, &QPushButton::clicked, this, &UnfinishedUploadsDialog::abortSelected);
    connect(m_refresh, &QPushButton::clicked, this, &UnfinishedUploadsDialog::refresh);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(760, 380);

    updateButtons();
    refresh();
}

UnfinishedUploadsDialog::~UnfinishedUploadsDialog() = default;

QString UnfinishedUploadsDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void UnfinishedUploadsDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void UnfinishedUploadsDialog::refresh()
{
    const quint64 generation = ++m_generation;
    m_sizeAsked.clear();
    m_sizesInFlight = 0;
    showError({});
    if (!m_client) {
        m_loading = false;
        m_list->clear();
        m_status->clear();
        showError(tr("The S3 account of this bucket is not open any more."));
        updateButtons();
        emit listed();
        return;
    }
    m_loading = true;
    m_status->setText(tr("Loading…"));
    updateButtons();
    s3::Reply *reply = m_client->listMultipartUploads(m_bucket);
    connect(reply, &s3::Reply::finished, this, [this, reply, generation] {
        if (generation != m_generation)
            return;
        m_loading = false;
        if (reply->error.isError()) {
            m_status->clear();
            showError(tr("Could not list the unfinished uploads: %1").arg(reply->error.message));
        } else {
            showUploads(reply->uploads);
        }
        updateButtons();
        emit listed();
    });
}

void UnfinishedUploadsDialog::showUploads(const QList<s3::MultipartUpload> &uploads)
{
    // Ferry's own uploads, by upload id; the object must match too.
    QHash<QString, DownloadSnapshot> ours;
    if (m_manager) {
        for (const DownloadSnapshot &s : m_manager->snapshots()) {
            if (s.kind == TransferKind::Upload && !s.uploadId.isEmpty())
                ours.insert(s.uploadId, s);
        }
    }
    const QString selected =
        selectedItem() ? selectedItem()->data(Key, UploadIdRole).toString() : QString();
    m_list->setSortingEnabled(false);
    m_list->clear();
    for (const s3::MultipartUpload &u : uploads) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(Key, u.key);
        item->setToolTip(Key, s3::Client::s3Uri(m_bucket, u.key));
        item->setData(Key, UploadIdRole, u.uploadId);
        item->setData(Key, KeyRole, u.key);
        item->setText(Started, formatDateTime(u.initiated));
        item->setData(Started, Qt::UserRole, u.initiated);
        const auto it = ours.constFind(u.uploadId);
        const bool mine = it != ours.constEnd() && it->source == s3::Client::s3Uri(m_bucket, u.key);
        if (mine) {
            item->setText(StartedBy, tr("This Ferry"));
            item->setToolTip(StartedBy, tr("Transfer of %1").arg(it->fileName));
            item->setData(Key, TransferRole, qint64(it->id));
        } else {
            const QString who = !u.initiator.isEmpty() ? u.initiator : u.owner;
            item->setText(StartedBy, who.isEmpty() ? tr("Unknown") : who);
            item->setData(Key, TransferRole, qint64(0));
        }
        item->setText(Size, tr("…"));
        item->setTextAlignment(Size, Qt::AlignRight | Qt::AlignVCenter);
        if (u.uploadId == selected)
            item->setSelected(true);
    }
    m_list->setSortingEnabled(true);
    m_status->setText(uploads.isEmpty()
                          ? tr("No unfinished uploads in this bucket.")
                          : tr("%n unfinished upload(s).", nullptr, int(uploads.size())));
    // Once laid out, the rows in view are known.
    QTimer::singleShot(0, this, &UnfinishedUploadsDialog::fetchVisibleSizes);
}

void UnfinishedUploadsDialog::fetchVisibleSizes()
{
    if (!m_client)
        return;
    const QRect area = m_list->viewport()->rect();
    QTreeWidgetItem *item = m_list->itemAt(area.topLeft());
    if (!item && m_list->topLevelItemCount() > 0)
        item = m_list->topLevelItem(0);
    for (; item && m_sizesInFlight < maxSizeRequests; item = m_list->itemBelow(item)) {
        const QRect rect = m_list->visualItemRect(item);
        if (rect.isValid() && rect.top() > area.bottom())
            break;
        if (!m_sizeAsked.contains(item->data(Key, UploadIdRole).toString()))
            fetchSize(item);
    }
}

void UnfinishedUploadsDialog::fetchSize(QTreeWidgetItem *item)
{
    const QString uploadId = item->data(Key, UploadIdRole).toString();
    const QString key = item->data(Key, KeyRole).toString();
    m_sizeAsked.insert(uploadId);
    ++m_sizesInFlight;
    const quint64 generation = m_generation;
    s3::Reply *reply = m_client->listParts(m_bucket, key, uploadId);
    connect(reply, &s3::Reply::finished, this, [this, reply, generation, uploadId] {
        if (generation != m_generation)
            return;
        --m_sizesInFlight;
        if (QTreeWidgetItem *row = itemOf(uploadId)) {
            if (reply->error.isError()) {
                row->setText(Size, isGone(reply->error) ? tr("gone") : tr("unknown"));
                row->setToolTip(Size, reply->error.message);
            } else {
                qint64 bytes = 0;
                for (const s3::Part &p : reply->parts)
                    bytes += p.size;
                row->setText(Size, formatSize(bytes));
                row->setData(Size, Qt::UserRole, bytes);
                row->setToolTip(Size, tr("%n part(s), %1 bytes", nullptr, int(reply->parts.size()))
                                          .arg(QLocale().toString(bytes)));
            }
        }
        emit sizeLoaded(uploadId, !reply->error.isError());
        fetchVisibleSizes();
    });
}

QTreeWidgetItem *UnfinishedUploadsDialog::selectedItem() const
{
    const QList<QTreeWidgetItem *> items = m_list->selectedItems();
    return items.isEmpty() ? nullptr : items.first();
}

QTreeWidgetItem *UnfinishedUploadsDialog::itemOf(const QString &uploadId) const
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        if (m_list->topLevelItem(i)->data(Key, UploadIdRole).toString() == uploadId)
            return m_list->topLevelItem(i);
    }
    return nullptr;
}

int UnfinishedUploadsDialog::rowOf(const QString &uploadId) const
{
    QTreeWidgetItem *item = itemOf(uploadId);
    return item ? m_list->indexOfTopLevelItem(item) : -1;
}

DownloadId UnfinishedUploadsDialog::transferOf(const QString &uploadId) const
{
    QTreeWidgetItem *item = itemOf(uploadId);
    return item ? item->data(Key, TransferRole).toLongLong() : 0;
}

void UnfinishedUploadsDialog::updateButtons()
{
    QTreeWidgetItem *item = selectedItem();
    const DownloadId transfer = item ? item->data(Key, TransferRole).toLongLong() : 0;
    bool resumable = false;
    if (transfer != 0 && m_manager) {
        const auto s = m_manager->snapshot(transfer);
        resumable = s && s->state != DownloadState::Downloading &&
                    s->state != DownloadState::Verifying && s->state != DownloadState::Completed;
    }
    m_resume->setEnabled(resumable);
    m_abort->setEnabled(item && m_client && !m_loading);
    m_refresh->setEnabled(!m_loading);
}

void UnfinishedUploadsDialog::resumeSelected()
{
    QTreeWidgetItem *item = selectedItem();
    const DownloadId transfer = item ? item->data(Key, TransferRole).toLongLong() : 0;
    if (transfer == 0 || !m_manager)
        return;
    if (!m_manager->snapshot(transfer)) {
        showError(tr("The transfer of this upload is no longer in Ferry's list."));
        return;
    }
    showError({});
    m_manager->resume(transfer);
    m_status->setText(tr("The upload of %1 continues in the transfer list.").arg(item->text(Key)));
    emit resumed(transfer);
    updateButtons();
}

void UnfinishedUploadsDialog::abortSelected()
{
    QTreeWidgetItem *item = selectedItem();
    if (!item || !m_client)
        return;
    const QString uploadId = item->data(Key, UploadIdRole).toString();
    const QString key = item->data(Key, KeyRole).toString();
    const bool mine = item->data(Key, TransferRole).toLongLong() != 0;
    QMessageBox box(
        QMessageBox::Warning, tr("Abort Upload"),
        tr("Abort the upload of “%1” and remove its stored parts from the server?").arg(key),
        QMessageBox::Cancel, this);
    box.setObjectName(u"abortUploadConfirmation"_s);
    box.setInformativeText(
        mine ? tr("This cannot be undone. Ferry's transfer of this file will start again "
                  "from the beginning when it is resumed.")
             : tr("This cannot be undone. Whoever started the upload cannot finish it."));
    QPushButton *yes = box.addButton(tr("Abort Upload"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != yes || !m_client)
        return;
    showError({});
    m_status->setText(tr("Aborting…"));
    m_abort->setEnabled(false);
    s3::Reply *reply = m_client->abortMultipartUpload(m_bucket, key, uploadId);
    connect(reply, &s3::Reply::finished, this, [this, reply, uploadId] {
        if (reply->error.isError() && !isGone(reply->error)) {
            showError(tr("Could not abort the upload: %1").arg(reply->error.message));
            updateButtons();
            return;
        }
        emit aborted(uploadId);
        refresh();
    });
}

} // namespace ferry::ui
