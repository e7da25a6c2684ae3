#include "s3objectmodel.h"
#include "s3panel.h"

#include "api/downloadmanager.h"
#include "api/s3transfers.h"
#include "s3/accountstore.h"
#include "s3/credentialstore.h"
#include "s3/s3client.h"

#include "cannedlistserver.h"

#include <QLineEdit>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::ui;
using ferry::test::CannedListServer;

namespace {

constexpr int kObjects = 100'000;
constexpr int kPages = kObjects / 1000;

} // namespace

// A folder of 100,000 objects in the S3 browser: listed one page of 1,000 at a time, only as
// the user scrolls, until the very last object.
class TestS3ObjectModelLarge final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void open_asksForOnePageAndShowsAThousandRows();
    void fetchMore_reachesEveryObjectOnePageAtATime();
    void scrolling_loadsEachPageOnceUntilTheLastObject_filterFindsALateKey();

private:
    std::unique_ptr<CannedListServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<s3::AccountStore> m_accounts;
    std::unique_ptr<s3::CredentialStore> m_credentials;
    std::unique_ptr<DownloadManager> m_manager;
    std::unique_ptr<S3Transfers> m_transfers;
    std::unique_ptr<S3Panel> m_panel;
};

void TestS3ObjectModelLarge::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    CannedListServer::Options options;
    options.objectCount = kObjects;
    m_server = std::make_unique<CannedListServer>(options);
    QVERIFY(m_server->isListening());
}

// The panel with the endpoint's account open at the bucket's root (one folder, "big").
void TestS3ObjectModelLarge::init()
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
    m_panel->resize(700, 500);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));

    s3::Account account;
    account.name = u"Large"_s;
    account.endpoint = m_server->endpoint();
    account.pathStyle = true;
    QCOMPARE(m_accounts->add(account), QString());
    bool saved = false;
    m_credentials->save(account, {u"AKIDLARGE"_s, u"secret"_s, {}},
                        [&](s3::CredentialStore::SaveOutcome, const QString &) { saved = true; });
    QTRY_VERIFY(saved);
    m_panel->openAccount(account.id);
    QTRY_VERIFY_WITH_TIMEOUT(
        m_panel->bucket() == m_server->options().bucket && m_panel->model()->isComplete(), 10'000);
    QCOMPARE(m_panel->model()->rowCount(), 1);
    QCOMPARE(m_panel->model()->keyAt(0), m_server->options().prefix);
    m_server->resetCounters();
}

void TestS3ObjectModelLarge::cleanup()
{
    m_panel.reset();
    m_transfers.reset();
    m_manager.reset();
    m_credentials.reset();
    m_accounts.reset();
    m_dir.reset();
}

void TestS3ObjectModelLarge::open_asksForOnePageAndShowsAThousandRows()
{
    S3ObjectModel *model = m_panel->model();
    QTableView *view = m_panel->view();
    QSignalSpy pages(model, &S3ObjectModel::pageLoaded);
    m_panel->openPrefix(m_server->options().prefix);
    QVERIFY(pages.wait(10'000));
    // Let the view lay out and paint the page: its bottom is far below, so it wants no more.
    view->viewport()->repaint();
    QCoreApplication::processEvents();
    QVERIFY(!model->isLoading());
    QCOMPARE(m_server->listRequests(), 1);
    QCOMPARE(pages.count(), 1);
    QCOMPARE(view->model()->rowCount(), 1000);
    QCOMPARE(view->model()->index(0, S3ObjectModel::Name).data().toString(), m_server->name(0));
    QCOMPARE(view->model()->index(999, S3ObjectModel::Name).data().toString(), m_server->name(999));
    QCOMPARE(view->indexAt(QPoint(1, 1)).row(), 0);
    QVERIFY(m_panel->statusText().contains(u"1000 object"_s));
    QVERIFY(m_panel->statusText().contains(u"scroll down for more"_s));
}

void TestS3ObjectModelLarge::fetchMore_reachesEveryObjectOnePageAtATime()
{
    // The model on its own, pulled the way a view pulls it.
    S3ObjectModel model;
    s3::Account account;
    account.endpoint = m_server->endpoint();
    account.pathStyle = true;
    s3::Client client(account, {u"AKIDLARGE"_s, u"secret"_s, {}});
    model.setLocation(&client, m_server->options().bucket, m_server->options().prefix);
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 10'000);
    QCOMPARE(model.rowCount(), 1000);
    QSignalSpy pages(&model, &S3ObjectModel::pageLoaded);
    for (int page = 2; model.canFetchMore({}); ++page) {
        model.fetchMore({});
        QVERIFY(model.isLoading());
        QVERIFY(!model.canFetchMore({})); // one page at a time
        model.fetchMore({});
        QVERIFY(pages.wait(10'000));
        QVERIFY(!model.isLoading());
        QCOMPARE(model.rowCount(), page * 1000);
        QVERIFY(page <= kPages);
    }
    QVERIFY(model.isComplete());
    QVERIFY(!model.lastError().isError());
    QCOMPARE(model.objectCount(), kObjects);
    QCOMPARE(model.folderCount(), 0);
    QCOMPARE(model.keyAt(kObjects - 1), m_server->key(kObjects - 1));
    QCOMPARE(
        model.index(kObjects - 1, S3ObjectModel::Size).data(S3ObjectModel::SizeRole).toLongLong(),
        CannedListServer::sizeAt(kObjects - 1));
    QCOMPARE(model.index(kObjects - 1, S3ObjectModel::Modified)
                 .data(S3ObjectModel::ModifiedRole)
                 .toDateTime(),
             CannedListServer::lastModifiedAt(kObjects - 1));

    QCOMPARE(m_server->listRequests(), kPages);
    const QStringList tokens = m_server->continuationTokens();
    QCOMPARE(QSet<QString>(tokens.begin(), tokens.end()).size(), kPages);
    QCOMPARE(m_server->maxConcurrentListRequests(), 1);

    // The panel's proxy over all of them: sorted by size, the largest object comes first, and
    // the name filter finds one late object.
    S3ObjectFilterProxy proxy;
    proxy.setSourceModel(&model);
    proxy.sort(S3ObjectModel::Size, Qt::DescendingOrder);
    int largest = 0;
    for (int i = 1; i < kObjects; ++i) {
        if (CannedListServer::sizeAt(i) > CannedListServer::sizeAt(largest))
            largest = i;
    }
    QCOMPARE(proxy.index(0, S3ObjectModel::Size).data(S3ObjectModel::SizeRole).toLongLong(),
             CannedListServer::sizeAt(largest));
    QVERIFY(proxy.index(0, 0).data(S3ObjectModel::SizeRole).toLongLong() >=
            proxy.index(1, 0).data(S3ObjectModel::SizeRole).toLongLong());
    proxy.setNameFilter(m_server->name(kObjects - 2).toUpper());
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data(S3ObjectModel::KeyRole).toString(),
             m_server->key(kObjects - 2));
    proxy.setNameFilter({});
    QCOMPARE(proxy.rowCount(), kObjects);
}

void TestS3ObjectModelLarge::scrolling_loadsEachPageOnceUntilTheLastObject_filterFindsALateKey()
{
    S3ObjectModel *model = m_panel->model();
    QTableView *view = m_panel->view();
    auto *filter = m_panel->findChild<QLineEdit *>(u"s3Filter"_s);
    QVERIFY(filter);
    const QString lateName = m_server->name(98'765);
    m_panel->openPrefix(m_server->options().prefix);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->rowCount() == 1000, 10'000);

    // Not loaded yet: the filter shows nothing for it.
    QTest::keyClicks(filter, lateName);
    QCOMPARE(view->model()->rowCount(), 0);
    filter->clear();
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), 10'000);
    const int loadedBeforeScrolling = model->rowCount();
    const int requestsBeforeScrolling = m_server->listRequests();

    // Drag the scroll bar to the end, again and again, as a user does to reach the last object.
    QScrollBar *bar = view->verticalScrollBar();
    QSignalSpy pages(model, &S3ObjectModel::pageLoaded);
    int scrolls = 0;
    while (!model->isComplete()) {
        const int before = model->rowCount();
        const int requests = m_server->listRequests();
        // The view lays out the rows that arrived before the user can scroll past them.
        if (bar->value() == bar->maximum())
            QCoreApplication::processEvents();
        QTRY_VERIFY(bar->value() < bar->maximum());
        bar->setValue(bar->maximum());
        QVERIFY2(model->isLoading(), qPrintable(QString::number(before)));
        QVERIFY(pages.wait(10'000));
        QVERIFY(!model->isLoading());
        QCOMPARE(model->rowCount(), before + 1000);
        QCOMPARE(m_server->listRequests(), requests + 1);
        QVERIFY(++scrolls <= kPages);
    }
    QVERIFY(!model->lastError().isError());
    QCOMPARE(model->rowCount(), kObjects);
    QCOMPARE(scrolls, (kObjects - loadedBeforeScrolling) / 1000);
    QCOMPARE(m_server->listRequests(), requestsBeforeScrolling + scrolls);
    QCOMPARE(m_server->listRequests(), kPages);
    const QStringList tokens = m_server->continuationTokens();
    QCOMPARE(QSet<QString>(tokens.begin(), tokens.end()).size(), kPages);
    QCOMPARE(m_server->maxConcurrentListRequests(), 1);

    // The last row is on screen, with the last object's name and size.
    const int lastRow = view->model()->rowCount() - 1;
    const auto lastRowShown = [&] {
        bar->setValue(bar->maximum()); // again once the view has laid out the last page
        const QRect rect = view->visualRect(view->model()->index(lastRow, 0));
        return rect.isValid() && view->viewport()->rect().contains(rect);
    };
    QTRY_VERIFY(lastRowShown());
    QCOMPARE(view->model()->index(lastRow, S3ObjectModel::Name).data().toString(),
             m_server->name(kObjects - 1));
    QCOMPARE(view->model()
                 ->index(lastRow, S3ObjectModel::Size)
                 .data(S3ObjectModel::SizeRole)
                 .toLongLong(),
             CannedListServer::sizeAt(kObjects - 1));
    QVERIFY(!m_panel->statusText().contains(u"scroll down"_s));

    // Now the filter finds the late object, and clearing it brings every row back.
    QTest::keyClicks(filter, lateName);
    QCOMPARE(view->model()->rowCount(), 1);
    QCOMPARE(view->model()->index(0, S3ObjectModel::Name).data().toString(), lateName);
    QCOMPARE(
        view->model()->index(0, S3ObjectModel::Size).data(S3ObjectModel::SizeRole).toLongLong(),
        CannedListServer::sizeAt(98'765));
    filter->clear();
    QCOMPARE(view->model()->rowCount(), kObjects);
    QCOMPARE(m_server->listRequests(), kPages);
}

QTEST_MAIN(TestS3ObjectModelLarge)
#include "tst_s3objectmodel_large.moc"
