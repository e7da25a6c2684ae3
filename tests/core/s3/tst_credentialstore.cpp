#include "s3/credentialstore.h"

#include "sandbox.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace ferry::s3;

namespace {

struct Loaded
{
    bool done = false;
    Credentials credentials;
    QString error;
};

Loaded loadNow(CredentialStore &store, const Account &account)
{
    auto result = std::make_shared<Loaded>();
    store.load(account, [result](const Credentials &c, const QString &e) {
        result->done = true;
        result->credentials = c;
        result->error = e;
    });
    if (!QTest::qWaitFor([&] { return result->done; }, 5000))
        qWarning("load did not answer");
    return *result;
}

struct Saved
{
    bool done = false;
    CredentialStore::SaveOutcome outcome = CredentialStore::SaveOutcome::Failed;
    QString message;
};

Saved saveNow(CredentialStore &store, const Account &account, const Credentials &credentials)
{
    auto result = std::make_shared<Saved>();
    store.save(account, credentials, [result](CredentialStore::SaveOutcome o, const QString &m) {
        result->done = true;
        result->outcome = o;
        result->message = m;
    });
    if (!QTest::qWaitFor([&] { return result->done; }, 5000))
        qWarning("save did not answer");
    return *result;
}

Account account(const QString &id)
{
    Account a;
    a.id = id;
    a.name = u"Account "_s + id;
    a.endpoint = QUrl(u"http://127.0.0.1:9000"_s);
    return a;
}

Credentials keys(const QString &id, const QString &secret, const QString &token = {})
{
    return Credentials{id, secret, token};
}

} // namespace

class TestCredentialStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void load_followsPrecedence_data();
    void load_followsPrecedence();
    void load_answersAfterReturning();
    void load_anonymous_doesNotTouchKeychain();
    void load_unknownProfile_namesIt();
    void load_profileWithoutKeys_saysWhy();
    void load_nothingAnywhere_saysWhatToDo();
    void save_storesJsonInKeychain();
    void save_withoutKeychain_keepsForSessionOnly();
    void save_rejectsIncompleteKeysAndProfileAccounts();
    void load_keychainUnavailable_usesEnvironment();
    void remove_forgetsKeys();
    void cachedFor_followsLastLoad();
    void qtKeychain_answersWithoutHanging();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QProcessEnvironment m_env;
};

void TestCredentialStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const QString credentials = m_dir->filePath(u"aws/credentials"_s);
    QVERIFY(ferry::test::writeFile(credentials, "[work]\naws_access_key_id = PROFILEKEY\n"
                                                "aws_secret_access_key = profile-secret\n"
                                                "[envprofile]\naws_access_key_id = ENVPROFILEKEY\n"
                                                "aws_secret_access_key = envprofile-secret\n"
                                                "aws_session_token = envprofile-token\n"));
    QVERIFY(ferry::test::writeFile(m_dir->filePath(u"aws/config"_s),
                                   "[profile sso]\nsso_session = corp\n"));
    // Only what each test puts in: never the real ~/.aws or the developer's variables.
    m_env = QProcessEnvironment();
    m_env.insert(u"HOME"_s, m_dir->filePath(u"home"_s));
    m_env.insert(u"AWS_SHARED_CREDENTIALS_FILE"_s, credentials);
    m_env.insert(u"AWS_CONFIG_FILE"_s, m_dir->filePath(u"aws/config"_s));
}

void TestCredentialStore::load_followsPrecedence_data()
{
    QTest::addColumn<bool>("anonymous");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<bool>("inKeychain");
    QTest::addColumn<bool>("envKeys");
    QTest::addColumn<QString>("envProfile");
    QTest::addColumn<QString>("expectedKeyId");
    QTest::addColumn<QString>("expectedToken");

    QTest::newRow("anonymous beats everything")
        << true << u"work"_s << true << true << u"envprofile"_s << QString() << QString();
    QTest::newRow("account profile beats keychain and environment")
        << false << u"work"_s << true << true << u"envprofile"_s << u"PROFILEKEY"_s << QString();
    QTest::newRow("keychain beats environment")
        << false << QString() << true << true << u"envprofile"_s << u"KEYCHAINKEY"_s
        << u"keychain-token"_s;
    QTest::newRow("environment keys")
        << false << QString() << false << true << QString() << u"ENVKEY"_s << u"env-token"_s;
    QTest::newRow("environment keys beat AWS_PROFILE")
        << false << QString() << false << true << u"envprofile"_s << u"ENVKEY"_s << u"env-token"_s;
    QTest::newRow("AWS_PROFILE selects a profile")
        << false << QString() << false << false << u"envprofile"_s << u"ENVPROFILEKEY"_s
        << u"envprofile-token"_s;
}

void TestCredentialStore::load_followsPrecedence()
{
    QFETCH(bool, anonymous);
    QFETCH(QString, profile);
    QFETCH(bool, inKeychain);
    QFETCH(bool, envKeys);
    QFETCH(QString, envProfile);
    QFETCH(QString, expectedKeyId);
    QFETCH(QString, expectedToken);

    auto keychain = std::make_unique<MemoryKeychain>();
    Account a = account(u"acct-1"_s);
    a.anonymous = anonymous;
    a.profile = profile;
    if (inKeychain) {
        keychain->write(
            a.id,
            CredentialStore::encode(keys(u"KEYCHAINKEY"_s, u"kc-secret"_s, u"keychain-token"_s)),
            [](const KeychainBackend::Result &) {});
    }
    if (envKeys) {
        m_env.insert(u"AWS_ACCESS_KEY_ID"_s, u"ENVKEY"_s);
        m_env.insert(u"AWS_SECRET_ACCESS_KEY"_s, u"env-secret"_s);
        m_env.insert(u"AWS_SESSION_TOKEN"_s, u"env-token"_s);
    }
    if (!envProfile.isEmpty())
        m_env.insert(u"AWS_PROFILE"_s, envProfile);

    CredentialStore store(std::move(keychain), m_env);
    const Loaded loaded = loadNow(store, a);
    QVERIFY(loaded.done);
    QCOMPARE(loaded.error, QString());
    QCOMPARE(loaded.credentials.accessKeyId, expectedKeyId);
    QCOMPARE(loaded.credentials.sessionToken, expectedToken);
    QCOMPARE(loaded.credentials.isAnonymous(), anonymous);
    QVERIFY(store.keychainAvailable());
}

void TestCredentialStore::load_answersAfterReturning()
{
    CredentialStore store(std::make_unique<MemoryKeychain>(), m_env);
    Account a = account(u"acct-1"_s);
    a.anonymous = true;
    bool answered = false;
    store.load(a, [&](const Credentials &, const QString &) { answered = true; });
    QVERIFY(!answered); // callers may connect state after calling load()
    QTRY_VERIFY(answered);
}

void TestCredentialStore::load_anonymous_doesNotTouchKeychain()
{
    auto keychain = std::make_unique<MemoryKeychain>();
    MemoryKeychain *raw = keychain.get();
    CredentialStore store(std::move(keychain), m_env);
    Account a = account(u"acct-1"_s);
    a.anonymous = true;
    const Loaded loaded = loadNow(store, a);
    QCOMPARE(loaded.error, QString());
    QVERIFY(loaded.credentials.isAnonymous());
    QCOMPARE(raw->calls(), 0);
}

void TestCredentialStore::load_unknownProfile_namesIt()
{
    CredentialStore store(std::make_unique<MemoryKeychain>(), m_env);
    Account a = account(u"acct-1"_s);
    a.profile = u"nosuch"_s;
    const Loaded loaded = loadNow(store, a);
    QVERIFY(loaded.error.contains(u"nosuch"_s));
    QVERIFY(loaded.error.contains(m_env.value(u"AWS_SHARED_CREDENTIALS_FILE"_s)));
    QVERIFY(loaded.credentials.isAnonymous());
}

void TestCredentialStore::load_profileWithoutKeys_saysWhy()
{
    CredentialStore store(std::make_unique<MemoryKeychain>(), m_env);
    Account a = account(u"acct-1"_s);
    a.profile = u"sso"_s;
    const Loaded loaded = loadNow(store, a);
    QVERIFY(loaded.error.contains(u"sso"_s));
    QVERIFY(loaded.error.contains(u"aws_access_key_id"_s));
}

void TestCredentialStore::load_nothingAnywhere_saysWhatToDo()
{
    CredentialStore store(std::make_unique<MemoryKeychain>(), m_env);
    const Loaded loaded = loadNow(store, account(u"acct-7"_s));
    QVERIFY(loaded.done);
    QVERIFY(loaded.error.contains(u"Account acct-7"_s));
    QVERIFY(loaded.error.contains(u"AWS_ACCESS_KEY_ID"_s));
    QVERIFY(!store.cachedFor(u"acct-7"_s));

    m_env.insert(u"AWS_ACCESS_KEY_ID"_s, u"HALF"_s);
    CredentialStore half(std::make_unique<MemoryKeychain>(), m_env);
    QVERIFY(loadNow(half, account(u"acct-7"_s)).error.contains(u"AWS_SECRET_ACCESS_KEY"_s));
}

void TestCredentialStore::save_storesJsonInKeychain()
{
    auto keychain = std::make_unique<MemoryKeychain>();
    MemoryKeychain *raw = keychain.get();
    CredentialStore store(std::move(keychain), m_env);
    const Account a = account(u"acct-3"_s);
    const Saved saved = saveNow(store, a, keys(u"AK3"_s, u"s3cr3t"_s, u"tok"_s));
    QCOMPARE(saved.outcome, CredentialStore::SaveOutcome::Keychain);
    QCOMPARE(saved.message, QString());

    const auto decoded = CredentialStore::decode(raw->entries().value(u"acct-3"_s));
    QVERIFY(decoded.has_value());
    QCOMPARE(decoded->accessKeyId, u"AK3"_s);
    QCOMPARE(decoded->secretAccessKey, u"s3cr3t"_s);
    QCOMPARE(decoded->sessionToken, u"tok"_s);

    CredentialStore nextRun(std::make_unique<MemoryKeychain>(*raw), m_env);
    QCOMPARE(loadNow(nextRun, a).credentials.secretAccessKey, u"s3cr3t"_s);
}

void TestCredentialStore::save_withoutKeychain_keepsForSessionOnly()
{
    auto keychain = std::make_unique<MemoryKeychain>();
    keychain->setAvailable(false);
    CredentialStore store(std::move(keychain), m_env);
    QSignalSpy availability(&store, &CredentialStore::keychainAvailableChanged);
    QVERIFY(store.keychainAvailable());
    QCOMPARE(store.keychainMessage(), QString());

    const Account a = account(u"acct-4"_s);
    const Saved saved = saveNow(store, a, keys(u"AK4"_s, u"session-secret"_s));
    QCOMPARE(saved.outcome, CredentialStore::SaveOutcome::SessionOnly);
    QVERIFY(saved.message.contains(u"session only"_s));
    QVERIFY(!store.keychainAvailable());
    QCOMPARE(store.keychainMessage(), saved.message);
    QCOMPARE(availability.size(), 1);
    QCOMPARE(availability.first().first().toBool(), false);

    // Usable for the rest of the session...
    QCOMPARE(loadNow(store, a).credentials.secretAccessKey, u"session-secret"_s);
    QCOMPARE(store.cachedFor(a.id)->accessKeyId, u"AK4"_s);
    const Saved again = saveNow(store, account(u"acct-5"_s), keys(u"AK5"_s, u"other"_s));
    QCOMPARE(again.outcome, CredentialStore::SaveOutcome::SessionOnly);
    QCOMPARE(availability.size(), 1);

    // ...and gone in the next one.
    auto nextKeychain = std::make_unique<MemoryKeychain>();
    nextKeychain->setAvailable(false);
    CredentialStore nextRun(std::move(nextKeychain), m_env);
    const Loaded loaded = loadNow(nextRun, a);
    QVERIFY(!loaded.error.isEmpty());
    QVERIFY(loaded.error.contains(u"session only"_s));
}

void TestCredentialStore::save_rejectsIncompleteKeysAndProfileAccounts()
{
    CredentialStore store(std::make_unique<MemoryKeychain>(), m_env);
    QCOMPARE(saveNow(store, account(u"acct-1"_s), keys(u"AK"_s, QString())).outcome,
             CredentialStore::SaveOutcome::Failed);
    QCOMPARE(saveNow(store, account(QString()), keys(u"AK"_s, u"s"_s)).outcome,
             CredentialStore::SaveOutcome::Failed);
    Account withProfile = account(u"acct-2"_s);
    withProfile.profile = u"work"_s;
    const Saved saved = saveNow(store, withProfile, keys(u"AK"_s, u"s"_s));
    QCOMPARE(saved.outcome, CredentialStore::SaveOutcome::Failed);
    QVERIFY(saved.message.contains(u"work"_s));
}

void TestCredentialStore::load_keychainUnavailable_usesEnvironment()
{
    auto keychain = std::make_unique<MemoryKeychain>();
    MemoryKeychain *raw = keychain.get();
    keychain->setAvailable(false);
    m_env.insert(u"AWS_ACCESS_KEY_ID"_s, u"ENVKEY"_s);
    m_env.insert(u"AWS_SECRET_ACCESS_KEY"_s, u"env-secret"_s);
    CredentialStore store(std::move(keychain), m_env);
    const Loaded loaded = loadNow(store, account(u"acct-1"_s));
    QCOMPARE(loaded.error, QString());
    QCOMPARE(loaded.credentials.accessKeyId, u"ENVKEY"_s);
    QVERIFY(!store.keychainAvailable());
    // Once known to be missing, the keychain is not asked again (no repeated timeouts).
    const int calls = raw->calls();
    loadNow(store, account(u"acct-2"_s));
    QCOMPARE(raw->calls(), calls);
}

void TestCredentialStore::remove_forgetsKeys()
{
    auto keychain = std::make_unique<MemoryKeychain>();
    MemoryKeychain *raw = keychain.get();
    CredentialStore store(std::move(keychain), m_env);
    const Account a = account(u"acct-6"_s);
    QCOMPARE(saveNow(store, a, keys(u"AK6"_s, u"gone-soon"_s)).outcome,
             CredentialStore::SaveOutcome::Keychain);
    QVERIFY(store.cachedFor(a.id));

    bool removed = false;
    QString error = u"unset"_s;
    store.remove(a, [&](const QString &e) {
        removed = true;
        error = e;
    });
    QTRY_VERIFY(removed);
    QCOMPARE(error, QString());
    QVERIFY(raw->entries().isEmpty());
    QVERIFY(!store.cachedFor(a.id));
    QVERIFY(!loadNow(store, a).error.isEmpty());
}

void TestCredentialStore::cachedFor_followsLastLoad()
{
    auto keychain = std::make_unique<MemoryKeychain>();
    keychain->write(u"acct-8"_s, CredentialStore::encode(keys(u"AK8"_s, u"kc8"_s)),
                    [](const KeychainBackend::Result &) {});
    keychain->write(u"acct-9"_s, "{not json", [](const KeychainBackend::Result &) {});
    CredentialStore store(std::move(keychain), m_env);
    QVERIFY(!store.cachedFor(u"acct-8"_s));
    QCOMPARE(loadNow(store, account(u"acct-8"_s)).error, QString());
    QCOMPARE(store.cachedFor(u"acct-8"_s)->secretAccessKey, u"kc8"_s);

    const Loaded damaged = loadNow(store, account(u"acct-9"_s));
    QVERIFY(damaged.error.contains(u"damaged"_s));
    QVERIFY(!store.cachedFor(u"acct-9"_s));
}

void TestCredentialStore::qtKeychain_answersWithoutHanging()
{
    // The real system keychain: on a desktop the entry is simply missing; on a machine without
    // D-Bus or Secret Service it is unavailable. Either way the answer comes within the cap.
    QtKeychainBackend backend(u"Ferry S3 test"_s, 3000);
    bool answered = false;
    KeychainBackend::Status status = KeychainBackend::Status::Ok;
    QElapsedTimer clock;
    clock.start();
    backend.read(u"missing-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces),
                 [&](const KeychainBackend::Result &r) {
                     answered = true;
                     status = r.status;
                 });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
    QVERIFY(clock.elapsed() < 5000);
    QVERIFY(status == KeychainBackend::Status::NotFound ||
            status == KeychainBackend::Status::Unavailable);
}

QTEST_GUILESS_MAIN(TestCredentialStore)
#include "tst_credentialstore.moc"
