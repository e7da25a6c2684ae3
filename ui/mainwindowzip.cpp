// MainWindow: the contents of remote ZIP archives, and downloads of single entries.
#include "mainwindow.h"

#include "appsettings.h"
#include "messagebar.h"
#include "zipcontentsdialog.h"

#include "api/downloadmanager.h"

#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace ferry::ui {

namespace {

// The s3:// address of an S3 download: its bucket and key.
std::pair<QString, QString> splitS3Uri(const QString &uri)
{
    const QString rest = uri.mid(5);
    return {rest.section(u'/', 0, 0), rest.section(u'/', 1)};
}

} // namespace

void MainWindow::showContentsOfSelected()
{
    const auto s = currentSnapshot();
    if (!s || s->kind != TransferKind::Download)
        return;
    zipread::ArchiveSource source;
    source.url = s->url;
    if (s->source.startsWith(u"s3://"_s)) {
        source.account = s->account;
        std::tie(source.bucket, source.key) = splitS3Uri(s->source);
    } else {
        source.headers = m_manager->requestHeaders(s->id);
    }
    showZipContents(source);
}

ZipContentsDialog *MainWindow::showZipContents(const zipread::ArchiveSource &given, QWidget *parent)
{
    zipread::ArchiveSource source = given;
    std::optional<std::pair<s3::Account, s3::Credentials>> keys;
    if (source.isS3()) {
        keys = m_s3Keys ? m_s3Keys(source.account) : std::nullopt;
        if (!keys) {
            m_messageBar->showMessage(
                tr("The contents of %1 cannot be shown: its S3 account is not open.")
                    .arg(source.display()));
            return nullptr;
        }
        if (source.url.isEmpty() && m_s3ObjectUrl)
            source.url = m_s3ObjectUrl(source.account, source.bucket, source.key);
    }
    auto *dialog = new ZipContentsDialog(source, parent ? parent : this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (keys)
        dialog->setS3Keys(keys->first, keys->second);
    dialog->setFolder(m_settings->downloadFolder());
    dialog->setDownloader(ZipContentsDialog::queueingDownloader(
        m_manager, source, [this](DownloadId last) { revealDownload(last); }));
    connect(dialog, &ZipContentsDialog::entriesQueued, this,
            [this](int count, const QString &message) {
                if (count > 0)
                    statusBar()->showMessage(
                        tr("%n entry(ies) added to the queue.", nullptr, count), 5000);
                if (!message.isEmpty())
                    m_messageBar->showMessage(message);
            });
    dialog->show();
    dialog->load();
    return dialog;
}

} // namespace ferry::ui
