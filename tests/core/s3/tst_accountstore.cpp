#include "s3/accountstore.h"
#include "s3/awsconfig.h"
#include "s3/credentialstore.h"

#include "sandbox.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry::s3;

namespace {

Account makeAccount(const QString &name, const QString &endpoint)
{
    Account a;
    a.name = name;
    a.endpoint = QUrl(endpoint);
    return a;
}

} // namespace

class TestAccountStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void add_roundTripsThroughTheFile();
    void ids_areNeverReused();
    void update_changesFieldsAndKeepsId();
    void validate_rejectsBadInput_data();
    void validate_rejectsBadInput();
    void settingsFile_neverHoldsSecrets_data();
    void settingsFile_neverHoldsSecrets();
    void importAwsProfiles_addsMissingProfilesOnce();
    void fromEnvironment_data();
    void fromEnvironment();
    void prefersPathStyle_data();
    void prefersPathStyle();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_ini;
};

void TestAccountStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_ini = m_dir->filePath(u"settings.ini"_s);
}

void TestAccountStore::add_roundTripsThroughTheFile()
{
    Account minio = makeAccount(u"Local MinIO"_s, u"http://127.0.0.1:9000"_s);
    minio.region = u"eu-west-3"_s;
    minio.pathStyle = true;
    Account pub = makeAccount(u"public data"_s, u"https://s3.amazonaws.com"_s);
    pub.anonymous = true;
    Account prof = makeAccount(u"Work"_s, u"https://s3.amazonaws.com"_s);
    prof.profile = u"work"_s;
    {
        AccountStore store(m_ini);
        for (Account *a : {&minio, &pub, &prof}) {
            QCOMPARE(store.add(*a), QString());
            QVERIFY(!a->id.isEmpty());
        }
    }

    AccountStore reopened(m_ini);
    const QList<Account> list = reopened.accounts();
    QCOMPARE(list.size(), 3);
    QCOMPARE(list.at(0).name, u"Local MinIO"_s); // sorted by name, case-insensitively
    QCOMPARE(list.at(1).name, u"public data"_s);
    QCOMPARE(list.at(2).name, u"Work"_s);

    const auto m = reopened.find(minio.id);
    QVERIFY(m.has_value());
    QCOMPARE(m->endpoint, QUrl(u"http://127.0.0.1:9000"_s));
    QCOMPARE(m->region, u"eu-west-3"_s);
    QVERIFY(m->pathStyle);
    QVERIFY(!m->anonymous);
    QVERIFY(reopened.find(pub.id)->anonymous);
    QCOMPARE(reopened.findByName(u"work"_s)->profile, u"work"_s);
    QVERIFY(!reopened.find(u"acct-999"_s));

    const QByteArray ini = ferry::test::readFile(m_ini);
    QVERIFY(ini.contains("[s3accounts]"));
}

void TestAccountStore::ids_areNeverReused()
{
    AccountStore store(m_ini);
    Account a = makeAccount(u"A"_s, u"https://a.example"_s);
    Account b = makeAccount(u"B"_s, u"https://b.example"_s);
    QCOMPARE(store.add(a), QString());
    QCOMPARE(store.add(b), QString());
    QVERIFY(a.id != b.id);
    QVERIFY(store.remove(b.id));
    QVERIFY(!store.remove(b.id));
    Account c = makeAccount(u"C"_s, u"https://c.example"_s);
    QCOMPARE(store.add(c), QString());
    QVERIFY(c.id != b.id);
    QVERIFY(c.id != a.id);
    QCOMPARE(store.accounts().size(), 2);
}

void TestAccountStore::update_changesFieldsAndKeepsId()
{
    AccountStore store(m_ini);
    Account a = makeAccount(u"Ceph"_s, u"https://ceph.example"_s);
    QCOMPARE(store.add(a), QString());
    a.name = u"Ceph (lab)"_s;
    a.pathStyle = true;
    QCOMPARE(store.update(a), QString());
    QCOMPARE(store.accounts().size(), 1);
    QCOMPARE(store.find(a.id)->name, u"Ceph (lab)"_s);
    QVERIFY(store.find(a.id)->pathStyle);

    Account other = makeAccount(u"Other"_s, u"https://o.example"_s);
    QCOMPARE(store.add(other), QString());
    other.name = u"ceph (LAB)"_s;
    QVERIFY(store.update(other).contains(u"already exists"_s));
    Account ghost = makeAccount(u"Ghost"_s, u"https://g.example"_s);
    ghost.id = u"acct-404"_s;
    QVERIFY(!store.update(ghost).isEmpty());
}

void TestAccountStore::validate_rejectsBadInput_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("expected"); // a word of the message; empty: valid

    QTest::newRow("ok aws") << u"New"_s << u"https://s3.amazonaws.com"_s << QString();
    QTest::newRow("ok plain http with port") << u"New"_s << u"http://127.0.0.1:9000"_s << QString();
    QTest::newRow("ok path prefix") << u"New"_s << u"https://gw.example/s3"_s << QString();
    QTest::newRow("empty name") << u"   "_s << u"https://s3.amazonaws.com"_s << u"name"_s;
    QTest::newRow("duplicate name") << u"taken"_s << u"https://x.example"_s << u"already exists"_s;
    QTest::newRow("ftp") << u"New"_s << u"ftp://x.example"_s << u"http"_s;
    QTest::newRow("no scheme") << u"New"_s << u"s3.amazonaws.com"_s << u"http"_s;
    QTest::newRow("no host") << u"New"_s << u"http://"_s << u"host"_s;
    QTest::newRow("empty") << u"New"_s << QString() << u"host"_s;
    QTest::newRow("user info") << u"New"_s << u"https://AKID:secret@x.example"_s << u"password"_s;
    QTest::newRow("query") << u"New"_s << u"https://x.example/?a=b"_s << u"query"_s;
}

void TestAccountStore::validate_rejectsBadInput()
{
    QFETCH(QString, name);
    QFETCH(QString, endpoint);
    QFETCH(QString, expected);

    AccountStore store(m_ini);
    Account taken = makeAccount(u"Taken"_s, u"https://t.example"_s);
    QCOMPARE(store.add(taken), QString());

    Account a = makeAccount(name, endpoint);
    const QString error = store.validate(a);
    if (expected.isEmpty()) {
        QCOMPARE(error, QString());
        QCOMPARE(store.add(a), QString());
    } else {
        QVERIFY2(error.contains(expected), qPrintable(error));
        QCOMPARE(store.add(a), error);
        QCOMPARE(store.accounts().size(), 1);
    }
}

void TestAccountStore::settingsFile_neverHoldsSecrets_data()
{
    QTest::addColumn<bool>("keychainWorks");
    QTest::newRow("with keychain") << true;
    QTest::newRow("without keychain") << false;
}

void TestAccountStore::settingsFile_neverHoldsSecrets()
{
    QFETCH(bool, keychainWorks);
    const QString secret = u"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRET"_s;
    const QString token = u"FwoGZXIvYXdzEBYaDTOKENVALUE"_s;

    AccountStore accounts(m_ini);
    auto keychain = std::make_unique<MemoryKeychain>();
    keychain->setAvailable(keychainWorks);
    QProcessEnvironment env;
    env.insert(u"HOME"_s, m_dir->filePath(u"home"_s));
    CredentialStore credentials(std::move(keychain), env);

    Account a = makeAccount(u"MinIO"_s, u"http://127.0.0.1:9000"_s);
    QCOMPARE(accounts.add(a), QString());
    bool saved = false;
    credentials.save(a, Credentials{u"AKIDSAVED"_s, secret, token},
                     [&](CredentialStore::SaveOutcome, const QString &) { saved = true; });
    QTRY_VERIFY(saved);
    a.region = u"eu-west-1"_s; // the UI saves the account again after the keys
    QCOMPARE(accounts.update(a), QString());

    const QByteArray ini = ferry::test::readFile(m_ini);
    QVERIFY(ini.contains("MinIO"));
    QVERIFY(!ini.contains(secret.toUtf8()));
    QVERIFY(!ini.contains(token.toUtf8()));
    QVERIFY(!ini.contains("AKIDSAVED"));
    QVERIFY(!ini.contains("wJalrXUtnFEMI"));
    const auto loaded = credentials.cachedFor(a.id);
    QVERIFY(loaded.has_value());
    QCOMPARE(loaded->secretAccessKey, secret);
}

void TestAccountStore::importAwsProfiles_addsMissingProfilesOnce()
{
    const AwsConfig config = AwsConfig::parse(
        "[default]\naws_access_key_id = A\naws_secret_access_key = S\n"
        "[minio]\naws_access_key_id = M\naws_secret_access_key = S\n"
        "[r2]\naws_access_key_id = R\naws_secret_access_key = S\n",
        "[default]\nregion = eu-west-1\n"
        "[profile minio]\nendpoint_url = http://localhost:9000\n"
        "[profile r2]\nregion = auto\ns3 =\n  endpoint_url = https://acc.r2.example\n"
        "  addressing_style = path\n"
        "[profile sso]\nsso_session = corp\n");

    AccountStore store(m_ini);
    Account clash = makeAccount(u"minio"_s, u"https://other.example"_s);
    QCOMPARE(store.add(clash), QString());

    const QList<Account> added = store.importAwsProfiles(config);
    QCOMPARE(added.size(), 3); // sso has no keys
    QCOMPARE(store.accounts().size(), 4);

    const auto def = store.findByName(u"default"_s);
    QVERIFY(def.has_value());
    QCOMPARE(def->profile, u"default"_s);
    QCOMPARE(def->endpoint, AccountStore::awsEndpoint());
    QCOMPARE(def->region, u"eu-west-1"_s);
    QVERIFY(!def->pathStyle);

    const auto r2 = store.findByName(u"r2"_s);
    QVERIFY(r2.has_value());
    QCOMPARE(r2->endpoint, QUrl(u"https://acc.r2.example"_s));
    QCOMPARE(r2->region, u"auto"_s);
    QVERIFY(r2->pathStyle);

    const auto minio = std::find_if(added.cbegin(), added.cend(),
                                    [](const Account &a) { return a.profile == u"minio"; });
    QVERIFY(minio != added.cend());
    QVERIFY(minio->name != u"minio"); // the name was taken by an existing account
    QCOMPARE(minio->endpoint, QUrl(u"http://localhost:9000"_s));
    QVERIFY(minio->pathStyle);
    QCOMPARE(minio->region, u"us-east-1"_s);

    QVERIFY(store.importAwsProfiles(config).isEmpty());
    QCOMPARE(store.accounts().size(), 4);
}

void TestAccountStore::fromEnvironment_data()
{
    QTest::addColumn<QStringList>("variables"); // NAME=value
    QTest::addColumn<QUrl>("endpoint");
    QTest::addColumn<QString>("region");
    QTest::addColumn<bool>("pathStyle");

    QTest::newRow("nothing set") << QStringList() << AccountStore::awsEndpoint() << u"us-east-1"_s
                                 << false;
    QTest::newRow("region") << QStringList{u"AWS_REGION=eu-west-2"_s} << AccountStore::awsEndpoint()
                            << u"eu-west-2"_s << false;
    QTest::newRow("default region") << QStringList{u"AWS_DEFAULT_REGION=ca-central-1"_s}
                                    << AccountStore::awsEndpoint() << u"ca-central-1"_s << false;
    QTest::newRow("AWS_REGION wins")
        << QStringList{u"AWS_DEFAULT_REGION=ca-central-1"_s, u"AWS_REGION=ap-east-1"_s}
        << AccountStore::awsEndpoint() << u"ap-east-1"_s << false;
    QTest::newRow("endpoint url") << QStringList{u"AWS_ENDPOINT_URL=http://127.0.0.1:9000"_s}
                                  << QUrl(u"http://127.0.0.1:9000"_s) << u"us-east-1"_s << true;
    QTest::newRow("s3 endpoint wins") << QStringList{u"AWS_ENDPOINT_URL=http://127.0.0.1:1"_s,
                                                     u"AWS_ENDPOINT_URL_S3=https://r2.example"_s}
                                      << QUrl(u"https://r2.example"_s) << u"us-east-1"_s << false;
}

void TestAccountStore::fromEnvironment()
{
    QFETCH(QStringList, variables);
    QFETCH(QUrl, endpoint);
    QFETCH(QString, region);
    QFETCH(bool, pathStyle);

    QProcessEnvironment env;
    for (const QString &v : variables)
        env.insert(v.section(u'=', 0, 0), v.section(u'=', 1));
    const Account a = AccountStore::fromEnvironment(env);
    QVERIFY(a.id.isEmpty());
    QVERIFY(!a.name.isEmpty());
    QCOMPARE(a.endpoint, endpoint);
    QCOMPARE(a.region, region);
    QCOMPARE(a.pathStyle, pathStyle);
    QVERIFY(!a.anonymous);
}

void TestAccountStore::prefersPathStyle_data()
{
    QTest::addColumn<QUrl>("endpoint");
    QTest::addColumn<bool>("pathStyle");
    QTest::newRow("aws") << QUrl(u"https://s3.amazonaws.com"_s) << false;
    QTest::newRow("r2") << QUrl(u"https://acc.r2.cloudflarestorage.com"_s) << false;
    QTest::newRow("plain http") << QUrl(u"http://storage.example"_s) << true;
    QTest::newRow("ipv4") << QUrl(u"https://10.0.0.5"_s) << true;
    QTest::newRow("ipv6") << QUrl(u"https://[::1]"_s) << true;
    QTest::newRow("port") << QUrl(u"https://ceph.example:7480"_s) << true;
    QTest::newRow("localhost") << QUrl(u"https://localhost"_s) << true;
}

void TestAccountStore::prefersPathStyle()
{
    QFETCH(QUrl, endpoint);
    QFETCH(bool, pathStyle);
    QCOMPARE(AccountStore::prefersPathStyle(endpoint), pathStyle);
}

QTEST_GUILESS_MAIN(TestAccountStore)
#include "tst_accountstore.moc"
