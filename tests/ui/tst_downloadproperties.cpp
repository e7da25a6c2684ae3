// A download's own speed limit and connections, changed after it was added: from the
// Properties dialog while it runs, and while it waits, and kept over a restart.
#include "downloadpropertiesdialog.h"
#include "mainwindowfixture.h"
#include "ratelimitbox.h"

#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

namespace {

// Types `limit` and sets `connections` in the open Properties dialog, then presses OK.
void answer(QWidget *modal, const QString &limit, int connections)
{
    auto *dialog = qobject_cast<ui::DownloadPropertiesDialog *>(modal);
    if (!dialog) {
        if (auto *d = qobject_cast<QDialog *>(modal))
            d->reject();
        return;
    }
    dialog->findChild<ui::RateLimitBox *>(u"propertiesLimit"_s)->lineEdit()->setText(limit);
    dialog->findChild<QSpinBox *>(u"propertiesConnections"_s)->setValue(connections);
    dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
}

void restart(MainWindowFixture &f)
{
    f.window.reset();
    f.manager->flush();
    f.manager = std::make_unique<DownloadManager>(f.state.path());
    QString error;
    QVERIFY2(f.manager->open(false, &error), qPrintable(error));
}

} // namespace

class TestDownloadProperties final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void dialog_showsTheDownloadsValues()
    {
        DownloadSnapshot s;
        s.fileName = u"a.iso"_s;
        s.rateLimit = 2 * 1024 * 1024;
        s.maxConnections = 5;
        ui::DownloadPropertiesDialog dialog(s);
        QCOMPARE(dialog.rateLimit(), 2 * 1024 * 1024);
        QCOMPARE(dialog.connections(), 5);
        QVERIFY(dialog.hasConnections());
        QVERIFY(dialog.windowTitle().contains(u"a.iso"_s));
    }

    void dialog_textThatIsNoSpeedDisablesOk()
    {
        ui::DownloadPropertiesDialog dialog(DownloadSnapshot{});
        auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        auto *limit = dialog.findChild<ui::RateLimitBox *>(u"propertiesLimit"_s);
        limit->lineEdit()->setText(u"fast"_s);
        QVERIFY(!ok->isEnabled());
        limit->lineEdit()->setText(u"2M"_s);
        QVERIFY(ok->isEnabled());
        QCOMPARE(dialog.rateLimit(), 2 * 1024 * 1024);
    }

    void runningDownload_takesNewConnectionsAndLimit_andKeepsThemOverRestart()
    {
        MainWindowFixture f;
        const DownloadId id = f.add(u"/big.iso"_s, 64 * 1024 * 1024, 64 * 1024);
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->snapshot(id)->connections, 8, 20'000);

        f.view()->selectRow(0);
        ModalAnswerer answerer([](QWidget *modal) { answer(modal, u"500K"_s, 2); });
        f.action(u"Properties…"_s)->trigger();
        QCOMPARE(answerer.seen(), 1);

        QCOMPARE(f.manager->snapshot(id)->rateLimit, 500 * 1024);
        QCOMPARE(f.manager->snapshot(id)->maxConnections, 2);
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->snapshot(id)->connections, 2, 10'000);
        QCOMPARE(f.manager->snapshot(id)->state, DownloadState::Downloading);

        restart(f);
        QCOMPARE(f.manager->snapshot(id)->rateLimit, 500 * 1024);
        QCOMPARE(f.manager->snapshot(id)->maxConnections, 2);
    }

    void pausedDownload_takesNewConnectionsUnderItsLock()
    {
        MainWindowFixture f;
        const DownloadId id = f.add(u"/paused.iso"_s, 16 * 1024 * 1024, 64 * 1024);
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->totals().active, 1, 20'000);
        QCOMPARE(f.manager->pause(id), DownloadManager::Change::Done);

        f.manager->setConnections(id, 3);
        f.manager->setConnections(id, 99); // out of range: the most there is
        QCOMPARE(f.manager->snapshot(id)->maxConnections, 32);
        f.manager->setConnections(id, 3);
        f.manager->setRateLimit(id, 2 * 1024 * 1024);

        restart(f);
        QCOMPARE(f.manager->snapshot(id)->maxConnections, 3);
        QCOMPARE(f.manager->snapshot(id)->rateLimit, 2 * 1024 * 1024);
        QCOMPARE(f.manager->snapshot(id)->state, DownloadState::Paused);
    }
};

QTEST_MAIN(TestDownloadProperties)
#include "tst_downloadproperties.moc"
