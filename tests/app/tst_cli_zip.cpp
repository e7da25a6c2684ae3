// ferry-cli zip ls / zip get against a ranged HTTP server: the listing, extraction of names,
// folders and patterns, never overwriting, and the sentences for a server without ranges and
// for entries that match nothing.
#include "clifixture.h"
#include "sandbox.h"
#include "ziparchivemakers.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry::test;

class TestCliZip final : public CliFixture
{
    Q_OBJECT

private:
    QHash<QString, QByteArray> m_files{
        {u"docs/a.txt"_s, QByteArray("alpha\n").repeated(1000)},
        {u"docs/b.pdf"_s, deterministicBytes(300 * 1024, 7)},
        {u"docs/sub/c.pdf"_s, deterministicBytes(1000, 8)},
        {u"big.bin"_s, deterministicBytes(3 * 1024 * 1024, 9)},
        {u"Grüße.txt"_s, QByteArray("hallo\n")},
    };

    QString serveArchive(const QString &path)
    {
        m_server->setResource(path,
                              Resource{zipread::ferryArchive(m_files, true), "\"zip-v1\"", {}, {}});
        return m_server->url(path.mid(1)).toString();
    }

private slots:
    void ls_listsEveryEntryAsJson()
    {
        const QString url = serveArchive(u"/a.zip"_s);
        const CliResult r = runCli(withState({u"zip"_s, u"ls"_s, url, u"--json"_s}));
        VERIFY_EXIT(r, 0);
        bool allObjects = false;
        const QList<QJsonObject> lines = jsonLines(r.out, &allObjects);
        QVERIFY(allObjects);
        QCOMPARE(lines.size(), m_files.size());
        for (const QJsonObject &o : lines) {
            const QString name = o.value(u"name"_s).toString();
            QVERIFY2(m_files.contains(name), qPrintable(name));
            QCOMPARE(o.value(u"size"_s).toInteger(), qint64(m_files.value(name).size()));
            QCOMPARE(o.value(u"encrypted"_s).toBool(), false);
        }
        // The 3 MiB entry was not read: only the tail of the archive.
        QVERIFY(m_server->bodyBytesServed(u"/a.zip"_s) <= 64 * 1024);
    }

    void get_extractsPatternsAndNamesWithoutOverwriting()
    {
        const QString url = serveArchive(u"/a.zip"_s);
        const QStringList args = withState(
            {u"zip"_s, u"get"_s, url, u"docs/*.pdf"_s, u"Grüße.txt"_s, u"-d"_s, m_outDir});
        CliResult r = runCli(args);
        VERIFY_EXIT(r, 0);
        QCOMPARE(readFile(m_outDir + u"/docs/b.pdf"_s), m_files.value(u"docs/b.pdf"_s));
        QCOMPARE(readFile(m_outDir + u"/Grüße.txt"_s), m_files.value(u"Grüße.txt"_s));
        QVERIFY(!QFile::exists(m_outDir + u"/docs/sub/c.pdf"_s)); // * stays within its folder
        QVERIFY(!QFile::exists(m_outDir + u"/big.bin"_s));
        QVERIFY(m_server->bodyBytesServed(u"/a.zip"_s) < 1024 * 1024);

        r = runCli(withState({u"zip"_s, u"get"_s, url, u"docs"_s, u"-d"_s, m_outDir}));
        VERIFY_EXIT(r, 0);
        QCOMPARE(readFile(m_outDir + u"/docs/b (1).pdf"_s), m_files.value(u"docs/b.pdf"_s));
        QCOMPARE(readFile(m_outDir + u"/docs/sub/c.pdf"_s), m_files.value(u"docs/sub/c.pdf"_s));
        QCOMPARE(readFile(m_outDir + u"/docs/a.txt"_s), m_files.value(u"docs/a.txt"_s));
        QVERIFY(r.out.contains("b (1).pdf"));
    }

    void get_unmatchedEntryFails()
    {
        const QString url = serveArchive(u"/a.zip"_s);
        const CliResult r =
            runCli(withState({u"zip"_s, u"get"_s, url, u"nothing/*"_s, u"-d"_s, m_outDir}));
        VERIFY_EXIT(r, 1);
        QVERIFY2(r.err.contains("'nothing/*' matches no entry"), r.err.constData());
    }

    void serverWithoutRanges_saysSo()
    {
        const QString url = serveArchive(u"/a.zip"_s);
        Faults faults;
        faults.ignoreRange = true;
        m_server->setFaults(u"/a.zip"_s, faults);
        const CliResult r = runCli(withState({u"zip"_s, u"ls"_s, url}));
        VERIFY_EXIT(r, 1);
        QVERIFY2(r.err.contains("does not support byte ranges"), r.err.constData());
    }

    void usageErrors()
    {
        const QString url = serveArchive(u"/a.zip"_s);
        VERIFY_EXIT(runCli(withState({u"zip"_s, u"get"_s, url})), 2);
        VERIFY_EXIT(runCli(withState({u"zip"_s, u"ls"_s, u"ftp://example.com/a.zip"_s})), 2);
        VERIFY_EXIT(runCli(withState({u"zip"_s, u"ls"_s, u"s3://bucket"_s})), 2);
        VERIFY_EXIT(runCli(withState({u"zip"_s, u"list"_s, url})), 2);
    }
};

QTEST_GUILESS_MAIN(TestCliZip)
#include "tst_cli_zip.moc"
