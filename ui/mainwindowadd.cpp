// MainWindow: adding downloads from the add dialog, and showing one that was already there.
#include "mainwindow.h"

#include "adddialog.h"
#include "appsettings.h"
#include "messagebar.h"
#include "requestadder.h"
#include "transferfilterproxy.h"
#include "transfermodel.h"
#include "transferview.h"
#include "zipcontentsdialog.h"

#include "api/downloadmanager.h"

#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QPointer>
#include <QTreeWidget>

namespace ferry::ui {

void MainWindow::openAddDialog(const QString &urlsText)
{
    AddDialog dialog(m_prober, m_settings, this);
    dialog.setContentsOpener([this, &dialog](const QUrl &url, const HeaderList &headers) {
        zipread::ArchiveSource source;
        source.url = url;
        source.headers = headers;
        // Entries taken from the archive are what the user came for: the add dialog is done.
        if (ZipContentsDialog *contents = showZipContents(source, &dialog))
            connect(contents, &ZipContentsDialog::entriesQueued, &dialog, [&dialog](int count) {
                if (count > 0)
                    dialog.reject();
            });
    });
    dialog.setUrlsText(
        urlsText.isEmpty()
            ? AppSettings::urlsFromText(QApplication::clipboard()->text()).join(u'\n')
            : urlsText);
    if (dialog.exec() != QDialog::Accepted)
        return;
    queueAdded(addRequests(dialog.requests(), dialog.startNow()), dialog.startNow());
}

RequestAdder::Outcome MainWindow::addRequests(const QList<DownloadRequest> &requests, bool startNow)
{
    RequestAdder adder(m_manager, [this](const DownloadSnapshot &existing, bool offerNewAddress) {
        return RequestAdder::askWithMessageBox(this, existing, offerNewAddress);
    });
    adder.setAddressReport(
        [window = QPointer<MainWindow>(this)](DownloadId, bool ok, const QString &message) {
            if (window && !ok)
                window->m_messageBar->showMessage(
                    tr("The download was not given the new address: %1").arg(message));
        });
    const RequestAdder::Outcome outcome = adder.add(requests, startNow);
    if (!outcome.opened.isEmpty())
        revealDownload(outcome.opened.constLast());
    if (!outcome.errors.isEmpty())
        m_messageBar->showMessage(outcome.errors.join(u'\n'));
    return outcome;
}

void MainWindow::revealDownload(DownloadId id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return;
    QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid()) {
        // Hidden by the sidebar's filter or the search: the whole list, rather than no answer.
        m_search->clear();
        m_sidebar->setCurrentItem(m_sidebar->topLevelItem(0));
        index = m_proxy->mapFromSource(m_model->index(row, 0));
    }
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    m_view->setFocus(Qt::OtherFocusReason);
}

} // namespace ferry::ui
