#pragma once

#include <QCoreApplication>

class QWidget;

namespace ferry::ui {

class AppSettings;

// The question Quit asks while downloads run: quit anyway (what is on disk stays, the
// downloads go on at a later start), keep Ferry running in the tray (offered only when there
// is a tray to find it in again), or cancel. "Don't ask again" remembers the first two in
// AppSettings. GUI thread.
class QuitPrompt final
{
    Q_DECLARE_TR_FUNCTIONS(ferry::ui::QuitPrompt)
public:
    enum class Answer { Quit, KeepInTray, Cancel };
    // Asks only while `running` > 0 and no remembered answer applies; a remembered "keep
    // running in the tray" does not apply without a tray.
    static Answer ask(QWidget *parent, int running, bool trayAvailable, AppSettings *settings);
};

} // namespace ferry::ui
