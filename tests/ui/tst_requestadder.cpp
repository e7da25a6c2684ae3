// Adding an address the list already has: the question comes first, and each answer does what
// it says against a real engine and server — nothing added, the existing download shown and
// carried on with, or a real second download under a name of its own, both files byte-exact.
#include "api/downloadmanager.h"
#include "api/urlprober.h"
#include "appsettings.h"
#include "faultserver.h"
#include "mainwindow.h"
#include "ratelimitbox.h"
#include "requestadder.h"
#include "sandbox.h"
#include "transfermodel.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;
using namespace ferry::ui;

namespace {

constexpr int finishTimeoutMs = 30'000;

struct Fixture
{
    QTemporaryDir stateDir;
    QTemporaryDir out;
    FaultServer server;
    std::unique_ptr<DownloadManager> manager;

    Fixture()
    {
        server.start();
        manager = std::make_unique<DownloadManager>(stateDir.path());
        QString error;
        if (!manager->open(false, &error))
            qFatal("%s", qPrintable(error));
    }

    QUrl serve(const QString &path, const QByteArray &body, qint64 bytesPerSecond = 0)
    {
        Resource r;
        r.body = body;
        r.etag = "\"e\"";
        server.setResource(path, r);
        Faults f;
        f.bytesPerSecond = bytesPerSecond;
        server.setFaults(path, f);
        return server.url(path);
    }

    DownloadRequest request(const QUrl &url, const QString &fileName = {}) const
    {
        DownloadRequest r;
        r.url = url;
        r.directory = out.path();
        r.fileName = fileName;
        return r;
    }

    DownloadId add(const DownloadRequest &r)
    {
        QString error;
        const DownloadId id = manager->add(r, &error);
        if (id == 0)
            qWarning("%s", qPrintable(error));
        return id;
    }

    DownloadState state(DownloadId id) const
    {
        const auto s = manager->snapshot(id);
        return s ? s->state : DownloadState::Failed;
    }
    QString fileName(DownloadId id) const
    {
        const auto s = manager->snapshot(id);
        return s ? s->fileName : QString();
    }
};

// Answers every question with `choice` and keeps what it was asked about.
struct Answer
{
    DuplicateChoice choice;
    QList<DownloadSnapshot> asked;
    RequestAdder::Question question()
    {
        return [this](const DownloadSnapshot &existing) {
            asked.append(existing);
            return choice;
        };
    }
};

} // namespace

class TestRequestAdder final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void newAddress_isAddedWithoutAQuestion()
    {
        Fixture f;
        const QUrl url = f.serve(u"/new.bin"_s, deterministicBytes(64 * 1024, 1));
        Answer answer{DuplicateChoice::Skip, {}};
        RequestAdder adder(f.manager.get(), answer.question());
        const RequestAdder::Outcome outcome = adder.add({f.request(url)}, false);
        QCOMPARE(outcome.added.size(), 1);
        QVERIFY(answer.asked.isEmpty());
        // "Add to queue": it waits for a slot, and takes one when free.
        QVERIFY(f.state(outcome.added.first()) != DownloadState::Paused);
    }

    void finishedAddress_cancel_addsNothing()
    {
        Fixture f;
        const QUrl url = f.serve(u"/x.bin"_s, deterministicBytes(64 * 1024, 2));
        const DownloadId first = f.add(f.request(url));
        QTRY_COMPARE_WITH_TIMEOUT(f.state(first), DownloadState::Completed, finishTimeoutMs);

        Answer answer{DuplicateChoice::Skip, {}};
        RequestAdder adder(f.manager.get(), answer.question());
        const RequestAdder::Outcome outcome = adder.add({f.request(url, u"x.bin"_s)}, true);
        QCOMPARE(answer.asked.size(), 1);
        QCOMPARE(answer.asked.first().id, first);
        QCOMPARE(answer.asked.first().fileName, u"x.bin"_s);
        QCOMPARE(answer.asked.first().state, DownloadState::Completed);
        QVERIFY(outcome.added.isEmpty());
        QVERIFY(outcome.opened.isEmpty());
        QVERIFY(outcome.errors.isEmpty());
        QCOMPARE(f.manager->snapshots().size(), 1);
    }

    void finishedAddress_downloadAgain_getsANewName_andBothFilesAreExact()
    {
        Fixture f;
        const QByteArray body = deterministicBytes(1024 * 1024, 3);
        const QUrl url = f.serve(u"/x.bin"_s, body);
        const DownloadId first = f.add(f.request(url));
        QTRY_COMPARE_WITH_TIMEOUT(f.state(first), DownloadState::Completed, finishTimeoutMs);

        Answer answer{DuplicateChoice::DownloadAgain, {}};
        RequestAdder adder(f.manager.get(), answer.question());
        // As the dialog sends it for one address: with the name the probe found.
        const RequestAdder::Outcome outcome = adder.add({f.request(url, u"x.bin"_s)}, true);
        QCOMPARE(answer.asked.size(), 1);
        QCOMPARE(outcome.added.size(), 1);
        const DownloadId second = outcome.added.first();
        QVERIFY(second != first);
        QCOMPARE(f.fileName(second), u"x (1).bin"_s); // from the start, not once it is done
        QTRY_COMPARE_WITH_TIMEOUT(f.state(second), DownloadState::Completed, finishTimeoutMs);

        QCOMPARE(f.manager->snapshots().size(), 2);
        QCOMPARE(f.fileName(first), u"x.bin"_s);
        QCOMPARE(f.fileName(second), u"x (1).bin"_s);
        QCOMPARE(sha256OfFile(f.out.filePath(u"x.bin"_s)), sha256Hex(body));
        QCOMPARE(sha256OfFile(f.out.filePath(u"x (1).bin"_s)), sha256Hex(body));
    }

    void unfinishedAddress_downloadAgain_isARealSecondDownload()
    {
        Fixture f;
        const QByteArray body = deterministicBytes(2 * 1024 * 1024, 4);
        const QUrl url = f.serve(u"/y.bin"_s, body, 64 * 1024);
        const DownloadId first = f.add(f.request(url));
        QTRY_VERIFY_WITH_TIMEOUT(f.manager->snapshot(first)->done > 0, finishTimeoutMs);
        f.manager->pause(first);
        QTRY_COMPARE(f.state(first), DownloadState::Paused);
        QCOMPARE(f.fileName(first), u"y.bin"_s);

        Answer answer{DuplicateChoice::DownloadAgain, {}};
        RequestAdder adder(f.manager.get(), answer.question());
        // Several addresses at once carry no name: the existing download's name is the base.
        const RequestAdder::Outcome outcome = adder.add({f.request(url)}, true);
        QCOMPARE(answer.asked.size(), 1);
        QCOMPARE(answer.asked.first().state, DownloadState::Paused);
        QCOMPARE(outcome.added.size(), 1);
        const DownloadId second = outcome.added.first();
        QVERIFY(second != first); // not the existing one carried on with
        QCOMPARE(f.fileName(second), u"y (1).bin"_s);
        QCOMPARE(f.state(first), DownloadState::Paused); // untouched

        f.server.setFaults(u"/y.bin"_s, Faults{});
        f.manager->resume(first);
        QTRY_COMPARE_WITH_TIMEOUT(f.state(first), DownloadState::Completed, finishTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(f.state(second), DownloadState::Completed, finishTimeoutMs);
        QCOMPARE(f.manager->snapshots().size(), 2);
        QCOMPARE(sha256OfFile(f.out.filePath(u"y.bin"_s)), sha256Hex(body));
        QCOMPARE(sha256OfFile(f.out.filePath(u"y (1).bin"_s)), sha256Hex(body));
    }

    void pausedAddress_openExisting_resumesIt_onlyWhenStartingNow()
    {
        Fixture f;
        const QByteArray body = deterministicBytes(256 * 1024, 5);
        const QUrl url = f.serve(u"/z.bin"_s, body);
        DownloadRequest paused = f.request(url);
        paused.startPaused = true;
        const DownloadId first = f.add(paused);
        QCOMPARE(f.state(first), DownloadState::Paused);

        Answer answer{DuplicateChoice::OpenExisting, {}};
        RequestAdder adder(f.manager.get(), answer.question());
        RequestAdder::Outcome outcome = adder.add({f.request(url)}, false); // "Add to queue"
        QCOMPARE(outcome.opened, QList<DownloadId>{first});
        QVERIFY(outcome.added.isEmpty());
        QCOMPARE(f.state(first), DownloadState::Paused);

        outcome = adder.add({f.request(url)}, true); // "Start now"
        QCOMPARE(outcome.opened, QList<DownloadId>{first});
        QVERIFY(outcome.added.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(f.state(first), DownloadState::Completed, finishTimeoutMs);
        QCOMPARE(f.manager->snapshots().size(), 1);
        QCOMPARE(sha256OfFile(f.out.filePath(u"z.bin"_s)), sha256Hex(body));
    }

    void sameFileUnderANewQuery_offersToContinue_andTheDownloadTakesTheNewAddress()
    {
        Fixture f;
        const QByteArray body = deterministicBytes(2 * 1024 * 1024, 9);
        f.serve(u"/signed.bin"_s, body, 256 * 1024);
        QUrl old = f.server.url(u"/signed.bin"_s);
        old.setQuery(u"sig=old"_s);
        const DownloadId first = f.add(f.request(old));
        QTRY_VERIFY_WITH_TIMEOUT(f.manager->snapshot(first)->done > 0, finishTimeoutMs);
        f.manager->pause(first);
        QTRY_COMPARE(f.state(first), DownloadState::Paused);

        QUrl fresh = old;
        fresh.setQuery(u"sig=new"_s);
        QList<bool> offers;
        QList<bool> reports;
        RequestAdder adder(f.manager.get(), [&](const DownloadSnapshot &existing, bool offer) {
            offers.append(offer);
            return existing.id == first ? DuplicateChoice::ContinueWithNewAddress
                                        : DuplicateChoice::Skip;
        });
        adder.setAddressReport([&](DownloadId id, bool ok, const QString &message) {
            QCOMPARE(id, first);
            QVERIFY2(ok, qPrintable(message));
            reports.append(ok);
        });
        const RequestAdder::Outcome outcome = adder.add({f.request(fresh)}, true);
        QCOMPARE(offers, QList<bool>{true});
        QCOMPARE(outcome.continued, QList<DownloadId>{first});
        QCOMPARE(outcome.opened, QList<DownloadId>{first});
        QVERIFY(outcome.added.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(reports, QList<bool>{true}, finishTimeoutMs);
        QCOMPARE(f.manager->snapshot(first)->url, fresh);
        QCOMPARE(f.manager->snapshots().size(), 1);

        // The very same address again is the plain question, without the offer.
        adder.add({f.request(fresh)}, false);
        QCOMPARE(offers, (QList<bool>{true, false}));

        f.server.setFaults(u"/signed.bin"_s, Faults{});
        f.manager->resume(first);
        QTRY_COMPARE_WITH_TIMEOUT(f.state(first), DownloadState::Completed, finishTimeoutMs);
        QCOMPARE(sha256OfFile(f.out.filePath(u"signed.bin"_s)), sha256Hex(body));
    }

    void sameFile_isFoundByPathOrByProbedNameAndSize()
    {
        DownloadSnapshot unfinished;
        unfinished.id = 3;
        unfinished.url = QUrl(u"https://cdn.example.org/a/file.iso?token=1"_s);
        unfinished.fileName = u"file.iso"_s;
        unfinished.directory = QDir::tempPath();
        unfinished.total = 1000;
        unfinished.state = DownloadState::Failed;
        DownloadRequest r;
        r.directory = QDir::tempPath();
        r.url = QUrl(u"https://cdn.example.org/a/file.iso?token=2#x"_s);
        QCOMPARE(RequestAdder::findSameFile({unfinished}, r)->id, 3);
        r.url = QUrl(u"https://cdn.example.org/b/file.iso?token=2"_s);
        QVERIFY(!RequestAdder::findSameFile({unfinished}, r));
        r.url = QUrl(u"http://cdn.example.org/a/file.iso?token=2"_s); // another scheme
        QVERIFY(!RequestAdder::findSameFile({unfinished}, r));
        r.url = QUrl(u"https://mirror.example.net/get?id=77"_s);
        r.probedName = u"file.iso"_s;
        r.probedSize = 1000;
        QCOMPARE(RequestAdder::findSameFile({unfinished}, r)->id, 3);
        r.probedSize = 999;
        QVERIFY(!RequestAdder::findSameFile({unfinished}, r));
        r.probedSize = 1000;
        unfinished.state = DownloadState::Completed; // a finished file is not continued
        QVERIFY(!RequestAdder::findSameFile({unfinished}, r));
    }

    void messageBox_offersTheNewAddress_whenAsked()
    {
        DownloadSnapshot existing;
        existing.id = 8;
        existing.url = QUrl(u"https://example.org/files/x.bin?sig=1"_s);
        existing.fileName = u"x.bin"_s;
        existing.directory = u"/tmp"_s;
        existing.state = DownloadState::Failed;
        QString text;
        QStringList buttons;
        QTimer poll;
        connect(&poll, &QTimer::timeout, this, [&] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box || box->objectName() != u"duplicateQuestion"_s)
                return;
            text = box->text();
            for (QAbstractButton *b : box->buttons())
                buttons.append(b->text());
            box->findChild<QPushButton *>(u"continueWithNewAddress"_s)->click();
        });
        poll.start(20);
        QCOMPARE(RequestAdder::askWithMessageBox(nullptr, existing, true),
                 DuplicateChoice::ContinueWithNewAddress);
        QVERIFY2(text.contains(u"“x.bin”, failed"_s), qPrintable(text));
        QVERIFY(buttons.contains(u"&Continue the Existing Download with This New Address"_s));
        QCOMPARE(buttons.size(), 4);
    }

    void redirectedAddress_isFoundByWhereItLed()
    {
        Fixture f;
        const QUrl url = f.serve(u"/real.bin"_s, deterministicBytes(64 * 1024, 6));
        f.server.setRedirect(u"/latest"_s, u"/real.bin"_s);
        const DownloadId first = f.add(f.request(f.server.url(u"/latest"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(f.state(first), DownloadState::Completed, finishTimeoutMs);
        const auto found = RequestAdder::findExisting(f.manager->snapshots(), url);
        QVERIFY(found);
        QCOMPARE(found->id, first);
        QVERIFY(!RequestAdder::findExisting(f.manager->snapshots(), f.server.url(u"/else"_s)));
    }

    void messageBox_namesTheDownload_andEachButtonAnswers_data()
    {
        QTest::addColumn<QString>("button");
        QTest::addColumn<int>("choice");
        QTest::newRow("open") << u"openExisting"_s << int(DuplicateChoice::OpenExisting);
        QTest::newRow("again") << u"downloadAgain"_s << int(DuplicateChoice::DownloadAgain);
        QTest::newRow("cancel") << u"cancel"_s << int(DuplicateChoice::Skip);
    }

    void messageBox_namesTheDownload_andEachButtonAnswers()
    {
        QFETCH(QString, button);
        QFETCH(int, choice);
        DownloadSnapshot existing;
        existing.id = 7;
        existing.url = QUrl(u"https://example.org/files/x.bin"_s);
        existing.fileName = u"x.bin"_s;
        existing.targetPath = u"/tmp/x.bin"_s;
        existing.state = DownloadState::Completed;

        QString text;
        QStringList buttons;
        QTimer poll;
        connect(&poll, &QTimer::timeout, this, [&] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box || box->objectName() != u"duplicateQuestion"_s)
                return;
            text = box->text();
            for (QAbstractButton *b : box->buttons())
                buttons.append(b->text());
            if (button == u"cancel"_s)
                box->button(QMessageBox::Cancel)->click();
            else
                box->findChild<QPushButton *>(button)->click();
        });
        poll.start(20);
        QCOMPARE(int(RequestAdder::askWithMessageBox(nullptr, existing)), choice);
        QCOMPARE(text, u"This address is already in the list: “x.bin”, completed."_s);
        QVERIFY2(buttons.contains(u"&Open the Existing Download"_s),
                 qPrintable(buttons.join(u'|')));
        QVERIFY(buttons.contains(u"&Download Again Under a New Name"_s));
        QCOMPARE(buttons.size(), 3); // no "Replace": a file is never overwritten
    }

    // The whole way through the window: Ctrl+N's dialog, the question, the row shown.
    void window_openExisting_showsTheRowEvenWhenTheSearchHidIt()
    {
        Fixture f;
        QSettings qsettings(f.stateDir.filePath(u"settings.ini"_s), QSettings::IniFormat);
        AppSettings settings(&qsettings);
        settings.setCloseToTray(false);
        UrlProber prober;
        MainWindow window(f.manager.get(), &prober, &settings);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        const QUrl url = f.serve(u"/w.bin"_s, deterministicBytes(64 * 1024, 7));
        const DownloadId existing = f.add(f.request(url));
        const DownloadId other =
            f.add(f.request(f.serve(u"/other.bin"_s, deterministicBytes(64 * 1024, 8))));
        QTRY_COMPARE_WITH_TIMEOUT(f.state(existing), DownloadState::Completed, finishTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(f.state(other), DownloadState::Completed, finishTimeoutMs);
        auto *view = window.findChild<QTableView *>(u"transferView"_s);
        auto *search = window.findChild<QLineEdit *>(u"searchEdit"_s);
        search->setText(u"other"_s);
        QTRY_COMPARE(view->model()->rowCount(), 1);

        QString question;
        QTimer poll;
        connect(&poll, &QTimer::timeout, this, [&] {
            QWidget *modal = QApplication::activeModalWidget();
            if (auto *box = qobject_cast<QMessageBox *>(modal)) {
                question = box->text();
                box->findChild<QPushButton *>(u"openExisting"_s)->click();
            } else if (auto *dialog = qobject_cast<QDialog *>(modal)) {
                if (auto *start = dialog->findChild<QPushButton *>(u"startButton"_s);
                    start && start->isEnabled())
                    start->click();
            }
        });
        poll.start(20);
        window.offerUrls({url.toString()});
        poll.stop();

        QVERIFY2(question.contains(u"“w.bin”, completed"_s), qPrintable(question));
        QCOMPARE(f.manager->snapshots().size(), 2);
        QVERIFY(search->text().isEmpty());
        const QModelIndexList selected = view->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().data(TransferModel::IdRole).toLongLong(), existing);
    }

    void window_statusBarLimit_takesUnits()
    {
        Fixture f;
        QSettings qsettings(f.stateDir.filePath(u"settings.ini"_s), QSettings::IniFormat);
        AppSettings settings(&qsettings);
        settings.setCloseToTray(false);
        settings.setGlobalRateLimit(512 * 1024);
        UrlProber prober;
        MainWindow window(f.manager.get(), &prober, &settings);
        auto *box = window.findChild<RateLimitBox *>(u"globalLimit"_s);
        QVERIFY(box);
        QCOMPARE(box->currentText(), u"512 KiB/s"_s);
        box->lineEdit()->selectAll();
        QTest::keyClicks(box->lineEdit(), u"2M"_s);
        QTest::keyClick(box->lineEdit(), Qt::Key_Return);
        QCOMPARE(settings.globalRateLimit(), qint64(2 * 1024 * 1024));
        QCOMPARE(box->currentText(), u"2 MiB/s"_s);
    }
};

QTEST_MAIN(TestRequestAdder)
#include "tst_requestadder.moc"
