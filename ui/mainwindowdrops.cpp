// What the main window does with things dropped on it: links become downloads, a text file
// full of links is read like a pasted list, a side panel may claim its own formats, and other
// local files get an explanation instead of silence. Rows dragged within the transfer list
// never reach these handlers (the list takes them) and only move in the queue.
#include "appsettings.h"
#include "mainwindow.h"
#include "messagebar.h"
#include "transfermodel.h"

#include "api/downloadmanager.h"

#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QMimeData>
#include <QStringDecoder>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::ui {

namespace {

// A list of links saved as text is small; anything larger is not read into memory.
constexpr qint64 kLinkListMaxBytes = 1024 * 1024;

// The links in a local file, if it is a text file holding some.
QStringList linksInFile(const QString &path)
{
    const QFileInfo info(path);
    if (!info.isFile() || info.size() > kLinkListMaxBytes)
        return {};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = file.readAll();
    if (bytes.contains('\0'))
        return {}; // binary
    QStringDecoder utf8(QStringDecoder::Utf8);
    const QString text = utf8.decode(bytes);
    if (utf8.hasError())
        return {};
    return AppSettings::urlsFromText(text);
}

} // namespace

void MainWindow::setDropHandler(const QStringList &formats,
                                std::function<bool(const QMimeData *)> handler)
{
    m_dropFormats = formats;
    m_dropHandler = std::move(handler);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QMimeData *mime = event->mimeData();
    const bool ours = std::any_of(m_dropFormats.begin(), m_dropFormats.end(),
                                  [mime](const QString &f) { return mime->hasFormat(f); });
    if (ours || mime->hasUrls() || mime->hasText())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QMimeData *mime = event->mimeData();
    for (const QString &f : std::as_const(m_dropFormats)) {
        if (mime->hasFormat(f) && m_dropHandler && m_dropHandler(mime)) {
            event->acceptProposedAction();
            return;
        }
    }
    QStringList urls;
    QStringList localPaths;
    for (const QUrl &u : mime->urls()) {
        if (u.scheme() == u"http"_s || u.scheme() == u"https"_s)
            urls << u.toString();
        else if (u.isLocalFile())
            localPaths << u.toLocalFile();
    }
    if (!localPaths.isEmpty())
        dropLocalFiles(localPaths, &urls);
    else if (urls.isEmpty())
        urls = AppSettings::urlsFromText(mime->text());
    event->acceptProposedAction();
    if (!urls.isEmpty())
        QMetaObject::invokeMethod(
            this, [this, urls] { openAddDialog(urls.join(u'\n')); }, Qt::QueuedConnection);
}

void MainWindow::moveDropped(const QList<DownloadId> &ids, DownloadId beforeId)
{
    m_manager->moveInQueueBefore(ids, beforeId);
    // The new order shows at once rather than with the next tick.
    QList<DownloadSnapshot> queue;
    for (const DownloadSnapshot &s : m_manager->snapshots()) {
        if (s.state != DownloadState::Completed)
            queue.append(s);
    }
    m_model->applySnapshots(queue);
    updateActions();
}

void MainWindow::dropLocalFiles(const QStringList &paths, QStringList *links)
{
    QStringList other;
    for (const QString &path : paths) {
        const QStringList found = linksInFile(path);
        if (found.isEmpty())
            other << QFileInfo(path).fileName();
        else
            *links << found;
    }
    links->removeDuplicates();
    if (other.isEmpty())
        return;
    const QString what =
        other.size() == 1
            ? tr("“%1” is already on this computer.").arg(other.first())
            : tr("%n dropped item(s) are already on this computer.", nullptr, int(other.size()));
    if (!m_sidePanelDock) {
        m_messageBar->showMessage(
            tr("%1 Ferry downloads links; drop links, or a text file listing them.").arg(what));
        return;
    }
    QDockWidget *dock = m_sidePanelDock;
    m_messageBar->showMessage(
        tr("%1 To upload into a bucket, drop onto the %2 instead.").arg(what, dock->windowTitle()),
        tr("Show %1").arg(dock->windowTitle()), [dock] {
            dock->show();
            dock->raise();
        });
}

} // namespace ferry::ui
