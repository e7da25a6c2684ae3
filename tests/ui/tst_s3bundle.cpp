#include "s3bundledialog.h"
#include "s3objectmodel.h"
#include "s3panel.h"

#include "api/downloadmanager.h"
#include "api/s3transfers.h"
#include "s3/accountstore.h"
#include "s3/credentialstore.h"
#include "s3/s3client.h"

#include "rgwserver.h"
#include "sandbox.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::ui;
using ferry::test::RgwServer;

namespace {

const QString kBucket = u"photos"_s;

// Python's zipfile, the reader most users' scripts rely on: "name sha256" per file entry.
const QString kListZip = uR"(import hashlib, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for i in z.infolist():
    if not i.is_dir():
        print(i.filename, hashlib.sha256(z.read(i)).hexdigest())
)"_s;

s3::Error awaitPut(s3::Reply *reply)
{
    s3::Error error{s3::Error::Other, 0, u"Timeout"_s, u"no answer"_s, {}};
    bool done = false;
    QObject::connect(reply, &s3::Reply::finished, reply, [&] {
        error = reply->error;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 30'000))
        qWarning("no S3 answer within 30 s");
    return error;
}

int rowNamed(QTableView *view, const QString &name)
{
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        if (view->model()->index(row, S3ObjectModel::Name).data().toString() == name)
            return row;
    }
    return -1;
}

QString run(const QString &program, const QStringList &args, int *exitCode)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForFinished(60'000))
        *exitCode = -1;
    else
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return QString::fromUtf8(p.readAll());
}

} // namespace

class TestS3Bundle final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void dialog_refusesLinksLongerThanSevenDays();
    void dialogs_startAtTheSettingsLevel();
    void downloadAsZip_folderAndObjectMatchTheBucket();
    void bundleIntoBucket_copiesAWorkingShareLink();

private:
    void openAndSelect();
    void verifyZip(const QString &path);

    RgwServer *m_server = nullptr;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<s3::AccountStore> m_accounts;
    std::unique_ptr<s3::CredentialStore> m_credentials;
    std::unique_ptr<DownloadManager> m_manager;
    std::unique_ptr<S3Transfers> m_transfers;
    std::unique_ptr<S3Panel> m_panel;
    QHash<QString, QByteArray> m_objects; // key -> content
};

void TestS3Bundle::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    if (!RgwServer::unavailableReason().isEmpty())
        return;
    m_server = &RgwServer::shared();
    m_server->addBucket(kBucket);
    m_server->addBucket(u"other"_s);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error + m_server->output()));
    s3::Account a;
    a.id = u"test"_s;
    a.endpoint = m_server->endpoint();
    a.pathStyle = true;
    s3::Client client(a, s3::Credentials{RgwServer::accessKey(), RgwServer::secretKey(), {}});
    m_objects = {
        {u"readme.txt"_s, "hello"},
        {u"2024/a.txt"_s, QByteArray("compressible text ").repeated(5000)},
        {u"2024/b.jpg"_s, test::deterministicBytes(1'000, 2)},
        {u"2024/trip/c.jpg"_s, test::deterministicBytes(300'000, 3)},
        {u"2024/trip/deep/d.txt"_s, "deep"},
    };
    for (auto it = m_objects.cbegin(); it != m_objects.cend(); ++it) {
        const s3::Error e = awaitPut(client.putObject(kBucket, it.key(), it.value()));
        QVERIFY2(!e.isError(), qPrintable(e.message));
    }
}

void TestS3Bundle::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_accounts = std::make_unique<s3::AccountStore>(m_dir->filePath(u"settings.ini"_s));
    m_credentials = std::make_unique<s3::CredentialStore>(std::make_unique<s3::MemoryKeychain>(),
                                                          QProcessEnvironment());
    m_manager = std::make_unique<DownloadManager>(m_dir->filePath(u"state"_s));
    m_transfers = std::make_unique<S3Transfers>(m_manager.get());
    QString error;
    QVERIFY2(m_manager->open(false, &error), qPrintable(error));
    m_panel = std::make_unique<S3Panel>(m_transfers.get(), m_accounts.get(), m_credentials.get(),
                                        [this] { return m_dir->filePath(u"downloads"_s); });
    m_panel->setAwsConfig({});
    m_panel->setDownloadManager(m_manager.get());
    m_panel->resize(700, 500);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
}

void TestS3Bundle::cleanup()
{
    m_panel.reset();
    m_transfers.reset();
    m_manager.reset();
    m_credentials.reset();
    m_accounts.reset();
    m_dir.reset();
}

// Opens the bucket at "2024/" and selects the folder "trip" and the object "a.txt".
// The dialogs start at the level chosen in the settings.
void TestS3Bundle::dialogs_startAtTheSettingsLevel()
{
    if (!m_server)
        QSKIP(qPrintable(RgwServer::unavailableReason()));
    openAndSelect();
    if (QTest::currentTestFailed())
        return;
    m_panel->setDeflateLevelSource([] { return 2; });
    QList<int> shown;
    QTimer poll;
    connect(&poll, &QTimer::timeout, this, [&] {
        auto *dialog = qobject_cast<S3BundleDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        shown.append(dialog->findChild<QSpinBox *>(u"bundleDeflateLevel"_s)->value());
        dialog->reject();
    });
    poll.start(20);
    m_panel->bundleSelectedAsZip();
    m_panel->bundleSelectedIntoBucketDialog();
    QCOMPARE(shown, (QList<int>{2, 2}));
}

void TestS3Bundle::openAndSelect()
{
    s3::Account account;
    account.name = u"Local S3"_s;
    account.endpoint = m_server->endpoint();
    account.pathStyle = true;
    QCOMPARE(m_accounts->add(account), QString());
    bool saved = false;
    m_credentials->save(account, {RgwServer::accessKey(), RgwServer::secretKey(), {}},
                        [&](s3::CredentialStore::SaveOutcome, const QString &) { saved = true; });
    QTRY_VERIFY(saved);
    QSignalSpy buckets(m_panel.get(), &S3Panel::bucketsLoaded);
    m_panel->openAccount(account.id);
    QVERIFY(buckets.wait(30'000));
    m_panel->openBucket(kBucket);
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->model()->isComplete(), 30'000);
    m_panel->openPrefix(u"2024/"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->model()->isComplete(), 30'000);
    QTableView *view = m_panel->view();
    const int trip = rowNamed(view, u"trip"_s);
    const int a = rowNamed(view, u"a.txt"_s);
    QVERIFY(trip >= 0 && a >= 0);
    view->selectionModel()->select(view->model()->index(trip, 0),
                                   QItemSelectionModel::Select | QItemSelectionModel::Rows);
    view->selectionModel()->select(view->model()->index(a, 0),
                                   QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QCOMPARE(m_panel->selectedRows().size(), 2);
    QCOMPARE(m_panel->defaultBundleName(), u"2024"_s);
}

// Info-ZIP accepts the archive and Python reads exactly the selected objects' bytes, named
// relative to the folder they were selected in.
void TestS3Bundle::verifyZip(const QString &path)
{
    int code = 0;
    const QString tested = run(u"unzip"_s, {u"-t"_s, path}, &code);
    QVERIFY2(code == 0, qPrintable(tested));
    const QString listed = run(u"/usr/bin/python3"_s, {u"-c"_s, kListZip, path}, &code);
    QVERIFY2(code == 0, qPrintable(listed));
    QStringList expected;
    for (const QString &key : {u"2024/a.txt"_s, u"2024/trip/c.jpg"_s, u"2024/trip/deep/d.txt"_s})
        expected.append(key.mid(5) + u' ' +
                        QString::fromLatin1(test::sha256Hex(m_objects.value(key))));
    QStringList got = listed.split(u'\n', Qt::SkipEmptyParts);
    got.sort();
    expected.sort();
    QCOMPARE(got, expected);
}

void TestS3Bundle::dialog_refusesLinksLongerThanSevenDays()
{
    S3BundleDialog dialog(S3BundleDialog::IntoBucket);
    dialog.setBuckets({u"other"_s, kBucket}, kBucket);
    dialog.setTargetKey(u"/2024/x.zip"_s);
    auto *ok =
        dialog.findChild<QDialogButtonBox *>(u"bundleButtons"_s)->button(QDialogButtonBox::Ok);
    QCOMPARE(dialog.targetBucket(), kBucket);
    QCOMPARE(dialog.targetKey(), u"2024/x.zip"_s);
    QCOMPARE(dialog.findChild<QSpinBox *>(u"bundleDeflateLevel"_s)->value(), 6);
    QVERIFY(!dialog.findChild<QCheckBox *>(u"bundleSkipOnError"_s)->isChecked());
    QCOMPARE(dialog.options().shareExpirySeconds, 3600);
    QVERIFY(ok->isEnabled());

    dialog.setCustomHours(24 * 7 + 1);
    QVERIFY(!ok->isEnabled());
    QVERIFY(dialog.errorText().contains(u"7 days"_s));
    dialog.setCustomHours(24 * 7);
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.options().shareExpirySeconds, 604'800);
    dialog.setPreset(S3BundleDialog::OneDay);
    QCOMPARE(dialog.options().shareExpirySeconds, 86'400);

    dialog.findChild<QLineEdit *>(u"bundleKey"_s)->setText(u"folder/"_s);
    QVERIFY(!ok->isEnabled());
}

void TestS3Bundle::downloadAsZip_folderAndObjectMatchTheBucket()
{
    if (!m_server)
        QSKIP(qPrintable(RgwServer::unavailableReason()));
    openAndSelect();
    if (QTest::currentTestFailed())
        return;
    const QString target = m_dir->filePath(u"out/2024.zip"_s);
    S3BundleOptions options;
    options.deflateLevel = 9;
    const DownloadId id = m_panel->bundleSelectedTo(target, options);
    QVERIFY2(id != 0, qPrintable(m_panel->messageText()));
    const auto snap = m_manager->snapshot(id);
    QVERIFY(snap);
    QCOMPARE(snap->kind, TransferKind::ZipLocal);
    QTRY_COMPARE_WITH_TIMEOUT(m_manager->snapshot(id)->state, DownloadState::Completed, 60'000);
    QCOMPARE(m_manager->snapshot(id)->entriesDone, m_manager->snapshot(id)->entriesTotal);
    QVERIFY(m_manager->snapshot(id)->entriesTotal >= 3);
    QVERIFY(QFile::exists(target));
    verifyZip(target);
}

void TestS3Bundle::bundleIntoBucket_copiesAWorkingShareLink()
{
    if (!m_server)
        QSKIP(qPrintable(RgwServer::unavailableReason()));
    openAndSelect();
    if (QTest::currentTestFailed())
        return;
    QGuiApplication::clipboard()->clear();
    // Through the context-menu command: the dialog proposes the current bucket and a key in the
    // current prefix; the user picks another bucket and a one-day link.
    QString proposedKey, proposedBucket;
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<S3BundleDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        proposedBucket = dialog->targetBucket();
        proposedKey = dialog->targetKey();
        auto *bucket = dialog->findChild<QComboBox *>(u"bundleBucket"_s);
        bucket->setEditText(u"other"_s);
        dialog->setTargetKey(u"shared/2024.zip"_s);
        dialog->setPreset(S3BundleDialog::OneDay);
        dialog->findChild<QCheckBox *>(u"bundleSkipOnError"_s)->setChecked(true);
        dialog->accept();
    });
    QSignalSpy copied(m_panel.get(), &S3Panel::bundleLinkCopied);
    m_panel->bundleSelectedIntoBucketDialog();
    QCOMPARE(proposedBucket, kBucket);
    QCOMPARE(proposedKey, u"2024/2024.zip"_s);
    QVERIFY2(copied.wait(60'000) || copied.size() == 1, qPrintable(m_panel->messageText()));
    const DownloadId id = copied.first().at(0).value<DownloadId>();
    QCOMPARE(m_manager->snapshot(id)->kind, TransferKind::ZipBucket);
    QCOMPARE(m_manager->snapshot(id)->state, DownloadState::Completed);
    const QString url = QGuiApplication::clipboard()->text();
    QCOMPARE(url, copied.first().at(1).toString());
    QCOMPARE(QUrl(url).port(), m_server->endpoint().port());
    QVERIFY(url.contains(u"/other/shared/2024.zip"_s));
    QVERIFY(url.contains(u"X-Amz-Expires=86400"_s));
    QVERIFY(m_panel->messageText().contains(u"Share link copied to the clipboard"_s));

    QNetworkAccessManager nam;
    std::unique_ptr<QNetworkReply> reply(nam.get(QNetworkRequest(QUrl(url))));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 30'000);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    const QByteArray body = reply->readAll();
    QVERIFY(body.startsWith("PK\x03\x04"));
    const QString path = m_dir->filePath(u"fetched.zip"_s);
    QVERIFY(test::writeFile(path, body));
    verifyZip(path);
}

QTEST_MAIN(TestS3Bundle)
#include "tst_s3bundle.moc"
