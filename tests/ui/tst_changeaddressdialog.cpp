// The Change Address dialog: what it refuses before asking the engine, the clipboard's link
// offered, a right address taken with the dialog closing as the download goes on, and the
// window's command for one unfinished download.
#include "api/downloadmanager.h"
#include "changeaddressdialog.h"
#include "faultserver.h"
#include "mainwindowfixture.h"
#include "sandbox.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;
using namespace ferry::ui;

class TestChangeAddressDialog final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_state;
    QTemporaryDir m_out;
    FaultServer m_server;
    std::unique_ptr<DownloadManager> m_manager;
    DownloadId m_id = 0;

    static void clickOk(ChangeAddressDialog &dialog)
    {
        dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_server.start());
        Resource r;
        r.body = deterministicBytes(1024 * 1024, 61);
        r.etag = "\"a\"";
        m_server.setResource(u"/old.bin"_s, r);
        m_server.setResource(u"/new.bin"_s, r);
        m_manager = std::make_unique<DownloadManager>(m_state.path());
        QString error;
        QVERIFY2(m_manager->open(false, &error), qPrintable(error));
        DownloadRequest request;
        request.url = m_server.url(u"/old.bin"_s);
        request.directory = m_out.path();
        request.startPaused = true;
        request.probedSize = r.body.size(); // as the add dialog's probe found it
        m_id = m_manager->add(request, &error);
        QVERIFY2(m_id > 0, qPrintable(error));
    }

    void cleanupTestCase() { m_manager.reset(); }

    void notAWebAddress_isRefusedInline_andTheDialogStays_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("ftp") << u"ftp://example.org/x.bin"_s << u"only http:// and https://"_s;
        QTest::newRow("words") << u"not an address"_s << u"only http:// and https://"_s;
        QTest::newRow("empty") << u"  "_s << u"Enter the new address."_s;
        QTest::newRow("the same") << m_server.url(u"/old.bin"_s).toString() << u"current address"_s;
    }

    void notAWebAddress_isRefusedInline_andTheDialogStays()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        ChangeAddressDialog dialog(m_manager.get(), *m_manager->snapshot(m_id));
        dialog.show();
        auto *address = dialog.findChild<QLineEdit *>(u"newAddress"_s);
        address->setText(text);
        clickOk(dialog);
        auto *status = dialog.findChild<QLabel *>(u"status"_s);
        QVERIFY(status->isVisible());
        QVERIFY2(status->text().contains(expected), qPrintable(status->text()));
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QCOMPARE(m_manager->snapshot(m_id)->url, m_server.url(u"/old.bin"_s));
    }

    void clipboardLink_isOffered_andARightAddressClosesTheDialog()
    {
        const QUrl fresh = m_server.url(u"/new.bin"_s);
        QApplication::clipboard()->setText(fresh.toString());
        ChangeAddressDialog dialog(m_manager.get(), *m_manager->snapshot(m_id));
        dialog.show();
        auto *current = dialog.findChild<QLineEdit *>(u"currentAddress"_s);
        QVERIFY(current->isReadOnly());
        QCOMPARE(current->text(), m_server.url(u"/old.bin"_s).toString());
        auto *address = dialog.findChild<QLineEdit *>(u"newAddress"_s);
        if (QApplication::clipboard()->text() == fresh.toString()) { // a platform with a clipboard
            QCOMPARE(address->text(), fresh.toString());
            QCOMPARE(address->selectedText(), fresh.toString());
        }
        address->setText(fresh.toString());
        dialog.findChild<QLineEdit *>(u"cookie"_s)->setText(u"k=v"_s);
        clickOk(dialog);
        QCOMPARE(dialog.findChild<QLabel *>(u"status"_s)->text(), u"Checking the new address…"_s);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 30'000);
        QVERIFY(!dialog.isVisible());
        QCOMPARE(m_manager->snapshot(m_id)->url, fresh);
        const QList<RequestRecord> probes = m_server.requests(u"/new.bin"_s);
        QCOMPARE(probes.size(), 1);
        QVERIFY(probes.first().headers.contains(QPair<QByteArray, QByteArray>("Cookie", "k=v")));
    }

    void otherFile_isRefusedInline_withTheReason()
    {
        Resource other;
        other.body = deterministicBytes(2048, 62);
        other.etag = "\"b\"";
        m_server.setResource(u"/other.bin"_s, other);
        ChangeAddressDialog dialog(m_manager.get(), *m_manager->snapshot(m_id));
        dialog.show();
        dialog.findChild<QLineEdit *>(u"newAddress"_s)
            ->setText(m_server.url(u"/other.bin"_s).toString());
        clickOk(dialog);
        auto *status = dialog.findChild<QLabel *>(u"status"_s);
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"size"_s), 30'000);
        QVERIFY(dialog.isVisible());
        QVERIFY(dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
    }

    void window_command_isForOneUnfinishedDownload_andChangesItsAddress()
    {
        MainWindowFixture f;
        const DownloadId id = f.add(u"/w.bin"_s, 2 * 1024 * 1024, 256 * 1024);
        Resource same;
        same.body = deterministicBytes(2 * 1024 * 1024, 2 * 1024 * 1024); // as the fixture makes it
        same.etag = "\"e\"";
        f.server.setResource(u"/w2.bin"_s, same);
        QTRY_COMPARE(f.rows(), 1);
        QAction *change = f.action(u"Change Address…"_s);
        QVERIFY(change);
        QVERIFY(!change->isEnabled()); // nothing selected
        f.view()->selectRow(0);
        QVERIFY(change->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(f.manager->snapshot(id)->total > 0, 30'000);

        const QUrl fresh = f.server.url(u"/w2.bin"_s);
        bool closed = false;
        ModalAnswerer answerer([&](QWidget *modal) {
            auto *dialog = qobject_cast<ChangeAddressDialog *>(modal);
            if (!dialog)
                return;
            auto *address = dialog->findChild<QLineEdit *>(u"newAddress"_s);
            if (address->text() != fresh.toString()) {
                address->setText(fresh.toString());
                dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
            }
            closed = true;
        });
        change->trigger();
        QVERIFY(closed);
        QCOMPARE(f.manager->snapshot(id)->url, fresh);
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->snapshot(id)->state, DownloadState::Completed, 60'000);
        QVERIFY(!change->isEnabled()); // a finished download keeps its address
    }
};

QTEST_MAIN(TestChangeAddressDialog)
#include "tst_changeaddressdialog.moc"
