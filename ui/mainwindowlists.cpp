// MainWindow: lists of downloads written to a file and read back (File → Import / Export).
#include "mainwindow.h"

#include "adddialog.h"
#include "appsettings.h"
#include "messagebar.h"

#include "api/downloadlist.h"
#include "api/downloadmanager.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace ferry::ui {

void MainWindow::createListActions()
{
    m_importAction = new QAction(tr("&Import List…"), this);
    connect(m_importAction, &QAction::triggered, this, &MainWindow::importList);
    m_exportAction = new QAction(tr("E&xport List…"), this);
    connect(m_exportAction, &QAction::triggered, this, [this] { exportList(false); });
    m_exportSelectionAction = new QAction(tr("Expor&t Selection…"), this);
    m_exportSelectionAction->setEnabled(false);
    connect(m_exportSelectionAction, &QAction::triggered, this, [this] { exportList(true); });
    if (!m_chooseListFile) {
        m_chooseListFile = [this](bool save) {
            const QString folder = m_settings->lastFolder();
            if (!save)
                return QFileDialog::getOpenFileName(this, tr("Import List"), folder,
                                                    tr("Lists (*.txt *.json);;All files (*)"));
            const QString json = tr("JSON, with folders and settings (*.json)");
            QString filter;
            QString path = QFileDialog::getSaveFileName(
                this, tr("Export List"), QDir(folder).filePath(u"downloads.txt"_s),
                tr("Text, one address per line (*.txt)") + u";;"_s + json, &filter);
            if (!path.isEmpty() && QFileInfo(path).suffix().isEmpty())
                path += filter == json ? u".json"_s : u".txt"_s;
            return path;
        };
    }
}

void MainWindow::exportList(bool selectionOnly)
{
    const QList<DownloadId> selected = selectedIds();
    QList<DownloadSnapshot> downloads;
    QHash<DownloadId, DownloadList::Extras> extras;
    for (const DownloadSnapshot &d : m_manager->snapshots()) {
        // S3 objects and uploads are reached through an account, not by an address; an
        // archive's entry by its listing (the address alone would fetch the whole archive).
        if (d.kind != TransferKind::Download || !d.source.isEmpty() || !d.archiveEntry.isEmpty())
            continue;
        if (selectionOnly && !selected.contains(d.id))
            continue;
        downloads.append(d);
        const DownloadManager::ListDetails details = m_manager->listDetails(d.id);
        extras.insert(d.id, {details.checksum, details.headerNames});
    }
    if (downloads.isEmpty()) {
        m_messageBar->showMessage(tr("There are no downloads to export."));
        return;
    }
    const QString path = m_chooseListFile(true);
    if (path.isEmpty())
        return;
    const bool json = QFileInfo(path).suffix().compare(u"json"_s, Qt::CaseInsensitive) == 0;
    const QByteArray data = DownloadList::write(
        downloads, json ? DownloadList::Format::Json : DownloadList::Format::Text, extras);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        m_messageBar->showMessage(tr("The list could not be saved to %1: %2")
                                      .arg(QDir::toNativeSeparators(path), file.errorString()));
        return;
    }
    m_messageBar->showMessage(tr("Exported %n download(s) to %1.", nullptr, int(downloads.size()))
                                  .arg(QDir::toNativeSeparators(path)));
}

void MainWindow::importList()
{
    const QString path = m_chooseListFile(false);
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_messageBar->showMessage(tr("The list %1 could not be read: %2")
                                      .arg(QDir::toNativeSeparators(path), file.errorString()));
        return;
    }
    const DownloadList::Imported list = DownloadList::read(file.readAll());
    if (list.requests.isEmpty()) {
        m_messageBar->showMessage(
            tr("%1 holds no http or https address.").arg(QDir::toNativeSeparators(path)));
        return;
    }
    AddDialog dialog(m_prober, m_settings, this);
    dialog.setRequests(list.requests, list.skipped);
    if (dialog.exec() != QDialog::Accepted)
        return;
    addRequests(dialog.requests(), dialog.startNow());
}

} // namespace ferry::ui
