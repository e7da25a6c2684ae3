// Where the browsers find Ferry's helper: the manifests written for the user, what a browser
// would read from them, and the contact book the helper keeps.
#include "api/browserhosts.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace ferry;

class TestBrowserHosts final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QByteArray m_oldHome;

    static QJsonObject readJson(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(file.readAll()).object();
    }

    const BrowserHosts::Browser &browser(const QString &id)
    {
        static QList<BrowserHosts::Browser> all;
        all = BrowserHosts::browsers();
        for (const auto &b : std::as_const(all)) {
            if (b.id == id)
                return b;
        }
        qFatal("no browser %s", qPrintable(id));
    }

private slots:
    void init()
    {
        QVERIFY(m_home.isValid());
        m_oldHome = qgetenv("HOME");
        qputenv("HOME", m_home.path().toLocal8Bit());
        QCOMPARE(QDir::homePath(), m_home.path());
    }

    void cleanup()
    {
        qputenv("HOME", m_oldHome);
        QDir(m_home.path()).removeRecursively();
        QDir().mkpath(m_home.path());
    }

    void register_writesEveryBrowsersManifest_andStatusSeesIt()
    {
        const QString program = m_home.filePath(u"bin/ferry-browser-host"_s);
        QDir().mkpath(m_home.filePath(u"bin"_s));
        QFile exe(program);
        QVERIFY(exe.open(QIODevice::WriteOnly));
        exe.write("#!/bin/sh\n");
        exe.close();
        exe.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

        QCOMPARE(BrowserHosts::status(browser(u"chromium"_s)).registration,
                 BrowserHosts::Registration::Missing);
        QStringList written;
        QString error;
        QVERIFY2(BrowserHosts::registerForUser(program, &written, &error), qPrintable(error));
        const QStringList expected = {
            u".config/chromium/NativeMessagingHosts"_s,
            u".config/google-chrome/NativeMessagingHosts"_s,
            u".config/BraveSoftware/Brave-Browser/NativeMessagingHosts"_s,
            u".config/microsoft-edge/NativeMessagingHosts"_s,
            u".config/vivaldi/NativeMessagingHosts"_s,
            u".mozilla/native-messaging-hosts"_s,
        };
        QCOMPARE(written.size(), expected.size());
        for (const QString &dir : expected) {
            const QString path = m_home.filePath(dir + u"/io.github.ferry.host.json"_s);
            QVERIFY2(written.contains(path), qPrintable(path));
            const QJsonObject manifest = readJson(path);
            QCOMPARE(manifest.value(u"name").toString(), u"io.github.ferry.host"_s);
            QCOMPARE(manifest.value(u"path").toString(), program);
            QCOMPARE(manifest.value(u"type").toString(), u"stdio"_s);
            if (dir.startsWith(u".mozilla"))
                QCOMPARE(manifest.value(u"allowed_extensions").toArray(), QJsonArray{u"ferry@ferry.github.io"_s});
            else
                QCOMPARE(manifest.value(u"allowed_origins").toArray(),
                         QJsonArray{u"chrome-extension://cihnbmkedaphfpommogcckbnlfknfmal/"_s});
        }
        const BrowserHosts::Status status = BrowserHosts::status(browser(u"firefox"_s));
        QCOMPARE(status.registration, BrowserHosts::Registration::User);
        QCOMPARE(status.programPath, program);
        // Chromium's profile folder now exists: it counts as found.
        QVERIFY(BrowserHosts::found(browser(u"chromium"_s)));

        // A build folder moved away leaves manifests naming nothing: said as such.
        QVERIFY(QFile::remove(program));
        QCOMPARE(BrowserHosts::status(browser(u"chrome"_s)).registration,
                 BrowserHosts::Registration::BrokenPath);

        QCOMPARE(BrowserHosts::unregisterForUser().size(), expected.size());
        QCOMPARE(BrowserHosts::status(browser(u"vivaldi"_s)).registration,
                 BrowserHosts::Registration::Missing);
    }

    void contact_isRecordedPerFamily_withoutAnythingElse()
    {
        QTemporaryDir state;
        QVERIFY(!BrowserHosts::contact(state.path(), BrowserHosts::Family::Chromium).last.isValid());
        const QDateTime when(QDate(2026, 12, 4), QTime(15, 30), Qt::UTC);
        BrowserHosts::recordContact(state.path(), u"chromium"_s, u"1.0.0"_s, when);
        BrowserHosts::recordContact(state.path(), u"opera-of-the-future"_s, u"9"_s, when);
        const BrowserHosts::Contact contact = BrowserHosts::contact(state.path(), BrowserHosts::Family::Chromium);
        QCOMPARE(contact.last, when);
        QCOMPARE(contact.extensionVersion, u"1.0.0"_s);
        QVERIFY(!BrowserHosts::contact(state.path(), BrowserHosts::Family::Firefox).last.isValid());
        QFile file(BrowserHosts::contactFile(state.path()));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY2(!text.contains("opera"), text.constData()); // only the two families are kept
    }
};

QTEST_GUILESS_MAIN(TestBrowserHosts)
#include "tst_browserhosts.moc"
