#include "clifixture.h"
#include "sandbox.h"

#include <QFileInfo>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry::test;

// What a user of the command line relies on, checked against the real ferry-cli binary: exit
// codes, messages, the files it leaves, and the JSON a script reads. The control of running
// downloads from outside is in tst_cli_control.cpp.
class CliTest final : public CliFixture
{
    Q_OBJECT

private slots:
    void help_listsEveryCommandAndExitCodes();
    void version_printsNameAndVersion();
    void usage_errorsExitTwoWithMessageAndCreateNoFiles_data();
    void usage_errorsExitTwoWithMessageAndCreateNoFiles();
    void usage_pauseWithoutIdAfterStateDirNamesTheCommand();
    void get_badInputExitsTwoAndRecordsNothing_data();
    void get_badInputExitsTwoAndRecordsNothing();
    void get_savesByteExactFileAndSaysSaved();
    void get_outputNameIsUsedForTheFile();
    void get_jsonPrintsOneObjectPerLineEndingWithCompleted();
    void get_rightChecksumExitsZero();
    void get_wrongChecksumExitsOneAndKeepsNoFinalFile();
    void get_notFoundExitsOneAndLeavesFolderEmpty();
    void get_sameUrlAfterCompletionSavesNumberedCopy();
    void list_showsEveryDownloadAsTextAndJson();
    void remove_deleteFileRemovesFileAndEntry();
    void remove_withoutDeleteFileKeepsTheFile();
    void remove_unknownIdExitsTwo();
};

void CliTest::help_listsEveryCommandAndExitCodes()
{
    for (const QString &flag : {u"--help"_s, u"-h"_s}) {
        const CliResult r = runCli({flag});
        VERIFY_EXIT(r, 0);
        const QString help = QString::fromLocal8Bit(r.out);
        for (const QString &command : {u"get"_s, u"list"_s, u"resume"_s, u"pause"_s, u"remove"_s}) {
            const QRegularExpression listed(u"^\\s+%1\\b"_s.arg(command),
                                            QRegularExpression::MultilineOption);
            QVERIFY2(help.contains(listed), qPrintable(command + u" is not listed:\n"_s + help));
        }
        const qsizetype codes = help.indexOf(u"Exit codes"_s);
        QVERIFY2(codes >= 0, qPrintable(help));
        const QString codeText = help.mid(codes);
        for (int code = 0; code <= 4; ++code) {
            QVERIFY2(codeText.contains(QRegularExpression(u"\\b%1 [a-z]"_s.arg(code))),
                     qPrintable(u"exit code %1 is not explained:\n"_s.arg(code) + codeText));
        }
    }
}

void CliTest::version_printsNameAndVersion()
{
    const CliResult r = runCli({u"--version"_s});
    VERIFY_EXIT(r, 0);
    QCOMPARE(r.out, QByteArray("ferry-cli " FERRY_VERSION "\n"));
    QVERIFY(QRegularExpression(u"^ferry-cli \\d+\\.\\d+\\.\\d+\\n$"_s)
                .match(QString::fromLatin1(r.out))
                .hasMatch());
}

void CliTest::usage_errorsExitTwoWithMessageAndCreateNoFiles_data()
{
    // "@url" and "@url2" stand for addresses on the test server; rows without "@state" get the
    // state folder and -d appended.
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown command")
        << QStringList{u"fetch"_s, u"@url"_s} << u"Unknown command 'fetch'"_s;
    QTest::newRow("unknown option")
        << QStringList{u"get"_s, u"@url"_s, u"--frobnicate"_s} << u"Unknown option --frobnicate"_s;
    QTest::newRow("get without URL") << QStringList{u"get"_s} << u"get needs at least one URL"_s;
    QTest::newRow("-s 0") << QStringList{u"get"_s, u"@url"_s, u"-s"_s, u"0"_s}
                          << u"from 1 to 32, got '0'"_s;
    QTest::newRow("-s 33") << QStringList{u"get"_s, u"@url"_s, u"-s"_s, u"33"_s}
                           << u"from 1 to 32, got '33'"_s;
    QTest::newRow("--limit fast") << QStringList{u"get"_s, u"@url"_s, u"--limit"_s, u"fast"_s}
                                  << u"Not a speed: 'fast'"_s;
    QTest::newRow("-H without colon") << QStringList{u"get"_s, u"@url"_s, u"-H"_s, u"no colon"_s}
                                      << u"Not a header: 'no colon'"_s;
    QTest::newRow("-o with two URLs")
        << QStringList{u"get"_s, u"@url"_s, u"@url2"_s, u"-o"_s, u"name"_s}
        << u"-o names one file"_s;
    QTest::newRow("pause without id")
        << QStringList{u"pause"_s} << u"pause needs at least one download id"_s;
    QTest::newRow("pause abc") << QStringList{u"pause"_s, u"abc"_s}
                               << u"'abc' is not a download id"_s;
    QTest::newRow("option without value")
        << QStringList{u"--state-dir"_s, u"@state"_s, u"get"_s, u"@url"_s,
                       u"-d"_s,          u"@out"_s,   u"-s"_s}
        << u"-s needs a value"_s;
}

void CliTest::usage_errorsExitTwoWithMessageAndCreateNoFiles()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    args.replaceInStrings(u"@url2"_s, m_server->url(u"/files/other.bin"_s).toString());
    args.replaceInStrings(u"@url"_s, m_server->url(m_path).toString());
    // Appended last so that the parser meets the error first.
    if (!args.contains(u"@state"_s))
        args << u"-d"_s << u"@out"_s << u"--state-dir"_s << u"@state"_s;
    args.replaceInStrings(u"@state"_s, m_stateDir);
    args.replaceInStrings(u"@out"_s, m_outDir);

    const CliResult r = runCli(args);
    VERIFY_EXIT(r, 2);
    const QString err = QString::fromLocal8Bit(r.err);
    QVERIFY2(err.startsWith(u"ferry-cli: "_s), qPrintable(err));
    QVERIFY2(err.contains(message), qPrintable(err));
    QVERIFY2(r.out.isEmpty(), r.out.constData());
    QCOMPARE(entriesIn(m_tmp->path()), QStringList{u"out"_s});
    QCOMPARE(entriesIn(m_outDir), QStringList());
    QCOMPARE(m_server->requests().size(), 0);
}

void CliTest::usage_pauseWithoutIdAfterStateDirNamesTheCommand()
{
    // The order --help shows: "ferry-cli [--state-dir DIR] COMMAND [OPTIONS]".
    const CliResult r = runCli({u"--state-dir"_s, m_stateDir, u"pause"_s});
    VERIFY_EXIT(r, 2);
    QVERIFY(!QFileInfo::exists(m_stateDir));
    const QString err = QString::fromLocal8Bit(r.err);
    QVERIFY2(err.contains(u"pause needs at least one download id"_s), qPrintable(err));
}

void CliTest::get_badInputExitsTwoAndRecordsNothing_data()
{
    // "@url" is the test file, "@missing" a folder that does not exist.
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("ftp") << QStringList{u"ftp://127.0.0.1/x"_s} << u"only http and https"_s;
    QTest::newRow("missing folder")
        << QStringList{u"@url"_s, u"-d"_s, u"@missing"_s} << u"does not exist"_s;
    QTest::newRow("sha256=abc") << QStringList{u"@url"_s, u"--checksum"_s, u"sha256=abc"_s}
                                << u"sha256 checksum must be 64 hex digits, got 3"_s;
    QTest::newRow("checksum without algorithm")
        << QStringList{u"@url"_s, u"--checksum"_s, QString(64, u'a')} << u"sha256=<hex"_s;
    QTest::newRow("unknown checksum algorithm")
        << QStringList{u"@url"_s, u"--checksum"_s, u"crc32=aaaaaaaa"_s}
        << u"Unknown checksum algorithm"_s;
}

void CliTest::get_badInputExitsTwoAndRecordsNothing()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const QString missing = m_tmp->filePath(u"does-not-exist"_s);
    args.replaceInStrings(u"@url"_s, m_server->url(m_path).toString());
    args.replaceInStrings(u"@missing"_s, missing);
    // A row's own -d comes later and wins: the parser keeps the last value.
    const CliResult r = runCli(withState(QStringList{u"get"_s, u"-d"_s, m_outDir} + args));
    VERIFY_EXIT(r, 2);
    const QString err = QString::fromLocal8Bit(r.err);
    QVERIFY2(err.startsWith(u"ferry-cli: "_s) && err.contains(message), qPrintable(err));
    QCOMPARE(entriesIn(m_outDir), QStringList());
    QVERIFY(!QFileInfo::exists(missing));
    QCOMPARE(m_server->requests().size(), 0);
    const Listing l = listJson();
    QVERIFY2(l.ok, qPrintable(l.why));
    QCOMPARE(l.entries.size(), 0);
}

void CliTest::get_savesByteExactFileAndSaysSaved()
{
    const CliResult r = runCli(getArgs(m_server->url(m_path).toString()));
    VERIFY_EXIT(r, 0);
    const QString finalPath = m_outDir + u"/data.bin"_s;
    QCOMPARE(sha256OfFile(finalPath), sha256Hex(m_body));
    QCOMPARE(entriesIn(m_outDir), QStringList{u"data.bin"_s});
    const QString err = QString::fromLocal8Bit(r.err);
    QVERIFY2(err.contains(u"Saved "_s + finalPath), qPrintable(err));
}

void CliTest::get_outputNameIsUsedForTheFile()
{
    const CliResult r =
        runCli(getArgs(m_server->url(m_path).toString(), {u"-o"_s, u"custom.bin"_s}));
    VERIFY_EXIT(r, 0);
    QCOMPARE(entriesIn(m_outDir), QStringList{u"custom.bin"_s});
    QCOMPARE(sha256OfFile(m_outDir + u"/custom.bin"_s), sha256Hex(m_body));
}

void CliTest::get_jsonPrintsOneObjectPerLineEndingWithCompleted()
{
    const CliResult r = runCli(getArgs(m_server->url(m_path).toString(), {u"--json"_s}));
    VERIFY_EXIT(r, 0);
    bool allObjects = false;
    const QList<QJsonObject> events = jsonLines(r.out, &allObjects);
    QVERIFY2(allObjects, r.out.constData());
    QVERIFY(!events.isEmpty());
    QVERIFY(r.out.endsWith('\n'));
    const QJsonObject last = events.last();
    const QString finalPath = m_outDir + u"/data.bin"_s;
    QCOMPARE(last.value(u"event"_s).toString(), u"completed"_s);
    QCOMPARE(last.value(u"state"_s).toString(), u"completed"_s);
    QCOMPARE(last.value(u"file"_s).toString(), finalPath);
    QCOMPARE(last.value(u"total"_s).toInteger(), qint64(m_body.size()));
    QCOMPARE(last.value(u"done"_s).toInteger(), last.value(u"total"_s).toInteger());
    QVERIFY(last.value(u"id"_s).toInteger() > 0);
    for (const QJsonObject &e : events.first(events.size() - 1))
        QCOMPARE(e.value(u"event"_s).toString(), u"progress"_s);
    QCOMPARE(sha256OfFile(finalPath), sha256Hex(m_body));
}

void CliTest::get_rightChecksumExitsZero()
{
    const QString spec = u"sha256="_s + QString::fromLatin1(sha256Hex(m_body));
    const CliResult r = runCli(getArgs(m_server->url(m_path).toString(), {u"--checksum"_s, spec}));
    VERIFY_EXIT(r, 0);
    QCOMPARE(sha256OfFile(m_outDir + u"/data.bin"_s), sha256Hex(m_body));
}

void CliTest::get_wrongChecksumExitsOneAndKeepsNoFinalFile()
{
    const QString spec = u"sha256="_s + QString(64, u'a');
    const CliResult r = runCli(getArgs(m_server->url(m_path).toString(), {u"--checksum"_s, spec}));
    VERIFY_EXIT(r, 1);
    QVERIFY2(QString::fromLocal8Bit(r.err).contains(u"checksum does not match"_s),
             r.err.constData());
    QVERIFY(!QFileInfo::exists(m_outDir + u"/data.bin"_s));
    const Listing listed = listJson();
    QVERIFY2(listed.ok && listed.entries.size() == 1, qPrintable(listed.why));
    QCOMPARE(listed.entries.first().value(u"state"_s).toString(), u"failed"_s);
}

void CliTest::get_notFoundExitsOneAndLeavesFolderEmpty()
{
    const CliResult r = runCli(getArgs(m_server->url(u"/files/missing.bin"_s).toString()));
    VERIFY_EXIT(r, 1);
    QVERIFY2(QString::fromLocal8Bit(r.err).contains(u"(404"_s), r.err.constData());
    QCOMPARE(entriesIn(m_outDir), QStringList());
}

void CliTest::get_sameUrlAfterCompletionSavesNumberedCopy()
{
    const QString url = m_server->url(m_path).toString();
    const QJsonObject first = getCompleted(url);
    if (QTest::currentTestFailed())
        return;
    const QByteArray firstMtime =
        QFileInfo(m_outDir + u"/data.bin"_s).lastModified().toString(Qt::ISODateWithMs).toLatin1();
    const QJsonObject second = getCompleted(url);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(first.value(u"file"_s).toString(), m_outDir + u"/data.bin"_s);
    QCOMPARE(second.value(u"file"_s).toString(), m_outDir + u"/data (1).bin"_s);
    QVERIFY(second.value(u"id"_s).toInteger() != first.value(u"id"_s).toInteger());
    QCOMPARE(entriesIn(m_outDir), (QStringList{u"data (1).bin"_s, u"data.bin"_s}));
    QCOMPARE(sha256OfFile(m_outDir + u"/data.bin"_s), sha256Hex(m_body));
    QCOMPARE(sha256OfFile(m_outDir + u"/data (1).bin"_s), sha256Hex(m_body));
    QCOMPARE(
        QFileInfo(m_outDir + u"/data.bin"_s).lastModified().toString(Qt::ISODateWithMs).toLatin1(),
        firstMtime);
}

void CliTest::list_showsEveryDownloadAsTextAndJson()
{
    const QByteArray otherBody = deterministicBytes(300 * kKiB, 0xD00Du);
    m_server->setResource(u"/files/other.bin"_s, Resource{otherBody, "\"other-v1\"", {}, {}});
    const qint64 a = getCompleted(m_server->url(m_path).toString()).value(u"id"_s).toInteger();
    const qint64 b =
        getCompleted(m_server->url(u"/files/other.bin"_s).toString()).value(u"id"_s).toInteger();
    if (QTest::currentTestFailed())
        return;
    QVERIFY(a > 0 && b > 0 && a != b);

    const CliResult text = runCli(withState({u"list"_s}));
    VERIFY_EXIT(text, 0);
    const QHash<qint64, QString> rows = listRows(text.out);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.value(a), u"completed"_s);
    QCOMPARE(rows.value(b), u"completed"_s);
    QVERIFY(text.out.contains((m_outDir + u"/data.bin"_s).toLocal8Bit()));
    QVERIFY(text.out.contains((m_outDir + u"/other.bin"_s).toLocal8Bit()));

    const CliResult json = runCli(withState({u"list"_s, u"--json"_s}));
    VERIFY_EXIT(json, 0);
    bool allObjects = false;
    const QList<QJsonObject> objects = jsonLines(json.out, &allObjects);
    QVERIFY2(allObjects, json.out.constData());
    QCOMPARE(objects.size(), 2);
    QCOMPARE(json.out.count('\n'), 2);
    QSet<qint64> ids;
    for (const QJsonObject &o : objects) {
        ids.insert(o.value(u"id"_s).toInteger());
        QCOMPARE(o.value(u"state"_s).toString(), u"completed"_s);
        QCOMPARE(o.value(u"done"_s).toInteger(), o.value(u"total"_s).toInteger());
    }
    QCOMPARE(ids, (QSet<qint64>{a, b}));
}

void CliTest::remove_deleteFileRemovesFileAndEntry()
{
    const QJsonObject completed = getCompleted(m_server->url(m_path).toString());
    if (QTest::currentTestFailed())
        return;
    const qint64 id = completed.value(u"id"_s).toInteger();
    const QString file = completed.value(u"file"_s).toString();
    QVERIFY(QFileInfo::exists(file));

    const CliResult r = runCli(withState({u"remove"_s, QString::number(id), u"--delete-file"_s}));
    VERIFY_EXIT(r, 0);
    QVERIFY(!QFileInfo::exists(file));
    QCOMPARE(entriesIn(m_outDir), QStringList());
    const CliResult list = runCli(withState({u"list"_s}));
    VERIFY_EXIT(list, 0);
    QVERIFY2(!listRows(list.out).contains(id), list.out.constData());
    const Listing l = listJson();
    QVERIFY2(l.ok, qPrintable(l.why));
    QCOMPARE(l.entries.size(), 0);
}

void CliTest::remove_withoutDeleteFileKeepsTheFile()
{
    const QJsonObject completed = getCompleted(m_server->url(m_path).toString());
    if (QTest::currentTestFailed())
        return;
    const qint64 id = completed.value(u"id"_s).toInteger();
    const QString file = completed.value(u"file"_s).toString();

    const CliResult r = runCli(withState({u"remove"_s, QString::number(id)}));
    VERIFY_EXIT(r, 0);
    QCOMPARE(sha256OfFile(file), sha256Hex(m_body));
    const Listing l = listJson();
    QVERIFY2(l.ok, qPrintable(l.why));
    QCOMPARE(l.entries.size(), 0);
}

void CliTest::remove_unknownIdExitsTwo()
{
    const CliResult r = runCli(withState({u"remove"_s, u"999"_s}));
    VERIFY_EXIT(r, 2);
    QVERIFY2(QString::fromLocal8Bit(r.err).contains(u"999"_s), r.err.constData());
}

QTEST_GUILESS_MAIN(CliTest)
#include "tst_cli.moc"
