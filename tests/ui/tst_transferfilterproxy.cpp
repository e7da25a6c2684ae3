#include "transferfilterproxy.h"
#include "transfermodel.h"

#include <QAbstractItemModelTester>
#include <QStandardItemModel>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::ui;

using StateFilter = TransferFilterProxy::StateFilter;

namespace {

DownloadSnapshot snapshotFor(DownloadId id, const QString &fileName, DownloadState state,
                             const QString &host, qint64 total = 1000)
{
    DownloadSnapshot s;
    s.id = id;
    s.fileName = fileName;
    s.url = QUrl(u"https://%1/files/%2"_s.arg(host, fileName));
    s.state = state;
    s.total = total;
    s.added = QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC).addDays(id);
    return s;
}

QList<DownloadSnapshot> fixture()
{
    return {
        snapshotFor(1, u"report.pdf"_s, DownloadState::Downloading, u"docs.example.com"_s,
                    9 * 1024 * 1024),
        snapshotFor(2, u"movie.mkv"_s, DownloadState::Verifying, u"cdn.example.com"_s,
                    10LL * 1024 * 1024 * 1024),
        snapshotFor(3, u"song.mp3"_s, DownloadState::Queued, u"cdn.example.com"_s, 500),
        snapshotFor(4, u"backup.zip"_s, DownloadState::Completed, u"files.example.net"_s),
        snapshotFor(5, u"setup.exe"_s, DownloadState::Failed, u"files.example.net"_s),
        snapshotFor(6, u"notes.txt"_s, DownloadState::Paused, u"docs.example.com"_s),
        snapshotFor(7, u"Holiday.MP4"_s, DownloadState::Completed, u"media.example.org"_s),
        snapshotFor(8, u"README"_s, DownloadState::Queued, u"git.example.com"_s),
    };
}

QStringList visibleNames(const QAbstractItemModel &model)
{
    QStringList names;
    for (int row = 0; row < model.rowCount(); ++row)
        names.append(model.index(row, TransferModel::Name).data().toString());
    return names;
}

} // namespace

class TestTransferFilterProxy final : public QObject
{
    Q_OBJECT
private slots:
    void filterAcceptsRow_matchesStateCategoryAndSearch_data()
    {
        QTest::addColumn<StateFilter>("state");
        QTest::addColumn<int>("category"); // -1: every category
        QTest::addColumn<QString>("search");
        QTest::addColumn<QStringList>("expected");

        const int all = -1;
        QTest::newRow("everything")
            << StateFilter::All << all << QString()
            << QStringList{u"backup.zip"_s, u"Holiday.MP4"_s, u"movie.mkv"_s, u"notes.txt"_s,
                           u"README"_s,     u"report.pdf"_s,  u"setup.exe"_s, u"song.mp3"_s};
        QTest::newRow("active is downloading and verifying")
            << StateFilter::Active << all << QString()
            << QStringList{u"movie.mkv"_s, u"report.pdf"_s};
        QTest::newRow("queued") << StateFilter::Queued << all << QString()
                                << QStringList{u"README"_s, u"song.mp3"_s};
        QTest::newRow("completed") << StateFilter::Completed << all << QString()
                                   << QStringList{u"backup.zip"_s, u"Holiday.MP4"_s};
        QTest::newRow("failed") << StateFilter::Failed << all << QString()
                                << QStringList{u"setup.exe"_s};
        QTest::newRow("paused") << StateFilter::Paused << all << QString()
                                << QStringList{u"notes.txt"_s};
        QTest::newRow("documents") << StateFilter::All << int(Category::Documents) << QString()
                                   << QStringList{u"notes.txt"_s, u"report.pdf"_s};
        QTest::newRow("video, suffix in capitals")
            << StateFilter::All << int(Category::Video) << QString()
            << QStringList{u"Holiday.MP4"_s, u"movie.mkv"_s};
        QTest::newRow("other") << StateFilter::All << int(Category::Other) << QString()
                               << QStringList{u"README"_s};
        QTest::newRow("search ignores case")
            << StateFilter::All << all << u"HOLIDAY"_s << QStringList{u"Holiday.MP4"_s};
        QTest::newRow("search matches the URL") << StateFilter::All << all << u"docs.example"_s
                                                << QStringList{u"notes.txt"_s, u"report.pdf"_s};
        QTest::newRow("search is trimmed")
            << StateFilter::All << all << u"  song "_s << QStringList{u"song.mp3"_s};
        QTest::newRow("search without a match")
            << StateFilter::All << all << u"nothing-like-this"_s << QStringList{};
        QTest::newRow("completed video") << StateFilter::Completed << int(Category::Video)
                                         << QString() << QStringList{u"Holiday.MP4"_s};
        QTest::newRow("active documents named rep")
            << StateFilter::Active << int(Category::Documents) << u"rep"_s
            << QStringList{u"report.pdf"_s};
        QTest::newRow("paused video")
            << StateFilter::Paused << int(Category::Video) << QString() << QStringList{};
        QTest::newRow("queued on one host")
            << StateFilter::Queued << all << u"cdn.example.com"_s << QStringList{u"song.mp3"_s};
    }

    void filterAcceptsRow_matchesStateCategoryAndSearch()
    {
        QFETCH(StateFilter, state);
        QFETCH(int, category);
        QFETCH(QString, search);
        QFETCH(QStringList, expected);

        TransferModel model;
        TransferFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        proxy.setSourceModel(&model);
        model.resetTo(fixture());
        proxy.setStateFilter(state);
        proxy.setCategoryFilter(category < 0 ? std::nullopt
                                             : std::optional<Category>(Category(category)));
        proxy.setSearchText(search);
        proxy.sort(TransferModel::Name);
        QCOMPARE(visibleNames(proxy), expected);

        // Back to no filter at all, everything returns.
        proxy.setStateFilter(StateFilter::All);
        proxy.setCategoryFilter(std::nullopt);
        proxy.setSearchText({});
        QCOMPARE(proxy.rowCount(), int(fixture().size()));
    }

    void filterAcceptsRow_followsUpdatesFromTheModel()
    {
        TransferModel model;
        TransferFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        proxy.setSourceModel(&model);
        model.resetTo(fixture());
        proxy.setStateFilter(StateFilter::Failed);
        QCOMPARE(visibleNames(proxy), QStringList{u"setup.exe"_s});
        model.applySnapshots(
            {snapshotFor(6, u"notes.txt"_s, DownloadState::Failed, u"docs.example.com"_s)});
        proxy.sort(TransferModel::Name);
        QCOMPARE(visibleNames(proxy), (QStringList{u"notes.txt"_s, u"setup.exe"_s}));
        model.removeDownload(5);
        QCOMPARE(visibleNames(proxy), QStringList{u"notes.txt"_s});
    }

    void setters_refilterOnlyOnRealChange()
    {
        // A plain model whose data can be changed behind the proxy's back: if a setter
        // re-filtered, the silent change would show up.
        QStandardItemModel source(2, 1);
        const auto setRow = [&](int row, const QString &search) {
            QStandardItem *item = new QStandardItem(search);
            item->setData(int(DownloadState::Downloading), TransferModel::StateRole);
            item->setData(int(Category::Documents), TransferModel::CategoryRole);
            item->setData(search, TransferModel::SearchTextRole);
            source.setItem(row, 0, item);
        };
        setRow(0, u"alpha.pdf"_s);
        setRow(1, u"beta.pdf"_s);
        TransferFilterProxy proxy;
        proxy.setSourceModel(&source);
        proxy.setSearchText(u"alpha"_s);
        QCOMPARE(proxy.rowCount(), 1);

        source.blockSignals(true);
        source.item(1)->setData(u"alpha2.pdf"_s, TransferModel::SearchTextRole);
        source.item(1)->setData(int(DownloadState::Paused), TransferModel::StateRole);
        source.blockSignals(false);

        proxy.setSearchText(u" ALPHA "_s); // the same search once normalized
        proxy.setStateFilter(StateFilter::All);
        proxy.setCategoryFilter(std::nullopt);
        QCOMPARE(proxy.rowCount(), 1);

        proxy.setSearchText(u"alph"_s);
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setStateFilter(StateFilter::Active);
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setCategoryFilter(Category::Audio);
        QCOMPARE(proxy.rowCount(), 0);
    }

    void sort_usesRawValuesNotText()
    {
        TransferModel model;
        TransferFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        proxy.setSourceModel(&model);
        model.resetTo(fixture().mid(0, 3)); // 9 MiB, 10 GiB, 500 bytes
        proxy.sort(TransferModel::Size, Qt::AscendingOrder);
        QCOMPARE(visibleNames(proxy),
                 (QStringList{u"song.mp3"_s, u"report.pdf"_s, u"movie.mkv"_s}));
        proxy.sort(TransferModel::Added, Qt::DescendingOrder);
        QCOMPARE(visibleNames(proxy),
                 (QStringList{u"song.mp3"_s, u"movie.mkv"_s, u"report.pdf"_s}));
        proxy.sort(TransferModel::Name, Qt::AscendingOrder);
        QCOMPARE(visibleNames(proxy),
                 (QStringList{u"movie.mkv"_s, u"report.pdf"_s, u"song.mp3"_s}));
    }
};

QTEST_MAIN(TestTransferFilterProxy)
#include "tst_transferfilterproxy.moc"
