// What the window asks before it goes: Quit (and closing the window) while downloads run, with
// a remembered answer, and the restart a new language needs.
#include "mainwindowfixture.h"
#include "mainwindowquit.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTranslator>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

namespace {

// What a prompt showed, read before it was answered.
struct Seen
{
    QString text;
    QStringList buttons;
    bool checkBox = false;
};

Seen look(QWidget *modal)
{
    Seen seen;
    if (auto *box = qobject_cast<QMessageBox *>(modal)) {
        seen.text = box->text();
        for (QAbstractButton *b : box->buttons())
            seen.buttons << b->text().remove(u'&');
        seen.buttons.sort(); // the platform's order is not the point here
        seen.checkBox = box->checkBox() && box->checkBox()->isVisible();
    }
    return seen;
}

void click(QWidget *modal, const QString &buttonName, bool dontAskAgain = false)
{
    if (dontAskAgain) {
        if (auto *check = modal->findChild<QCheckBox *>(u"dontAskAgain"_s))
            check->setChecked(true);
    }
    if (auto *button = modal->findChild<QPushButton *>(buttonName))
        button->click();
    else
        qobject_cast<QDialog *>(modal)->reject(); // fails the test's expectations, not the run
}

} // namespace

class TestMainWindowPrompts final : public QObject
{
    Q_OBJECT

private:
    // English plural forms ("One download is running"), as the application installs them.
    QTranslator m_english;

    // A download that keeps running for the length of a test.
    static DownloadId running(MainWindowFixture &f)
    {
        const DownloadId id = f.add(u"/slow.iso"_s, 8 * 1024 * 1024, 32 * 1024);
        [&] { QTRY_COMPARE_WITH_TIMEOUT(f.manager->totals().active, 1, 20'000); }();
        return id;
    }

    // What Ctrl+Q and the tray menu's Quit do. (The offscreen platform binds no key to
    // Quit; tests/e2e/window.sh presses the real Ctrl+Q.)
    static void quit(MainWindowFixture &f) { f.action(u"Quit"_s)->trigger(); }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_english.load(u":/i18n/ferry_en"_s));
        QCoreApplication::installTranslator(&m_english);
    }

    void quit_whileDownloading_asks_andCancelKeepsTheWindow()
    {
        MainWindowFixture f;
        running(f);
        Seen seen;
        ModalAnswerer answer([&](QWidget *modal) {
            seen = look(modal);
            click(modal, u"cancelButton"_s);
        });
        quit(f);
        QTRY_COMPARE(answer.seen(), 1);
        // Offscreen there is no tray: nothing to keep running in.
        QCOMPARE(seen.text, u"One download is running. Quit anyway?"_s);
        QCOMPARE(seen.buttons, (QStringList{u"Cancel"_s, u"Quit"_s}));
        QVERIFY(seen.checkBox);
        QVERIFY(f.window->isVisible());
        QCOMPARE(f.manager->totals().active, 1);
        QCOMPARE(f.settings->quitWhileRunning(), ui::AppSettings::QuitWhileRunning::Ask);
    }

    void quit_withNothingRunning_quitsWithoutAsking()
    {
        MainWindowFixture f;
        ModalAnswerer answer([](QWidget *modal) { click(modal, u"cancelButton"_s); });
        quit(f);
        QTRY_VERIFY(!f.window->isVisible());
        QCOMPARE(answer.seen(), 0);
    }

    void quitChosenWithDontAskAgain_isRemembered()
    {
        {
            MainWindowFixture f;
            running(f);
            ModalAnswerer answer([](QWidget *modal) { click(modal, u"quitButton"_s, true); });
            quit(f);
            QTRY_VERIFY(!f.window->isVisible());
            QCOMPARE(answer.seen(), 1);
            QCOMPARE(f.settings->quitWhileRunning(), ui::AppSettings::QuitWhileRunning::Quit);
            // Written at once, not only when the window goes.
            QSettings file(f.settings->fileName(), QSettings::IniFormat);
            QCOMPARE(file.value(u"behaviour/quitWhileRunning"_s).toString(), u"quit"_s);
        }
        MainWindowFixture f;
        f.settings->setQuitWhileRunning(ui::AppSettings::QuitWhileRunning::Quit);
        running(f);
        ModalAnswerer answer([](QWidget *modal) { click(modal, u"cancelButton"_s); });
        quit(f);
        QTRY_VERIFY(!f.window->isVisible());
        QCOMPARE(answer.seen(), 0);
    }

    // Without the tray, closing the window ends Ferry, so it asks what Quit asks.
    void closingTheWindowWithoutTray_asksLikeQuit()
    {
        MainWindowFixture f;
        running(f);
        Seen seen;
        ModalAnswerer answer([&](QWidget *modal) {
            seen = look(modal);
            click(modal, u"cancelButton"_s);
        });
        QVERIFY(!f.window->close());
        QCOMPARE(answer.seen(), 1);
        QCOMPARE(seen.text, u"One download is running. Quit anyway?"_s);
        QVERIFY(f.window->isVisible());
    }

    // With a tray there is a third way, which "Don't ask again" remembers too.
    void withTray_offersToKeepRunning_andRemembersIt()
    {
        QTemporaryDir dir;
        QSettings qsettings(dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
        ui::AppSettings settings(&qsettings);
        Seen seen;
        ModalAnswerer answer([&](QWidget *modal) {
            seen = look(modal);
            click(modal,
                  modal->findChild<QPushButton *>(u"trayButton"_s) ? u"trayButton"_s
                                                                   : u"cancelButton"_s,
                  true);
        });
        QCOMPARE(ui::QuitPrompt::ask(nullptr, 3, true, &settings),
                 ui::QuitPrompt::Answer::KeepInTray);
        QCOMPARE(seen.text,
                 u"3 downloads are running. Quit anyway, keep running in the tray, or cancel?"_s);
        QCOMPARE(seen.buttons, (QStringList{u"Cancel"_s, u"Keep Running in Tray"_s, u"Quit"_s}));
        QCOMPARE(settings.quitWhileRunning(), ui::AppSettings::QuitWhileRunning::KeepInTray);
        // Remembered: no question the next time...
        QCOMPARE(ui::QuitPrompt::ask(nullptr, 3, true, &settings),
                 ui::QuitPrompt::Answer::KeepInTray);
        QCOMPARE(answer.seen(), 1);
        // ...unless the tray is gone: Ferry cannot be kept there, so it asks again.
        QCOMPARE(ui::QuitPrompt::ask(nullptr, 3, false, &settings), ui::QuitPrompt::Answer::Cancel);
        QCOMPARE(answer.seen(), 2);
        QCOMPARE(seen.text, u"3 downloads are running. Quit anyway?"_s);
        // Cancel is no answer to remember.
        QCOMPARE(settings.quitWhileRunning(), ui::AppSettings::QuitWhileRunning::KeepInTray);
    }

    void changedLanguage_offersARestart()
    {
        MainWindowFixture f;
        f.settings->setLanguage(u"en"_s);
        QSignalSpy restart(f.window.get(), &ui::MainWindow::restartRequested);
        QString prompt;
        auto chooseLanguage = [&](const QString &language, const QString &restartButton) {
            return std::make_unique<ModalAnswerer>([&, language, restartButton](QWidget *modal) {
                if (auto *combo = modal->findChild<QComboBox *>(u"languageCombo"_s)) {
                    combo->setCurrentIndex(combo->findData(language));
                    modal->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
                } else {
                    prompt = look(modal).text;
                    click(modal, restartButton);
                }
            });
        };
        QAction *settingsAction = f.action(u"Settings…"_s);
        QVERIFY(settingsAction);

        auto answer = chooseLanguage(u"zh_CN"_s, u"restartLaterButton"_s);
        settingsAction->trigger();
        QCOMPARE(answer->seen(), 2); // the settings, then the offer
        QCOMPARE(prompt, u"Ferry shows the new language after a restart. Restart now?"_s);
        QCOMPARE(restart.size(), 0); // later
        QCOMPARE(f.settings->language(), u"zh_CN"_s);

        answer = chooseLanguage(u"zh_CN"_s, u"restartNowButton"_s);
        settingsAction->trigger();
        QCOMPARE(answer->seen(), 1); // the same language: nothing to restart for
        QCOMPARE(restart.size(), 0);

        answer = chooseLanguage(u"system"_s, u"restartNowButton"_s);
        settingsAction->trigger();
        QCOMPARE(answer->seen(), 2);
        QCOMPARE(restart.size(), 1);
    }
};

QTEST_MAIN(TestMainWindowPrompts)
#include "tst_mainwindowprompts.moc"
