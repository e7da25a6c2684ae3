// The window over a real engine: downloads appear in the list, the sidebar filters them,
// keyboard and toolbar commands reach the engine, and the status bar adds up speeds.
#include "api/downloadmanager.h"
#include "api/s3transfers.h"
#include "api/urlprober.h"
#include "cannedserver.h"
#include "appsettings.h"
#include "faultserver.h"
#include "mainwindow.h"
#include "messagebar.h"
#include "s3/s3client.h"
#include "sandbox.h"
#include "transfermodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QFileInfo>
#include <QDockWidget>
#include <QDropEvent>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QWindow>
#include <QTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

class TestMainWindow final : public QObject
{
    Q_OBJECT

private:
    struct Fixture {
        QTemporaryDir state;
        QTemporaryDir out;
        FaultServer server;
        std::unique_ptr<QSettings> qsettings;
        std::unique_ptr<ui::AppSettings> settings;
        std::unique_ptr<DownloadManager> manager;
        UrlProber prober;
        std::unique_ptr<ui::MainWindow> window;

        Fixture()
        {
            server.start();
            qsettings = std::make_unique<QSettings>(state.filePath(u"settings.ini"_s), QSettings::IniFormat);
            settings = std::make_unique<ui::AppSettings>(qsettings.get());
            settings->setCloseToTray(false);
            manager = std::make_unique<DownloadManager>(state.path());
            QString error;
            if (!manager->open(true, &error))
                qFatal("%s", qPrintable(error));
            window = std::make_unique<ui::MainWindow>(manager.get(), &prober, settings.get());
            window->show();
        }

        DownloadId add(const QString &path, const QByteArray &body, qint64 bytesPerSecond = 0)
        {
            Resource r;
            r.body = body;
            r.etag = "\"e\"";
            server.setResource(path, r);
            Faults f;
            f.bytesPerSecond = bytesPerSecond;
            server.setFaults(path, f);
            DownloadRequest req;
            req.url = server.url(path);
            req.directory = out.path();
            QString error;
            return manager->add(req, &error);
        }

        QTableView *view() const { return window->findChild<QTableView *>(u"transferView"_s); }
        int rows() const { return view()->model()->rowCount(); }
        QString cell(int row, int column) const { return view()->model()->index(row, column).data().toString(); }
        void select(int row) const { view()->selectRow(row); }
        QAction *action(const QString &text) const
        {
            for (QAction *a : window->findChildren<QAction *>()) {
                if (a->text().remove(u'&') == text)
                    return a;
            }
            return nullptr;
        }
    };

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void addedDownload_appearsAndCompletesInTheList()
    {
        Fixture f;
        const QByteArray body = deterministicBytes(1024 * 1024, 1);
        const DownloadId id = f.add(u"/report.pdf"_s, body);
        QTRY_COMPARE(f.rows(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->snapshot(id)->state, DownloadState::Completed, 20'000);
        QTRY_COMPARE(f.cell(0, ui::TransferModel::Name), u"report.pdf"_s);
        QTRY_COMPARE(f.cell(0, ui::TransferModel::State).toLower(), stateName(DownloadState::Completed));
        QCOMPARE(sha256OfFile(f.out.filePath(u"report.pdf"_s)), sha256Hex(body));
    }

    void sidebarAndSearch_filterTheList()
    {
        Fixture f;
        f.add(u"/movie.mkv"_s, deterministicBytes(64 * 1024, 2));
        f.add(u"/notes.txt"_s, deterministicBytes(64 * 1024, 3));
        QTRY_COMPARE(f.rows(), 2);
        auto *sidebar = f.window->findChild<QTreeWidget *>(u"sidebar"_s);
        QVERIFY(sidebar);
        const auto items = sidebar->findItems(u"Video ("_s, Qt::MatchRecursive | Qt::MatchStartsWith);
        QCOMPARE(items.size(), 1);
        sidebar->setCurrentItem(items.first());
        QTRY_COMPARE(f.rows(), 1);
        QTRY_COMPARE(f.cell(0, ui::TransferModel::Name), u"movie.mkv"_s);
        sidebar->setCurrentItem(sidebar->topLevelItem(0)); // All
        QTRY_COMPARE(f.rows(), 2);
        auto *search = f.window->findChild<QLineEdit *>(u"searchEdit"_s);
        search->setText(u"NOTES"_s);
        QTRY_COMPARE(f.rows(), 1);
        QTRY_COMPARE(f.cell(0, ui::TransferModel::Name), u"notes.txt"_s); // named once probed
    }

    void spaceKey_pausesAndResumesTheSelection()
    {
        Fixture f;
        const QByteArray body = deterministicBytes(4 * 1024 * 1024, 4);
        const DownloadId id = f.add(u"/slow.iso"_s, body, 32 * 1024);
        QTRY_COMPARE(f.rows(), 1);
        // Shortcuts only reach an active window.
        f.window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(f.window.get()));
        QTRY_COMPARE(f.manager->snapshot(id)->state, DownloadState::Downloading);
        f.select(0);
        f.view()->setFocus();
        QTest::keyClick(f.view(), Qt::Key_Space);
        QTRY_COMPARE(f.manager->snapshot(id)->state, DownloadState::Paused);
        QTRY_COMPARE(f.cell(0, ui::TransferModel::State).toLower(), stateName(DownloadState::Paused));
        QTest::keyClick(f.view(), Qt::Key_Space);
        QTRY_VERIFY(f.manager->snapshot(id)->state == DownloadState::Downloading
                    || f.manager->snapshot(id)->state == DownloadState::Queued);
    }

    void pauseAllAndStatusBar_reflectTheEngine()
    {
        Fixture f;
        const DownloadId a = f.add(u"/a.bin"_s, deterministicBytes(4 * 1024 * 1024, 5), 128 * 1024);
        const DownloadId b = f.add(u"/b.bin"_s, deterministicBytes(4 * 1024 * 1024, 6), 128 * 1024);
        auto *counts = f.window->findChild<QLabel *>(u"counts"_s);
        QTRY_VERIFY2(counts->text().startsWith(u"2 active"_s), qPrintable(counts->text()));
        auto *speed = f.window->findChild<QLabel *>(u"totalSpeed"_s);
        QTRY_VERIFY2(!speed->text().contains(u" 0 "_s) && speed->text().contains(u"/s"_s), qPrintable(speed->text()));
        QAction *pauseAll = f.action(u"Pause All"_s);
        QVERIFY(pauseAll);
        pauseAll->trigger();
        QTRY_COMPARE(f.manager->snapshot(a)->state, DownloadState::Paused);
        QTRY_COMPARE(f.manager->snapshot(b)->state, DownloadState::Paused);
        QTRY_VERIFY2(counts->text().startsWith(u"0 active"_s), qPrintable(counts->text()));
    }

    void notice_isShownWithoutBlocking()
    {
        Fixture f;
        f.window->showNotice(u"Recovered 2 unfinished downloads."_s);
        auto *bar = f.window->findChild<ui::MessageBar *>(u"messageBar"_s);
        QVERIFY(bar);
        QTRY_VERIFY(bar->isVisible());
        QCOMPARE(bar->text(), u"Recovered 2 unfinished downloads."_s);
    }

    void clipboardCapture_offersTheCopiedLinkWithoutBlocking()
    {
        Fixture f;
        f.settings->setClipboardCapture(true);
        QApplication::clipboard()->setText(u"have a look: https://mirror.example.org/debian-12.iso thanks"_s);
        auto *bar = f.window->findChild<ui::MessageBar *>(u"messageBar"_s);
        QTRY_VERIFY(bar->isVisible());
        QVERIFY2(bar->text().contains(u"https://mirror.example.org/debian-12.iso"_s), qPrintable(bar->text()));
        QVERIFY(!QApplication::activeModalWidget()); // an offer, not a dialog in the way
    }

    void clipboardCapture_isOffByDefault()
    {
        Fixture f;
        QApplication::clipboard()->setText(u"https://mirror.example.org/other.iso"_s);
        QCoreApplication::processEvents();
        auto *bar = f.window->findChild<ui::MessageBar *>(u"messageBar"_s);
        QVERIFY(!bar->isVisible());
    }

    // Drags `mime` into the window and drops it, as a real drag does (Qt routes both events to
    // the window). Returns the links the add dialog showed, or a null string if none opened.
    QString dropAndReadAddDialog(Fixture &f, QMimeData *mime, bool expectDialog = true)
    {
        // The dialog is modal and runs its own loop: look at it from a timer while it is open.
        QString shown;
        QTimer poll;
        connect(&poll, &QTimer::timeout, this, [&] {
            auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            if (auto *urls = dialog->findChild<QPlainTextEdit *>(u"urlEdit"_s))
                shown = urls->toPlainText();
            dialog->reject();
        });
        poll.start(20);
        if (!QTest::qWaitForWindowExposed(f.window.get()))
            return {};
        QDragEnterEvent enter(QPoint(200, 200), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(f.window->windowHandle(), &enter);
        if (!enter.isAccepted())
            return {};
        QDropEvent drop(QPointF(200, 200), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(f.window->windowHandle(), &drop);
        // The dialog opens from the event loop right after the drop (a queued call), or not at all.
        if (!expectDialog)
            QCoreApplication::processEvents();
        else if (!QTest::qWaitFor([&] { return !shown.isNull(); }, 5000))
            return {};
        return shown;
    }

    void droppedLinks_openTheAddDialogWithThem()
    {
        Fixture f;
        QMimeData mime;
        const QString passwd = u"/etc/passwd"_s;
        mime.setUrls({QUrl(u"https://a.example.org/one.zip"_s), QUrl::fromLocalFile(passwd)});
        mime.setText(u"https://a.example.org/one.zip"_s);
        QCOMPARE(dropAndReadAddDialog(f, &mime), u"https://a.example.org/one.zip"_s); // the local file is not a download
        auto *bar = f.window->findChild<ui::MessageBar *>(u"messageBar"_s);
        QTRY_VERIFY(bar->isVisible());
        QVERIFY2(bar->text().contains(u"passwd"_s) && bar->text().contains(u"already on this computer"_s), qPrintable(bar->text()));
    }

    void droppedTextFileOfLinks_isReadLikeAPastedList()
    {
        Fixture f;
        const QString list = f.out.filePath(u"links.txt"_s);
        QVERIFY(writeFile(list, "# mirrors\nhttps://a.example.org/one.iso\n\nsee https://b.example.org/two.zip too\n"));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(list)});
        QCOMPARE(dropAndReadAddDialog(f, &mime), u"https://a.example.org/one.iso\nhttps://b.example.org/two.zip"_s);
    }

    void droppedLocalFile_pointsToTheSidePanelThatUploads()
    {
        Fixture f;
        auto *panel = new QLabel(u"bucket view"_s);
        panel->setObjectName(u"s3Panel"_s);
        f.window->addSidePanel(panel, u"S3 Browser"_s, QKeySequence(), true);
        auto *dock = f.window->findChild<QDockWidget *>(u"s3PanelDock"_s);
        QVERIFY(dock);
        dock->hide();
        const QString binary = f.out.filePath(u"photo.jpg"_s);
        QVERIFY(writeFile(binary, QByteArray("\xff\xd8\xff\xe0\0\x10JFIF\0", 12)));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(binary)});
        QVERIFY(dropAndReadAddDialog(f, &mime, false).isNull()); // nothing to download
        auto *bar = f.window->findChild<ui::MessageBar *>(u"messageBar"_s);
        QTRY_VERIFY(bar->isVisible());
        QCOMPARE(bar->text(), u"“photo.jpg” is already on this computer. To upload into a bucket, drop onto the S3 Browser instead."_s);
        QPushButton *show = nullptr;
        for (QPushButton *b : bar->findChildren<QPushButton *>()) {
            if (b->isVisible() && b->text() == u"Show S3 Browser"_s)
                show = b;
        }
        QVERIFY(show);
        show->click();
        QTRY_VERIFY(dock->isVisible());
    }

    // Removing an upload aborts it on the server; when that is refused, the user hears of it.
    void removedUpload_whoseAbortIsRefused_isReported()
    {
        Fixture f;
        CannedServer s3;
        s3.respond = [](const Seen &r, int) {
            if (r.method == "POST" && r.query.hasQueryItem(u"uploads"_s))
                return Canned{200, "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>in/big.bin</Key>"
                                   "<UploadId>UP1</UploadId></InitiateMultipartUploadResult>", {}};
            if (r.method == "DELETE")
                return Canned{403, "<Error><Code>AccessDenied</Code><Message>m</Message></Error>", {}};
            // Parts: busy, come back in a minute; the upload stays unfinished meanwhile.
            return Canned{503, "<Error><Code>SlowDown</Code><Message>m</Message></Error>", {{"Retry-After", "60"}}};
        };
        S3Transfers transfers(f.manager.get());
        s3::Account account;
        account.id = u"acct"_s;
        account.endpoint = s3.endpoint();
        account.pathStyle = true;
        transfers.addClient(new s3::Client(account, {u"AKIDEXAMPLE"_s, u"secret"_s, {}}));
        const QString file = f.out.filePath(u"big.bin"_s);
        QVERIFY(writeFile(file, QByteArray(20 * 1024 * 1024, 'x')));
        QString error;
        QCOMPARE(transfers.upload(account.id, file, u"b"_s, u"in/"_s, &error).size(), 1);
        QTRY_VERIFY(std::any_of(s3.seen.begin(), s3.seen.end(), [](const Seen &r) { return r.method == "PUT"; }));
        QTRY_COMPARE(f.rows(), 1);
        f.select(0);
        QTimer answer;
        connect(&answer, &QTimer::timeout, this, [&] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box)
                return;
            for (QAbstractButton *b : box->buttons()) {
                if (b->text() == u"Remove, keep files"_s)
                    b->click();
            }
        });
        answer.start(20);
        f.action(u"Remove…"_s)->trigger();
        QTRY_COMPARE(f.rows(), 0);
        auto *bar = f.window->findChild<ui::MessageBar *>(u"messageBar"_s);
        QTRY_VERIFY(bar->isVisible());
        QVERIFY(std::any_of(s3.seen.begin(), s3.seen.end(), [](const Seen &r) {
            return r.method == "DELETE" && r.query.queryItemValue(u"uploadId"_s) == u"UP1"_s;
        }));
        QVERIFY2(bar->text().startsWith(u"“s3://b/in/big.bin” is removed, but what it left on the server could not be: "_s),
                 qPrintable(bar->text()));
        QVERIFY2(bar->text().endsWith(u"Its parts stay there until the bucket's lifecycle rules remove them."_s), qPrintable(bar->text()));
        QVERIFY(QFileInfo::exists(file)); // the local file is the user's
    }

    void failedDownload_showsTheReasonInTheDetails()
    {
        Fixture f;
        DownloadRequest req;
        req.url = f.server.url(u"/gone.bin"_s);
        req.directory = f.out.path();
        QString error;
        const DownloadId id = f.manager->add(req, &error);
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->snapshot(id)->state, DownloadState::Failed, 20'000);
        QTRY_COMPARE(f.rows(), 1);
        f.select(0);
        auto *message = f.window->findChild<QLabel *>(u"detailsMessage"_s);
        QVERIFY(message);
        QTRY_VERIFY2(message->text().contains(u"404"_s), qPrintable(message->text()));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
