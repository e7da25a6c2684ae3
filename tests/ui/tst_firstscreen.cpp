// What someone starting Ferry for the first time sees: a window sized to the screen, the list's
// useful columns without a horizontal scroll bar, no empty details pane or S3 browser, and a
// hint on how to add a download; and that what they change afterwards is remembered.
#include "api/downloadmanager.h"
#include "api/urlprober.h"
#include "appsettings.h"
#include "mainwindow.h"
#include "transfermodel.h"
#include "transferview.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTranslator>

#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry;

class TestFirstScreen final : public QObject
{
    Q_OBJECT

private:
    // One state folder and settings file; windows come and go over it like successive starts.
    struct Fixture
    {
        QTemporaryDir state;
        std::unique_ptr<QSettings> qsettings;
        std::unique_ptr<ui::AppSettings> settings;
        std::unique_ptr<DownloadManager> manager;
        UrlProber prober;
        std::unique_ptr<ui::MainWindow> window;

        Fixture()
        {
            qsettings = std::make_unique<QSettings>(state.filePath(u"settings.ini"_s),
                                                    QSettings::IniFormat);
            settings = std::make_unique<ui::AppSettings>(qsettings.get());
            settings->setCloseToTray(false);
            manager = std::make_unique<DownloadManager>(state.path());
            QString error;
            if (!manager->open(false, &error))
                qFatal("%s", qPrintable(error));
            start();
        }

        void start()
        {
            window = std::make_unique<ui::MainWindow>(manager.get(), &prober, settings.get());
            window->show();
        }
        void restart()
        {
            window.reset(); // saves the layout, as quitting does
            start();
        }

        // A download that never touches the network: added paused, to a port nobody serves.
        DownloadId addPaused(const QString &name)
        {
            DownloadRequest req;
            req.url = QUrl(u"http://127.0.0.1:9/"_s + name);
            req.directory = state.path();
            req.startPaused = true;
            QString error;
            const DownloadId id = manager->add(req, &error);
            if (!id)
                qWarning("%s", qPrintable(error));
            return id;
        }

        ui::TransferView *view() const
        {
            return window->findChild<ui::TransferView *>(u"transferView"_s);
        }
        QWidget *details() const { return window->findChild<QWidget *>(u"detailsPane"_s); }
        QStringList visibleColumns() const
        {
            QStringList names;
            const QHeaderView *header = view()->horizontalHeader();
            for (int visual = 0; visual < header->count(); ++visual) {
                const int logical = header->logicalIndex(visual);
                if (!header->isSectionHidden(logical))
                    names << QString::fromLatin1(
                        QMetaEnum::fromType<ui::TransferModel::Column>().valueToKey(logical));
            }
            return names;
        }
    };

    // Installs ferry_<language>.qm as the application does, for the duration of one test.
    struct ScopedTranslation
    {
        QTranslator translator;
        explicit ScopedTranslation(const QString &language)
        {
            if (language != u"en" && translator.load(u":/i18n/ferry_"_s + language))
                QCoreApplication::installTranslator(&translator);
        }
        ~ScopedTranslation() { QCoreApplication::removeTranslator(&translator); }
    };

    static void addLanguages()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("en") << u"en"_s;
        QTest::newRow("zh_CN") << u"zh_CN"_s;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void firstStartPlacement_fitsTheScreen_data()
    {
        QTest::addColumn<QRect>("available");
        QTest::addColumn<QRect>("expected");
        QTest::addColumn<bool>("maximized");
        QTest::newRow("1600x1000")
            << QRect(0, 0, 1600, 1000) << QRect(160, 100, 1280, 800) << false;
        QTest::newRow("1400x900") << QRect(0, 0, 1400, 900) << QRect(140, 90, 1120, 720) << false;
        QTest::newRow("1920x1080 below a panel")
            << QRect(0, 32, 1920, 1048) << QRect(192, 137, 1536, 838) << false;
        QTest::newRow("second monitor")
            << QRect(1920, 0, 2560, 1440) << QRect(2176, 144, 2048, 1152) << false;
        QTest::newRow("900x600: all of it")
            << QRect(0, 0, 900, 600) << QRect(0, 0, 900, 600) << true;
        QTest::newRow("1280x720: all of it")
            << QRect(0, 0, 1280, 720) << QRect(0, 0, 1280, 720) << true;
    }

    void firstStartPlacement_fitsTheScreen()
    {
        QFETCH(QRect, available);
        QFETCH(QRect, expected);
        QFETCH(bool, maximized);
        const ui::MainWindow::Placement placement = ui::MainWindow::firstStartPlacement(available);
        QCOMPARE(placement.geometry, expected);
        QCOMPARE(placement.maximized, maximized);
        QVERIFY(available.contains(placement.geometry));
    }

    void firstStart_windowIsPlacedOnItsScreen_thenWhereTheUserLeftIt()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.window.get()));
        const QRect available = f.window->screen()->availableGeometry();
        const ui::MainWindow::Placement placement = ui::MainWindow::firstStartPlacement(available);
        if (placement.maximized)
            QTRY_VERIFY(f.window->isMaximized());
        else
            QTRY_COMPARE(f.window->geometry(), placement.geometry);
        QVERIFY2(
            available.contains(f.window->geometry()),
            qPrintable(u"%1 on %2"_s.arg(f.window->geometry().width()).arg(available.width())));

        f.window->setWindowState(Qt::WindowNoState);
        f.window->setGeometry(40, 50, 700, 500);
        QTRY_COMPARE(f.window->geometry(), QRect(40, 50, 700, 500));
        f.restart();
        QVERIFY(QTest::qWaitForWindowExposed(f.window.get()));
        QVERIFY(!f.window->isMaximized());
        QTRY_COMPARE(f.window->geometry(), QRect(40, 50, 700, 500));
    }

    void sidePanel_isClosedAtFirstStartWithoutAccount_thenAsTheUserLeftIt()
    {
        Fixture f;
        auto addPanel = [&f](bool openAtFirstStart) {
            auto *panel = new QLabel(u"bucket view"_s);
            panel->setObjectName(u"s3Panel"_s);
            f.window->addSidePanel(panel, u"S3 Browser"_s, QKeySequence(Qt::CTRL | Qt::Key_B),
                                   openAtFirstStart);
            return f.window->findChild<QDockWidget *>(u"s3PanelDock"_s);
        };
        QDockWidget *dock = addPanel(false);
        QVERIFY(dock);
        QVERIFY(QTest::qWaitForWindowExposed(f.window.get()));
        QVERIFY(!dock->isVisible());
        QAction *toggle = dock->toggleViewAction();
        QCOMPARE(toggle->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_B));
        QVERIFY(!toggle->isChecked());
        toggle->trigger(); // View → S3 Browser
        QTRY_VERIFY(dock->isVisible());

        f.restart();
        dock = addPanel(false);
        QTRY_VERIFY(dock->isVisible()); // opened once: it stays open
        dock->toggleViewAction()->trigger();
        QTRY_VERIFY(!dock->isVisible());
        f.restart();
        dock = addPanel(true);
        QVERIFY(QTest::qWaitForWindowExposed(f.window.get()));
        QVERIFY(!dock->isVisible()); // closed by the user: an account does not reopen it
    }

    void sidePanel_withAnAccount_isOpenAtFirstStart()
    {
        Fixture f;
        auto *panel = new QLabel(u"bucket view"_s);
        panel->setObjectName(u"s3Panel"_s);
        f.window->addSidePanel(panel, u"S3 Browser"_s, QKeySequence(Qt::CTRL | Qt::Key_B), true);
        QTRY_VERIFY(f.window->findChild<QDockWidget *>(u"s3PanelDock"_s)->isVisible());
    }

    void columns_usefulOnesFirst_fitAt900x600_data() { addLanguages(); }

    void columns_usefulOnesFirst_fitAt900x600()
    {
        QFETCH(QString, language);
        ScopedTranslation translation(language);
        Fixture f;
        ui::TransferView *view = f.view();
        QCOMPARE(f.visibleColumns(), (QStringList{u"Position"_s, u"Name"_s, u"Size"_s, u"Progress"_s, u"Speed"_s,
                                                  u"Eta"_s, u"State"_s}));
        QHeaderView *header = view->horizontalHeader();
        QVERIFY(header->isSectionHidden(ui::TransferModel::Added));
        QCOMPARE(header->sectionResizeMode(ui::TransferModel::Name), QHeaderView::Stretch);
        // The queue's order: the next download to start on top.
        QCOMPARE(header->sortIndicatorSection(), int(ui::TransferModel::Position));
        QCOMPARE(header->sortIndicatorOrder(), Qt::AscendingOrder);
        // No header text is cut: every fixed column is at least as wide as its title wants.
        for (int c = ui::TransferModel::Size; c <= ui::TransferModel::State; ++c)
            QVERIFY2(header->sectionSize(c) >= header->sectionSizeHint(c),
                     qPrintable(QString::number(c)));

        f.window->setWindowState(Qt::WindowNoState);
        f.window->resize(900, 600);
        QVERIFY(QTest::qWaitForWindowExposed(f.window.get()));
        QTRY_COMPARE(f.window->width(), 900);
        QTRY_VERIFY2(header->length() <= view->viewport()->width(),
                     qPrintable(u"columns %1 px, list %2 px"_s.arg(header->length())
                                    .arg(view->viewport()->width())));
        QVERIFY(!view->horizontalScrollBar()->isVisible());
        // Name, the column people read, gets the room the others leave.
        QVERIFY2(header->sectionSize(ui::TransferModel::Name) >=
                     view->fontMetrics().averageCharWidth() * 20,
                 qPrintable(QString::number(header->sectionSize(ui::TransferModel::Name))));
    }

    void columnMenu_showsAHiddenColumn_andItIsRemembered()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.window.get()));
        QHeaderView *header = f.view()->horizontalHeader();
        // A right-click on the header opens the menu of columns.
        QStringList offered;
        QTimer poll;
        connect(&poll, &QTimer::timeout, this, [&] {
            auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
            if (!menu)
                return;
            for (QAction *a : menu->actions()) {
                if (a->isCheckable())
                    offered << a->text();
            }
            menu->close();
        });
        poll.start(20);
        QCOMPARE(header->contextMenuPolicy(), Qt::CustomContextMenu);
        emit header->customContextMenuRequested(QPoint(10, 5));
        poll.stop();
        QCOMPARE(offered, (QStringList{u"#"_s, u"Name"_s, u"Size"_s, u"Progress"_s, u"Speed"_s,
                                       u"Time left"_s, u"Status"_s, u"Added"_s}));

        const std::unique_ptr<QMenu> menu(f.view()->createColumnMenu(nullptr));
        QAction *name = nullptr, *added = nullptr;
        for (QAction *a : menu->actions()) {
            if (a->text() == u"Name")
                name = a;
            else if (a->text() == u"Added")
                added = a;
        }
        QVERIFY(name && added);
        QVERIFY(!name->isEnabled()); // a row without its name says nothing
        QVERIFY(!added->isChecked());
        added->trigger();
        QVERIFY(!header->isSectionHidden(ui::TransferModel::Added));
        QVERIFY(header->sectionSize(ui::TransferModel::Added) > 0);

        f.restart();
        QVERIFY(!f.view()->horizontalHeader()->isSectionHidden(ui::TransferModel::Added));
        QCOMPARE(f.visibleColumns().last(), u"Added"_s);
    }

    void detailsPane_isShownOnlyWhileADownloadIsSelected()
    {
        Fixture f;
        f.addPaused(u"one.iso"_s);
        f.addPaused(u"two.iso"_s);
        ui::TransferView *view = f.view();
        QTRY_COMPARE(view->model()->rowCount(), 2);
        QVERIFY(QTest::qWaitForWindowExposed(f.window.get()));
        QVERIFY(!f.details()->isVisible());
        const int listHeight = view->height();
        view->selectRow(0);
        QTRY_VERIFY(f.details()->isVisible());
        QTRY_VERIFY(f.details()->height() > 0);
        QVERIFY(view->height() < listHeight);
        view->clearSelection();
        QTRY_VERIFY(!f.details()->isVisible());
        QTRY_COMPARE(view->height(), listHeight); // the list has the room back
    }

    void emptyList_saysHowToAddADownload_data() { addLanguages(); }

    void emptyList_saysHowToAddADownload()
    {
        QFETCH(QString, language);
        ScopedTranslation translation(language);
        Fixture f;
        ui::TransferView *view = f.view();
        QVERIFY(QTest::qWaitForWindowExposed(f.window.get()));
        const QString hint = view->emptyText();
        QVERIFY2(
            hint.contains(QKeySequence(QKeySequence::Paste).toString(QKeySequence::NativeText)),
            qPrintable(hint));
        QVERIFY2(hint.contains(QKeySequence(QKeySequence::New).toString(QKeySequence::NativeText)),
                 qPrintable(hint));
        if (language == u"en")
            QVERIFY2(hint.startsWith(u"No downloads yet."_s), qPrintable(hint));
        else
            QVERIFY2(!hint.contains(u"No downloads"_s), qPrintable(hint)); // translated

        // It is painted: the empty list looks different with and without it.
        const QImage withHint = view->viewport()->grab().toImage();
        view->setEmptyText({});
        const QImage without = view->viewport()->grab().toImage();
        QVERIFY(withHint != without);
        view->setEmptyText(hint);

        // With downloads, an empty list is the filter's doing and says so instead.
        f.addPaused(u"one.iso"_s);
        QTRY_COMPARE(view->model()->rowCount(), 1);
        f.window->findChild<QLineEdit *>(u"searchEdit"_s)->setText(u"nothing like it"_s);
        QTRY_COMPARE(view->model()->rowCount(), 0);
        QVERIFY(view->emptyText() != hint);
        QVERIFY(!view->emptyText().isEmpty());
    }
};

QTEST_MAIN(TestFirstScreen)
#include "tst_firstscreen.moc"
