#pragma once

#include <Qt>

namespace ferry::ui {

// What a sidebar entry filters by: a state filter, or a category; and its name without the
// count that follows it on screen.
constexpr int sidebarStateRole = Qt::UserRole + 1;
constexpr int sidebarCategoryRole = Qt::UserRole + 2;
constexpr int sidebarLabelRole = Qt::UserRole + 3;

} // namespace ferry::ui
