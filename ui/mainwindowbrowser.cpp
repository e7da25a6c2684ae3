// What the window makes of downloads handed over by a browser's extension.
#include "mainwindow.h"

#include "adddialog.h"
#include "appsettings.h"
#include "messagebar.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace ferry::ui {

void MainWindow::offerFromBrowser(const BrowserOffer &offer)
{
    if (offer.links.isEmpty())
        return;
    if (!offer.pageLinks && m_settings->startCapturedWithoutAsking()) {
        // As the add dialog would have made it with its defaults, without the dialog.
        const QUrl url(offer.links.constFirst().first);
        DownloadRequest request;
        request.url = url;
        request.probedName = offer.suggestedName;
        request.probedSize = offer.size;
        request.directory = m_settings->folderFor(offer.suggestedName.isEmpty() ? url.fileName()
                                                                                : offer.suggestedName);
        request.connections = m_settings->connectionsPerDownload();
        request.extractArchive = m_settings->extractArchives();
        request.trashArchive = m_settings->trashExtractedArchives();
        if (offer.headersFor)
            request.headers = offer.headersFor(url);
        const RequestAdder::Outcome outcome = addRequests({request}, true);
        if (outcome.errors.isEmpty() && !outcome.added.isEmpty())
            m_messageBar->showMessage(tr("Caught in %1: %2")
                                          .arg(offer.browser, offer.suggestedName.isEmpty()
                                                                  ? url.fileName()
                                                                  : offer.suggestedName));
        return;
    }

    showNormal();
    raise();
    activateWindow();
    AddDialog dialog(m_prober, m_settings, this);
    if (offer.headersFor) {
        const QString host = QUrl(offer.pageLinks ? offer.page : offer.links.constFirst().first).host();
        dialog.setBrowserHeaders(offer.headersFor,
                                 tr("From %1: sent with its cookies for %2, the page it came from "
                                    "and its User-Agent (never in Ferry's files; in the system keychain until the download ends).")
                                     .arg(offer.browser, host));
    }
    if (offer.pageLinks) {
        QList<ProbeList::Link> links;
        links.reserve(offer.links.size());
        for (const auto &[url, text] : offer.links)
            links.append({url, text});
        dialog.setLinks(links);
    } else {
        dialog.setUrlsText(offer.links.constFirst().first);
    }
    if (dialog.exec() == QDialog::Accepted)
        queueAdded(addRequests(dialog.requests(), dialog.startNow()), dialog.startNow());
}

} // namespace ferry::ui
