// MainWindow: adding downloads from the add dialog, and showing one that was already there.
#include "mainwindow.h"

#include "adddialog.h"
#include "appsettings.h"
#include "messagebar.h"
#include "requestadder.h"
#include "transferfilterproxy.h"
#include "transfermodel.h"
#include "transferview.h"

#include "api/downloadmanager.h"

#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QTreeWidget>

namespace ferry::ui {

void MainWindow::openAddDialog(const QString &urlsText)
{
    AddDialog dialog(m_prober, m_settings, this);
    dialog.setUrlsText(
        urlsText.isEmpty()
            ? AppSettings::urlsFromText(QApplication::clipboard()->text()).join(u'\n')
            : urlsText);
    if (dialog.exec() != QDialog::Accepted)
        return;
    RequestAdder adder(m_manager, [this](const DownloadSnapshot &existing) {
        return RequestAdder::askWithMessageBox(this, existing);
    });
    const RequestAdder::Outcome outcome = adder.add(dialog.requests(), dialog.startNow());
    if (!outcome.opened.isEmpty())
        revealDownload(outcome.opened.constLast());
    if (!outcome.errors.isEmpty())
        m_messageBar->showMessage(outcome.errors.join(u'\n'));
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
