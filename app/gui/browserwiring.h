#pragma once

class QObject;

namespace ferry::ui {
class MainWindow;
}

namespace ferry::app {

class SingleInstance;

// Messages the browser helper passes over the single-instance socket become offers to the
// window: checked once more (any program of this user can reach the socket), answered at once
// (the browser lets go of its download when Ferry took it), then shown.
void connectBrowser(SingleInstance *instance, ferry::ui::MainWindow *window);

} // namespace ferry::app
