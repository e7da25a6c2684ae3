#pragma once

#include <QIcon>

namespace ferry::ui {

// `icon` drawn the same when its row is selected. Styles and desktop themes make a selected
// icon from the normal one (tinted with the highlight, or flattened to the text colour), which
// can leave a coloured file-type icon unrecognisable on the selection.
QIcon steadyIcon(const QIcon &icon);

} // namespace ferry::ui
