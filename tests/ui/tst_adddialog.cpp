// The add dialog against a real local server: what the probe shows, what the form validates,
// and which requests come out.
#include "adddialog.h"
#include "api/urlprober.h"
#include "appsettings.h"
#include "faultserver.h"
#include "probelist.h"

#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::ui;
using namespace ferry::test;

namespace {

constexpr int probeTimeoutMs = 15'000;
constexpr qint64 fileSize = 1'234'567;

QByteArray headerValue(const HeaderList &headers, const QByteArray &name)
{
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

} // namespace

class TestAddDialog final : public QObject
{
    Q_OBJECT

private:
    template <typename T> T *child(const QString &name) const
    {
        T *w = m_dialog->findChild<T *>(name);
        if (!w)
            qFatal("no child %s", qPrintable(name));
        return w;
    }
    QTreeWidget *list() const { return child<QTreeWidget>(u"probeList"_s); }
    QString cell(int row, int column) const
    {
        QTreeWidgetItem *item = list()->topLevelItem(row);
        return item ? item->text(column) : QString();
    }
    QString fileUrl() const { return m_server->url(u"/file.iso"_s).toString(); }
    QString missingUrl() const { return m_server->url(u"/missing"_s).toString(); }

    std::unique_ptr<FaultServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_qsettings;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<UrlProber> m_prober;
    std::unique_ptr<AddDialog> m_dialog;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_server = std::make_unique<FaultServer>();
        QVERIFY(m_server->start());
        Resource r;
        r.body = QByteArray(fileSize, 'x');
        r.etag = "\"v1\"";
        m_server->setResource(u"/file.iso"_s, r);
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_qsettings =
            std::make_unique<QSettings>(m_dir->filePath(u"ferry.ini"_s), QSettings::IniFormat);
        m_settings = std::make_unique<AppSettings>(m_qsettings.get());
        m_settings->setDownloadFolder(m_dir->filePath(u"downloads"_s));
        m_prober = std::make_unique<UrlProber>();
        m_dialog = std::make_unique<AddDialog>(m_prober.get(), m_settings.get());
        m_server->clearLog();
    }

    void cleanup()
    {
        m_dialog.reset();
        m_prober.reset();
        m_settings.reset();
        m_qsettings.reset();
        m_dir.reset();
    }

    void probe_showsNameSizeAndServerError()
    {
        m_dialog->setUrlsText(fileUrl() + u'\n' + missingUrl());
        QCOMPARE(list()->topLevelItemCount(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(cell(0, 2), u"Resumable"_s, probeTimeoutMs);
        QCOMPARE(cell(0, 0), u"file.iso"_s);
        QCOMPARE(cell(0, 1), QLocale().formattedDataSize(fileSize));
        QTRY_VERIFY_WITH_TIMEOUT(cell(1, 2).contains(u"no longer has this file"_s), probeTimeoutMs);
        QVERIFY2(cell(1, 2).contains(u"404 Not Found"_s), qPrintable(cell(1, 2)));
        QCOMPARE(list()->topLevelItem(1)->foreground(2).color(), ProbeList::errorColor());
        QVERIFY(list()->topLevelItem(0)->foreground(2).color() != ProbeList::errorColor());
        // The failed URL is still offered: the user may know better.
        QVERIFY(child<QPushButton>(u"startButton"_s)->isEnabled());
        QCOMPARE(m_dialog->requests().size(), 2);
    }

    void typing_probesOnceAfterPause_andOnlyNewUrls()
    {
        auto *edit = child<QPlainTextEdit>(u"urlEdit"_s);
        QTest::keyClicks(edit, fileUrl());
        QCOMPARE(list()->topLevelItemCount(), 0); // nothing until the typing pauses
        QTRY_COMPARE_WITH_TIMEOUT(cell(0, 2), u"Resumable"_s, probeTimeoutMs);
        const int fileRequests = m_server->requestCount(u"/file.iso"_s);
        QVERIFY(fileRequests >= 1);
        for (const RequestRecord &r : m_server->requests())
            QCOMPARE(r.path, QByteArray("/file.iso")); // no half-typed address was probed

        QTest::keyClick(edit, Qt::Key_End, Qt::ControlModifier);
        QTest::keyClick(edit, Qt::Key_Return);
        QTest::keyClicks(edit, missingUrl());
        QTRY_VERIFY_WITH_TIMEOUT(cell(1, 2).contains(u"404"_s), probeTimeoutMs);
        QCOMPARE(cell(0, 0), u"file.iso"_s);
        QCOMPARE(m_server->requestCount(u"/file.iso"_s), fileRequests);
    }

    void singleUrl_prefillsName_severalDisableIt()
    {
        auto *name = child<QLineEdit>(u"nameEdit"_s);
        m_dialog->setUrlsText(fileUrl());
        QVERIFY(name->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(name->text(), u"file.iso"_s, probeTimeoutMs);
        QCOMPARE(m_dialog->requests().constFirst().fileName, u"file.iso"_s);

        m_dialog->setUrlsText(fileUrl() + u' ' + missingUrl());
        QVERIFY(!name->isEnabled());
        QVERIFY(m_dialog->requests().constFirst().fileName.isEmpty());
    }

    void folder_followsCategoryFolderOfProbedName()
    {
        const QString isos = m_dir->filePath(u"isos"_s);
        m_settings->setCategoryFolder(Category::Archives, isos);
        auto *folder = child<QLineEdit>(u"folderEdit"_s);
        QCOMPARE(folder->text(), QDir::toNativeSeparators(m_settings->downloadFolder()));
        m_dialog->setUrlsText(fileUrl());
        QTRY_COMPARE_WITH_TIMEOUT(folder->text(), QDir::toNativeSeparators(isos), probeTimeoutMs);
    }

    void folder_chosenBeforeProbeIsKept()
    {
        m_settings->setCategoryFolder(Category::Archives, m_dir->filePath(u"isos"_s));
        auto *folder = child<QLineEdit>(u"folderEdit"_s);
        const QString mine = m_dir->filePath(u"mine"_s);
        folder->setText(mine);
        m_dialog->setUrlsText(fileUrl());
        QTRY_COMPARE_WITH_TIMEOUT(cell(0, 2), u"Resumable"_s, probeTimeoutMs);
        QCOMPARE(folder->text(), mine);
    }

    void folder_startsAtLastFolder()
    {
        m_settings->setLastFolder(m_dir->filePath(u"last"_s));
        AddDialog dialog(m_prober.get(), m_settings.get());
        QCOMPARE(dialog.findChild<QLineEdit *>(u"folderEdit"_s)->text(),
                 QDir::toNativeSeparators(m_dir->filePath(u"last"_s)));
    }

    void invalidChecksum_disablesStartAndSaysWhy()
    {
        auto *start = child<QPushButton>(u"startButton"_s);
        auto *checksum = child<QLineEdit>(u"checksumEdit"_s);
        auto *error = child<QLabel>(u"checksumError"_s);
        m_dialog->setUrlsText(fileUrl());
        QVERIFY(start->isEnabled());

        checksum->setText(u"sha256=abc123"_s);
        QVERIFY(!start->isEnabled());
        QVERIFY(!child<QPushButton>(u"queueButton"_s)->isEnabled());
        QVERIFY(error->isVisibleTo(m_dialog.get()));
        QVERIFY2(error->text().contains(u"64"_s), qPrintable(error->text()));

        const QString good = u"sha256="_s + QString(64, u'a');
        checksum->setText(good);
        QVERIFY(start->isEnabled());
        QVERIFY(!error->isVisibleTo(m_dialog.get()));
        QCOMPARE(m_dialog->requests().constFirst().checksum, good);
    }

    void noUrl_disablesButtons()
    {
        auto *start = child<QPushButton>(u"startButton"_s);
        QVERIFY(!start->isEnabled());
        m_dialog->setUrlsText(u"just some words, ftp://nope.example/x"_s);
        QVERIFY(!start->isEnabled());
        QVERIFY(!child<QPushButton>(u"queueButton"_s)->isEnabled());
        QVERIFY(child<QLabel>(u"urlError"_s)->isVisibleTo(m_dialog.get()));
        QVERIFY(m_dialog->requests().isEmpty());
    }

    void headersCookieAndAuth_goIntoRequestsAndProbe()
    {
        child<QPlainTextEdit>(u"headersEdit"_s)
            ->setPlainText(u"Referer: https://example.com/page\n\nX-Token:  abc "_s);
        child<QLineEdit>(u"cookieEdit"_s)->setText(u"session=42; theme=dark"_s);
        child<QLineEdit>(u"userEdit"_s)->setText(u"alice"_s);
        child<QLineEdit>(u"passwordEdit"_s)->setText(u"s3cret:x"_s);
        QCOMPARE(child<QLineEdit>(u"passwordEdit"_s)->echoMode(), QLineEdit::Password);
        m_dialog->setUrlsText(fileUrl());

        const HeaderList headers = m_dialog->requests().constFirst().headers;
        QCOMPARE(headerValue(headers, "Referer"), QByteArray("https://example.com/page"));
        QCOMPARE(headerValue(headers, "X-Token"), QByteArray("abc"));
        QCOMPARE(headerValue(headers, "Cookie"), QByteArray("session=42; theme=dark"));
        QCOMPARE(headerValue(headers, "Authorization"),
                 "Basic " + QByteArray("alice:s3cret:x").toBase64());

        // The probe asks with the same headers, so a protected file is judged fairly.
        QTRY_VERIFY_WITH_TIMEOUT(m_server->requestCount(u"/file.iso"_s) > 0, probeTimeoutMs);
        QCOMPARE(headerValue(m_server->requests(u"/file.iso"_s).constFirst().headers, "Cookie"),
                 QByteArray("session=42; theme=dark"));
    }

    void invalidHeaderLine_isReportedAndBlocks()
    {
        m_dialog->setUrlsText(fileUrl());
        auto *error = child<QLabel>(u"headersError"_s);
        child<QPlainTextEdit>(u"headersEdit"_s)
            ->setPlainText(u"Referer: ok\nno colon here\nBad Name: x\nRange: bytes=0-"_s);
        QVERIFY(!child<QPushButton>(u"startButton"_s)->isEnabled());
        QVERIFY(error->isVisibleTo(m_dialog.get()));
        QVERIFY2(error->text().contains(u"Line 2"_s), qPrintable(error->text()));
        QVERIFY(error->text().contains(u"Line 3"_s));
        QVERIFY(error->text().contains(u"Line 4"_s));
        QVERIFY(!error->text().contains(u"Line 1"_s));
        QVERIFY(child<QWidget>(u"advancedPanel"_s)->isVisibleTo(m_dialog.get()));
        child<QPlainTextEdit>(u"headersEdit"_s)->setPlainText(u"Referer: ok"_s);
        QVERIFY(child<QPushButton>(u"startButton"_s)->isEnabled());
    }

    void options_propagate_andFolderIsCreatedAndRemembered()
    {
        const QString target = m_dir->filePath(u"new/sub"_s);
        m_dialog->setUrlsText(fileUrl() + u'\n' + missingUrl());
        child<QSpinBox>(u"connectionsSpin"_s)->setValue(5);
        child<QSpinBox>(u"limitSpin"_s)->setValue(100);
        child<QLineEdit>(u"folderEdit"_s)->setText(target);

        const QList<DownloadRequest> requests = m_dialog->requests();
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests.at(0).url, QUrl(fileUrl()));
        QCOMPARE(requests.at(1).url, QUrl(missingUrl()));
        for (const DownloadRequest &r : requests) {
            QCOMPARE(r.connections, 5);
            QCOMPARE(r.rateLimit, qint64(100 * 1024));
            QCOMPARE(r.directory, target);
            QVERIFY(!r.startPaused);
            QVERIFY(r.checksum.isEmpty());
        }

        QTest::mouseClick(child<QPushButton>(u"queueButton"_s), Qt::LeftButton);
        QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
        QVERIFY(!m_dialog->startNow());
        QVERIFY(QDir(target).exists());
        QCOMPARE(m_settings->lastFolder(), target);
    }

    void connections_defaultFromSettings()
    {
        m_settings->setConnectionsPerDownload(3);
        AddDialog dialog(m_prober.get(), m_settings.get());
        QCOMPARE(dialog.findChild<QSpinBox *>(u"connectionsSpin"_s)->value(), 3);
        QCOMPARE(dialog.findChild<QSpinBox *>(u"limitSpin"_s)->value(), 0);
    }

    void startButton_startsNow()
    {
        m_dialog->setUrlsText(fileUrl());
        QTest::mouseClick(child<QPushButton>(u"startButton"_s), Qt::LeftButton);
        QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
        QVERIFY(m_dialog->startNow());
    }

    void enterKey_startsNow()
    {
        m_dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
        m_dialog->setUrlsText(fileUrl());
        auto *folder = child<QLineEdit>(u"folderEdit"_s);
        folder->setFocus();
        QTest::keyClick(folder, Qt::Key_Return);
        QTRY_VERIFY(!m_dialog->isVisible());
        QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
        QVERIFY(m_dialog->startNow());
    }

    void cancel_leavesLastFolderAlone()
    {
        m_dialog->setUrlsText(fileUrl());
        m_dialog->reject();
        QCOMPARE(m_dialog->result(), int(QDialog::Rejected));
        QVERIFY(m_settings->lastFolder().isEmpty());
    }
};

QTEST_MAIN(TestAddDialog)
#include "tst_adddialog.moc"
