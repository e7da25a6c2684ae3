// The add dialog with curl-style patterns in the address box, and with a list prepared
// elsewhere (an imported file): what it lists, probes, refuses and hands on.
#include "adddialog.h"
#include "api/urlpattern.h"
#include "api/urlprober.h"
#include "appsettings.h"
#include "faultserver.h"

#include <QDir>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::ui;
using namespace ferry::test;

class TestAddDialogBatches final : public QObject
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
    QString base() const { return m_server->url(u"/"_s).toString(); }
    QStringList requestedUrls() const
    {
        QStringList urls;
        for (const DownloadRequest &r : m_dialog->requests())
            urls.append(r.url.toString());
        return urls;
    }
    qsizetype probesSent() const
    {
        qsizetype n = 0;
        for (int i = 1; i <= 8; ++i)
            n += m_server->requests(u"/p%1.bin"_s.arg(i)).size();
        return n;
    }

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
        r.body = QByteArray(4096, 'p');
        r.etag = "\"p\"";
        for (int i = 1; i <= 8; ++i)
            m_server->setResource(u"/p%1.bin"_s.arg(i), r);
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

    void pattern_listsEveryAddressSaysHowManyAndProbesOnlyTheFirstFive()
    {
        m_dialog->setUrlsText(base() + u"p[1-8].bin"_s);
        QCOMPARE(list()->topLevelItemCount(), 8);
        auto *note = child<QLabel>(u"patternNote"_s);
        QVERIFY(note->isVisibleTo(m_dialog.get()));
        QVERIFY2(note->text().startsWith(u"This pattern makes 8 address"_s),
                 qPrintable(note->text()));
        QVERIFY2(note->text().endsWith(u"…/p1.bin … …/p8.bin"_s), qPrintable(note->text()));
        QTRY_COMPARE_WITH_TIMEOUT(probesSent(), 5, 15000);
        QTest::qWait(300); // no further probe follows
        QCOMPARE(probesSent(), 5);
        QCOMPARE(list()->topLevelItem(7)->text(2), u"Added without checking"_s);
        QVERIFY(child<QPushButton>(u"startButton"_s)->isEnabled());
        QStringList expected;
        for (int i = 1; i <= 8; ++i)
            expected.append(base() + u"p%1.bin"_s.arg(i));
        QCOMPARE(requestedUrls(), expected);
    }

    void pattern_tooManyAddresses_disablesButtonsAndSaysWhy()
    {
        m_dialog->setUrlsText(base() + u"f[1-3000]/[1-4000].bin"_s);
        auto *error = child<QLabel>(u"urlError"_s);
        QVERIFY(error->isVisibleTo(m_dialog.get()));
        QCOMPARE(error->text(), UrlPattern::tooManyMessage(12000000));
        QVERIFY(error->text().startsWith(u"This pattern makes "_s));
        QVERIFY(!child<QPushButton>(u"startButton"_s)->isEnabled());
        QVERIFY(!child<QPushButton>(u"queueButton"_s)->isEnabled());
        QCOMPARE(list()->topLevelItemCount(), 0);
        QCOMPARE(m_server->requests().size(), 0);
    }

    void pattern_malformed_namesTheLine()
    {
        m_dialog->setUrlsText(base() + u"p1.bin\n"_s + base() + u"p[5-1].bin"_s);
        QCOMPARE(child<QLabel>(u"urlError"_s)->text(),
                 u"Line 2: the range [5-1] runs backwards."_s);
        QVERIFY(!child<QPushButton>(u"startButton"_s)->isEnabled());
    }

    void pattern_escapedBracketIsAnAddressNotAPattern()
    {
        m_dialog->setUrlsText(base() + u"p1.bin"_s);
        QVERIFY(!child<QLabel>(u"patternNote"_s)->isVisibleTo(m_dialog.get()));
        QCOMPARE(requestedUrls(), QStringList{base() + u"p1.bin"_s});
    }

    void setRequests_keepsEachOnesFolderNameAndSettingsAndNamesTheSkipped()
    {
        const QString folder = m_dir->filePath(u"listed"_s);
        QVERIFY(QDir().mkpath(folder));
        DownloadRequest a;
        a.url = m_server->url(u"/p1.bin"_s);
        a.directory = folder;
        a.fileName = u"first.bin"_s;
        a.connections = 3;
        a.rateLimit = 4096;
        DownloadRequest b;
        b.url = m_server->url(u"/p2.bin"_s);
        b.directory = m_dir->filePath(u"not-here"_s);
        m_dialog->setRequests({a, b}, {u"entry 3: not an http or https address"_s,
                                       u"line 7: not an http or https address"_s});
        auto *note = child<QLabel>(u"importNote"_s);
        QVERIFY(note->isVisibleTo(m_dialog.get()));
        QVERIFY2(note->text().contains(u"entry 3: not an http or https address"_s),
                 qPrintable(note->text()));
        QVERIFY2(note->text().startsWith(u"2 "_s), qPrintable(note->text()));
        const QList<DownloadRequest> out = m_dialog->requests();
        QCOMPARE(out.size(), 2);
        QCOMPARE(out.at(0).directory, folder);
        QCOMPARE(out.at(0).fileName, u"first.bin"_s);
        QCOMPARE(out.at(0).connections, std::optional<int>(3));
        QCOMPARE(out.at(0).rateLimit, std::optional<qint64>(4096));
        // A folder that does not exist here: the dialog's folder instead.
        QCOMPARE(QDir::cleanPath(out.at(1).directory),
                 QDir::cleanPath(m_dir->filePath(u"downloads"_s)));
        QVERIFY(out.at(1).fileName.isEmpty());
    }
};

QTEST_MAIN(TestAddDialogBatches)
#include "tst_adddialogbatches.moc"
