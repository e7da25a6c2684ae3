// "Extract ZIP archives when complete": the Settings controls are stored and read back, and the
// add dialog's box starts from them and reaches the requests it hands out.
#include "adddialog.h"
#include "api/urlprober.h"
#include "appsettings.h"
#include "settingsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::ui;

class TestExtractOption final : public QObject
{
    Q_OBJECT

private:
    template <typename T> static T *child(QWidget *parent, const QString &name)
    {
        T *w = parent->findChild<T *>(name);
        if (!w)
            qFatal("no child %s", qPrintable(name));
        return w;
    }
    QString iniPath() const { return m_dir->filePath(u"ferry.ini"_s); }
    static void clickOk(QWidget *dialog)
    {
        auto *box = dialog->findChild<QDialogButtonBox *>();
        QVERIFY(box);
        QTest::mouseClick(box->button(QDialogButtonBox::Ok), Qt::LeftButton);
    }
    QList<DownloadRequest> requestsFromDialog(AppSettings *settings, std::optional<bool> tick)
    {
        UrlProber prober;
        AddDialog dialog(&prober, settings);
        if (tick)
            child<QCheckBox>(&dialog, u"extractCheck"_s)->setChecked(*tick);
        child<QPlainTextEdit>(&dialog, u"urlEdit"_s)
            ->setPlainText(u"http://127.0.0.1:9/data.zip\nhttp://127.0.0.1:9/more.zip"_s);
        return dialog.requests();
    }

    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void settings_defaultsKeepArchivesUnextracted()
    {
        QSettings ini(iniPath(), QSettings::IniFormat);
        AppSettings settings(&ini);
        QCOMPARE(settings.extractArchives(), false);
        QCOMPARE(settings.trashExtractedArchives(), false);
        SettingsDialog dialog(&settings);
        QCOMPARE(child<QCheckBox>(&dialog, u"extractCheck"_s)->isChecked(), false);
        QCOMPARE(child<QComboBox>(&dialog, u"afterExtractCombo"_s)->currentText(),
                 u"Keep the archive"_s);
    }

    void settingsDialog_savesAndLoadsTheChoices()
    {
        {
            QSettings ini(iniPath(), QSettings::IniFormat);
            AppSettings settings(&ini);
            SettingsDialog dialog(&settings);
            child<QCheckBox>(&dialog, u"extractCheck"_s)->setChecked(true);
            auto *after = child<QComboBox>(&dialog, u"afterExtractCombo"_s);
            after->setCurrentIndex(after->findText(u"Move the archive to the trash"_s));
            QVERIFY(after->currentIndex() >= 0);
            clickOk(&dialog);
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
        }
        // A fresh read of the file, as at the next start.
        QSettings ini(iniPath(), QSettings::IniFormat);
        AppSettings settings(&ini);
        QCOMPARE(settings.extractArchives(), true);
        QCOMPARE(settings.trashExtractedArchives(), true);
        SettingsDialog dialog(&settings);
        QCOMPARE(child<QCheckBox>(&dialog, u"extractCheck"_s)->isChecked(), true);
        QCOMPARE(child<QComboBox>(&dialog, u"afterExtractCombo"_s)->currentText(),
                 u"Move the archive to the trash"_s);

        // And back: Cancel leaves the file as it was, OK writes the change.
        child<QCheckBox>(&dialog, u"extractCheck"_s)->setChecked(false);
        dialog.reject();
        QCOMPARE(settings.extractArchives(), true);
        SettingsDialog again(&settings);
        child<QCheckBox>(&again, u"extractCheck"_s)->setChecked(false);
        clickOk(&again);
        QSettings reread(iniPath(), QSettings::IniFormat);
        QCOMPARE(AppSettings(&reread).extractArchives(), false);
    }

    void addDialog_boxFollowsTheSettingAndReachesTheRequests()
    {
        QSettings ini(iniPath(), QSettings::IniFormat);
        AppSettings settings(&ini);

        // Off in Settings: the box starts unticked, and the requests say so.
        {
            UrlProber prober;
            AddDialog dialog(&prober, &settings);
            QCOMPARE(child<QCheckBox>(&dialog, u"extractCheck"_s)->isChecked(), false);
        }
        QList<DownloadRequest> requests = requestsFromDialog(&settings, std::nullopt);
        QCOMPARE(requests.size(), 2);
        for (const DownloadRequest &r : std::as_const(requests))
            QCOMPARE(r.extractArchive, std::optional<bool>(false));

        // On in Settings, with the trash chosen: the box starts ticked; every request asks for
        // unpacking and carries the trash choice.
        settings.setExtractArchives(true);
        settings.setTrashExtractedArchives(true);
        {
            UrlProber prober;
            AddDialog dialog(&prober, &settings);
            QCOMPARE(child<QCheckBox>(&dialog, u"extractCheck"_s)->isChecked(), true);
        }
        requests = requestsFromDialog(&settings, std::nullopt);
        QCOMPARE(requests.size(), 2);
        for (const DownloadRequest &r : std::as_const(requests)) {
            QCOMPARE(r.extractArchive, std::optional<bool>(true));
            QCOMPARE(r.trashArchive, true);
        }

        // Unticked for this one addition: nothing is unpacked, whatever Settings say.
        requests = requestsFromDialog(&settings, false);
        for (const DownloadRequest &r : std::as_const(requests)) {
            QCOMPARE(r.extractArchive, std::optional<bool>(false));
            QCOMPARE(r.trashArchive, false);
        }
        // Ticked while Settings say keep: unpacked, archive kept.
        settings.setExtractArchives(false);
        settings.setTrashExtractedArchives(false);
        requests = requestsFromDialog(&settings, true);
        for (const DownloadRequest &r : std::as_const(requests)) {
            QCOMPARE(r.extractArchive, std::optional<bool>(true));
            QCOMPARE(r.trashArchive, false);
        }
    }
};

QTEST_MAIN(TestExtractOption)
#include "tst_extractoption.moc"
