// The window by keyboard: Tab leaves the transfer list, Ctrl+F goes to the search and Escape
// back, toolbar buttons name their shortcuts; and opening a file nothing can open says so.
#include "mainwindowfixture.h"
#include "messagebar.h"
#include "transfermodel.h"

#include <QDir>
#include <QLineEdit>
#include <QStandardPaths>
#include <QToolBar>
#include <QToolButton>
#include <QTranslator>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

class TestMainWindowKeyboard final : public QObject
{
    Q_OBJECT

private:
    static QString native(QKeySequence::StandardKey key)
    {
        return QKeySequence(key).toString(QKeySequence::NativeText);
    }

    // Two finished downloads, so that the list has cells to wander through.
    static void twoCompleted(MainWindowFixture &f)
    {
        const DownloadId a = f.add(u"/report.pdf"_s, 64 * 1024);
        const DownloadId b = f.add(u"/notes.txt"_s, 64 * 1024);
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->snapshot(a)->state, DownloadState::Completed, 20'000);
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->snapshot(b)->state, DownloadState::Completed, 20'000);
        QTRY_COMPARE(f.rows(), 2);
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void tab_leavesTheTransferList()
    {
        MainWindowFixture f;
        twoCompleted(f);
        QVERIFY(f.activate());
        f.view()->selectRow(0);
        f.view()->setFocus();
        QTRY_VERIFY(f.view()->hasFocus());
        const QModelIndex before = f.view()->currentIndex();
        QTest::keyClick(f.view(), Qt::Key_Tab);
        QTRY_VERIFY(!f.view()->hasFocus());
        QWidget *focused = QApplication::focusWidget();
        QVERIFY(focused);
        QVERIFY2(!f.view()->isAncestorOf(focused), qPrintable(focused->objectName()));
        QCOMPARE(f.view()->currentIndex(), before); // Tab did not walk to the next cell
        // And back with Shift+Tab from wherever it went.
        QTest::keyClick(focused, Qt::Key_Backtab);
        QTRY_VERIFY(f.view()->hasFocus());
    }

    void ctrlF_goesToTheSearch_andEscapeClearsItAndReturnsToTheList()
    {
        MainWindowFixture f;
        twoCompleted(f);
        QVERIFY(f.activate());
        f.view()->setFocus();
        auto *search = f.window->findChild<QLineEdit *>(u"searchEdit"_s);
        QVERIFY(search);
        QVERIFY2(search->placeholderText().contains(native(QKeySequence::Find)),
                 qPrintable(search->placeholderText()));
        QTest::keySequence(f.window.get(), QKeySequence::Find);
        QTRY_VERIFY(search->hasFocus());
        QTest::keyClicks(search, u"notes"_s);
        QTRY_COMPARE(f.rows(), 1);
        QTest::keyClick(search, Qt::Key_Escape);
        QCOMPARE(search->text(), QString());
        QTRY_COMPARE(f.rows(), 2);
        QTRY_VERIFY(f.view()->hasFocus());
        // Ctrl+F again selects what is typed, so typing replaces it.
        search->setText(u"old"_s);
        QTest::keySequence(f.window.get(), QKeySequence::Find);
        QTRY_VERIFY(search->hasFocus());
        QCOMPARE(search->selectedText(), u"old"_s);
    }

    void toolbarTooltips_nameTheShortcuts()
    {
        MainWindowFixture f;
        auto *bar = f.window->findChild<QToolBar *>(u"mainToolBar"_s);
        QVERIFY(bar);
        QHash<QString, QString> tips; // what hovering each button shows
        for (QAction *a : bar->actions()) {
            if (auto *button = qobject_cast<QToolButton *>(bar->widgetForAction(a)))
                tips.insert(a->iconText(), button->toolTip());
        }
        QCOMPARE(tips.value(u"Remove"_s), u"Remove (%1)"_s.arg(native(QKeySequence::Delete)));
        QCOMPARE(tips.value(u"Add Downloads"_s),
                 u"Add Downloads (%1)"_s.arg(native(QKeySequence::New)));
        QCOMPARE(tips.value(u"Move Up in Queue"_s),
                 u"Move Up in Queue (%1)"_s.arg(
                     QKeySequence(Qt::CTRL | Qt::Key_Up).toString(QKeySequence::NativeText)));
        QCOMPARE(tips.value(u"Pause"_s), u"Pause (Space)"_s);
        QCOMPARE(tips.value(u"Start / Resume"_s), u"Start / Resume (Space)"_s);
        QCOMPARE(tips.value(u"Pause All"_s), u"Pause All"_s); // no shortcut, nothing in brackets
        for (auto it = tips.cbegin(); it != tips.cend(); ++it)
            QVERIFY2(!it.value().contains(u'&') && !it.value().contains(u'…'),
                     qPrintable(it.value()));
    }

    // Chinese writes the key after the text, "删除(&R)…": a button and its tooltip show
    // neither the bracketed letter nor the dots.
    void toolbarTooltips_inChinese_leaveOutTheKeyLetter()
    {
        QTranslator chinese;
        QVERIFY(chinese.load(u":/i18n/ferry_zh_CN"_s));
        QCoreApplication::installTranslator(&chinese);
        MainWindowFixture f;
        QCoreApplication::removeTranslator(&chinese);
        auto *bar = f.window->findChild<QToolBar *>(u"mainToolBar"_s);
        QAction *remove = f.action(u"删除(R)…"_s);
        QVERIFY(remove);
        auto *button = qobject_cast<QToolButton *>(bar->widgetForAction(remove));
        QVERIFY(button);
        QCOMPARE(button->text(), u"删除"_s);
        QCOMPARE(button->toolTip(), u"删除（%1）"_s.arg(native(QKeySequence::Delete)));
    }

    void openFile_thatNothingCanOpen_saysSoInTheMessageBar()
    {
        MainWindowFixture f;
        QList<QUrl> opened;
        bool canOpen = false;
        f.window->setUrlOpener([&](const QUrl &url) {
            opened << url;
            return canOpen;
        });
        twoCompleted(f);
        const int row = f.view()
                            ->model()
                            ->match(f.view()->model()->index(0, ui::TransferModel::Name),
                                    Qt::DisplayRole, u"report.pdf"_s)
                            .value(0)
                            .row();
        f.view()->selectRow(row);
        const QString file = QDir::toNativeSeparators(f.out.filePath(u"report.pdf"_s));
        auto *bar = f.window->findChild<ui::MessageBar *>(u"messageBar"_s);

        // A double-click on the finished file, as the user does it.
        const QRect cell =
            f.view()->visualRect(f.view()->model()->index(row, ui::TransferModel::Name));
        QTest::mouseClick(f.view()->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(f.view()->viewport(), Qt::LeftButton, {}, cell.center());
        QTRY_VERIFY(bar->isVisible());
        QCOMPARE(opened.value(0), QUrl::fromLocalFile(f.out.filePath(u"report.pdf"_s)));
        QCOMPARE(bar->text(), u"No program could open %1."_s.arg(file));

        bar->hide();
        f.action(u"Open Folder"_s)->trigger();
        QTRY_VERIFY(bar->isVisible());
        QCOMPARE(bar->text(),
                 u"No program could open %1."_s.arg(QDir::toNativeSeparators(f.out.path())));

        // When a program took it, there is nothing to say.
        bar->hide();
        canOpen = true;
        f.action(u"Open File"_s)->trigger();
        QCOMPARE(opened.size(), 3);
        QVERIFY(!bar->isVisible());
    }
};

QTEST_MAIN(TestMainWindowKeyboard)
#include "tst_mainwindowkeyboard.moc"
