#pragma once

#include "categories.h"

#include <QSortFilterProxyModel>
#include <optional>

namespace ferry::ui {

// Sidebar and search box filtering over a TransferModel, plus sorting by its raw SortRole
// values. It reads only roles, so any model that provides them can sit underneath.
class TransferFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransferFilterProxy)
public:
    enum class StateFilter { All, Active, Queued, Completed, Failed, Paused };
    Q_ENUM(StateFilter)

    explicit TransferFilterProxy(QObject *parent = nullptr);
    ~TransferFilterProxy() override;

    void setStateFilter(StateFilter filter);
    StateFilter stateFilter() const { return m_state; }
    void setCategoryFilter(std::optional<Category> category); // nullopt: every category
    std::optional<Category> categoryFilter() const { return m_category; }
    void setSearchText(const QString &text); // case-insensitive substring
    QString searchText() const { return m_search; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool stateAccepted(int state) const;

    StateFilter m_state = StateFilter::All;
    std::optional<Category> m_category;
    QString m_search; // trimmed and lower-case, like SearchTextRole
};

} // namespace ferry::ui
