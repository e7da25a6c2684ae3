#include "whendonemenu.h"

#include "schedule/logind.h"

#include <QActionGroup>

using namespace Qt::StringLiterals;

namespace ferry::ui {

WhenDoneMenu::WhenDoneMenu(WhenDone *whenDone, Logind *logind, QWidget *parent)
    : QMenu(tr("When Everything Is &Done"), parent), m_whenDone(whenDone), m_logind(logind),
      m_group(new QActionGroup(this))
{
    setToolTipsVisible(true); // the reason a choice is greyed out
    const QList<QPair<WhenDone::Action, QString>> choices{
        {WhenDone::Action::Nothing, u"whenDoneNothing"_s},
        {WhenDone::Action::Quit, u"whenDoneQuit"_s},
        {WhenDone::Action::Suspend, u"whenDoneSuspend"_s},
        {WhenDone::Action::PowerOff, u"whenDonePowerOff"_s},
    };
    for (const auto &[choice, name] : choices) {
        QAction *a = addAction(label(choice));
        a->setObjectName(name);
        a->setCheckable(true);
        a->setChecked(choice == m_whenDone->action());
        m_group->addAction(a);
        connect(a, &QAction::triggered, this, [this, choice] { m_whenDone->setAction(choice); });
        m_actions.append(a);
    }
    connect(m_whenDone, &WhenDone::actionChanged, this,
            [this](WhenDone::Action action) { actionFor(action)->setChecked(true); });
    connect(m_logind, &Logind::availabilityChanged, this, &WhenDoneMenu::updateAvailability);
    connect(this, &QMenu::aboutToShow, m_logind, &Logind::query);
    updateAvailability();
}

QAction *WhenDoneMenu::actionFor(WhenDone::Action action) const
{
    return m_actions.at(int(action));
}

QString WhenDoneMenu::label(WhenDone::Action action)
{
    switch (action) {
    case WhenDone::Action::Nothing:
        return tr("Do &Nothing");
    case WhenDone::Action::Quit:
        return tr("&Quit Ferry");
    case WhenDone::Action::Suspend:
        return tr("&Suspend the Computer");
    case WhenDone::Action::PowerOff:
        return tr("&Power Off the Computer");
    }
    return {};
}

void WhenDoneMenu::updateAvailability()
{
    const QList<QPair<WhenDone::Action, Logind::Action>> system{
        {WhenDone::Action::Suspend, Logind::Action::Suspend},
        {WhenDone::Action::PowerOff, Logind::Action::PowerOff},
    };
    for (const auto &[choice, request] : system) {
        const Logind::Answer answer = m_logind->answer(request);
        QAction *a = actionFor(choice);
        // Before the first answer the choice stays open: logind is asked again when it fires.
        const bool usable = answer == Logind::Answer::Unknown || Logind::allowed(answer);
        a->setEnabled(usable || a->isChecked());
        a->setToolTip(usable ? QString() : Logind::reason(answer));
    }
}

} // namespace ferry::ui
