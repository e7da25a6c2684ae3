#include "transferfilterproxy.h"

#include "api/downloadtypes.h"
#include "transfermodel.h"

namespace ferry::ui {

TransferFilterProxy::TransferFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    // Display text would sort "9 MiB" after "10 GiB"; the model's raw values sort correctly.
    setSortRole(TransferModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

TransferFilterProxy::~TransferFilterProxy() = default;

// Each setter re-filters only on a real change: re-filtering 10,000 rows on every keystroke
// that does not alter the text (or a sidebar click on the current entry) is wasted work.
void TransferFilterProxy::setStateFilter(StateFilter filter)
{
    if (filter == m_state)
        return;
    m_state = filter;
    invalidateFilter();
}

void TransferFilterProxy::setCategoryFilter(std::optional<Category> category)
{
    if (category == m_category)
        return;
    m_category = category;
    invalidateFilter();
}

void TransferFilterProxy::setSearchText(const QString &text)
{
    const QString normalized = text.trimmed().toLower();
    if (normalized == m_search)
        return;
    m_search = normalized;
    invalidateFilter();
}

bool TransferFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_state != StateFilter::All && !stateAccepted(index.data(TransferModel::StateRole).toInt()))
        return false;
    if (m_category && index.data(TransferModel::CategoryRole).toInt() != int(*m_category))
        return false;
    if (!m_search.isEmpty() && !index.data(TransferModel::SearchTextRole)
                                    .toString()
                                    .contains(m_search, Qt::CaseInsensitive))
        return false;
    return true;
}

bool TransferFilterProxy::stateAccepted(int state) const
{
    switch (DownloadState(state)) {
    case DownloadState::Downloading:
    case DownloadState::Verifying:
        return m_state == StateFilter::Active;
    case DownloadState::Queued:
        return m_state == StateFilter::Queued;
    case DownloadState::Paused:
        return m_state == StateFilter::Paused;
    case DownloadState::Completed:
        return m_state == StateFilter::Completed;
    case DownloadState::Failed:
        return m_state == StateFilter::Failed;
    }
    return false;
}

} // namespace ferry::ui
