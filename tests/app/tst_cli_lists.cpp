#include "clifixture.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry::test;

// Batches and lists on the command line, against the real ferry-cli binary: `get` with curl
// patterns, `export` and `import`.
class CliListsTest final : public CliFixture
{
    Q_OBJECT

    static QByteArray fileBody(int n)
    {
        QByteArray body;
        for (int i = 0; i < 200000; ++i)
            body.append(char((i * 7 + n * 13) & 0xff));
        return body;
    }

    static QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void get_patternDownloadsEveryAddressByteExact()
    {
        for (int n = 1; n <= 3; ++n)
            m_server->setResource(u"/f%1.bin"_s.arg(n),
                                  ferry::test::Resource{fileBody(n), "\"v1\"", {}, {}});
        const QString pattern = m_server->url(u"/f"_s).toString() + u"[1-3].bin"_s;
        const CliResult r = runCli(getArgs(pattern));
        VERIFY_EXIT(r, 0);
        QCOMPARE(entriesIn(m_outDir), (QStringList{u"f1.bin"_s, u"f2.bin"_s, u"f3.bin"_s}));
        for (int n = 1; n <= 3; ++n)
            QCOMPARE(readFile(m_outDir + u"/f%1.bin"_s.arg(n)), fileBody(n));
    }

    void get_badPatternsExitTwoAndFetchNothing_data()
    {
        QTest::addColumn<QString>("tail");
        QTest::addColumn<QString>("message");
        QTest::newRow("backwards") << u"f[3-1].bin"_s << u"The range [3-1] runs backwards."_s;
        QTest::newRow("too many")
            << u"f[1-20000].bin"_s
            << u"This pattern makes 20,000 addresses; at most 10,000 can be added at once."_s;
        QTest::newRow("unclosed") << u"f{a,b.bin"_s << u"is never closed."_s;
    }
    void get_badPatternsExitTwoAndFetchNothing()
    {
        QFETCH(QString, tail);
        QFETCH(QString, message);
        const CliResult r = runCli(getArgs(m_server->url(u"/"_s).toString() + tail));
        VERIFY_EXIT(r, 2);
        QVERIFY2(QString::fromLocal8Bit(r.err).contains(message), qPrintable(r.describe()));
        QCOMPARE(m_server->requests().size(), 0);
    }

    void get_noGlobTakesBracketsLiterally()
    {
        const CliResult r =
            runCli(getArgs(m_server->url(u"/"_s).toString() + u"f[3-1].bin"_s, {u"--no-glob"_s}));
        QVERIFY2(r.finished && r.exitCode != 2, qPrintable(r.describe()));
        QVERIFY(!QString::fromLocal8Bit(r.err).contains(u"backwards"_s));
        QVERIFY(m_server->requests().size() > 0);
    }

    void exportImport_listMovesToAnotherStateFolderQueued()
    {
        const QString checksum =
            u"sha256="_s +
            QString::fromLatin1(
                QCryptographicHash::hash(m_body, QCryptographicHash::Sha256).toHex());
        getCompleted(m_server->url(m_path).toString(),
                     {u"-s"_s, u"3"_s, u"--checksum"_s, checksum});
        const CliResult text = runCli(withState({u"export"_s}));
        VERIFY_EXIT(text, 0);
        QCOMPARE(text.out, m_server->url(m_path).toString().toUtf8() + '\n');

        const QString listPath = m_tmp->filePath(u"list.json"_s);
        const CliResult json = runCli(withState({u"export"_s, u"--json"_s, listPath}));
        VERIFY_EXIT(json, 0);
        const QJsonArray list = QJsonDocument::fromJson(readFile(listPath)).array();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.at(0).toObject().value(u"connections"_s).toInt(), 3);
        QCOMPARE(list.at(0).toObject().value(u"state"_s).toString(), u"completed"_s);
        QCOMPARE(list.at(0).toObject().value(u"checksum"_s).toString(), checksum);

        const QString otherState = m_tmp->filePath(u"state2"_s);
        const QString otherOut = m_tmp->filePath(u"out2"_s);
        QVERIFY(QDir().mkpath(otherOut));
        const qsizetype before = m_server->requests().size();
        const CliResult in =
            runCli({u"import"_s, listPath, u"-d"_s, otherOut, u"--state-dir"_s, otherState});
        VERIFY_EXIT(in, 0);
        QCOMPARE(in.out.trimmed(), QByteArray("1"));
        QCOMPARE(m_server->requests().size(), before); // queued, not started

        const CliResult listed = runCli({u"list"_s, u"--json"_s, u"--state-dir"_s, otherState});
        VERIFY_EXIT(listed, 0);
        const QJsonObject entry = QJsonDocument::fromJson(listed.out.trimmed()).object();
        QCOMPARE(entry.value(u"state"_s).toString(), u"queued"_s);
        QCOMPARE(entry.value(u"url"_s).toString(), m_server->url(m_path).toString());

        const CliResult resumed = runCli({u"resume"_s, u"--state-dir"_s, otherState});
        VERIFY_EXIT(resumed, 0);
        QCOMPARE(readFile(otherOut + u"/data.bin"_s), m_body);
    }

    void import_reportsSkippedLinesAndMissingFile()
    {
        const QString listPath = m_tmp->filePath(u"list.txt"_s);
        QFile f(listPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(m_server->url(m_path).toString().toUtf8() + "\nnot an address\n");
        f.close();
        QVERIFY(QDir().mkpath(m_outDir));
        const CliResult r = runCli(withState({u"import"_s, listPath, u"-d"_s, m_outDir}));
        VERIFY_EXIT(r, 0);
        QVERIFY2(r.err.contains("line 2: not an http or https address"), qPrintable(r.describe()));
        const CliResult missing = runCli(withState({u"import"_s, m_tmp->filePath(u"nope.txt"_s)}));
        VERIFY_EXIT(missing, 2);
    }
};

QTEST_GUILESS_MAIN(CliListsTest)
#include "tst_cli_lists.moc"
