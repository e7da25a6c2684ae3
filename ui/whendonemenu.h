#pragma once

#include "schedule/whendone.h"

#include <QMenu>

class QActionGroup;

namespace ferry {
class Logind;
}

namespace ferry::ui {

// "When everything is done": Do Nothing / Quit Ferry / Suspend / Power Off, one of them checked,
// following the WhenDone it drives (several menus, e.g. the toolbar's and the tray's, stay in
// step). Suspend and Power Off are greyed out, with logind's reason as tooltip, when the system
// does not allow them; it is asked again each time the menu opens. GUI thread only.
class WhenDoneMenu final : public QMenu
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WhenDoneMenu)
public:
    // Neither is owned. Action object names: "whenDoneNothing", "whenDoneQuit",
    // "whenDoneSuspend", "whenDonePowerOff".
    WhenDoneMenu(WhenDone *whenDone, Logind *logind, QWidget *parent = nullptr);
    QAction *actionFor(WhenDone::Action action) const;
    static QString label(WhenDone::Action action); // for the toolbar button's text

private:
    void updateAvailability();

    WhenDone *m_whenDone;
    Logind *m_logind;
    QActionGroup *m_group;
    QList<QAction *> m_actions; // by WhenDone::Action
};

} // namespace ferry::ui
