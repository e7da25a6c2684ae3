// The settings dialog shows what is stored, and OK writes every field back to disk.
#include "appsettings.h"
#include "browserpage.h"
#include "settingsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace ferry::ui;

class TestSettingsDialog final : public QObject
{
    Q_OBJECT

private:
    template <typename T> static T *child(QWidget *dialog, const QString &name)
    {
        T *w = dialog->findChild<T *>(name);
        if (!w)
            qFatal("no child %s", qPrintable(name));
        return w;
    }
    static void select(QComboBox *combo, const QVariant &data)
    {
        const int index = combo->findData(data);
        QVERIFY(index >= 0);
        combo->setCurrentIndex(index);
    }
    static void clickOk(QWidget *dialog)
    {
        auto *box = dialog->findChild<QDialogButtonBox *>();
        QVERIFY(box);
        QTest::mouseClick(box->button(QDialogButtonBox::Ok), Qt::LeftButton);
    }
    QString iniPath() const { return m_dir->filePath(u"ferry.ini"_s); }

    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void opens_showingStoredValues()
    {
        QSettings qs(iniPath(), QSettings::IniFormat);
        AppSettings settings(&qs);
        settings.setDownloadFolder(u"/data/dl"_s);
        settings.setCategoryFolder(Category::Audio, u"/data/music"_s);
        settings.setMaxConcurrentDownloads(4);
        settings.setGlobalRateLimit(1000); // under 1 KiB/s must not read as unlimited
        settings.setProxyType(AppSettings::ProxyType::Http);
        settings.setProxyHost(u"proxy.example"_s);
        settings.setClipboardCapture(true);
        settings.setLanguage(u"en"_s);
        settings.setZipDeflateLevel(3);

        SettingsDialog dialog(&settings);
        QCOMPARE(child<QLineEdit>(&dialog, u"downloadFolderEdit"_s)->text(),
                 QDir::toNativeSeparators(u"/data/dl"_s));
        QCOMPARE(child<QLineEdit>(&dialog, u"categoryFolderEdit_audio"_s)->text(),
                 QDir::toNativeSeparators(u"/data/music"_s));
        QVERIFY(child<QLineEdit>(&dialog, u"categoryFolderEdit_video"_s)->text().isEmpty());
        QCOMPARE(child<QSpinBox>(&dialog, u"maxConcurrentSpin"_s)->value(), 4);
        QCOMPARE(child<QSpinBox>(&dialog, u"connectionsSpin"_s)->value(), 8);
        QCOMPARE(child<QSpinBox>(&dialog, u"perHostSpin"_s)->value(), 16);
        QCOMPARE(child<QSpinBox>(&dialog, u"rateLimitSpin"_s)->value(), 1);
        QCOMPARE(child<QSpinBox>(&dialog, u"zipLevelSpin"_s)->value(), 3);
        QCOMPARE(child<QComboBox>(&dialog, u"proxyTypeCombo"_s)->currentData().toInt(),
                 int(AppSettings::ProxyType::Http));
        QCOMPARE(child<QLineEdit>(&dialog, u"proxyHostEdit"_s)->text(), u"proxy.example"_s);
        QVERIFY(child<QLineEdit>(&dialog, u"proxyHostEdit"_s)->isEnabled());
        QVERIFY(child<QCheckBox>(&dialog, u"clipboardCheck"_s)->isChecked());
        QVERIFY(child<QCheckBox>(&dialog, u"resumeCheck"_s)->isChecked());
        QCOMPARE(child<QComboBox>(&dialog, u"languageCombo"_s)->currentData().toString(), u"en"_s);
        QCOMPARE(child<QLineEdit>(&dialog, u"proxyPasswordEdit"_s)->echoMode(),
                 QLineEdit::Password);
    }

    void ok_writesEverythingToDisk()
    {
        QString password;
        {
            QSettings qs(iniPath(), QSettings::IniFormat);
            AppSettings settings(&qs);
            SettingsDialog dialog(&settings);
            child<QLineEdit>(&dialog, u"downloadFolderEdit"_s)->setText(u"/srv/downloads/"_s);
            child<QLineEdit>(&dialog, u"categoryFolderEdit_video"_s)->setText(u"/srv/video"_s);
            child<QCheckBox>(&dialog, u"resumeCheck"_s)->setChecked(false);
            child<QCheckBox>(&dialog, u"closeToTrayCheck"_s)->setChecked(false);
            child<QCheckBox>(&dialog, u"notificationsCheck"_s)->setChecked(false);
            child<QCheckBox>(&dialog, u"clipboardCheck"_s)->setChecked(true);
            select(child<QComboBox>(&dialog, u"languageCombo"_s), u"zh_CN"_s);
            child<QSpinBox>(&dialog, u"maxConcurrentSpin"_s)->setValue(6);
            child<QSpinBox>(&dialog, u"connectionsSpin"_s)->setValue(16);
            child<QSpinBox>(&dialog, u"perHostSpin"_s)->setValue(32);
            child<QSpinBox>(&dialog, u"rateLimitSpin"_s)->setValue(2048);
            child<QSpinBox>(&dialog, u"zipLevelSpin"_s)->setValue(9);
            select(child<QComboBox>(&dialog, u"proxyTypeCombo"_s),
                   int(AppSettings::ProxyType::Socks5));
            child<QLineEdit>(&dialog, u"proxyHostEdit"_s)->setText(u"socks.example"_s);
            child<QSpinBox>(&dialog, u"proxyPortSpin"_s)->setValue(1080);
            child<QLineEdit>(&dialog, u"proxyUserEdit"_s)->setText(u"bob"_s);
            child<QLineEdit>(&dialog, u"proxyPasswordEdit"_s)->setText(u"hunter2"_s);
            clickOk(&dialog);
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
            password = dialog.proxyPassword();
        }
        QCOMPARE(password, u"hunter2"_s);

        QSettings qs(iniPath(), QSettings::IniFormat);
        AppSettings settings(&qs);
        QCOMPARE(settings.downloadFolder(), u"/srv/downloads"_s);
        QCOMPARE(settings.categoryFolder(Category::Video), u"/srv/video"_s);
        QVERIFY(settings.categoryFolder(Category::Documents).isEmpty());
        QVERIFY(!settings.resumeAtStart());
        QVERIFY(!settings.closeToTray());
        QVERIFY(!settings.notifications());
        QVERIFY(settings.clipboardCapture());
        QCOMPARE(settings.language(), u"zh_CN"_s);
        QCOMPARE(settings.maxConcurrentDownloads(), 6);
        QCOMPARE(settings.connectionsPerDownload(), 16);
        QCOMPARE(settings.connectionsPerHost(), 32);
        QCOMPARE(settings.globalRateLimit(), qint64(2048) * 1024);
        QCOMPARE(settings.zipDeflateLevel(), 9);
        QCOMPARE(settings.proxyType(), AppSettings::ProxyType::Socks5);
        QCOMPARE(settings.proxyHost(), u"socks.example"_s);
        QCOMPARE(settings.proxyPort(), 1080);
        QCOMPARE(settings.proxyUser(), u"bob"_s);

        QFile f(iniPath());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(!f.readAll().contains("hunter2"));
    }

    void cancel_changesNothing()
    {
        QSettings qs(iniPath(), QSettings::IniFormat);
        AppSettings settings(&qs);
        SettingsDialog dialog(&settings);
        child<QSpinBox>(&dialog, u"maxConcurrentSpin"_s)->setValue(9);
        dialog.reject();
        QCOMPARE(settings.maxConcurrentDownloads(), 3);
        QVERIFY(!QFile::exists(iniPath()));
    }

    void proxyFields_onlyForManualProxy()
    {
        QSettings qs(iniPath(), QSettings::IniFormat);
        AppSettings settings(&qs);
        SettingsDialog dialog(&settings);
        dialog.setProxyPassword(u"kept"_s);
        QCOMPARE(dialog.proxyPassword(), u"kept"_s);
        auto *combo = child<QComboBox>(&dialog, u"proxyTypeCombo"_s);
        auto *host = child<QLineEdit>(&dialog, u"proxyHostEdit"_s);
        QCOMPARE(combo->currentData().toInt(), int(AppSettings::ProxyType::System));
        QVERIFY(!host->isEnabled());
        select(combo, int(AppSettings::ProxyType::Http));
        QVERIFY(host->isEnabled());
        QVERIFY(child<QLineEdit>(&dialog, u"proxyPasswordEdit"_s)->isEnabled());
        select(combo, int(AppSettings::ProxyType::None));
        QVERIFY(!host->isEnabled());
    }

    // A '&' in a label marks its key only when the label has a buddy to go to; without one
    // it shows as it is, "&Download folder:" (or "(&D)" in Chinese).
    void labels_withAKey_haveABuddy_data()
    {
        QTest::addColumn<QString>("translation");
        QTest::addColumn<QString>("downloadFolderLabel");
        QTest::newRow("English") << QString() << u"&Download folder:"_s;
        QTest::newRow("Chinese") << u"zh_CN"_s << u"默认下载文件夹(&D)："_s;
    }

    void labels_withAKey_haveABuddy()
    {
        QFETCH(QString, translation);
        QFETCH(QString, downloadFolderLabel);
        QTranslator translator;
        if (!translation.isEmpty()) {
            QVERIFY(translator.load(u":/i18n/ferry_"_s + translation));
            QCoreApplication::installTranslator(&translator);
        }
        QSettings qs(iniPath(), QSettings::IniFormat);
        AppSettings settings(&qs);
        SettingsDialog dialog(&settings);
        QCoreApplication::removeTranslator(&translator);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));

        int withKey = 0;
        for (QLabel *label : dialog.findChildren<QLabel *>()) {
            const bool hasKey = QString(label->text()).remove(u"&&"_s).contains(u'&');
            withKey += hasKey;
            QVERIFY2(!hasKey || label->buddy(), qPrintable(label->text()));
        }
        QVERIFY(withKey >= 10);
        auto *folder = child<QLineEdit>(&dialog, u"downloadFolderEdit"_s);
        QLabel *folderLabel = nullptr;
        for (QLabel *label : dialog.findChildren<QLabel *>()) {
            if (label->buddy() == folder)
                folderLabel = label;
        }
        QVERIFY(folderLabel);
        QCOMPARE(folderLabel->text(), downloadFolderLabel);
        // The key goes where the label says.
        QTest::keyClick(&dialog, Qt::Key_D, Qt::AltModifier);
        QTRY_VERIFY(folder->hasFocus());
        // Folders by file type have no key, but are labels of their fields all the same.
        QVERIFY(child<QLineEdit>(&dialog, u"categoryFolderEdit_video"_s) != nullptr);
        int categoryLabels = 0;
        for (QLabel *label : dialog.findChildren<QLabel *>()) {
            if (label->buddy() && label->buddy()->objectName().startsWith(u"categoryFolderEdit_"_s))
                ++categoryLabels;
        }
        QCOMPARE(categoryLabels, int(std::size(allCategories)));

        // On each page, every key leads to one place: the tabs and what the page shows.
        auto *tabs = child<QTabWidget>(&dialog, u"tabs"_s);
        for (int page = 0; page < tabs->count(); ++page) {
            tabs->setCurrentIndex(page);
            QHash<QChar, QString> keys;
            auto claim = [&](const QString &text) {
                const qsizetype at = QString(text).replace(u"&&"_s, u"__"_s).indexOf(u'&');
                if (at < 0 || at + 1 >= text.size())
                    return;
                const QChar key = text.at(at + 1).toLower();
                QVERIFY2(!keys.contains(key), qPrintable(u"%1 and %2"_s.arg(keys.value(key), text)));
                keys.insert(key, text);
            };
            for (int t = 0; t < tabs->count(); ++t)
                claim(tabs->tabText(t));
            for (QWidget *w : dialog.findChildren<QWidget *>()) {
                if (!w->isVisibleTo(&dialog))
                    continue;
                if (auto *label = qobject_cast<QLabel *>(w))
                    claim(label->text());
                else if (auto *button = qobject_cast<QAbstractButton *>(w))
                    claim(button->text());
            }
        }
    }

    void browserPage_startsWithoutAsking_andRegistersTheHelper()
    {
        // The window's Settings carries the page, and OK stores its switch.
        {
            QSettings qs(iniPath(), QSettings::IniFormat);
            AppSettings settings(&qs);
            SettingsDialog dialog(&settings);
            auto *tabs = child<QTabWidget>(&dialog, u"tabs"_s);
            QCOMPARE(tabs->tabText(tabs->count() - 1), u"&Browser"_s);
            QVERIFY(!child<QCheckBox>(&dialog, u"startCapturedCheck"_s)->isChecked());
            child<QCheckBox>(&dialog, u"startCapturedCheck"_s)->setChecked(true);
            clickOk(&dialog);
            QVERIFY(settings.startCapturedWithoutAsking());
        }
        QSettings reread(iniPath(), QSettings::IniFormat);
        QVERIFY(reread.value(u"browser/startWithoutAsking"_s).toBool());

        // "Register for This User" writes the manifests under the home folder, and the table
        // says so for the browsers found there.
        const QByteArray oldHome = qgetenv("HOME");
        qputenv("HOME", m_dir->filePath(u"home"_s).toLocal8Bit());
        QDir().mkpath(m_dir->filePath(u"home/.config/chromium"_s)); // Chromium "installed"
        const QString host = m_dir->filePath(u"ferry-browser-host"_s);
        QFile exe(host);
        QVERIFY(exe.open(QIODevice::WriteOnly));
        exe.close();
        exe.setPermissions(QFile::ReadOwner | QFile::ExeOwner);
        QSettings qs(iniPath(), QSettings::IniFormat);
        AppSettings settings(&qs);
        QTranslator english; // the plural forms of "%n browser(s)"
        QVERIFY(english.load(u":/i18n/ferry_en"_s));
        QCoreApplication::installTranslator(&english);
        BrowserPage page(&settings, m_dir->path(), host);
        auto *table = child<QTreeWidget>(&page, u"browserTable"_s);
        const auto row = [table](const QString &name) -> QTreeWidgetItem * {
            for (int i = 0; i < table->topLevelItemCount(); ++i) {
                if (table->topLevelItem(i)->text(0) == name)
                    return table->topLevelItem(i);
            }
            return nullptr;
        };
        QVERIFY(row(u"Chromium"_s));
        QCOMPARE(row(u"Chromium"_s)->text(1), u"Not registered"_s);
        QCOMPARE(row(u"Chromium"_s)->text(2), u"Not connected yet"_s);
        QTest::mouseClick(child<QPushButton>(&page, u"registerHostButton"_s), Qt::LeftButton);
        QVERIFY(QFile::exists(m_dir->filePath(u"home/.config/chromium/NativeMessagingHosts/io.github.ferry.host.json"_s)));
        QVERIFY(QFile::exists(m_dir->filePath(u"home/.mozilla/native-messaging-hosts/io.github.ferry.host.json"_s)));
        QCOMPARE(row(u"Chromium"_s)->text(1), u"Registered for this user"_s);
        QVERIFY(child<QLabel>(&page, u"registerResult"_s)->text().startsWith(u"Registered for 6 browsers."_s));
        QCoreApplication::removeTranslator(&english);
        qputenv("HOME", oldHome);
    }

    void unwritableFile_keepsDialogOpen()
    {
        QFile blocker(m_dir->filePath(u"not-a-folder"_s));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QSettings qs(m_dir->filePath(u"not-a-folder/ferry.ini"_s), QSettings::IniFormat);
        AppSettings settings(&qs);
        SettingsDialog dialog(&settings);
        dialog.show();
        clickOk(&dialog);
        QVERIFY(dialog.isVisible());
        QVERIFY(child<QLabel>(&dialog, u"saveError"_s)->isVisible());
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
