#include "s3mime.h"
#include "s3objectmodel.h"

#include "s3/s3client.h"

#include "rgwserver.h"

#include <QAbstractItemModelTester>
#include <QMimeData>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::ui;
using ferry::test::RgwServer;

namespace {

const QString kBucket = u"listing"_s;
constexpr int kObjects = 2500;

QString objectKey(int i)
{
    return u"many/obj-%1.txt"_s.arg(i, 5, 10, QLatin1Char('0'));
}

} // namespace

class TestS3ObjectModel final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void firstPage_showsFoldersAndFirstThousandAtOnce();
    void fetchMore_growsToEveryObjectOneRequestAtATime();
    void modelTester_passesWhilePagesArrive();
    void proxy_sortsFoldersFirstAndFiltersLoadedNames();
    void view_fetchesTheNextPageOnlyWhenScrolledToTheEnd();
    void mimeData_carriesSelectedKeysAndPrefixes();
    void setLocation_dropsTheAnswerForTheOldPrefix();

private:
    void waitForPage(S3ObjectModel &model);

    RgwServer *m_server = nullptr;
    std::unique_ptr<s3::Client> m_client;
};

void TestS3ObjectModel::initTestCase()
{
    if (const QString why = RgwServer::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    m_server = &RgwServer::shared();
    m_server->addBucket(kBucket);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error + m_server->output()));
    s3::Account account;
    account.id = u"acct-1"_s;
    account.name = u"Local"_s;
    account.endpoint = m_server->endpoint();
    account.pathStyle = true;
    m_client = std::make_unique<s3::Client>(
        account, s3::Credentials{RgwServer::accessKey(), RgwServer::secretKey(), {}});

    // 2,500 objects plus three folders, put 32 at a time: enough parallelism to be quick,
    // bounded so the server is not flooded.
    QStringList keys;
    for (int i = 0; i < kObjects; ++i)
        keys.append(objectKey(i));
    for (const QString &folder : {u"a-folder"_s, u"b-folder"_s, u"c-folder"_s})
        keys.append(u"many/%1/inside.txt"_s.arg(folder));
    int next = 0;
    int running = 0;
    int failed = 0;
    std::function<void()> pump = [&] {
        while (running < 32 && next < keys.size()) {
            const QString key = keys.at(next++);
            s3::Reply *r = m_client->putObject(kBucket, key, QByteArray(next % 7, 'x'));
            ++running;
            connect(r, &s3::Reply::finished, this, [&, r] {
                --running;
                failed += r->error.isError() ? 1 : 0;
                pump();
            });
        }
    };
    pump();
    QVERIFY(QTest::qWaitFor([&] { return next == keys.size() && running == 0; }, 240'000));
    QCOMPARE(failed, 0);
}

void TestS3ObjectModel::waitForPage(S3ObjectModel &model)
{
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 30'000);
}

void TestS3ObjectModel::firstPage_showsFoldersAndFirstThousandAtOnce()
{
    // No model tester here: it calls fetchMore() after every insertion, like a view whose
    // viewport is never full, and would pull all pages.
    S3ObjectModel model;
    QSignalSpy pages(&model, &S3ObjectModel::pageLoaded);
    model.setLocation(m_client.get(), kBucket, u"many/"_s);
    QVERIFY(model.isLoading());
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(pages.wait(30'000));
    QCOMPARE(pages.count(), 1);
    QVERIFY2(!model.lastError().isError(), qPrintable(model.lastError().message));
    // S3 counts folders and keys together towards a page's 1,000.
    QCOMPARE(model.folderCount(), 3);
    QVERIFY2(model.objectCount() >= 997 && model.objectCount() <= 1000,
             qPrintable(QString::number(model.objectCount())));
    QVERIFY(model.canFetchMore({}));
    QVERIFY(!model.isComplete());

    QCOMPARE(model.index(0, S3ObjectModel::Name).data().toString(), u"a-folder"_s);
    QVERIFY(model.index(0, 0).data(S3ObjectModel::IsFolderRole).toBool());
    QCOMPARE(model.index(0, 0).data(S3ObjectModel::KeyRole).toString(), u"many/a-folder/"_s);
    QCOMPARE(model.index(2, 0).data(S3ObjectModel::KeyRole).toString(), u"many/c-folder/"_s);
    const QModelIndex first = model.index(3, S3ObjectModel::Name);
    QCOMPARE(first.data().toString(), u"obj-00000.txt"_s);
    QCOMPARE(first.data(S3ObjectModel::KeyRole).toString(), objectKey(0));
    QCOMPARE(model.index(3, S3ObjectModel::Size).data(S3ObjectModel::SortRole).toLongLong(), 1);
    QVERIFY(model.index(3, S3ObjectModel::Modified)
                .data(S3ObjectModel::ModifiedRole)
                .toDateTime()
                .isValid());
    QVERIFY(model.index(3, S3ObjectModel::Modified).data().toString().size() > 1);
    QCOMPARE(model.index(0, S3ObjectModel::Size).data(S3ObjectModel::SizeRole).toLongLong(), -1);
}

void TestS3ObjectModel::fetchMore_growsToEveryObjectOneRequestAtATime()
{
    S3ObjectModel model;
    model.setLocation(m_client.get(), kBucket, u"many/"_s);
    waitForPage(model);
    int rounds = 0;
    while (model.canFetchMore({})) {
        const int before = model.rowCount();
        model.fetchMore({});
        QVERIFY(model.isLoading());
        // A second pull while one page is on its way asks for nothing more.
        QVERIFY(!model.canFetchMore({}));
        model.fetchMore({});
        waitForPage(model);
        QVERIFY(model.rowCount() > before);
        QVERIFY(++rounds < 10);
    }
    QVERIFY(model.isComplete());
    QCOMPARE(rounds, 2);
    QCOMPARE(model.objectCount(), kObjects);
    QCOMPARE(model.folderCount(), 3);
    QCOMPARE(model.rowCount(), kObjects + 3);
    QSet<QString> keys;
    for (int row = 3; row < model.rowCount(); ++row)
        keys.insert(model.keyAt(row));
    QCOMPARE(keys.size(), kObjects);
    QVERIFY(keys.contains(objectKey(kObjects - 1)));
}

void TestS3ObjectModel::modelTester_passesWhilePagesArrive()
{
    S3ObjectModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy pages(&model, &S3ObjectModel::pageLoaded);
    model.setLocation(m_client.get(), kBucket, u"many/"_s);
    // The tester pulls each next page itself, through canFetchMore()/fetchMore().
    QTRY_VERIFY_WITH_TIMEOUT(model.isComplete(), 60'000);
    QCOMPARE(pages.count(), 3);
    QCOMPARE(model.rowCount(), kObjects + 3);
    model.refresh();
    QCOMPARE(model.rowCount(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(model.isComplete(), 60'000);
    QCOMPARE(model.rowCount(), kObjects + 3);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestS3ObjectModel::proxy_sortsFoldersFirstAndFiltersLoadedNames()
{
    S3ObjectModel model;
    S3ObjectFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLocation(m_client.get(), kBucket, u"many/"_s);
    QTRY_VERIFY_WITH_TIMEOUT(model.isComplete(), 60'000);
    proxy.sort(S3ObjectModel::Size, Qt::DescendingOrder);
    for (int row = 0; row < 3; ++row)
        QVERIFY(proxy.index(row, 0).data(S3ObjectModel::IsFolderRole).toBool());
    QCOMPARE(proxy.index(3, S3ObjectModel::Size).data(S3ObjectModel::SizeRole).toLongLong(), 6);
    proxy.setFilterFixedString(u"OBJ-0001"_s);
    QCOMPARE(proxy.rowCount(), 10); // obj-00010 .. obj-00019, case-insensitively
    proxy.setFilterFixedString(u"b-fold"_s);
    QCOMPARE(proxy.rowCount(), 1);
}

void TestS3ObjectModel::view_fetchesTheNextPageOnlyWhenScrolledToTheEnd()
{
    S3ObjectModel model;
    S3ObjectFilterProxy proxy;
    proxy.setSourceModel(&model);
    QTableView view;
    view.setModel(&proxy);
    view.resize(400, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy pages(&model, &S3ObjectModel::pageLoaded);
    model.setLocation(m_client.get(), kBucket, u"many/"_s);
    QVERIFY(pages.wait(30'000));
    // The view has laid out the first page and its bottom is far away: nothing more is asked.
    QCoreApplication::processEvents();
    QVERIFY(!model.isLoading());
    QVERIFY(model.objectCount() <= 1000);
    view.scrollToBottom();
    QTRY_VERIFY_WITH_TIMEOUT(model.objectCount() > 1000, 30'000);
    QVERIFY(model.objectCount() <= 2000);
}

void TestS3ObjectModel::mimeData_carriesSelectedKeysAndPrefixes()
{
    S3ObjectModel model;
    model.setLocation(m_client.get(), kBucket, u"many/"_s);
    waitForPage(model);
    QVERIFY(model.mimeTypes().contains(QString(s3ObjectsMimeType)));
    QVERIFY(model.flags(model.index(4, 0)).testFlag(Qt::ItemIsDragEnabled));
    // Whole rows are selected: every column of a row is passed in, yet each key appears once.
    QModelIndexList indexes;
    for (int row : {1, 3, 4})
        for (int column = 0; column < S3ObjectModel::ColumnCount; ++column)
            indexes.append(model.index(row, column));
    std::unique_ptr<QMimeData> mime(model.mimeData(indexes));
    QVERIFY(mime);
    const auto selection = s3SelectionFromMimeData(mime.get());
    QVERIFY(selection);
    QCOMPARE(selection->accountId, u"acct-1"_s);
    QCOMPARE(selection->bucket, kBucket);
    QCOMPARE(selection->prefixes, QStringList{u"many/b-folder/"_s});
    QCOMPARE(selection->objects.size(), 2);
    QCOMPARE(selection->objects.at(0).key, objectKey(0));
    QCOMPARE(selection->objects.at(1).key, objectKey(1));
    QCOMPARE(selection->objects.at(1).size, 2);
    QCOMPARE(
        mime->text(),
        u"s3://listing/many/b-folder/\ns3://listing/many/obj-00000.txt\ns3://listing/many/obj-00001.txt"_s);
}

void TestS3ObjectModel::setLocation_dropsTheAnswerForTheOldPrefix()
{
    S3ObjectModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLocation(m_client.get(), kBucket, u"many/"_s);
    model.setLocation(m_client.get(), kBucket, u"many/b-folder/"_s);
    waitForPage(model);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, 0).data().toString(), u"inside.txt"_s);
    QVERIFY(model.isComplete());
}

QTEST_MAIN(TestS3ObjectModel)
#include "tst_s3objectmodel.moc"
