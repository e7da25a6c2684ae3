// The panel's commands on the selection (download, share, delete, properties), the bucket's
// unfinished uploads, account management and drops of local files; the widgets and
// navigation are in s3panel.cpp.
#include "s3panel.h"

#include "messagebar.h"
#include "s3accountdialog.h"
#include "s3deletejob.h"
#include "s3objectmodel.h"
#include "s3propertiesdialog.h"
#include "s3sharedialog.h"
#include "unfinisheduploadsdialog.h"

#include "api/downloadmanager.h"
#include "api/s3transfers.h"
#include "s3/accountstore.h"
#include "s3/credentialstore.h"
#include "s3/s3client.h"
#include "zip/bundleselection.h"

#include <QClipboard>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace ferry::ui {

void S3Panel::downloadSelected(const QString &directory)
{
    const S3Selection selection = m_model->selection(selectedRows());
    if (selection.isEmpty() || directory.isEmpty())
        return;
    queueS3Downloads(m_transfers, selection, directory,
                     [self = QPointer<S3Panel>(this)](int queued, const QString &error) {
                         if (!self)
                             return;
                         if (!error.isEmpty())
                             self->showMessage(error);
                         emit self->downloadsQueued(queued, error);
                     });
}

void S3Panel::showSelectedContents()
{
    const QList<int> rows = selectedRows();
    if (rows.size() != 1 || m_model->isFolder(rows.first()) || !m_client)
        return;
    emit contentsRequested(m_accountId, bucket(), m_model->keyAt(rows.first()));
}

void S3Panel::shareSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.size() != 1 || m_model->isFolder(rows.first()))
        return;
    auto *dialog = new S3ShareDialog(m_client, bucket(), m_model->keyAt(rows.first()), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

QString S3Panel::defaultBundleName() const
{
    const S3Selection selection = m_model->selection(selectedRows());
    QStringList keys;
    for (const S3SelectedObject &o : selection.objects)
        keys.append(o.key);
    auto lastSegment = [](QString path) {
        if (path.endsWith(u'/'))
            path.chop(1);
        return path.mid(path.lastIndexOf(u'/') + 1);
    };
    QString name;
    if (keys.size() + selection.prefixes.size() == 1) {
        name = lastSegment(keys.isEmpty() ? selection.prefixes.first() : keys.first());
        if (!keys.isEmpty() && name.contains(u'.'))
            name = name.left(name.lastIndexOf(u'.'));
    } else {
        name = lastSegment(zip::BundleSelection::commonParent(keys, selection.prefixes));
    }
    name.replace(u'/', u'_');
    if (name.isEmpty() || name == u"."_s || name == u".."_s)
        name = selection.bucket.isEmpty() ? bucket() : selection.bucket;
    return name.isEmpty() ? tr("bundle") : name;
}

void S3Panel::bundleSelectedAsZip()
{
    if (selectedRows().isEmpty())
        return;
    S3BundleDialog dialog(S3BundleDialog::LocalFile, this);
    if (m_deflateLevel)
        dialog.setDeflateLevel(m_deflateLevel());
    dialog.setLocalPath(QDir(m_downloadDirectory()).filePath(defaultBundleName() + u".zip"_s));
    if (dialog.exec() == QDialog::Accepted)
        bundleSelectedTo(dialog.localPath(), dialog.options());
}

void S3Panel::bundleSelectedIntoBucketDialog()
{
    if (selectedRows().isEmpty())
        return;
    S3BundleDialog dialog(S3BundleDialog::IntoBucket, this);
    if (m_deflateLevel)
        dialog.setDeflateLevel(m_deflateLevel());
    dialog.setBuckets(buckets(), bucket());
    dialog.setTargetKey(prefix() + defaultBundleName() + u".zip"_s);
    if (dialog.exec() == QDialog::Accepted)
        bundleSelectedIntoBucket(dialog.targetBucket(), dialog.targetKey(), dialog.options());
}

DownloadId S3Panel::bundleSelectedTo(const QString &localPath, const S3BundleOptions &options)
{
    if (localPath.isEmpty())
        return 0;
    zip::BundleSelection selection;
    selection.localPath = QFileInfo(localPath).absoluteFilePath();
    return queueBundle(std::move(selection), options);
}

DownloadId S3Panel::bundleSelectedIntoBucket(const QString &bucket, const QString &key,
                                             const S3BundleOptions &options)
{
    if (bucket.isEmpty() || key.isEmpty())
        return 0;
    zip::BundleSelection selection;
    selection.targetBucket = bucket;
    selection.targetKey = key;
    const DownloadId id = queueBundle(std::move(selection), options);
    if (id != 0)
        m_bundles.insert(id, bucket);
    return id;
}

DownloadId S3Panel::queueBundle(zip::BundleSelection selection, const S3BundleOptions &options)
{
    const S3Selection picked = m_model->selection(selectedRows());
    if (picked.isEmpty())
        return 0;
    selection.account = picked.accountId.isEmpty() ? m_accountId : picked.accountId;
    selection.bucket = picked.bucket;
    for (const S3SelectedObject &o : picked.objects)
        selection.keys.append(o.key);
    selection.prefixes = picked.prefixes;
    selection.deflateLevel = qBound(1, options.deflateLevel, 9);
    selection.skipOnError = options.skipOnError;
    selection.shareExpirySeconds =
        qBound<qint64>(1, options.shareExpirySeconds, S3BundleDialog::maxExpirySeconds);
    QString error;
    const DownloadId id = m_transfers->bundle(selection, &error);
    if (id == 0)
        showMessage(error.isEmpty() ? tr("The ZIP bundle could not be queued.") : error);
    return id;
}

void S3Panel::copySelectedUris()
{
    const S3Selection selection = m_model->selection(selectedRows());
    if (!selection.isEmpty())
        QGuiApplication::clipboard()->setText(selection.uris().join(u'\n'));
}

void S3Panel::deleteSelected()
{
    const S3Selection selection = m_model->selection(selectedRows());
    if (selection.isEmpty() || !m_client)
        return;
    QString question;
    if (selection.prefixes.isEmpty())
        question = tr("Delete %n object(s) from “%1”?", nullptr, int(selection.objects.size()))
                       .arg(selection.bucket);
    else
        question = tr("Delete %n object(s) and %1 folder(s) with everything in them from “%2”?",
                      nullptr, int(selection.objects.size()))
                       .arg(selection.prefixes.size())
                       .arg(selection.bucket);
    QMessageBox box(QMessageBox::Warning, tr("Delete from S3"), question, QMessageBox::Cancel,
                    this);
    box.setObjectName(u"s3DeleteConfirmation"_s);
    box.setInformativeText(tr("This cannot be undone."));
    box.setDetailedText(selection.uris().mid(0, 200).join(u'\n'));
    QPushButton *yes = box.addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != yes)
        return;
    auto *job = new S3DeleteJob(m_client, selection, this);
    connect(job, &S3DeleteJob::finished, this,
            [this](int count, const QStringList &failed, const QString &error) {
                if (!error.isEmpty())
                    showMessage(error);
                else if (!failed.isEmpty())
                    showMessage(tr("%n object(s) could not be deleted, e.g. %1.", nullptr,
                                   int(failed.size()))
                                    .arg(failed.first()));
                refresh();
                emit deleted(count);
            });
    m_status->setText(tr("Deleting…"));
    job->start();
}

void S3Panel::showSelectedProperties()
{
    const QList<int> rows = selectedRows();
    if (rows.size() != 1 || m_model->isFolder(rows.first()))
        return;
    auto *dialog = new S3PropertiesDialog(m_client, bucket(), m_model->keyAt(rows.first()), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

UnfinishedUploadsDialog *S3Panel::showUnfinishedUploads()
{
    if (!m_client || bucket().isEmpty())
        return nullptr;
    DownloadManager *manager = m_manager ? m_manager.data() : m_transfers->manager();
    auto *dialog = new UnfinishedUploadsDialog(m_client, bucket(), manager, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void S3Panel::addAccount()
{
    S3AccountDialog dialog(m_accounts, m_credentials, m_aws, std::nullopt, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (dialog.saveOutcome() == s3::CredentialStore::SaveOutcome::SessionOnly)
        showMessage(m_credentials->keychainMessage());
    openAccount(dialog.account().id);
}

void S3Panel::editAccount()
{
    const auto account = m_accounts->find(m_accountId);
    if (!account) {
        addAccount();
        return;
    }
    S3AccountDialog dialog(m_accounts, m_credentials, m_aws, account, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (dialog.saveOutcome() == s3::CredentialStore::SaveOutcome::SessionOnly)
        showMessage(m_credentials->keychainMessage());
    openAccount(dialog.account().id);
}

void S3Panel::importAwsProfiles()
{
    const QList<s3::Account> added = m_accounts->importAwsProfiles(m_aws);
    if (added.isEmpty()) {
        showMessage(tr("No profile with access keys to import was found in %1.")
                        .arg(m_aws.sourceDescription()));
        return;
    }
    m_messageBar->showMessage(
        tr("Imported %n account(s) from ~/.aws.", nullptr, int(added.size())));
    openAccount(added.first().id);
}

QStringList S3Panel::localPaths(const QMimeData *mime)
{
    QStringList paths;
    if (!mime || !mime->hasUrls())
        return paths;
    for (const QUrl &url : mime->urls()) {
        if (!url.isLocalFile())
            return {};
        paths.append(url.toLocalFile());
    }
    return paths;
}

void S3Panel::dragEnterEvent(QDragEnterEvent *event)
{
    if (m_client && !bucket().isEmpty() && !localPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void S3Panel::dragMoveEvent(QDragMoveEvent *event)
{
    if (m_client && !bucket().isEmpty() && !localPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void S3Panel::dropEvent(QDropEvent *event)
{
    const QStringList paths = localPaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    uploadLocalPaths(paths);
}

QList<DownloadId> S3Panel::uploadLocalPaths(const QStringList &paths)
{
    QList<DownloadId> ids;
    if (!m_client || bucket().isEmpty())
        return ids;
    QString firstError;
    for (const QString &path : paths) {
        QString error;
        const QList<DownloadId> added =
            m_transfers->upload(m_accountId, path, bucket(), prefix(), &error);
        if (!error.isEmpty() && firstError.isEmpty())
            firstError = error;
        for (DownloadId id : added)
            m_uploads.insert(id, bucket());
        ids += added;
    }
    if (!firstError.isEmpty())
        showMessage(firstError);
    if (!ids.isEmpty())
        emit uploadsQueued(ids);
    return ids;
}

void S3Panel::onTransferState(DownloadId id, DownloadState state)
{
    if (m_bundles.contains(id) &&
        (state == DownloadState::Completed || state == DownloadState::Failed)) {
        const QString target = m_bundles.take(id);
        const auto snap = m_manager ? m_manager->snapshot(id) : std::nullopt;
        const QString message = snap ? snap->message : QString();
        if (state == DownloadState::Failed) {
            showMessage(tr("The ZIP bundle failed: %1").arg(message));
            return;
        }
        // The message is the link, after a note on objects left out when there were any.
        QString url;
        for (const QString &word : message.split(u' ', Qt::SkipEmptyParts)) {
            if (word.startsWith(u"https://"_s) || word.startsWith(u"http://"_s))
                url = word;
        }
        if (url.isEmpty()) {
            showMessage(tr("The ZIP bundle is in the bucket, but no share link was made."));
        } else {
            QGuiApplication::clipboard()->setText(url);
            const QString note = message.left(message.indexOf(url)).trimmed();
            showMessage(note.isEmpty() ? tr("Share link copied to the clipboard.")
                                       : tr("Share link copied to the clipboard.") + u' ' + note);
            emit bundleLinkCopied(id, url);
        }
        if (target == bucket() && !m_model->isLoading())
            m_model->refresh();
        return;
    }
    if (!m_uploads.contains(id) ||
        (state != DownloadState::Completed && state != DownloadState::Failed))
        return;
    const QString target = m_uploads.take(id);
    // Several uploads usually finish together; one listing shows them all.
    if (state == DownloadState::Completed && target == bucket() && !m_model->isLoading())
        QTimer::singleShot(300, this, [this] {
            if (!m_model->isLoading())
                m_model->refresh();
        });
}

} // namespace ferry::ui
