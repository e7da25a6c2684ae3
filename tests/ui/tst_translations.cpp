// The embedded translations and locale-aware formatting: what a Chinese or German user sees.
// Whether the .ts files are complete and current is the translations_current ctest test.
#include "api/downloadmanager.h"
#include "api/urlprober.h"
#include "appsettings.h"
#include "format.h"
#include "mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QFile>
#include <QLibraryInfo>
#include <QPushButton>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace Qt::StringLiterals;
using namespace ferry;

class TestTranslations final : public QObject
{
    Q_OBJECT

private:
    // Installs ferry_<name>.qm the way the application does, for the duration of one test.
    struct ScopedTranslation {
        QTranslator translator;
        bool loaded = false;
        explicit ScopedTranslation(const QString &name)
        {
            loaded = translator.load(u":/i18n/ferry_"_s + name);
            if (loaded)
                QCoreApplication::installTranslator(&translator);
        }
        ~ScopedTranslation() { QCoreApplication::removeTranslator(&translator); }
    };

    struct ScopedLocale {
        explicit ScopedLocale(const QLocale &locale) { QLocale::setDefault(locale); }
        ~ScopedLocale() { QLocale::setDefault(QLocale::c()); }
    };

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale::c());
    }

    void translationFor_picksTheQmFile_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("expected");
        QTest::newRow("mainland China") << u"zh_CN"_s << u"zh_CN"_s;
        QTest::newRow("Singapore, simplified") << u"zh_SG"_s << u"zh_CN"_s;
        QTest::newRow("Taiwan, traditional") << u"zh_TW"_s << u"en"_s;
        QTest::newRow("German") << u"de_DE"_s << u"en"_s;
        QTest::newRow("English") << u"en_US"_s << u"en"_s;
    }

    void translationFor_picksTheQmFile()
    {
        QFETCH(QString, locale);
        QFETCH(QString, expected);
        QCOMPARE(ui::AppSettings::translationFor(QLocale(locale)), expected);
    }

    void localeFor_followsSystemUnlessChosen()
    {
        const QLocale german(QLocale::German, QLocale::Germany);
        QCOMPARE(ui::AppSettings::localeFor(u"system"_s, german), german);
        QCOMPARE(ui::AppSettings::localeFor(u"zh_CN"_s, german).language(), QLocale::Chinese);
        QCOMPARE(ui::AppSettings::translationFor(ui::AppSettings::localeFor(u"zh_CN"_s, german)), u"zh_CN"_s);
        QCOMPARE(ui::AppSettings::localeFor(u"en"_s, german).language(), QLocale::English);
    }

    // QSettings caches files per process, so a second QSettings here would not re-read the
    // file: the written text is what the next start parses.
    void language_survivesARestart()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"settings.ini"_s);
        {
            QSettings qsettings(path, QSettings::IniFormat);
            ui::AppSettings(&qsettings).setLanguage(u"zh_CN"_s);
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY2(text.contains(u"[interface]\nlanguage=zh_CN"_s), qPrintable(text));
    }

    void chinese_translatesTheMainWindow()
    {
        ScopedTranslation zh(u"zh_CN"_s);
        QVERIFY(zh.loaded);
        QTemporaryDir state;
        QSettings qsettings(state.filePath(u"settings.ini"_s), QSettings::IniFormat);
        ui::AppSettings settings(&qsettings);
        settings.setCloseToTray(false);
        DownloadManager manager(state.path());
        QString error;
        QVERIFY2(manager.open(false, &error), qPrintable(error));
        UrlProber prober;
        ui::MainWindow window(&manager, &prober, &settings);

        QStringList actionTexts;
        for (const QAction *action : window.findChildren<QAction *>())
            actionTexts << action->text();
        QVERIFY2(actionTexts.contains(u"暂停(&P)"_s), qPrintable(actionTexts.join(u", ")));
        QVERIFY(actionTexts.contains(u"新建下载(&A)…"_s));
        QVERIFY(!actionTexts.contains(u"&Pause"_s));

        QStringList menus;
        for (const QAction *menu : window.menuBar()->actions())
            menus << menu->text();
        QVERIFY2(menus.contains(u"文件(&F)"_s), qPrintable(menus.join(u", ")));

        const QAbstractItemModel *model = window.findChild<QTableView *>(u"transferView"_s)->model();
        QStringList headers;
        for (int c = 0; c < model->columnCount(); ++c)
            headers << model->headerData(c, Qt::Horizontal).toString();
        QVERIFY2(headers.contains(u"剩余时间"_s), qPrintable(headers.join(u", ")));
    }

    void chinese_translatesCoreMessages()
    {
        ScopedTranslation zh(u"zh_CN"_s);
        QVERIFY(zh.loaded);
        QCOMPARE(stateName(DownloadState::Paused), u"已暂停"_s);
        QCOMPARE(stateName(DownloadState::Downloading), u"下载中"_s);

        QTemporaryDir state;
        DownloadManager manager(state.path());
        QString error;
        QVERIFY2(manager.open(false, &error), qPrintable(error));
        DownloadRequest request;
        request.url = QUrl(u"ftp://127.0.0.1/file.iso"_s);
        request.directory = state.path();
        QCOMPARE(manager.add(request, &error), DownloadId{});
        QCOMPARE(error, u"不是可下载的地址：ftp://127.0.0.1/file.iso（仅支持 http 和 https 链接）。"_s);
    }

    // Qt's own texts (standard buttons) come from Qt's translations, loaded with Ferry's.
    void chinese_showsQtStandardButtonsInChinese()
    {
        const QString qm = QLibraryInfo::path(QLibraryInfo::TranslationsPath) + u"/qtbase_zh_CN.qm"_s;
        if (!QFile::exists(qm))
            QSKIP(qPrintable(u"%1 is not installed (Debian: qt6-translations-l10n; scripts/setup run installs it)"_s.arg(qm)));
        const QLocale chinese = ui::AppSettings::localeFor(u"zh_CN"_s);
        const QList<QTranslator *> translators = ui::AppSettings::loadTranslators(chinese, this);
        QCOMPARE(translators.size(), 2); // Ferry's and Qt's
        for (QTranslator *t : translators)
            QCoreApplication::installTranslator(t);
        const auto cleanup = qScopeGuard([&] {
            for (QTranslator *t : translators) {
                QCoreApplication::removeTranslator(t);
                delete t;
            }
        });

        QDialogButtonBox buttons(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
        QCOMPARE(buttons.button(QDialogButtonBox::Ok)->text(), u"确定"_s);
        QCOMPARE(buttons.button(QDialogButtonBox::Cancel)->text(), u"取消"_s);
        QCOMPARE(QCoreApplication::translate("ferry::ui::MainWindow", "&Quit"), u"退出(&Q)"_s);
    }

    void english_loadsNoChineseQtTexts()
    {
        const QList<QTranslator *> translators = ui::AppSettings::loadTranslators(ui::AppSettings::localeFor(u"en"_s), this);
        for (QTranslator *t : translators)
            QCoreApplication::installTranslator(t);
        QDialogButtonBox buttons(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
        QCOMPARE(buttons.button(QDialogButtonBox::Ok)->text(), u"OK"_s);
        for (QTranslator *t : translators) {
            QCoreApplication::removeTranslator(t);
            delete t;
        }
    }

    void english_hasPluralForms()
    {
        const char *text = "Ferry was not closed properly. It recovered %n unfinished download(s), which resume now.";
        ScopedTranslation en(u"en"_s);
        QVERIFY(en.loaded);
        QCOMPARE(QCoreApplication::translate("main", text, nullptr, 1),
                 u"Ferry was not closed properly. It recovered one unfinished download, which resumes now."_s);
        QCOMPARE(QCoreApplication::translate("main", text, nullptr, 3),
                 u"Ferry was not closed properly. It recovered 3 unfinished downloads, which resume now."_s);
    }

    void format_german_usesDecimalComma()
    {
        ScopedLocale de(QLocale(QLocale::German, QLocale::Germany));
        QCOMPARE(ui::formatSize(1536 * 1024), u"1,5 MiB"_s);
        QCOMPARE(ui::formatSpeed(1536), u"1,5 KiB/s"_s);
        QCOMPARE(ui::formatSize(-1), u"–"_s);
        QCOMPARE(ui::formatEta(3725), u"1 h 02 min"_s);
        const QDateTime added(QDate(2024, 3, 5), QTime(14, 7));
        const QString date = ui::formatDateTime(added);
        QVERIFY2(date.startsWith(u"05.03.24"_s) && date.contains(u"14:07"_s), qPrintable(date));
    }

    void format_chinese_translatesUnits()
    {
        ScopedTranslation zh(u"zh_CN"_s);
        ScopedLocale cn(QLocale(QLocale::Chinese, QLocale::SimplifiedHanScript, QLocale::China));
        QCOMPARE(ui::formatSize(1536 * 1024), u"1.5 MiB"_s);
        QCOMPARE(ui::formatSpeed(1536), u"1.5 KiB/s"_s);
        QCOMPARE(ui::formatEta(45), u"45 秒"_s);
        QCOMPARE(ui::formatEta(200), u"3 分 20 秒"_s);
        QCOMPARE(ui::formatEta(3725), u"1 小时 02 分"_s);
        QCOMPARE(ui::formatEta(5 * 86400 + 3 * 3600), u"5 天 03 小时"_s);
        const QDateTime added(QDate(2024, 3, 5), QTime(14, 7));
        const QString date = ui::formatDateTime(added);
        QVERIFY2(date.startsWith(u"2024/3/5"_s) && date.contains(u"14:07"_s), qPrintable(date));
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
