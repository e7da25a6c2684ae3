// "Show Contents…" of a remote ZIP archive served by nginx: the tree it shows (folders, sizes,
// encrypted entries greyed with their reason), ticking and filtering, what it hands on to be
// downloaded, and the sentences it shows for an address that is no archive or is not there.
#include "zipcontentsdialog.h"

#include "nginxserver.h"
#include "ziparchivemakers.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::ui;
using ferry::test::NginxServer;

namespace {

// Sets the "encrypted" flag of `name` in the central directory, as a traditionally encrypted
// entry has it (the data itself is left as it is: it is never read).
void markEncrypted(QByteArray *archive, const QByteArray &name)
{
    for (qsizetype at = archive->indexOf("PK\x01\x02"); at >= 0;
         at = archive->indexOf("PK\x01\x02", at + 4)) {
        const int nameLength = quint8(archive->at(at + 28)) | quint8(archive->at(at + 29)) << 8;
        if (archive->mid(at + 46, nameLength) == name)
            (*archive)[at + 8] = char(archive->at(at + 8) | 0x01);
    }
}

QTreeWidgetItem *child(QTreeWidgetItem *parent, const QString &name)
{
    for (int i = 0; i < parent->childCount(); ++i) {
        if (parent->child(i)->text(0) == name)
            return parent->child(i);
    }
    return nullptr;
}

QTreeWidgetItem *top(QTreeWidget *tree, const QString &name)
{
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        if (tree->topLevelItem(i)->text(0) == name)
            return tree->topLevelItem(i);
    }
    return nullptr;
}

} // namespace

class TestZipContentsDialog final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<NginxServer> m_nginx;

    std::unique_ptr<ZipContentsDialog> open(const QString &path)
    {
        zipread::ArchiveSource source;
        source.url = m_nginx->url(path);
        auto dialog = std::make_unique<ZipContentsDialog>(source);
        dialog->setFolder(m_dir.filePath(u"out"_s));
        dialog->show();
        dialog->load();
        return dialog;
    }

    QString statusOf(ZipContentsDialog *dialog)
    {
        return dialog->findChild<QLabel *>(u"zipContentsStatus"_s)->text();
    }

private slots:
    void initTestCase()
    {
        if (NginxServer::binaryPath().isEmpty())
            QSKIP("nginx is not installed");
        QVERIFY(m_dir.isValid());
        QByteArray archive = test::zipread::ferryArchive(
            {{u"docs/a.txt"_s, QByteArray(1500, 'a')},
             {u"docs/b.txt"_s, QByteArray("bee\n").repeated(100)},
             {u"docs/deep/c.txt"_s, "c"},
             {u"top.txt"_s, "top level\n"},
             {u"secret.txt"_s, "hidden"},
             {u"数据/报告.csv"_s, "a,b\n1,2\n"}},
            false);
        markEncrypted(&archive, "secret.txt");
        QFile zip(m_dir.filePath(u"bundle.zip"_s));
        QVERIFY(zip.open(QIODevice::WriteOnly) && zip.write(archive) == archive.size());
        zip.close();
        QFile plain(m_dir.filePath(u"notes.zip"_s));
        QVERIFY(plain.open(QIODevice::WriteOnly) && plain.write(QByteArray(5000, 'x')) == 5000);
        plain.close();
        const QByteArray many = test::zipread::manyEntriesArchive(1001);
        QFile manyFile(m_dir.filePath(u"many.zip"_s));
        QVERIFY(manyFile.open(QIODevice::WriteOnly) && manyFile.write(many) == many.size());
        manyFile.close();
        m_nginx = std::make_unique<NginxServer>(m_dir.path());
        QString error;
        QVERIFY2(m_nginx->start(&error), qPrintable(error));
    }

    void showsTheTree()
    {
        auto dialog = open(u"/bundle.zip"_s);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isLoaded(), 20000);
        QCOMPARE(dialog->windowTitle(), u"Contents of bundle.zip"_s);
        QTreeWidget *tree = dialog->tree();
        QTreeWidgetItem *docs = top(tree, u"docs"_s);
        QVERIFY(docs);
        QVERIFY(top(tree, u"top.txt"_s));
        QVERIFY(top(tree, u"数据"_s));
        QVERIFY(child(top(tree, u"数据"_s), u"报告.csv"_s));
        QTreeWidgetItem *a = child(docs, u"a.txt"_s);
        QVERIFY(a);
        QCOMPARE(a->text(ZipContentsDialog::Size), formatSizeText(1500));
        QVERIFY(child(child(docs, u"deep"_s), u"c.txt"_s));
        // A folder shows the sum of what is in it, all levels down.
        QCOMPARE(docs->text(ZipContentsDialog::Size), formatSizeText(1500 + 400 + 1));
        // Folders first, then files by name.
        QCOMPARE(tree->topLevelItem(0)->text(0), u"docs"_s);

        QTreeWidgetItem *secret = top(tree, u"secret.txt"_s);
        QVERIFY(secret);
        QCOMPARE(secret->text(ZipContentsDialog::Encrypted), u"Encrypted"_s);
        QVERIFY(!(secret->flags() & Qt::ItemIsUserCheckable));
        QVERIFY(!(secret->flags() & Qt::ItemIsEnabled));
        QVERIFY2(secret->toolTip(0).contains(u"encrypted"_s), qPrintable(secret->toolTip(0)));

        QVERIFY2(statusOf(dialog.get()).startsWith(u"6 file"_s), qPrintable(statusOf(dialog.get())));
        QCOMPARE(dialog->listing().entries.size(), 6);
        QVERIFY(!dialog->listing().etag.isEmpty()); // nginx's ETag: what entries are checked against
        QVERIFY(dialog->listing().centralDirectoryOffset > 0);
    }

    void tickingAFolderChoosesWhatIsInIt()
    {
        auto dialog = open(u"/bundle.zip"_s);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isLoaded(), 20000);
        auto *download = dialog->findChild<QPushButton *>(u"zipContentsDownload"_s);
        QVERIFY(!download->isEnabled());

        QTreeWidgetItem *docs = top(dialog->tree(), u"docs"_s);
        docs->setCheckState(0, Qt::Checked);
        QTRY_VERIFY(download->isEnabled());
        QStringList names;
        for (qsizetype i : dialog->chosenEntries())
            names.append(dialog->listing().entries.at(i).name);
        names.sort();
        QCOMPARE(names, (QStringList{u"docs/a.txt"_s, u"docs/b.txt"_s, u"docs/deep/c.txt"_s}));
        QVERIFY2(dialog->findChild<QLabel *>(u"zipContentsSelection"_s)->text().startsWith(u"3 file"_s),
                 qPrintable(dialog->findChild<QLabel *>(u"zipContentsSelection"_s)->text()));

        // Unticking one file leaves the folder partly ticked.
        child(docs, u"b.txt"_s)->setCheckState(0, Qt::Unchecked);
        QCOMPARE(docs->checkState(0), Qt::PartiallyChecked);
        top(dialog->tree(), u"top.txt"_s)->setCheckState(0, Qt::Checked);

        QList<qsizetype> handed;
        QString handedFolder;
        qsizetype listed = 0;
        dialog->setDownloader([&](const zipread::ArchiveListing &listing, const QList<qsizetype> &chosen,
                                  const QString &folder, QString *message) {
            listed = listing.entries.size();
            handed = chosen;
            handedFolder = folder;
            *message = u"one was left out"_s;
            return int(chosen.size());
        });
        QSignalSpy queued(dialog.get(), &ZipContentsDialog::entriesQueued);
        QTRY_VERIFY(download->isEnabled());
        QTest::mouseClick(download, Qt::LeftButton);
        QCOMPARE(queued.size(), 1);
        QCOMPARE(listed, 6);
        QCOMPARE(queued.first().at(0).toInt(), 3);
        QCOMPARE(queued.first().at(1).toString(), u"one was left out"_s);
        names.clear();
        for (qsizetype i : handed)
            names.append(dialog->listing().entries.at(i).name);
        names.sort();
        QCOMPARE(names, (QStringList{u"docs/a.txt"_s, u"docs/deep/c.txt"_s, u"top.txt"_s}));
        QCOMPARE(handedFolder, m_dir.filePath(u"out"_s));
        QVERIFY(QFileInfo(handedFolder).isDir()); // made for the downloads
        QCOMPARE(dialog->result(), int(QDialog::Accepted));
    }

    void filterShowsMatchesAndTheirFolders()
    {
        auto dialog = open(u"/bundle.zip"_s);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isLoaded(), 20000);
        dialog->findChild<QLineEdit *>(u"zipContentsFilter"_s)->setText(u"c.t"_s);
        QTreeWidgetItem *docs = top(dialog->tree(), u"docs"_s);
        QVERIFY(!docs->isHidden());
        QVERIFY(child(docs, u"a.txt"_s)->isHidden());
        QVERIFY(!child(child(docs, u"deep"_s), u"c.txt"_s)->isHidden());
        QVERIFY(top(dialog->tree(), u"top.txt"_s)->isHidden());
        dialog->findChild<QLineEdit *>(u"zipContentsFilter"_s)->clear();
        QVERIFY(!top(dialog->tree(), u"top.txt"_s)->isHidden());
    }

    void notAnArchiveSaysSo()
    {
        auto dialog = open(u"/notes.zip"_s);
        QSignalSpy loaded(dialog.get(), &ZipContentsDialog::loaded);
        QVERIFY(loaded.wait(20000));
        QCOMPARE(loaded.first().at(0).toBool(), false);
        QVERIFY2(statusOf(dialog.get()).contains(u"This is not a ZIP archive"_s), qPrintable(statusOf(dialog.get())));
        QVERIFY(dialog->findChild<QPushButton *>(u"zipContentsDownload"_s)->isEnabled() == false);
        QVERIFY(dialog->tree()->topLevelItemCount() == 0);
    }

    void missingArchiveCanBeTriedAgain()
    {
        auto dialog = open(u"/later.zip"_s);
        QSignalSpy loaded(dialog.get(), &ZipContentsDialog::loaded);
        QVERIFY(loaded.wait(20000));
        QCOMPARE(loaded.first().at(0).toBool(), false);
        QVERIFY2(statusOf(dialog.get()).contains(u"404"_s), qPrintable(statusOf(dialog.get())));
        auto *retry = dialog->findChild<QPushButton *>(u"zipContentsRetry"_s);
        QVERIFY(retry && retry->isVisible());
        // The archive appears; trying again lists it.
        QVERIFY(QFile::copy(m_dir.filePath(u"bundle.zip"_s), m_dir.filePath(u"later.zip"_s)));
        QTest::mouseClick(retry, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isLoaded(), 20000);
        QVERIFY(!retry->isVisible());
        QCOMPARE(dialog->listing().entries.size(), 6);
    }

    void tooManyFilesAreRefused()
    {
        auto dialog = open(u"/many.zip"_s);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isLoaded(), 20000);
        int calls = 0;
        dialog->setDownloader([&](const zipread::ArchiveListing &, const QList<qsizetype> &, const QString &,
                                  QString *) { return ++calls; });
        dialog->tree()->topLevelItem(0)->setCheckState(0, Qt::Checked);
        auto *download = dialog->findChild<QPushButton *>(u"zipContentsDownload"_s);
        QTRY_VERIFY(download->isEnabled());
        QCOMPARE(dialog->chosenEntries().size(), 1001);
        QTest::mouseClick(download, Qt::LeftButton);
        QCOMPARE(calls, 0);
        const QString text = dialog->findChild<QLabel *>(u"zipContentsSelection"_s)->text();
        QVERIFY2(text.startsWith(u"At most 1,000 files"_s), qPrintable(text));
        QVERIFY(dialog->isVisible());
    }

private:
    static QString formatSizeText(qint64 bytes);
};

#include "format.h"

QString TestZipContentsDialog::formatSizeText(qint64 bytes)
{
    return formatSize(bytes);
}

QTEST_MAIN(TestZipContentsDialog)
#include "tst_zipcontentsdialog.moc"
