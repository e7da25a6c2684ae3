#include "s3accountdialog.h"
#include "s3breadcrumb.h"
#include "s3mime.h"
#include "s3objectmodel.h"
#include "s3panel.h"
#include "s3propertiesdialog.h"
#include "s3sharedialog.h"
#include "zipcontentsdialog.h"

#include "api/downloadmanager.h"
#include "api/s3transfers.h"
#include "s3/accountstore.h"
#include "s3/credentialstore.h"
#include "s3/s3client.h"

#include "rgwserver.h"
#include "sandbox.h"
#include "ziparchivemakers.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDropEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QFile>
#include <QTreeWidget>
#include <QToolButton>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::ui;
using ferry::test::RgwServer;

namespace {

const QString kBucket = u"photos"_s;

// Waits for a Reply and copies out what the test needs (the Reply deletes itself).
s3::Error awaitError(s3::Reply *reply, s3::ObjectInfo *info = nullptr)
{
    s3::Error error{s3::Error::Other, 0, u"Timeout"_s, u"no answer"_s, {}};
    bool done = false;
    QObject::connect(reply, &s3::Reply::finished, reply, [&] {
        error = reply->error;
        if (info)
            *info = reply->info;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 30'000))
        qWarning("no S3 answer within 30 s");
    return error;
}

// The view row showing `name`, or -1.
int rowNamed(QTableView *view, const QString &name)
{
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        if (view->model()->index(row, S3ObjectModel::Name).data().toString() == name)
            return row;
    }
    return -1;
}

} // namespace

class TestS3Panel final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void browse_bucketFoldersBreadcrumbAndFilter();
    void share_linkServesTheObjectAndRefusesMoreThanSevenDays();
    void dragOut_objectsAndPrefixesDownloadThroughTheQueue();
    void drop_localFileIsUploadedIntoCurrentPrefix();
    void delete_confirmedRemovesTheObject();
    void wrongSecret_showsAHumanMessageWithoutTheSecret();
    void accountDialog_savesKeysOrKeepsThemForTheSession();
    void firstUse_offersToImportAwsProfiles();
    void showContents_zipObjectListedAndEntriesDownloaded();

private:
    void openPanelAt(const QString &prefix);

    RgwServer *m_server = nullptr;
    std::unique_ptr<s3::Client> m_client; // the test's own view of the bucket
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<s3::AccountStore> m_accounts;
    std::unique_ptr<s3::CredentialStore> m_credentials;
    std::unique_ptr<DownloadManager> m_manager;
    std::unique_ptr<S3Transfers> m_transfers;
    std::unique_ptr<S3Panel> m_panel;
    s3::Account m_account;
};

void TestS3Panel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    if (!RgwServer::unavailableReason().isEmpty())
        return; // the tests that need the server skip one by one
    m_server = &RgwServer::shared();
    m_server->addBucket(kBucket);
    m_server->addBucket(u"other"_s);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error + m_server->output()));
    s3::Account a;
    a.id = u"test"_s;
    a.endpoint = m_server->endpoint();
    a.pathStyle = true;
    m_client = std::make_unique<s3::Client>(
        a, s3::Credentials{RgwServer::accessKey(), RgwServer::secretKey(), {}});
    const QList<QPair<QString, QByteArray>> objects = {
        {u"readme.txt"_s, "hello"},
        {u"2024/a.jpg"_s, test::deterministicBytes(70'000, 1)},
        {u"2024/b.jpg"_s, test::deterministicBytes(1'000, 2)},
        {u"2024/trip/c.jpg"_s, test::deterministicBytes(500, 3)},
    };
    for (const auto &[key, data] : objects) {
        const s3::Error e = awaitError(m_client->putObject(kBucket, key, data));
        QVERIFY2(!e.isError(), qPrintable(e.message));
    }
}

void TestS3Panel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_accounts = std::make_unique<s3::AccountStore>(m_dir->filePath(u"settings.ini"_s));
    m_credentials = std::make_unique<s3::CredentialStore>(std::make_unique<s3::MemoryKeychain>(),
                                                          QProcessEnvironment());
    m_manager = std::make_unique<DownloadManager>(m_dir->filePath(u"state"_s));
    m_transfers =
        std::make_unique<S3Transfers>(m_manager.get()); // before open(): uploads need its factory
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

void TestS3Panel::cleanup()
{
    m_panel.reset();
    m_transfers.reset();
    m_manager.reset();
    m_credentials.reset();
    m_accounts.reset();
    m_dir.reset();
}

void TestS3Panel::openPanelAt(const QString &prefix)
{
    if (!m_server)
        QSKIP(qPrintable(RgwServer::unavailableReason()));
    m_account = {};
    m_account.name = u"Local S3"_s;
    m_account.endpoint = m_server->endpoint();
    m_account.pathStyle = true;
    QCOMPARE(m_accounts->add(m_account), QString());
    bool saved = false;
    m_credentials->save(m_account, {RgwServer::accessKey(), RgwServer::secretKey(), {}},
                        [&](s3::CredentialStore::SaveOutcome, const QString &) { saved = true; });
    QTRY_VERIFY(saved);

    QSignalSpy buckets(m_panel.get(), &S3Panel::bucketsLoaded);
    m_panel->openAccount(m_account.id);
    QVERIFY(buckets.wait(30'000));
    QCOMPARE(m_panel->messageText(), QString());
    QCOMPARE(m_panel->buckets(), (QStringList{u"other"_s, kBucket}));

    // Pick the bucket the way a user does: type it into the bucket field and press Enter.
    auto *combo = m_panel->findChild<QComboBox *>(u"bucketCombo"_s);
    QVERIFY(combo);
    combo->lineEdit()->clear();
    QTest::keyClicks(combo->lineEdit(), kBucket);
    QTest::keyClick(combo->lineEdit(), Qt::Key_Return);
    QCOMPARE(m_panel->bucket(), kBucket);
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->model()->isComplete(), 30'000);
    if (!prefix.isEmpty()) {
        m_panel->openPrefix(prefix);
        QTRY_VERIFY_WITH_TIMEOUT(m_panel->model()->isComplete(), 30'000);
    }
}

void TestS3Panel::browse_bucketFoldersBreadcrumbAndFilter()
{
    openPanelAt({});
    QTableView *view = m_panel->view();
    QCOMPARE(view->model()->rowCount(), 2);
    QCOMPARE(view->model()->index(0, 0).data().toString(), u"2024"_s); // folders first
    QCOMPARE(view->model()->index(1, 0).data().toString(), u"readme.txt"_s);
    QVERIFY2(m_panel->statusText().contains(u"1 object"_s), qPrintable(m_panel->statusText()));

    // Double-click the folder.
    const QRect folder = view->visualRect(view->model()->index(0, 0));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, folder.center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, folder.center());
    QCOMPARE(m_panel->prefix(), u"2024/"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->model()->isComplete(), 30'000);
    QCOMPARE(view->model()->rowCount(), 3);
    QCOMPARE(rowNamed(view, u"trip"_s), 0);
    QVERIFY(rowNamed(view, u"a.jpg"_s) > 0);

    // Enter on a folder goes in; the breadcrumb then leads back up one level.
    view->setFocus();
    view->setCurrentIndex(view->model()->index(rowNamed(view, u"trip"_s), 0));
    QTest::keyClick(view, Qt::Key_Return);
    QCOMPARE(m_panel->prefix(), u"2024/trip/"_s);
    auto *crumbs = m_panel->findChild<S3Breadcrumb *>();
    QCOMPARE(crumbs->segments(), (QStringList{kBucket, u"2024"_s, u"trip"_s}));
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->model()->isComplete(), 30'000);
    QCOMPARE(rowNamed(view, u"c.jpg"_s), 0);
    auto *crumb = crumbs->findChild<QToolButton *>(u"crumb1"_s);
    QVERIFY(crumb);
    QTest::mouseClick(crumb, Qt::LeftButton);
    QCOMPARE(m_panel->prefix(), u"2024/"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->model()->isComplete(), 30'000);

    // Filter the loaded rows by name.
    auto *filter = m_panel->findChild<QLineEdit *>(u"s3Filter"_s);
    QTest::keyClicks(filter, u"B.J"_s);
    QCOMPARE(view->model()->rowCount(), 1);
    QCOMPARE(view->model()->index(0, 0).data().toString(), u"b.jpg"_s);
    filter->clear();
    QCOMPARE(view->model()->rowCount(), 3);

    // Backspace goes up to the bucket's root.
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Backspace);
    QCOMPARE(m_panel->prefix(), QString());
    QTest::keyClick(view, Qt::Key_Backspace); // at the root: stays
    QCOMPARE(m_panel->prefix(), QString());
}

void TestS3Panel::share_linkServesTheObjectAndRefusesMoreThanSevenDays()
{
    openPanelAt(u"2024/"_s);
    QTableView *view = m_panel->view();
    view->selectRow(rowNamed(view, u"a.jpg"_s));
    m_panel->shareSelected();
    auto *dialog = m_panel->findChild<S3ShareDialog *>();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->expirySeconds(), 3600);
    const QString url = dialog->url();
    QVERIFY(url.startsWith(m_server->endpoint().toString()));
    QVERIFY(url.contains(u"X-Amz-Expires=3600"_s));

    QNetworkAccessManager nam;
    std::unique_ptr<QNetworkReply> reply(nam.get(QNetworkRequest(QUrl::fromEncoded(url.toUtf8()))));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 30'000);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->readAll(), test::deterministicBytes(70'000, 1));

    dialog->copy();
    QCOMPARE(QGuiApplication::clipboard()->text(), url);

    dialog->setPreset(S3ShareDialog::SevenDays);
    QCOMPARE(dialog->expirySeconds(), 604800);
    QVERIFY(dialog->url().contains(u"X-Amz-Expires=604800"_s));
    dialog->setCustomDuration(8, 24 * 3600);
    QCOMPARE(dialog->expirySeconds(), 0);
    QCOMPARE(dialog->url(), QString());
    QVERIFY(!dialog->errorText().isEmpty());
    dialog->setCustomDuration(90, 60);
    QCOMPARE(dialog->expirySeconds(), 5400);
    QCOMPARE(dialog->errorText(), QString());
    QVERIFY(dialog->url().contains(u"X-Amz-Expires=5400"_s));
}

void TestS3Panel::dragOut_objectsAndPrefixesDownloadThroughTheQueue()
{
    openPanelAt({});
    QTableView *view = m_panel->view();
    view->selectAll();
    // What a drag out of the view carries, decoded the way the transfer list does on drop.
    std::unique_ptr<QMimeData> mime(
        view->model()->mimeData(view->selectionModel()->selectedIndexes()));
    const auto selection = s3SelectionFromMimeData(mime.get());
    QVERIFY(selection);
    QCOMPARE(selection->prefixes, QStringList{u"2024/"_s});
    const QString target = m_dir->filePath(u"dropped-here"_s);
    int queued = -1;
    QString error;
    queueS3Downloads(m_transfers.get(), *selection, target, [&](int n, const QString &e) {
        queued = n;
        error = e;
    });
    QTRY_VERIFY_WITH_TIMEOUT(queued >= 0, 30'000);
    QCOMPARE(error, QString());
    QCOMPARE(queued, 4); // readme.txt and the three objects below 2024/
    QTRY_VERIFY_WITH_TIMEOUT(std::ranges::all_of(m_manager->snapshots(),
                                                 [](const DownloadSnapshot &s) {
                                                     return s.state == DownloadState::Completed;
                                                 }),
                             60'000);
    QCOMPARE(test::readFile(target + u"/readme.txt"_s), QByteArray("hello"));
    QCOMPARE(test::readFile(target + u"/2024/a.jpg"_s), test::deterministicBytes(70'000, 1));
    QCOMPARE(test::readFile(target + u"/2024/trip/c.jpg"_s), test::deterministicBytes(500, 3));

    // "Download" from the context menu puts the selection into the default folder.
    view->clearSelection();
    view->selectRow(rowNamed(view, u"readme.txt"_s));
    QSignalSpy done(m_panel.get(), &S3Panel::downloadsQueued);
    m_panel->downloadSelected(m_dir->filePath(u"downloads"_s));
    QTRY_COMPARE(done.count(), 1);
    QCOMPARE(done.first().first().toInt(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(test::readFile(m_dir->filePath(u"downloads/readme.txt"_s)),
                              QByteArray("hello"), 60'000);
}

void TestS3Panel::drop_localFileIsUploadedIntoCurrentPrefix()
{
    openPanelAt(u"2024/"_s);
    const QByteArray data = test::deterministicBytes(300'000, 7);
    const QString local = m_dir->filePath(u"local/dropped.bin"_s);
    QVERIFY(test::writeFile(local, data));

    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(local)});
    QSignalSpy queued(m_panel.get(), &S3Panel::uploadsQueued);
    const QPoint at = m_panel->view()->geometry().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_panel.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_panel.get(), &drop);
    QCOMPARE(queued.count(), 1);
    const auto ids = queued.first().first().value<QList<DownloadId>>();
    QCOMPARE(ids.size(), 1);
    QVERIFY(m_manager->snapshot(ids.first()));
    QTRY_COMPARE_WITH_TIMEOUT(m_manager->snapshot(ids.first())->state, DownloadState::Completed,
                              60'000);

    s3::ObjectInfo info;
    const s3::Error e = awaitError(m_client->headObject(kBucket, u"2024/dropped.bin"_s), &info);
    QVERIFY2(!e.isError(), qPrintable(e.message));
    QCOMPARE(info.size, data.size());
    // The listing refreshes by itself once the upload is done.
    QTRY_VERIFY_WITH_TIMEOUT(rowNamed(m_panel->view(), u"dropped.bin"_s) >= 0, 30'000);

    // Properties of the new object come from HeadObject.
    m_panel->view()->selectRow(rowNamed(m_panel->view(), u"dropped.bin"_s));
    m_panel->showSelectedProperties();
    auto *properties = m_panel->findChild<S3PropertiesDialog *>();
    QVERIFY(properties);
    QTRY_VERIFY_WITH_TIMEOUT(properties->isLoaded(), 30'000);
    QCOMPARE(properties->errorText(), QString());
    QCOMPARE(properties->info().size, data.size());
    QCOMPARE(properties->info().etag, info.etag);
    QVERIFY(properties->findChild<QLabel *>(u"size"_s)->text().contains(u"300"_s));
    properties->close();
}

void TestS3Panel::delete_confirmedRemovesTheObject()
{
    openPanelAt({});
    QVERIFY(!awaitError(m_client->putObject(kBucket, u"doomed/x.txt"_s, "x")).isError());
    QVERIFY(!awaitError(m_client->putObject(kBucket, u"doomed/y/z.txt"_s, "z")).isError());
    m_panel->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(
        m_panel->model()->isComplete() && rowNamed(m_panel->view(), u"doomed"_s) >= 0, 30'000);
    m_panel->view()->selectRow(rowNamed(m_panel->view(), u"doomed"_s));

    QString question;
    QTimer::singleShot(0, this, [&] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        question = box->text();
        for (QAbstractButton *b : box->buttons()) {
            if (box->buttonRole(b) == QMessageBox::DestructiveRole)
                b->click();
        }
    });
    QSignalSpy deleted(m_panel.get(), &S3Panel::deleted);
    m_panel->deleteSelected();
    QVERIFY2(question.contains(u"1 folder"_s), qPrintable(question));
    QVERIFY(deleted.wait(30'000));
    QCOMPARE(deleted.first().first().toInt(), 2);
    QCOMPARE(awaitError(m_client->headObject(kBucket, u"doomed/y/z.txt"_s)).kind,
             s3::Error::NotFound);
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->model()->isComplete(), 30'000);
    QCOMPARE(rowNamed(m_panel->view(), u"doomed"_s), -1);
}

void TestS3Panel::wrongSecret_showsAHumanMessageWithoutTheSecret()
{
    if (!m_server)
        QSKIP(qPrintable(RgwServer::unavailableReason()));
    const QString secret = u"not-the-secret-8f3a9c"_s;
    s3::Account bad;
    bad.name = u"Mistyped"_s;
    bad.endpoint = m_server->endpoint();
    bad.pathStyle = true;
    QCOMPARE(m_accounts->add(bad), QString());
    bool saved = false;
    m_credentials->save(bad, {RgwServer::accessKey(), secret, {}},
                        [&](auto, const QString &) { saved = true; });
    QTRY_VERIFY(saved);
    QSignalSpy buckets(m_panel.get(), &S3Panel::bucketsLoaded);
    m_panel->openAccount(bad.id);
    QVERIFY(buckets.wait(30'000));
    const QString message = m_panel->messageText();
    QVERIFY2(message.contains(u"secret key"_s, Qt::CaseInsensitive), qPrintable(message));
    QVERIFY(!message.contains(secret));
    QVERIFY(!message.contains(u"SignatureDoesNotMatch"_s));
    QVERIFY(m_panel->buckets().isEmpty());
}

void TestS3Panel::accountDialog_savesKeysOrKeepsThemForTheSession()
{
    auto keychain = std::make_unique<s3::MemoryKeychain>();
    keychain->setAvailable(false); // like a machine without a Secret Service
    s3::CredentialStore noKeychain(std::move(keychain), QProcessEnvironment());

    S3AccountDialog dialog(m_accounts.get(), &noKeychain, {});
    dialog.setName(u"MinIO"_s);
    dialog.setEndpoint(u"http://127.0.0.1:9000"_s);
    QVERIFY(dialog.pathStyle()); // suggested for a plain-HTTP IP endpoint
    dialog.setKeys(u"AKID"_s, u"s3cr3t"_s);
    QSignalSpy done(&dialog, &QDialog::accepted);
    dialog.accept();
    QVERIFY(done.wait(5000));
    QCOMPARE(dialog.saveOutcome(), s3::CredentialStore::SaveOutcome::SessionOnly);
    QVERIFY(!noKeychain.keychainMessage().isEmpty());
    const auto stored = m_accounts->findByName(u"MinIO"_s);
    QVERIFY(stored);
    QVERIFY(stored->pathStyle);
    QCOMPARE(noKeychain.cachedFor(stored->id)->secretAccessKey, u"s3cr3t"_s);
    // The secret went nowhere near the settings file.
    QVERIFY(!test::readFile(m_dir->filePath(u"settings.ini"_s)).contains("s3cr3t"));

    // A second account with the same name is refused in the dialog.
    S3AccountDialog again(m_accounts.get(), m_credentials.get(), {});
    again.setName(u"MinIO"_s);
    again.setEndpoint(u"http://127.0.0.1:9000"_s);
    again.setAnonymous(true);
    again.accept();
    QVERIFY(!again.errorText().isEmpty());
    QCOMPARE(again.result(), int(QDialog::Rejected));
}

void TestS3Panel::firstUse_offersToImportAwsProfiles()
{
    const QByteArray credentials =
        "[default]\naws_access_key_id = AKIDEFAULT\naws_secret_access_key = sec1\n"
        "[work]\naws_access_key_id = AKIWORK\naws_secret_access_key = sec2\n";
    m_panel->setAwsConfig(
        s3::AwsConfig::parse(credentials, "[profile work]\nregion = eu-west-1\n"));
    QVERIFY2(m_panel->messageText().contains(u"2 profile"_s), qPrintable(m_panel->messageText()));
    auto *action = m_panel->findChild<QPushButton *>(u"messageAction"_s);
    QVERIFY(action && action->isVisible());
    QTest::mouseClick(action, Qt::LeftButton);
    QCOMPARE(m_accounts->accounts().size(), 2);
    QVERIFY(m_accounts->findByName(u"work"_s));
    QCOMPARE(m_panel->accountId(), m_accounts->accounts().first().id);
}

QTEST_MAIN(TestS3Panel)
#include "tst_s3panel.moc"

void TestS3Panel::showContents_zipObjectListedAndEntriesDownloaded()
{
    if (!m_server)
        QSKIP(qPrintable(RgwServer::unavailableReason()));
    const QByteArray photo = test::deterministicBytes(2 * 1024 * 1024, 9);
    const QByteArray archive = test::zipread::ferryArchive(
        {{u"trip/photo.jpg"_s, photo}, {u"trip/notes.txt"_s, "day one\n"}, {u"list.csv"_s, "a,b\n"}},
        false);
    QVERIFY(!awaitError(m_client->putObject(kBucket, u"zips/pack.zip"_s, archive)).isError());
    QVERIFY(!awaitError(m_client->putObject(kBucket, u"zips/plain.txt"_s, "no archive")).isError());
    openPanelAt(u"zips/"_s);
    QTableView *view = m_panel->view();
    auto *contents = m_panel->findChild<QAction *>(u"s3ContentsAction"_s);
    QVERIFY(contents);

    QSignalSpy asked(m_panel.get(), &S3Panel::contentsRequested);
    view->selectRow(rowNamed(view, u"pack.zip"_s));
    contents->trigger();
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.first().at(0).toString(), m_account.id);
    QCOMPARE(asked.first().at(1).toString(), kBucket);
    QCOMPARE(asked.first().at(2).toString(), u"zips/pack.zip"_s);

    // What the window does with it: the object read with the account's keys, entries queued.
    const s3::Client *client = m_transfers->client(m_account.id);
    QVERIFY(client);
    zipread::ArchiveSource source;
    source.account = m_account.id;
    source.bucket = kBucket;
    source.key = u"zips/pack.zip"_s;
    source.url = client->objectUrl(kBucket, source.key);
    ZipContentsDialog dialog(source);
    dialog.setS3Keys(client->account(), client->credentials());
    dialog.setDownloader(ZipContentsDialog::queueingDownloader(m_manager.get(), source));
    const QString target = m_dir->filePath(u"entries"_s);
    dialog.setFolder(target);
    dialog.show();
    dialog.load();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isLoaded(), 30'000);
    QCOMPARE(dialog.windowTitle(), u"Contents of pack.zip"_s);
    QCOMPARE(dialog.listing().entries.size(), 3);
    QTreeWidgetItem *trip = nullptr;
    for (int i = 0; i < dialog.tree()->topLevelItemCount(); ++i) {
        if (dialog.tree()->topLevelItem(i)->text(0) == u"trip"_s)
            trip = dialog.tree()->topLevelItem(i);
    }
    QVERIFY(trip);
    trip->setCheckState(0, Qt::Checked);
    QSignalSpy queued(&dialog, &ZipContentsDialog::entriesQueued);
    auto *download = dialog.findChild<QPushButton *>(u"zipContentsDownload"_s);
    QTRY_VERIFY(download->isEnabled());
    QTest::mouseClick(download, Qt::LeftButton);
    QCOMPARE(queued.size(), 1);
    QCOMPARE(queued.first().at(0).toInt(), 2);
    const auto bytesOf = [](const QString &path) {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    };
    QTRY_COMPARE_WITH_TIMEOUT(bytesOf(target + u"/trip/photo.jpg"_s).size(), photo.size(), 30'000);
    QCOMPARE(bytesOf(target + u"/trip/photo.jpg"_s), photo);
    QTRY_COMPARE_WITH_TIMEOUT(bytesOf(target + u"/trip/notes.txt"_s), QByteArray("day one\n"), 30'000);
    QVERIFY(!QFile::exists(target + u"/list.csv"_s));

    // A plain object is no archive by name: the menu leaves the command out, and reading it
    // anyway says what it is.
    view->clearSelection();
    view->selectRow(rowNamed(view, u"plain.txt"_s));
    source.key = u"zips/plain.txt"_s;
    ZipContentsDialog plain(source);
    plain.setS3Keys(client->account(), client->credentials());
    QSignalSpy loaded(&plain, &ZipContentsDialog::loaded);
    plain.load();
    QVERIFY(loaded.wait(30'000));
    QCOMPARE(loaded.first().at(0).toBool(), false);
    QVERIFY(plain.findChild<QLabel *>(u"zipContentsStatus"_s)->text().contains(u"not a ZIP archive"_s));
}
