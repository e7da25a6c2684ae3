// File → Import List… / Export List… / Export Selection…: the files written, and an imported
// list reaching the add dialog and the queue.
#include "adddialog.h"
#include "mainwindowfixture.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QStandardPaths>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

class TestMainWindowLists final : public QObject
{
    Q_OBJECT

    static QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void export_wholeListAsTextAndJson_selectionOnlyWhenSelected()
    {
        MainWindowFixture f;
        f.manager->pauseAll();
        f.add(u"/a.bin"_s, 1024);
        f.add(u"/b.bin"_s, 1024);
        QTRY_COMPARE(f.rows(), 2);
        QString target = f.out.filePath(u"list.txt"_s);
        f.window->setListFileChooser([&](bool save) { return save ? target : QString(); });

        f.action(u"Export List…"_s)->trigger();
        const QList<QByteArray> lines = readFile(target).split('\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines.contains(f.server.url(u"/a.bin"_s).toString().toUtf8()));
        QVERIFY(lines.contains(f.server.url(u"/b.bin"_s).toString().toUtf8()));

        target = f.out.filePath(u"list.json"_s);
        f.action(u"Export List…"_s)->trigger();
        const QJsonArray json = QJsonDocument::fromJson(readFile(target)).array();
        QCOMPARE(json.size(), 2);
        QCOMPARE(json.at(0).toObject().value(u"folder"_s).toString(), f.out.path());

        // A header's name goes into the list, its value never does.
        DownloadRequest withCookie;
        withCookie.url = f.server.url(u"/c.bin"_s);
        withCookie.directory = f.out.path();
        withCookie.headers = {{"Cookie", "session=s3cr3t"}};
        withCookie.checksum = u"sha256="_s + QString(64, u'a');
        withCookie.startPaused = true;
        QString error;
        QVERIFY2(f.manager->add(withCookie, &error) != 0, qPrintable(error));
        QTRY_COMPARE(f.rows(), 3);
        f.action(u"Export List…"_s)->trigger();
        const QByteArray written = readFile(target);
        QVERIFY(!written.contains("s3cr3t"));
        bool found = false;
        for (const QJsonValue &entry : QJsonDocument::fromJson(written).array()) {
            const QJsonObject o = entry.toObject();
            if (!o.value(u"url"_s).toString().endsWith(u"/c.bin"_s))
                continue;
            found = true;
            QCOMPARE(o.value(u"headers"_s).toArray(), QJsonArray{u"Cookie"_s});
            QCOMPARE(o.value(u"checksum"_s).toString(), withCookie.checksum);
        }
        QVERIFY(found);
        f.view()->clearSelection();

        QAction *selection = f.action(u"Export Selection…"_s);
        QVERIFY(selection);
        f.view()->clearSelection();
        QTRY_VERIFY(!selection->isEnabled());
        f.view()->selectRow(1);
        QTRY_VERIFY(selection->isEnabled());
        target = f.out.filePath(u"one.txt"_s);
        selection->trigger();
        QCOMPARE(readFile(target).count('\n'), 1);
    }

    void import_opensAddDialogWithTheListAndSaysWhatItSkipped()
    {
        MainWindowFixture f;
        Resource r;
        r.body = QByteArray(2048, 'i');
        r.etag = "\"i\"";
        f.server.setResource(u"/i1.bin"_s, r);
        f.server.setResource(u"/i2.bin"_s, r);
        const QString listPath = f.out.filePath(u"in.txt"_s);
        QFile list(listPath);
        QVERIFY(list.open(QIODevice::WriteOnly));
        list.write(f.server.url(u"/i1.bin"_s).toString().toUtf8() + "\nnothing here\n" +
                   f.server.url(u"/i2.bin"_s).toString().toUtf8() + '\n');
        list.close();
        f.window->setListFileChooser([&](bool save) { return save ? QString() : listPath; });

        QString note;
        int listed = -1;
        ModalAnswerer answer([&](QWidget *modal) {
            auto *dialog = qobject_cast<ui::AddDialog *>(modal);
            if (!dialog) {
                modal->close();
                return;
            }
            note = dialog->findChild<QLabel *>(u"importNote"_s)->text();
            listed = int(dialog->requests().size());
            dialog->findChild<QPushButton *>(u"queueButton"_s)->click();
        });
        f.action(u"Import List…"_s)->trigger();
        QCOMPARE(answer.seen(), 1);
        QCOMPARE(listed, 2);
        QVERIFY2(note.contains(u"line 2: not an http or https address"_s), qPrintable(note));
        QTRY_COMPARE(f.rows(), 2);
    }
};

QTEST_MAIN(TestMainWindowLists)
#include "tst_mainwindowlists.moc"
