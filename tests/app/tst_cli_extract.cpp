// `ferry-cli get --extract`: a download that is a ZIP archive is unpacked into a folder named
// after it, and a process killed with SIGKILL in the middle of unpacking leaves nothing under
// the final name; `resume` removes its hidden folder and unpacks again.
#include "api/downloadmanager.h"
#include "clifixture.h"
#include "ziparchivemakers.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry::test;

namespace {

// The entries of manyEntriesArchive(count): "n/00042.txt" holds "entry 42\n".
QString verifyMany(const QString &folder, int count)
{
    QStringList files;
    QDirIterator it(folder, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next().mid(folder.size() + 1));
    if (files.size() != count + 1) // and the folder "n"
        return u"%1 entries below %2, expected %3"_s.arg(files.size()).arg(folder).arg(count + 1);
    for (int i = 0; i < count; ++i) {
        QFile f(u"%1/n/%2.txt"_s.arg(folder).arg(i, 5, 10, QChar(u'0')));
        if (!f.open(QIODevice::ReadOnly))
            return u"missing: "_s + f.fileName();
        if (f.readAll() != QByteArray("entry ") + QByteArray::number(i) + '\n')
            return u"wrong content: "_s + f.fileName();
    }
    return {};
}

QStringList namesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

QRegularExpression extractedLine(int files, const QString &folder)
{
    // The plural is the English translation's; "file(s)" where the catalog lacks the line.
    return QRegularExpression(u"Extracted %1 file(s|\\(s\\)) into “%2”\\."_s.arg(files).arg(
        QRegularExpression::escape(folder)));
}

} // namespace

class TestCliExtract final : public CliFixture
{
    Q_OBJECT

private slots:
    void getExtract_unpacksIntoFolderAndKeepsArchive()
    {
        constexpr int count = 300;
        m_server->setResource(u"/files/many.zip"_s,
                              Resource{zipread::manyEntriesArchive(count), "\"many-v1\"", {}, {}});
        // A folder of that name is there already: it stays as it is.
        QVERIFY(QDir().mkpath(m_outDir + u"/many"_s));
        const CliResult r =
            runCli(getArgs(m_server->url(u"/files/many.zip"_s).toString(), {u"--extract"_s}));
        VERIFY_EXIT(r, 0);
        QVERIFY2(extractedLine(count, u"many (1)"_s).match(QString::fromUtf8(r.err)).hasMatch(),
                 qPrintable(r.describe()));
        QCOMPARE(namesIn(m_outDir), QStringList({u"many"_s, u"many (1)"_s, u"many.zip"_s}));
        QVERIFY(namesIn(m_outDir + u"/many"_s).isEmpty());
        const QString wrong = verifyMany(m_outDir + u"/many (1)"_s, count);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    }

    void getExtract_notAZip_completesAndSaysSo()
    {
        const CliResult r =
            runCli(getArgs(m_server->url(m_path).toString(), {u"--extract"_s, u"--json"_s}));
        VERIFY_EXIT(r, 0);
        const QList<QJsonObject> events = jsonLines(r.out);
        QVERIFY(!events.isEmpty());
        QCOMPARE(events.last().value(u"event"_s).toString(), u"completed"_s);
        QCOMPARE(events.last().value(u"extract"_s).toString(), u"notzip"_s);
        QCOMPARE(events.last().value(u"message"_s).toString(),
                 u"Not extracted: “data.bin” is not a ZIP archive."_s);
        QCOMPARE(namesIn(m_outDir), QStringList({u"data.bin"_s}));
    }

    void killedWhileUnpacking_nextStartUnpacksAgain_data()
    {
        QTest::addColumn<bool>("window");
        QTest::newRow("ferry-cli resume ID") << false;
        QTest::newRow("a manager opened as the window opens it") << true;
    }

    void killedWhileUnpacking_nextStartUnpacksAgain()
    {
        QFETCH(bool, window);
        // Tens of thousands of small files: unpacking takes long enough to be caught in the middle.
        constexpr int count = 20'000;
        const QByteArray archive = zipread::manyEntriesArchive(count);
        QVERIFY(!archive.isEmpty());
        m_server->setResource(u"/files/many.zip"_s, Resource{archive, "\"many-v1\"", {}, {}});
        const QString hidden = m_outDir + u"/.many.ferry-extract"_s;
        const QString final = m_outDir + u"/many"_s;

        auto proc =
            startCli(getArgs(m_server->url(u"/files/many.zip"_s).toString(), {u"--extract"_s}));
        QVERIFY(proc->waitForStarted(10'000));
        // Some files are unpacked, not all.
        QTRY_VERIFY_WITH_TIMEOUT(
            QDir(hidden + u"/n"_s).count() > 100 || proc->state() == QProcess::NotRunning, 60'000);
        proc->kill(); // SIGKILL: nothing runs after it
        QVERIFY(proc->waitForFinished(10'000));
        QVERIFY2(QFileInfo(hidden).isDir(), "unpacking ended before it could be interrupted");
        QVERIFY2(!QFileInfo::exists(final), "the final folder appeared before unpacking ended");
        QVERIFY(QDir(hidden + u"/n"_s).count() < uint(count + 2));

        const Listing listing = listJson();
        QVERIFY2(listing.ok && listing.entries.size() == 1, qPrintable(listing.why));
        QCOMPARE(listing.entries.first().value(u"state"_s).toString(), u"completed"_s);
        QCOMPARE(listing.entries.first().value(u"extract"_s).toString(), u"waiting"_s);
        const QString id = QString::number(listing.entries.first().value(u"id"_s).toInteger());

        // The next run takes it up: its own hidden folder goes, everything is unpacked again.
        if (window) {
            ferry::DownloadManager manager(m_stateDir);
            QString error;
            QVERIFY2(manager.open(true, &error), qPrintable(error));
            const ferry::DownloadId download = id.toLongLong();
            QCOMPARE(manager.snapshot(download)->extract, ferry::ExtractState::Running);
            QTRY_COMPARE_WITH_TIMEOUT(manager.snapshot(download)->extract,
                                      ferry::ExtractState::Done, 60'000);
            QVERIFY(extractedLine(count, u"many"_s)
                        .match(manager.snapshot(download)->message)
                        .hasMatch());
            bool removedOwn = false;
            for (const ferry::DownloadEvent &e : manager.events(download))
                removedOwn =
                    removedOwn ||
                    e.text ==
                        u"Removed the unfinished extraction “.many.ferry-extract” to start it again."_s;
            QVERIFY(removedOwn);
        } else {
            const CliResult r = runCli(withState({u"resume"_s, id}));
            VERIFY_EXIT(r, 0);
            QVERIFY2(extractedLine(count, u"many"_s).match(QString::fromUtf8(r.err)).hasMatch(),
                     qPrintable(r.describe()));
        }
        QCOMPARE(namesIn(m_outDir), QStringList({u"many"_s, u"many.zip"_s}));
        const QString wrong = verifyMany(final, count);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    }

    void killedWhileUnpacking_removeTakesTheHiddenFolderAlong()
    {
        constexpr int count = 20'000;
        const QByteArray archive = zipread::manyEntriesArchive(count);
        QVERIFY(!archive.isEmpty());
        m_server->setResource(u"/files/many.zip"_s, Resource{archive, "\"many-v1\"", {}, {}});
        const QString hidden = m_outDir + u"/.many.ferry-extract"_s;

        auto proc =
            startCli(getArgs(m_server->url(u"/files/many.zip"_s).toString(), {u"--extract"_s}));
        QVERIFY(proc->waitForStarted(10'000));
        QTRY_VERIFY_WITH_TIMEOUT(
            QDir(hidden + u"/n"_s).count() > 100 || proc->state() == QProcess::NotRunning, 60'000);
        proc->kill(); // SIGKILL: nothing runs after it
        QVERIFY(proc->waitForFinished(10'000));
        QVERIFY2(QFileInfo(hidden).isDir(), "unpacking ended before it could be interrupted");

        const Listing listing = listJson();
        QVERIFY2(listing.ok && listing.entries.size() == 1, qPrintable(listing.why));
        const QString id = QString::number(listing.entries.first().value(u"id"_s).toInteger());
        // `remove` does not take unfinished work up, yet the hidden folder the killed process
        // recorded as its own goes with the download; the archive is kept.
        const CliResult r = runCli(withState({u"remove"_s, id}));
        VERIFY_EXIT(r, 0);
        QCOMPARE(namesIn(m_outDir), QStringList({u"many.zip"_s}));
        QCOMPARE(QFileInfo(m_outDir + u"/many.zip"_s).size(), archive.size());
    }
};

QTEST_GUILESS_MAIN(TestCliExtract)
#include "tst_cli_extract.moc"
