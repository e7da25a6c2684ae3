// MainWindow: the sidebar's counts, so that a filter says what it holds before it is chosen.
#include "mainwindow.h"

#include "categories.h"
#include "sidebarroles.h"
#include "transferfilterproxy.h"
#include "transfermodel.h"

#include "api/downloadtypes.h"

#include <QTreeWidget>
#include <QTreeWidgetItemIterator>

#include <array>

namespace ferry::ui {

namespace {

TransferFilterProxy::StateFilter filterOf(DownloadState state)
{
    switch (state) {
    case DownloadState::Downloading:
    case DownloadState::Verifying:
        return TransferFilterProxy::StateFilter::Active;
    case DownloadState::Queued:
        return TransferFilterProxy::StateFilter::Queued;
    case DownloadState::Paused:
        return TransferFilterProxy::StateFilter::Paused;
    case DownloadState::Completed:
        return TransferFilterProxy::StateFilter::Completed;
    case DownloadState::Failed:
        return TransferFilterProxy::StateFilter::Failed;
    }
    return TransferFilterProxy::StateFilter::All;
}

} // namespace

void MainWindow::updateSidebarCounts()
{
    // One pass over the rows' raw roles per tick: cheaper than a proxy per entry, and the
    // counts ignore the search box, like the entries themselves.
    std::array<int, int(TransferFilterProxy::StateFilter::Paused) + 1> perState{};
    QHash<int, int> perCategory;
    const int rows = m_model->rowCount();
    for (int row = 0; row < rows; ++row) {
        const QModelIndex index = m_model->index(row, 0);
        ++perState[int(filterOf(DownloadState(index.data(TransferModel::StateRole).toInt())))];
        ++perCategory[index.data(TransferModel::CategoryRole).toInt()];
    }
    perState[int(TransferFilterProxy::StateFilter::All)] = rows;
    for (QTreeWidgetItemIterator it(m_sidebar); *it; ++it) {
        QTreeWidgetItem *item = *it;
        const QVariant state = item->data(0, sidebarStateRole);
        const QVariant category = item->data(0, sidebarCategoryRole);
        int count = 0;
        if (state.isValid())
            count = perState.at(std::size_t(state.toInt()));
        else if (category.isValid())
            count = perCategory.value(category.toInt());
        else
            continue; // a heading
        const QString text = tr("%1 (%2)", "sidebar entry: name (how many downloads)")
                                 .arg(item->data(0, sidebarLabelRole).toString())
                                 .arg(count);
        if (item->text(0) != text)
            item->setText(0, text);
    }
}

} // namespace ferry::ui
