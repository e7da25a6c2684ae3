// Typed settings: defaults, persistence through a real ini file, and URL extraction from text.
#include "appsettings.h"

#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry::ui;

class TestAppSettings final : public QObject
{
    Q_OBJECT

private:
    QString iniPath() const { return m_dir->filePath(u"ferry.ini"_s); }

    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void defaults_areSensible()
    {
        QSettings qs(iniPath(), QSettings::IniFormat);
        AppSettings s(&qs);
        QCOMPARE(s.downloadFolder(),
                 QStandardPaths::writableLocation(QStandardPaths::DownloadLocation));
        QVERIFY(!s.downloadFolder().isEmpty());
        for (Category c : allCategories)
            QVERIFY(s.categoryFolder(c).isEmpty());
        QVERIFY(s.lastFolder().isEmpty());
        QCOMPARE(s.maxConcurrentDownloads(), 3);
        QCOMPARE(s.connectionsPerDownload(), 8);
        QCOMPARE(s.connectionsPerHost(), 16);
        QCOMPARE(s.globalRateLimit(), qint64(0));
        QCOMPARE(s.proxyType(), AppSettings::ProxyType::System);
        QVERIFY(s.proxyHost().isEmpty());
        QCOMPARE(s.proxyPort(), 0);
        QVERIFY(s.proxyUser().isEmpty());
        QVERIFY(s.resumeAtStart());
        QVERIFY(!s.clipboardCapture());
        QVERIFY(s.notifications());
        QVERIFY(s.closeToTray());
        QCOMPARE(s.language(), u"system"_s);
        QVERIFY(s.windowGeometry().isEmpty());
        QVERIFY(s.windowState().isEmpty());
        QVERIFY(s.headerState().isEmpty());
    }

    void roundTrip_survivesReopen()
    {
        const QByteArray blob("\x00\x01\xff geometry", 12);
        {
            QSettings qs(iniPath(), QSettings::IniFormat);
            AppSettings s(&qs);
            s.setDownloadFolder(u"/data/downloads"_s);
            s.setCategoryFolder(Category::Video, u"/data/video"_s);
            s.setLastFolder(u"/data/last"_s);
            s.setMaxConcurrentDownloads(5);
            s.setConnectionsPerDownload(12);
            s.setConnectionsPerHost(24);
            s.setGlobalRateLimit(512 * 1024);
            s.setProxyType(AppSettings::ProxyType::Socks5);
            s.setProxyHost(u" proxy.example "_s);
            s.setProxyPort(1080);
            s.setProxyUser(u"alice"_s);
            s.setResumeAtStart(false);
            s.setClipboardCapture(true);
            s.setNotifications(false);
            s.setCloseToTray(false);
            s.setLanguage(u"zh_CN"_s);
            s.setWindowGeometry(blob);
            s.setWindowState(blob + "s");
            s.setHeaderState(blob + "h");
            QVERIFY(s.sync());
        }
        QSettings qs(iniPath(), QSettings::IniFormat);
        AppSettings s(&qs);
        QCOMPARE(s.downloadFolder(), u"/data/downloads"_s);
        QCOMPARE(s.categoryFolder(Category::Video), u"/data/video"_s);
        QVERIFY(s.categoryFolder(Category::Audio).isEmpty());
        QCOMPARE(s.lastFolder(), u"/data/last"_s);
        QCOMPARE(s.maxConcurrentDownloads(), 5);
        QCOMPARE(s.connectionsPerDownload(), 12);
        QCOMPARE(s.connectionsPerHost(), 24);
        QCOMPARE(s.globalRateLimit(), qint64(512 * 1024));
        QCOMPARE(s.proxyType(), AppSettings::ProxyType::Socks5);
        QCOMPARE(s.proxyHost(), u"proxy.example"_s);
        QCOMPARE(s.proxyPort(), 1080);
        QCOMPARE(s.proxyUser(), u"alice"_s);
        QVERIFY(!s.resumeAtStart());
        QVERIFY(s.clipboardCapture());
        QVERIFY(!s.notifications());
        QVERIFY(!s.closeToTray());
        QCOMPARE(s.language(), u"zh_CN"_s);
        QCOMPARE(s.windowGeometry(), blob);
        QCOMPARE(s.windowState(), blob + "s");
        QCOMPARE(s.headerState(), blob + "h");
    }

    void file_keepsNoPasswordAndReadableProxyType()
    {
        {
            QSettings qs(iniPath(), QSettings::IniFormat);
            AppSettings s(&qs);
            s.setProxyType(AppSettings::ProxyType::Http);
            s.setProxyUser(u"alice"_s);
            QVERIFY(s.sync());
        }
        QFile f(iniPath());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY2(text.contains("type=http"), text.constData());
        QVERIFY(!text.toLower().contains("password"));
    }

    // QSettings turns a group called "general" into "[%General]" and reads it back under another
    // name, so behaviour switches live in their own group.
    void behaviourSwitches_areWrittenUnderTheirOwnGroup()
    {
        {
            QSettings qs(iniPath(), QSettings::IniFormat);
            AppSettings s(&qs);
            s.setCloseToTray(false);
            s.setResumeAtStart(false);
            qs.sync();
        }
        QFile f(iniPath());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY2(text.contains("[behaviour]") && text.contains("closeToTray=false"), text.constData());
        QVERIFY(!text.contains("%General"));
    }

    void legacyGeneralGroup_isStillRead()
    {
        {
            QFile f(iniPath());
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("[%General]\ncloseToTray=false\n");
        }
        QSettings qs(iniPath(), QSettings::IniFormat);
        AppSettings s(&qs);
        QCOMPARE(s.closeToTray(), false);
    }

    void outOfRangeValues_areClamped()
    {
        QSettings qs(iniPath(), QSettings::IniFormat);
        qs.setValue(u"connections/perDownload"_s, 500);
        qs.setValue(u"connections/maxConcurrent"_s, u"lots"_s);
        qs.setValue(u"interface/language"_s, u"tlh"_s);
        qs.setValue(u"proxy/type"_s, u"carrier-pigeon"_s);
        AppSettings s(&qs);
        QCOMPARE(s.connectionsPerDownload(), 32);
        QCOMPARE(s.maxConcurrentDownloads(), 3);
        QCOMPARE(s.language(), u"system"_s);
        QCOMPARE(s.proxyType(), AppSettings::ProxyType::System);
        s.setConnectionsPerHost(0);
        QCOMPARE(s.connectionsPerHost(), 1);
        s.setGlobalRateLimit(-5);
        QCOMPARE(s.globalRateLimit(), qint64(0));
    }

    void folderFor_usesCategoryFolderElseDownloadFolder()
    {
        QSettings qs(iniPath(), QSettings::IniFormat);
        AppSettings s(&qs);
        s.setDownloadFolder(u"/dl"_s);
        s.setCategoryFolder(Category::Archives, u"/dl/archives"_s);
        s.setCategoryFolder(Category::Video, u"/media/video"_s);
        QCOMPARE(s.folderFor(u"ubuntu.iso"_s), u"/dl/archives"_s);
        QCOMPARE(s.folderFor(u"backup.TAR"_s), u"/dl/archives"_s);
        QCOMPARE(s.folderFor(u"talk.mkv"_s), u"/media/video"_s);
        QCOMPARE(s.folderFor(u"song.mp3"_s), u"/dl"_s);
        QCOMPARE(s.folderFor(u"no-extension"_s), u"/dl"_s);
        s.setCategoryFolder(Category::Video, QString());
        QCOMPARE(s.folderFor(u"talk.mkv"_s), u"/dl"_s);
    }

#ifdef Q_OS_UNIX
    // Qt writes a new file and renames it over the old one (QSaveFile), so a reader holding the
    // old file, like a crash mid-write, never sees a half-written ini. If Qt ever wrote in place,
    // the old handle would see the new or truncated content.
    void sync_replacesFileAtomically()
    {
        QSettings qs(iniPath(), QSettings::IniFormat);
        AppSettings s(&qs);
        s.setDownloadFolder(u"/old"_s);
        QVERIFY(s.sync());
        QFile before(iniPath());
        QVERIFY(before.open(QIODevice::ReadOnly));
        s.setDownloadFolder(u"/new"_s);
        QVERIFY(s.sync());
        QVERIFY(before.readAll().contains("/old"));
        QVERIFY(!QFile::exists(iniPath() + u".lock"_s));
    }
#endif

    void sync_reportsUnwritableFile()
    {
        // A regular file where the folder should be: unwritable even for root.
        QFile blocker(m_dir->filePath(u"not-a-folder"_s));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QSettings qs(m_dir->filePath(u"not-a-folder/ferry.ini"_s), QSettings::IniFormat);
        AppSettings s(&qs);
        s.setLastFolder(u"/x"_s);
        QVERIFY(!s.sync());
    }

    void urlsFromText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("urls");

        QTest::newRow("empty") << QString() << QStringList();
        QTest::newRow("one per line")
            << u"http://a.example/one.zip\nhttps://b.example/two.zip\n"_s
            << QStringList{u"http://a.example/one.zip"_s, u"https://b.example/two.zip"_s};
        QTest::newRow("crlf lines")
            << u"http://a.example/1\r\nhttp://a.example/2\r\n"_s
            << QStringList{u"http://a.example/1"_s, u"http://a.example/2"_s};
        QTest::newRow("space separated")
            << u"  http://a.example/1\thttp://a.example/2   https://a.example/3 "_s
            << QStringList{u"http://a.example/1"_s, u"http://a.example/2"_s,
                           u"https://a.example/3"_s};
        QTest::newRow("inside prose") << u"Get it from https://example.com/file.iso, or the mirror "
                                         "(https://mirror.example.org/pub/file.iso). Thanks!"_s
                                      << QStringList{u"https://example.com/file.iso"_s,
                                                     u"https://mirror.example.org/pub/file.iso"_s};
        QTest::newRow("html attribute")
            << uR"(<a href="https://example.com/a.zip">download</a> <https://example.com/b.zip>)"_s
            << QStringList{u"https://example.com/a.zip"_s, u"https://example.com/b.zip"_s};
        QTest::newRow("balanced parentheses kept")
            << u"see https://en.wikipedia.org/wiki/Foo_(bar) now"_s
            << QStringList{u"https://en.wikipedia.org/wiki/Foo_(bar)"_s};
        QTest::newRow("query and port")
            << u"http://127.0.0.1:8080/get?id=1&name=x%20y#frag"_s
            << QStringList{u"http://127.0.0.1:8080/get?id=1&name=x%20y#frag"_s};
        QTest::newRow("duplicates keep first order")
            << u"http://b.example/x http://a.example/y\nhttp://b.example/x"_s
            << QStringList{u"http://b.example/x"_s, u"http://a.example/y"_s};
        QTest::newRow("upper-case scheme")
            << u"HTTPS://EXAMPLE.COM/A"_s << QStringList{u"HTTPS://EXAMPLE.COM/A"_s};
        QTest::newRow("ftp and others ignored")
            << u"ftp://f.example/x file:///etc/passwd magnet:?xt=urn http://h.example/x"_s
            << QStringList{u"http://h.example/x"_s};
        QTest::newRow("junk")
            << u"hello world http:// nothing https:/bad www.example.com httpx://a"_s
            << QStringList();
        QTest::newRow("glued to a word")
            << u"xhttp://a.example/ svn+http://b.example/"_s << QStringList();
    }

    void urlsFromText()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, urls);
        QCOMPARE(AppSettings::urlsFromText(text), urls);
    }
};

QTEST_GUILESS_MAIN(TestAppSettings)
#include "tst_appsettings.moc"
