#pragma once

#include <QIcon>

namespace ferry::ui {

// `icon` that stays recognisable when its row is selected. Styles and desktop themes make a
// selected icon from the normal one (tinted with the highlight, or flattened to the text
// colour), which leaves a coloured file-type icon unrecognisable; and the normal colours drawn
// straight onto the highlight are faint (brown on blue). Selected, the normal icon is drawn on
// a small light tile instead, so that it looks as it does in the other rows.
QIcon steadyIcon(const QIcon &icon);

} // namespace ferry::ui
