// The panel's commands on the selection (download, share, delete, properties), account
// management and drops of local files; the widgets and navigation are in s3panel.cpp.
#include "s3panel.h"

#include "messagebar.h"
#include "s3accountdialog.h"
#include "s3deletejob.h"
#include "s3objectmodel.h"
#include "s3propertiesdialog.h"
#include "s3sharedialog.h"

#include "api/s3transfers.h"
#include "s3/accountstore.h"
#include "s3/credentialstore.h"
#include "s3/s3client.h"

#include <QClipboard>
#include <QDragEnterEvent>
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

void S3Panel::shareSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.size() != 1 || m_model->isFolder(rows.first()))
        return;
    auto *dialog = new S3ShareDialog(m_client, bucket(), m_model->keyAt(rows.first()), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
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
