#pragma once

#include <QIcon>
#include <QString>

namespace ferry::ui {

// File-type categories of the sidebar, each with its own default folder.
enum class Category { Documents, Archives, Video, Audio, Programs, Other };

inline constexpr Category allCategories[] = {Category::Documents, Category::Archives, Category::Video,
                                             Category::Audio, Category::Programs, Category::Other};

Category categoryForFileName(const QString &fileName);
QString categoryName(Category category);   // translated, for people
QString categoryKey(Category category);    // stable, for settings
QIcon categoryIcon(Category category);

} // namespace ferry::ui
