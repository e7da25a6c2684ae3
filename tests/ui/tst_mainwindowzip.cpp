// "Show Contents…" on a download in the list: the window reads the download's remote archive,
// and the entries ticked there become downloads of their own that arrive byte-exact.
#include "mainwindowfixture.h"
#include "transfermodel.h"
#include "zipcontentsdialog.h"

#include "ziparchivemakers.h"

#include <QCryptographicHash>
#include <QFile>
#include <QPushButton>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

class TestMainWindowZip final : public QObject
{
    Q_OBJECT

private slots:
    void showContentsOfADownload()
    {
        MainWindowFixture f;
        const QByteArray inner = deterministicBytes(3 * 1024 * 1024, 7);
        const QByteArray archive = test::zipread::ferryArchive(
            {{u"pack/inner.bin"_s, inner}, {u"pack/readme.txt"_s, "read me\n"}, {u"other.txt"_s, "x"}},
            false);
        Resource r;
        r.body = archive;
        r.etag = "\"pack-1\"";
        f.server.setResource(u"/pack.zip"_s, r);
        // A plain file that is no archive by name: no Show Contents for it.
        const DownloadId plain = f.add(u"/plain.bin"_s, 1000);
        QVERIFY(plain);
        DownloadRequest request;
        request.url = f.server.url(u"/pack.zip"_s);
        request.directory = f.out.path();
        request.startPaused = true;
        QString error;
        const DownloadId id = f.manager->add(request, &error);
        QVERIFY2(id, qPrintable(error));

        QAction *show = f.action(u"Show Contents…"_s);
        QVERIFY(show);
        QTRY_COMPARE(f.rows(), 2);
        const auto select = [&](DownloadId wanted) {
            for (int row = 0; row < f.rows(); ++row) {
                const QModelIndex index = f.view()->model()->index(row, 0);
                if (index.data(ui::TransferModel::IdRole).toLongLong() == wanted)
                    f.view()->selectRow(row);
            }
        };
        select(plain);
        QTRY_VERIFY(!show->isEnabled());
        select(id);
        QTRY_VERIFY(show->isEnabled());

        show->trigger();
        ui::ZipContentsDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = f.window->findChild<ui::ZipContentsDialog *>()) != nullptr);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isLoaded(), 20000);
        QCOMPARE(dialog->listing().entries.size(), 3);
        QTreeWidget *tree = dialog->tree();
        QTreeWidgetItem *pack = nullptr;
        for (int i = 0; i < tree->topLevelItemCount(); ++i) {
            if (tree->topLevelItem(i)->text(0) == u"pack"_s)
                pack = tree->topLevelItem(i);
        }
        QVERIFY(pack);
        pack->setCheckState(0, Qt::Checked);
        const QString target = f.out.filePath(u"entries"_s);
        dialog->setFolder(target);
        auto *download = dialog->findChild<QPushButton *>(u"zipContentsDownload"_s);
        QTRY_VERIFY(download->isEnabled());
        QTest::mouseClick(download, Qt::LeftButton);

        // Two new downloads, one per file of the ticked folder, under their folder.
        QTRY_COMPARE(f.rows(), 4);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(target + u"/pack/inner.bin"_s) &&
                                     QFile::exists(target + u"/pack/readme.txt"_s),
                                 20000);
        const auto bytesOf = [](const QString &path) {
            QFile file(path);
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        };
        QTRY_COMPARE_WITH_TIMEOUT(bytesOf(target + u"/pack/inner.bin"_s).size(), inner.size(), 20000);
        QCOMPARE(QCryptographicHash::hash(bytesOf(target + u"/pack/inner.bin"_s), QCryptographicHash::Sha256),
                 QCryptographicHash::hash(inner, QCryptographicHash::Sha256));
        QCOMPARE(bytesOf(target + u"/pack/readme.txt"_s), QByteArray("read me\n"));
        QVERIFY(!QFile::exists(target + u"/other.txt"_s));
        // The archive itself was never downloaded.
        QCOMPARE(f.manager->snapshot(id)->state, DownloadState::Paused);
        QVERIFY(!QFile::exists(f.out.filePath(u"pack.zip"_s)));
    }

    // An archive without a ZIP name is told by its bytes once some of them are on disk.
    void anArchiveByItsBytes()
    {
        MainWindowFixture f;
        Resource r;
        r.body = test::zipread::ferryArchive({{u"a.txt"_s, "a"}}, false);
        r.etag = "\"b\"";
        f.server.setResource(u"/fetch"_s, r);
        DownloadRequest request;
        request.url = f.server.url(u"/fetch"_s);
        request.directory = f.out.path();
        request.fileName = u"export"_s;
        QString error;
        const DownloadId id = f.manager->add(request, &error);
        QVERIFY2(id, qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(f.manager->snapshot(id)->state, DownloadState::Completed, 20000);
        QTRY_COMPARE(f.rows(), 1);
        f.view()->selectRow(0);
        QAction *show = f.action(u"Show Contents…"_s);
        QTRY_VERIFY(show->isEnabled());
    }
};

QTEST_MAIN(TestMainWindowZip)
#include "tst_mainwindowzip.moc"
