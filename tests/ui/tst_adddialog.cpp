// The add dialog against a real local server: what the probe shows, what the form validates,
// and which requests come out.
#include "adddialog.h"
#include "api/urlprober.h"
#include "appsettings.h"
#include "faultserver.h"
#include "probelist.h"
#include "ratelimitbox.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QRegularExpression>
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
#include <QTextCursor>
#include <QTranslator>
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
    // Answers every request with 500: a passing failure, so the address is still added.
    QString flakyUrl() const { return m_server->url(u"/flaky.iso"_s).toString(); }
    // The same file under another address (the server ignores the query).
    QString otherUrl() const { return m_server->url(u"/file.iso"_s).toString() + u"?copy=2"_s; }
    QStringList requestedUrls() const
    {
        QStringList urls;
        for (const DownloadRequest &r : m_dialog->requests())
            urls.append(r.url.toString());
        return urls;
    }
    QString rowToolTip(int row) const
    {
        QTreeWidgetItem *item = list()->topLevelItem(row);
        return item ? item->toolTip(ProbeList::StatusColumn) : QString();
    }
    void showDialog()
    {
        m_dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
    }

    std::unique_ptr<FaultServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_qsettings;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<UrlProber> m_prober;
    std::unique_ptr<AddDialog> m_dialog;
    QTranslator m_english; // the plural forms of "%n address(es)"

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_english.load(u":/i18n/ferry_en"_s));
        QCoreApplication::installTranslator(&m_english);
        m_server = std::make_unique<FaultServer>();
        QVERIFY(m_server->start());
        Resource r;
        r.body = QByteArray(fileSize, 'x');
        r.etag = "\"v1\"";
        m_server->setResource(u"/file.iso"_s, r);
        m_server->setResource(u"/flaky.iso"_s, r);
        Faults flaky;
        flaky.failFirstRequests = 1'000'000;
        flaky.failStatus = 500;
        m_server->setFaults(u"/flaky.iso"_s, flaky);
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
        // The server does not have it: it is left out, and the good one still goes.
        QVERIFY(child<QPushButton>(u"startButton"_s)->isEnabled());
        QCOMPARE(requestedUrls(), QStringList{fileUrl()});
    }

    void refusedUrl_isLeftOutAndSaysWhy_passingFailureAndGoodOneAreAdded()
    {
        m_dialog->setUrlsText(fileUrl() + u'\n' + missingUrl() + u'\n' + flakyUrl());
        // While they are being checked, every one of them would go.
        QCOMPARE(requestedUrls(), (QStringList{fileUrl(), missingUrl(), flakyUrl()}));
        QTRY_VERIFY_WITH_TIMEOUT(cell(1, 2).contains(u"404"_s), probeTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(cell(2, 2).contains(u"500"_s), probeTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(cell(0, 2), u"Resumable"_s, probeTimeoutMs);

        QCOMPARE(requestedUrls(), (QStringList{fileUrl(), flakyUrl()}));
        auto *note = child<QLabel>(u"refusedNote"_s);
        QVERIFY(note->isVisibleTo(m_dialog.get()));
        QVERIFY2(note->text().startsWith(u"1 address will not be added"_s),
                 qPrintable(note->text()));
        QVERIFY2(rowToolTip(1).contains(u"will not be added"_s), qPrintable(rowToolTip(1)));
        QVERIFY2(rowToolTip(2).contains(u"added all the same"_s), qPrintable(rowToolTip(2)));
        auto *start = child<QPushButton>(u"startButton"_s);
        QVERIFY(start->isEnabled());
        QVERIFY(start->toolTip().isEmpty());

        QTest::mouseClick(start, Qt::LeftButton);
        QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
        QCOMPARE(requestedUrls(), (QStringList{fileUrl(), flakyUrl()}));
    }

    void everyUrlRefused_disablesButtonsWithTooltip()
    {
        showDialog();
        m_dialog->setUrlsText(missingUrl());
        auto *start = child<QPushButton>(u"startButton"_s);
        auto *queue = child<QPushButton>(u"queueButton"_s);
        QVERIFY(start->isEnabled()); // not known yet
        QTRY_VERIFY_WITH_TIMEOUT(!start->isEnabled(), probeTimeoutMs);
        QVERIFY(!queue->isEnabled());
        QVERIFY2(start->toolTip().startsWith(u"Nothing to add"_s), qPrintable(start->toolTip()));
        QCOMPARE(queue->toolTip(), start->toolTip());
        QVERIFY(child<QLabel>(u"refusedNote"_s)->isVisibleTo(m_dialog.get()));
        QVERIFY(m_dialog->requests().isEmpty());
        QTest::keyClick(child<QPlainTextEdit>(u"urlEdit"_s), Qt::Key_Return);
        QVERIFY(m_dialog->isVisible());

        // Another address next to it can be added again.
        auto *edit = child<QPlainTextEdit>(u"urlEdit"_s);
        edit->moveCursor(QTextCursor::End);
        edit->insertPlainText(u'\n' + fileUrl());
        QVERIFY(start->isEnabled());
        QVERIFY(start->toolTip().isEmpty());
        QCOMPARE(requestedUrls(), QStringList{fileUrl()});
    }

    void prefilledText_isSelected_andTypingReplacesIt()
    {
        auto *edit = child<QPlainTextEdit>(u"urlEdit"_s);
        m_dialog->setUrlsText(fileUrl());
        QCOMPARE(edit->textCursor().selectedText(), fileUrl());
        QTest::keyClicks(edit, otherUrl());
        QCOMPARE(edit->toPlainText(), otherUrl());
    }

    void enter_inASingleLine_startsNow()
    {
        showDialog();
        m_dialog->setUrlsText(fileUrl());
        QTest::keyClick(child<QPlainTextEdit>(u"urlEdit"_s), Qt::Key_Return);
        QVERIFY(!m_dialog->isVisible());
        QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
        QVERIFY(m_dialog->startNow());
    }

    void shiftEnter_beginsAList_thenEnterAddsLines_ctrlEnterStarts()
    {
        showDialog();
        auto *edit = child<QPlainTextEdit>(u"urlEdit"_s);
        QTest::keyClicks(edit, fileUrl());
        QTest::keyClick(edit, Qt::Key_Return, Qt::ShiftModifier);
        QVERIFY(m_dialog->isVisible());
        QTest::keyClicks(edit, otherUrl());
        QTest::keyClick(edit, Qt::Key_Return); // a list now: Enter is a new line
        QTest::keyClick(edit, Qt::Key_Enter, Qt::KeypadModifier);
        QVERIFY(m_dialog->isVisible());
        QCOMPARE(edit->toPlainText(), fileUrl() + u'\n' + otherUrl() + u"\n\n"_s);
        QCOMPARE(requestedUrls(), (QStringList{fileUrl(), otherUrl()}));

        QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(!m_dialog->isVisible());
        QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
        QVERIFY(m_dialog->startNow());
    }

    void ctrlEnter_startsAPastedList()
    {
        showDialog();
        auto *edit = child<QPlainTextEdit>(u"urlEdit"_s);
        QApplication::clipboard()->setText(fileUrl() + u'\n' + otherUrl() + u'\n');
        edit->setFocus();
        QTest::keyClick(edit, Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(edit->toPlainText(), fileUrl() + u'\n' + otherUrl() + u'\n');
        QCOMPARE(list()->topLevelItemCount(), 0); // the list follows once typing pauses
        QTRY_COMPARE(list()->topLevelItemCount(), 2);
        QTest::keyClick(edit, Qt::Key_Return); // several lines: a new line, not a start
        QVERIFY(m_dialog->isVisible());
        QTest::keyClick(edit, Qt::Key_Enter, Qt::ControlModifier | Qt::KeypadModifier);
        QVERIFY(!m_dialog->isVisible());
        QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
        QCOMPARE(requestedUrls(), (QStringList{fileUrl(), otherUrl()}));
    }

    void speedLimit_acceptsUnits_andRefusesText()
    {
        m_dialog->setUrlsText(fileUrl());
        auto *box = child<RateLimitBox>(u"limitBox"_s);
        auto *start = child<QPushButton>(u"startButton"_s);
        auto *error = child<QLabel>(u"limitError"_s);
        box->setEditText(u"5M"_s);
        QCOMPARE(m_dialog->requests().constFirst().rateLimit, qint64(5 * 1024 * 1024));
        box->setEditText(u"abc"_s);
        QVERIFY(!start->isEnabled());
        QVERIFY(error->isVisibleTo(m_dialog.get()));
        QVERIFY2(error->text().contains(u"abc"_s), qPrintable(error->text()));
        box->setEditText(u"1.5 MiB/s"_s);
        QVERIFY(start->isEnabled());
        QVERIFY(!error->isVisibleTo(m_dialog.get()));
        QCOMPARE(m_dialog->requests().constFirst().rateLimit, qint64(1.5 * 1024 * 1024));
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
        QTest::keyClick(edit, Qt::Key_Return, Qt::ShiftModifier);
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
        // The probe's name, not the user's: it rides along as a hint with the size and resume
        // support, and the download's own probe still decides.
        DownloadRequest request = m_dialog->requests().constFirst();
        QVERIFY(request.fileName.isEmpty());
        QCOMPARE(request.probedName, u"file.iso"_s);
        QVERIFY(request.probedSize > 0);
        QVERIFY(request.probedResumable);
        name->setText(u"mine.iso"_s);
        QCOMPARE(m_dialog->requests().constFirst().fileName, u"mine.iso"_s);
        name->setText(u"file.iso"_s);

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

    void browserHeaders_goWithProbeAndRequest_typedOnesWin()
    {
        const QString url = fileUrl();
        m_dialog->setBrowserHeaders(
            [](const QUrl &) {
                return HeaderList{{"Cookie", "session=from-browser"},
                                  {"Referer", "http://127.0.0.1/page.html"},
                                  {"User-Agent", "TestBrowser/1.0"}};
            },
            u"From Chromium: sent with its cookies."_s);
        child<QPlainTextEdit>(u"headersEdit"_s)->setPlainText(u"User-Agent: Typed/2.0"_s);
        m_dialog->setUrlsText(url);

        QVERIFY(child<QLabel>(u"browserNote"_s)->isVisibleTo(m_dialog.get()));
        QCOMPARE(child<QLabel>(u"browserNote"_s)->text(), u"From Chromium: sent with its cookies."_s);
        // The cookie is not shown in the editable fields.
        QVERIFY(child<QLineEdit>(u"cookieEdit"_s)->text().isEmpty());
        const HeaderList headers = m_dialog->requests().constFirst().headers;
        QCOMPARE(headerValue(headers, "Cookie"), QByteArray("session=from-browser"));
        QCOMPARE(headerValue(headers, "Referer"), QByteArray("http://127.0.0.1/page.html"));
        QCOMPARE(headerValue(headers, "User-Agent"), QByteArray("Typed/2.0"));
        QTRY_VERIFY_WITH_TIMEOUT(m_server->requestCount(u"/file.iso"_s) > 0, probeTimeoutMs);
        QCOMPARE(headerValue(m_server->requests(u"/file.iso"_s).constFirst().headers, "Cookie"),
                 QByteArray("session=from-browser"));
    }

    void pageLinks_commonTypesTicked_filterAndTickShown()
    {
        const QString base = m_server->url(u"/"_s).toString();
        Resource small;
        small.body = QByteArray(1000, 'y');
        for (const QString &path : {u"/about.html"_s, u"/music.mp3"_s, u"/photo.jpg"_s, u"/setup.deb"_s})
            m_server->setResource(path, small);
        const QList<ProbeList::Link> links = {
            {fileUrl(), u"The image"_s},
            {base + u"about.html"_s, u"About us"_s},
            {base + u"music.mp3"_s, u"A song"_s},
            {base + u"photo.jpg"_s, u"A photo"_s},
            {base + u"setup.deb"_s, u"Installer"_s},
        };
        showDialog();
        m_dialog->setLinks(links);
        QVERIFY(!child<QPlainTextEdit>(u"urlEdit"_s)->isVisibleTo(m_dialog.get()));
        QVERIFY(child<QWidget>(u"linkBar"_s)->isVisibleTo(m_dialog.get()));
        QCOMPARE(list()->topLevelItemCount(), 5);
        const auto ticked = [this] {
            QStringList names;
            for (int row = 0; row < list()->topLevelItemCount(); ++row) {
                if (list()->topLevelItem(row)->checkState(ProbeList::NameColumn) == Qt::Checked)
                    names.append(QUrl(list()->topLevelItem(row)->text(ProbeList::UrlColumn)).fileName());
            }
            return names;
        };
        // Archives, music and programs are ticked; the page and the photo are not.
        QCOMPARE(ticked(), QStringList({u"file.iso"_s, u"music.mp3"_s, u"setup.deb"_s}));
        QCOMPARE(requestedUrls().size(), 3);

        // Unticking by hand leaves the link out.
        list()->topLevelItem(2)->setCheckState(ProbeList::NameColumn, Qt::Unchecked);
        QCOMPARE(requestedUrls(), QStringList({fileUrl(), base + u"setup.deb"_s}));

        // The text filter narrows the list; "Tick Shown" ticks only what it shows.
        child<QLineEdit>(u"linkFilter"_s)->setText(u"photo"_s);
        int shown = 0;
        for (int row = 0; row < list()->topLevelItemCount(); ++row)
            shown += list()->topLevelItem(row)->isHidden() ? 0 : 1;
        QCOMPARE(shown, 1);
        QTest::mouseClick(child<QPushButton>(u"tickShown"_s), Qt::LeftButton);
        QCOMPARE(requestedUrls(), QStringList({fileUrl(), base + u"photo.jpg"_s, base + u"setup.deb"_s}));

        // The type filter lists each type found with its count.
        auto *types = child<QComboBox>(u"typeFilter"_s);
        QStringList typeNames;
        for (int i = 0; i < types->count(); ++i)
            typeNames.append(types->itemText(i));
        QVERIFY2(typeNames.constFirst().contains(u"5"_s), qPrintable(typeNames.join(u", ")));
        child<QLineEdit>(u"linkFilter"_s)->clear();
        types->setCurrentIndex(typeNames.indexOf(QRegularExpression(u"^Archives.*"_s)));
        QVERIFY(types->currentIndex() > 0);
        QTest::mouseClick(child<QPushButton>(u"untickShown"_s), Qt::LeftButton);
        QCOMPARE(requestedUrls(), QStringList({base + u"photo.jpg"_s, base + u"setup.deb"_s}));

        // Only ticked links are asked about.
        QTRY_VERIFY_WITH_TIMEOUT(m_server->requestCount(u"/file.iso"_s) > 0, probeTimeoutMs);
        QCOMPARE(m_server->requestCount(u"/about.html"_s), 0);
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
        child<RateLimitBox>(u"limitBox"_s)->setEditText(u"100"_s); // KiB/s, as the old spin box
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
        QCOMPARE(dialog.findChild<RateLimitBox *>(u"limitBox"_s)->bytesPerSecond(), 0);
        QCOMPARE(dialog.findChild<RateLimitBox *>(u"limitBox"_s)->currentText(), u"No limit"_s);
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

    void enterInLimitBox_settlesTheSpeedAndStartsNow()
    {
        showDialog();
        m_dialog->setUrlsText(fileUrl());
        auto *box = child<RateLimitBox>(u"limitBox"_s);
        box->setFocus();
        box->lineEdit()->selectAll();
        QTest::keyClicks(box->lineEdit(), u"2m"_s);
        QTest::keyClick(box->lineEdit(), Qt::Key_Return);
        QCOMPARE(box->currentText(), u"2 MiB/s"_s);
        QTRY_VERIFY(!m_dialog->isVisible());
        QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
        QCOMPARE(m_dialog->requests().constFirst().rateLimit, qint64(2 * 1024 * 1024));
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
