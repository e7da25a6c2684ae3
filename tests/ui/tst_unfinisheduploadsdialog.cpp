// The S3 panel's "Unfinished Uploads…" dialog against a real S3 server (Ceph RGW): what it
// lists, who it says started each upload, the bytes stored so far, and its Resume and Abort.
#include "s3panel.h"
#include "unfinisheduploadsdialog.h"

#include "api/downloadmanager.h"
#include "api/s3transfers.h"
#include "format.h"
#include "s3/accountstore.h"
#include "s3/credentialstore.h"
#include "s3/s3client.h"
#include "s3/uploadjob.h"
#include "storage/storedrecord.h"

#include "rgwserver.h"
#include "sandbox.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFileInfo>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::ui;
using ferry::test::RgwServer;

namespace {

const QString kBucket = u"unfinished"_s;
constexpr qint64 kMiB = 1024 * 1024;

// Waits for a Reply and lets `take` copy what the test needs (the Reply deletes itself).
template <class Take> bool await(s3::Reply *reply, Take take)
{
    bool done = false;
    QObject::connect(reply, &s3::Reply::finished, reply, [&] {
        take(reply);
        done = true;
    });
    return QTest::qWaitFor([&] { return done; }, 60'000);
}

} // namespace

class TestUnfinishedUploadsDialog final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void panelAction_listsOursAndOthersWithWhoAndSizeSoFar();
    void resume_oursContinuesInTheTransferListAndCompletes();
    void abort_confirmedRemovesTheUploadFromTheServer();
    void listingError_isShownInTheDialog();

private:
    void openPanel();
    UnfinishedUploadsDialog *openDialog();
    // An upload someone else started: created straight on the server, with parts of these sizes.
    QString startForeignUpload(const QString &key, const QList<qint64> &partSizes);
    // An upload of Ferry's own, paused, with its first part on the server but not recorded.
    DownloadId startOurUpload(const QString &key, QString *uploadId, QByteArray *body);
    void answerConfirmation(bool destroy, QString *question);

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

void TestUnfinishedUploadsDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    if (!RgwServer::unavailableReason().isEmpty())
        return; // the tests that need the server skip one by one
    m_server = &RgwServer::shared();
    m_server->addBucket(kBucket);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error + m_server->output()));
    s3::Account a;
    a.id = u"test"_s;
    a.endpoint = m_server->endpoint();
    a.pathStyle = true;
    m_client = std::make_unique<s3::Client>(
        a, s3::Credentials{RgwServer::accessKey(), RgwServer::secretKey(), {}});
}

void TestUnfinishedUploadsDialog::init()
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

void TestUnfinishedUploadsDialog::cleanup()
{
    m_panel.reset();
    m_transfers.reset();
    m_manager.reset();
    m_credentials.reset();
    m_accounts.reset();
    m_dir.reset();
    // Every test starts from a bucket without unfinished uploads.
    if (m_client) {
        QList<s3::MultipartUpload> left;
        await(m_client->listMultipartUploads(kBucket), [&](s3::Reply *r) { left = r->uploads; });
        for (const s3::MultipartUpload &u : std::as_const(left))
            await(m_client->abortMultipartUpload(kBucket, u.key, u.uploadId), [](s3::Reply *) {});
    }
}

void TestUnfinishedUploadsDialog::openPanel()
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
    m_panel->openBucket(kBucket);
    QCOMPARE(m_panel->bucket(), kBucket);
}

UnfinishedUploadsDialog *TestUnfinishedUploadsDialog::openDialog()
{
    auto *action = m_panel->findChild<QAction *>(u"unfinishedUploadsAction"_s);
    if (!action)
        return nullptr;
    action->setEnabled(true); // as the context menu leaves it with a bucket open
    action->trigger();
    auto *dialog = m_panel->findChild<UnfinishedUploadsDialog *>();
    if (dialog && !QTest::qWaitFor([&] { return !dialog->isLoading(); }, 30'000))
        return nullptr;
    return dialog;
}

QString TestUnfinishedUploadsDialog::startForeignUpload(const QString &key,
                                                        const QList<qint64> &partSizes)
{
    QString uploadId;
    if (!await(m_client->createMultipartUpload(kBucket, key),
               [&](s3::Reply *r) { uploadId = r->uploadId; }))
        return {};
    int number = 0;
    for (qint64 size : partSizes) {
        ++number;
        QString error;
        await(m_client->uploadPart(kBucket, key, uploadId, number,
                                   test::deterministicBytes(size, quint32(number))),
              [&](s3::Reply *r) { error = r->error.message; });
        if (!error.isEmpty())
            return {};
    }
    return uploadId;
}

DownloadId TestUnfinishedUploadsDialog::startOurUpload(const QString &key, QString *uploadId,
                                                       QByteArray *body)
{
    *body = test::deterministicBytes(20 * kMiB + 321, 0x0A75u);
    const QString file = m_dir->filePath(u"local/ours.bin"_s);
    if (!test::writeFile(file, *body))
        return 0;
    const qint64 partSize = s3::UploadJob::partSizeFor(body->size());
    if (!await(m_client->createMultipartUpload(kBucket, key),
               [&](s3::Reply *r) { *uploadId = r->uploadId; }) ||
        uploadId->isEmpty())
        return 0;
    QString error;
    await(m_client->uploadPart(kBucket, key, *uploadId, 1, body->left(partSize)),
          [&](s3::Reply *r) { error = r->error.message; });
    if (!error.isEmpty())
        return 0;
    StoredDownload record;
    record.kind = TransferKind::Upload;
    record.source = s3::Client::s3Uri(kBucket, key);
    record.url = m_client->objectUrl(kBucket, key);
    record.account = m_account.id;
    record.directory = QFileInfo(file).absolutePath();
    record.fileName = QFileInfo(file).fileName();
    record.total = body->size();
    record.resumable = true;
    record.uploadId = *uploadId;
    record.partSize = partSize;
    record.state = DownloadState::Paused;
    record.connections = s3::UploadJob::parallelParts;
    return m_manager->addTransfer(record, &error);
}

void TestUnfinishedUploadsDialog::answerConfirmation(bool destroy, QString *question)
{
    QTimer::singleShot(0, this, [destroy, question] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        *question = box->text();
        for (QAbstractButton *b : box->buttons()) {
            const bool isDestroy = box->buttonRole(b) == QMessageBox::DestructiveRole;
            if (isDestroy == destroy) {
                b->click();
                return;
            }
        }
    });
}

void TestUnfinishedUploadsDialog::panelAction_listsOursAndOthersWithWhoAndSizeSoFar()
{
    openPanel();
    const QString theirs = startForeignUpload(u"theirs/a.bin"_s, {6 * kMiB, 1234});
    QVERIFY(!theirs.isEmpty());
    QString ours;
    QByteArray body;
    const DownloadId id = startOurUpload(u"ours/b.bin"_s, &ours, &body);
    QVERIFY(id != 0);
    QCOMPARE(m_manager->snapshot(id)->uploadId, ours);
    const QDateTime after = QDateTime::currentDateTimeUtc();

    UnfinishedUploadsDialog *dialog = openDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->errorText(), QString());
    QTreeWidget *list = dialog->list();
    QCOMPARE(list->topLevelItemCount(), 2);
    QTreeWidgetItem *mine = list->topLevelItem(dialog->rowOf(ours));
    QTreeWidgetItem *other = list->topLevelItem(dialog->rowOf(theirs));
    QVERIFY(mine && other);
    QCOMPARE(mine->text(UnfinishedUploadsDialog::Key), u"ours/b.bin"_s);
    QCOMPARE(other->text(UnfinishedUploadsDialog::Key), u"theirs/a.bin"_s);
    QCOMPARE(mine->text(UnfinishedUploadsDialog::StartedBy), u"This Ferry"_s);
    QCOMPARE(dialog->transferOf(ours), id);
    QCOMPARE(dialog->transferOf(theirs), DownloadId(0));
    // The server's name for whoever started it (the test user).
    const QString who = other->text(UnfinishedUploadsDialog::StartedBy);
    QVERIFY(!who.isEmpty() && who != u"This Ferry"_s && who != u"Unknown"_s);
    // Started: the server's time, shown in local time.
    const QDateTime started =
        other->data(UnfinishedUploadsDialog::Started, Qt::UserRole).toDateTime();
    QVERIFY(started.isValid());
    QVERIFY(qAbs(started.secsTo(after)) < 600);
    QCOMPARE(other->text(UnfinishedUploadsDialog::Started), formatDateTime(started));

    // The sizes come in once the rows are in view.
    QTRY_COMPARE_WITH_TIMEOUT(other->text(UnfinishedUploadsDialog::Size),
                              formatSize(6 * kMiB + 1234), 30'000);
    QTRY_COMPARE_WITH_TIMEOUT(mine->text(UnfinishedUploadsDialog::Size), formatSize(8 * kMiB),
                              30'000);
    QCOMPARE(other->data(UnfinishedUploadsDialog::Size, Qt::UserRole).toLongLong(),
             6 * kMiB + 1234);

    // Resume only for Ferry's own; Abort for any.
    auto *resume = dialog->findChild<QPushButton *>(u"resumeButton"_s);
    auto *abort = dialog->findChild<QPushButton *>(u"abortButton"_s);
    QVERIFY(resume && abort);
    list->setCurrentItem(other);
    QVERIFY(!resume->isEnabled());
    QVERIFY(abort->isEnabled());
    list->setCurrentItem(mine);
    QVERIFY(resume->isEnabled());
    QVERIFY(abort->isEnabled());
}

void TestUnfinishedUploadsDialog::resume_oursContinuesInTheTransferListAndCompletes()
{
    openPanel();
    QString ours;
    QByteArray body;
    const DownloadId id = startOurUpload(u"ours/resume.bin"_s, &ours, &body);
    QVERIFY(id != 0);
    UnfinishedUploadsDialog *dialog = openDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->list()->topLevelItemCount(), 1);
    dialog->list()->setCurrentItem(dialog->list()->topLevelItem(dialog->rowOf(ours)));
    QSignalSpy resumed(dialog, &UnfinishedUploadsDialog::resumed);
    auto *resume = dialog->findChild<QPushButton *>(u"resumeButton"_s);
    QVERIFY(resume->isEnabled());
    QTest::mouseClick(resume, Qt::LeftButton);
    QCOMPARE(resumed.size(), 1);
    QCOMPARE(resumed.first().first().value<DownloadId>(), id);
    QCOMPARE(dialog->errorText(), QString());
    QTRY_COMPARE_WITH_TIMEOUT(int(m_manager->snapshot(id)->state), int(DownloadState::Completed),
                              60'000);

    QByteArray stored;
    QVERIFY(await(m_client->getObject(kBucket, u"ours/resume.bin"_s),
                  [&](s3::Reply *r) { stored = r->body; }));
    QCOMPARE(test::sha256Hex(stored), test::sha256Hex(body));
    // Completed: the dialog, asked again, has nothing left to show.
    dialog->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isLoading(), 30'000);
    QCOMPARE(dialog->list()->topLevelItemCount(), 0);
    QCOMPARE(dialog->errorText(), QString());
}

void TestUnfinishedUploadsDialog::abort_confirmedRemovesTheUploadFromTheServer()
{
    openPanel();
    const QString first = startForeignUpload(u"theirs/keep.bin"_s, {1000});
    const QString doomed = startForeignUpload(u"theirs/doomed.bin"_s, {2000});
    QVERIFY(!first.isEmpty() && !doomed.isEmpty());
    UnfinishedUploadsDialog *dialog = openDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->list()->topLevelItemCount(), 2);

    // Cancelled: nothing happens.
    dialog->list()->setCurrentItem(dialog->list()->topLevelItem(dialog->rowOf(doomed)));
    QString question;
    answerConfirmation(false, &question);
    dialog->abortSelected();
    QVERIFY2(question.contains(u"theirs/doomed.bin"_s), qPrintable(question));
    QCOMPARE(dialog->list()->topLevelItemCount(), 2);

    QSignalSpy aborted(dialog, &UnfinishedUploadsDialog::aborted);
    answerConfirmation(true, &question);
    QTest::mouseClick(dialog->findChild<QPushButton *>(u"abortButton"_s), Qt::LeftButton);
    QVERIFY(aborted.wait(30'000));
    QCOMPARE(aborted.first().first().toString(), doomed);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isLoading() && dialog->rowOf(doomed) < 0, 30'000);
    QVERIFY(dialog->rowOf(first) >= 0);
    QCOMPARE(dialog->errorText(), QString());
    QList<s3::MultipartUpload> left;
    QVERIFY(
        await(m_client->listMultipartUploads(kBucket), [&](s3::Reply *r) { left = r->uploads; }));
    QCOMPARE(left.size(), 1);
    QCOMPARE(left.first().uploadId, first);
}

// A server that refuses the listing: the dialog says why and stays usable.
void TestUnfinishedUploadsDialog::listingError_isShownInTheDialog()
{
    if (!m_server)
        QSKIP(qPrintable(RgwServer::unavailableReason()));
    s3::Account a = m_client->account();
    const QString secret = u"wrong-Secret-for-this-test-0123456789"_s;
    s3::Client wrong(a, s3::Credentials{RgwServer::accessKey(), secret, {}});
    UnfinishedUploadsDialog dialog(&wrong, kBucket, nullptr);
    dialog.show();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isLoading(), 30'000);
    QVERIFY(!dialog.errorText().isEmpty());
    QVERIFY(!dialog.errorText().contains(secret));
    QCOMPARE(dialog.list()->topLevelItemCount(), 0);
    auto *refresh = dialog.findChild<QPushButton *>(u"refreshButton"_s);
    QVERIFY(refresh->isEnabled());
    QVERIFY(!dialog.findChild<QPushButton *>(u"abortButton"_s)->isEnabled());
}

QTEST_MAIN(TestUnfinishedUploadsDialog)
#include "tst_unfinisheduploadsdialog.moc"
