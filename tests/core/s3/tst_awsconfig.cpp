#include "s3/awsconfig.h"

#include "sandbox.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry::s3;

class TestAwsConfig : public QObject
{
    Q_OBJECT

private slots:
    void parse_profile_data();
    void parse_profile();
    void parse_missingProfile_data();
    void parse_missingProfile();
    void profiles_listsDefaultFirst();
    void parse_binaryGarbage_doesNotCrash();
    void load_missingFiles_isEmpty();
    void load_honoursEnvironmentOverrides();
    void load_defaultsToHomeDotAws();
};

void TestAwsConfig::parse_profile_data()
{
    QTest::addColumn<QByteArray>("credentials");
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QString>("keyId");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<bool>("pathStyle");

    const QByteArray keys = "aws_access_key_id = AKID\naws_secret_access_key = SECRET/abc+def\n";
    QTest::newRow("default in credentials")
        << ("[default]\n" + keys) << QByteArray() << u"default"_s << u"AKID"_s
        << u"SECRET/abc+def"_s << QString() << QString() << QString() << false;
    QTest::newRow("named profile in credentials")
        << ("[default]\naws_access_key_id = OTHER\n[prod]\n" + keys) << QByteArray() << u"prod"_s
        << u"AKID"_s << u"SECRET/abc+def"_s << QString() << QString() << QString() << false;
    QTest::newRow("session token")
        << ("[tmp]\n" + keys + "aws_session_token = FwoGZX==\n") << QByteArray() << u"tmp"_s
        << u"AKID"_s << u"SECRET/abc+def"_s << u"FwoGZX=="_s << QString() << QString() << false;
    QTest::newRow("region from config default")
        << ("[default]\n" + keys) << QByteArray("[default]\nregion = eu-west-1\n") << u"default"_s
        << u"AKID"_s << u"SECRET/abc+def"_s << QString() << u"eu-west-1"_s << QString() << false;
    QTest::newRow("region from config profile")
        << ("[prod]\n" + keys) << QByteArray("[profile prod]\nregion=ap-south-1\n") << u"prod"_s
        << u"AKID"_s << u"SECRET/abc+def"_s << QString() << u"ap-south-1"_s << QString() << false;
    QTest::newRow("profile only in config")
        << QByteArray() << ("[profile cfg]\nregion = us-west-2\n" + keys) << u"cfg"_s << u"AKID"_s
        << u"SECRET/abc+def"_s << QString() << u"us-west-2"_s << QString() << false;
    QTest::newRow("credentials file wins over config")
        << ("[prod]\n" + keys)
        << QByteArray("[profile prod]\naws_access_key_id = FROMCONFIG\nregion = eu-north-1\n")
        << u"prod"_s << u"AKID"_s << u"SECRET/abc+def"_s << QString() << u"eu-north-1"_s
        << QString() << false;
    QTest::newRow("endpoint_url for all services")
        << ("[minio]\n" + keys)
        << QByteArray("[profile minio]\nendpoint_url = http://127.0.0.1:9000\n") << u"minio"_s
        << u"AKID"_s << u"SECRET/abc+def"_s << QString() << QString() << u"http://127.0.0.1:9000"_s
        << false;
    QTest::newRow("s3 nested section")
        << ("[r2]\n" + keys)
        << QByteArray("[profile r2]\nregion = auto\ns3 =\n  endpoint_url = https://acc.r2.example\n"
                      "  addressing_style = path\n")
        << u"r2"_s << u"AKID"_s << u"SECRET/abc+def"_s << QString() << u"auto"_s
        << u"https://acc.r2.example"_s << true;
    QTest::newRow("s3 endpoint beats profile endpoint")
        << ("[p]\n" + keys)
        << QByteArray("[profile p]\nendpoint_url = https://all.example\ns3 =\n"
                      "\tendpoint_url = https://s3only.example\n")
        << u"p"_s << u"AKID"_s << u"SECRET/abc+def"_s << QString() << QString()
        << u"https://s3only.example"_s << false;
    QTest::newRow("nested block ends at unindented line")
        << ("[p]\n" + keys)
        << QByteArray("[profile p]\ns3 =\n  addressing_style = path\nregion = us-west-1\n"
                      "  endpoint_url = https://ignored.example\n")
        << u"p"_s << u"AKID"_s << u"SECRET/abc+def"_s << QString() << u"us-west-1"_s << QString()
        << true;
    QTest::newRow("virtual addressing style")
        << ("[p]\n" + keys) << QByteArray("[profile p]\ns3 =\n  addressing_style = virtual\n")
        << u"p"_s << u"AKID"_s << u"SECRET/abc+def"_s << QString() << QString() << QString()
        << false;
    QTest::newRow("services section")
        << ("[p]\n" + keys)
        << QByteArray("[profile p]\nservices = local\n[services local]\ns3 =\n"
                      "  endpoint_url = http://localhost:4566\n")
        << u"p"_s << u"AKID"_s << u"SECRET/abc+def"_s << QString() << QString()
        << u"http://localhost:4566"_s << false;
    QTest::newRow("comments and whitespace")
        << QByteArray("# top comment\n; another\n\n  [ default ]   # why\n"
                      "\taws_access_key_id\t=\tAKID   # inline note\n"
                      "aws_secret_access_key=SECRET/abc+def ; trailing\n")
        << QByteArray() << u"default"_s << u"AKID"_s << u"SECRET/abc+def"_s << QString()
        << QString() << QString() << false;
    QTest::newRow("keys are case-insensitive")
        << QByteArray(
               "[default]\nAWS_ACCESS_KEY_ID = AKID\nAws_Secret_Access_Key = SECRET/abc+def\n")
        << QByteArray() << u"default"_s << u"AKID"_s << u"SECRET/abc+def"_s << QString()
        << QString() << QString() << false;
    QTest::newRow("crlf and byte order mark")
        << QByteArray("\xEF\xBB\xBF[default]\r\naws_access_key_id = AKID\r\n"
                      "aws_secret_access_key = SECRET/abc+def\r\n")
        << QByteArray("[default]\r\nregion = sa-east-1\r\n") << u"default"_s << u"AKID"_s
        << u"SECRET/abc+def"_s << QString() << u"sa-east-1"_s << QString() << false;
    QTest::newRow("garbage lines skipped")
        << QByteArray(
               "this is not ini\naws_access_key_id = BEFORESECTION\n[default]\n= no key\n"
               "garbage line\nkey with spaces = x\naws_access_key_id = AKID\n"
               "[unclosed\naws_access_key_id = EVIL\n[default] trailing junk\n"
               "aws_access_key_id = EVIL2\n[default]\naws_secret_access_key = SECRET/abc+def\n")
        << QByteArray("[notaprofile]\nregion = xx\n[default]\nregion\n") << u"default"_s
        << u"AKID"_s << u"SECRET/abc+def"_s << QString() << QString() << QString() << false;
    QTest::newRow("profile named profile-something in credentials is literal")
        << ("[profile x]\n" + keys) << QByteArray() << u"profile x"_s << u"AKID"_s
        << u"SECRET/abc+def"_s << QString() << QString() << QString() << false;
    QTest::newRow("profile without keys")
        << QByteArray() << QByteArray("[profile sso]\nsso_session = corp\nregion = us-east-2\n")
        << u"sso"_s << QString() << QString() << QString() << u"us-east-2"_s << QString() << false;
}

void TestAwsConfig::parse_profile()
{
    QFETCH(QByteArray, credentials);
    QFETCH(QByteArray, config);
    QFETCH(QString, profile);
    QFETCH(QString, keyId);
    QFETCH(QString, secret);
    QFETCH(QString, token);
    QFETCH(QString, region);
    QFETCH(QString, endpoint);
    QFETCH(bool, pathStyle);

    const AwsConfig aws = AwsConfig::parse(credentials, config);
    QVERIFY(aws.contains(profile));
    const auto p = aws.profile(profile);
    QVERIFY(p.has_value());
    QCOMPARE(p->name, profile);
    QCOMPARE(p->credentials.accessKeyId, keyId);
    QCOMPARE(p->credentials.secretAccessKey, secret);
    QCOMPARE(p->credentials.sessionToken, token);
    QCOMPARE(p->region, region);
    QCOMPARE(p->endpoint.toString(), endpoint);
    QCOMPARE(p->pathStyle, pathStyle);
}

void TestAwsConfig::parse_missingProfile_data()
{
    QTest::addColumn<QByteArray>("credentials");
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QString>("profile");

    QTest::newRow("empty files") << QByteArray() << QByteArray() << u"default"_s;
    QTest::newRow("config section without profile prefix")
        << QByteArray() << QByteArray("[prod]\nregion = eu-west-1\n") << u"prod"_s;
    QTest::newRow("sso-session section")
        << QByteArray() << QByteArray("[sso-session corp]\nsso_region = x\n") << u"corp"_s;
    QTest::newRow("services section is not a profile")
        << QByteArray() << QByteArray("[services local]\ns3 =\n  endpoint_url = http://x\n")
        << u"local"_s;
    QTest::newRow("unclosed header")
        << QByteArray("[prod\naws_access_key_id = A\n") << QByteArray() << u"prod"_s;
    QTest::newRow("other name") << QByteArray("[prod]\naws_access_key_id = A\n") << QByteArray()
                                << u"Prod"_s;
}

void TestAwsConfig::parse_missingProfile()
{
    QFETCH(QByteArray, credentials);
    QFETCH(QByteArray, config);
    QFETCH(QString, profile);

    const AwsConfig aws = AwsConfig::parse(credentials, config);
    QVERIFY(!aws.contains(profile));
    QVERIFY(!aws.profile(profile).has_value());
}

void TestAwsConfig::profiles_listsDefaultFirst()
{
    const AwsConfig aws = AwsConfig::parse(
        "[zeta]\naws_access_key_id = Z\n[alpha]\naws_access_key_id = A\n[default]\n",
        "[profile beta]\nregion = x\n[default]\nregion = y\n[profile alpha]\nregion = z\n");
    QCOMPARE(aws.profiles(), (QStringList{u"default"_s, u"alpha"_s, u"beta"_s, u"zeta"_s}));
}

void TestAwsConfig::parse_binaryGarbage_doesNotCrash()
{
    for (quint32 seed = 1; seed <= 20; ++seed) {
        QByteArray noise = ferry::test::deterministicBytes(4096, seed);
        noise.replace('\0', '[');
        const AwsConfig aws = AwsConfig::parse(noise, noise);
        for (const QString &name : aws.profiles())
            QVERIFY(aws.profile(name).has_value());
    }
}

void TestAwsConfig::load_missingFiles_isEmpty()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const AwsConfig aws =
        AwsConfig::load(dir.filePath(u"nope/credentials"_s), dir.filePath(u"nope/config"_s));
    QVERIFY(aws.profiles().isEmpty());
    QVERIFY(aws.sourceDescription().contains(u"credentials"_s));
}

void TestAwsConfig::load_honoursEnvironmentOverrides()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString credentials = dir.filePath(u"elsewhere/creds.ini"_s);
    const QString config = dir.filePath(u"elsewhere/conf.ini"_s);
    QVERIFY(ferry::test::writeFile(credentials, "[ci]\naws_access_key_id = CIKEY\n"
                                                "aws_secret_access_key = CISECRET\n"));
    QVERIFY(ferry::test::writeFile(config, "[profile ci]\nregion = eu-central-1\n"));
    // A decoy in HOME that must not be read.
    QVERIFY(ferry::test::writeFile(dir.filePath(u"home/.aws/credentials"_s),
                                   "[ci]\naws_access_key_id = HOMEKEY\n"));

    QProcessEnvironment env;
    env.insert(u"HOME"_s, dir.filePath(u"home"_s));
    env.insert(u"AWS_SHARED_CREDENTIALS_FILE"_s, credentials);
    env.insert(u"AWS_CONFIG_FILE"_s, config);
    QCOMPARE(AwsConfig::credentialsPath(env), credentials);
    QCOMPARE(AwsConfig::configPath(env), config);

    const auto p = AwsConfig::load(env).profile(u"ci"_s);
    QVERIFY(p.has_value());
    QCOMPARE(p->credentials.accessKeyId, u"CIKEY"_s);
    QCOMPARE(p->region, u"eu-central-1"_s);
}

void TestAwsConfig::load_defaultsToHomeDotAws()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(ferry::test::writeFile(dir.filePath(u".aws/credentials"_s),
                                   "[default]\naws_access_key_id = HOMEKEY\n"));
    QVERIFY(
        ferry::test::writeFile(dir.filePath(u".aws/config"_s), "[default]\nregion = us-west-2\n"));
    QProcessEnvironment env;
    env.insert(u"HOME"_s, dir.path());
    QCOMPARE(AwsConfig::credentialsPath(env), dir.filePath(u".aws/credentials"_s));

    const auto p = AwsConfig::load(env).profile(u"default"_s);
    QVERIFY(p.has_value());
    QCOMPARE(p->credentials.accessKeyId, u"HOMEKEY"_s);
    QCOMPARE(p->region, u"us-west-2"_s);
}

QTEST_GUILESS_MAIN(TestAwsConfig)
#include "tst_awsconfig.moc"
