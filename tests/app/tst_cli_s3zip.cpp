#include "clis3fixture.h"
#include "sandbox.h"

#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry::test;

namespace {

struct Tool {
    int exitCode = -1;
    QByteArray out;
};

// Runs a helper program a user would reach for (unzip, curl, python3).
Tool runTool(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    Tool t;
    if (!p.waitForStarted(10'000) || !p.waitForFinished(kRunTimeoutMs))
        return t;
    t.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    t.out = p.readAllStandardOutput() + p.readAllStandardError();
    return t;
}

// Entry name -> sha256 of its content, as Python's zipfile reads the archive (an independent
// reader); entries it cannot read make the script fail.
QJsonObject entryHashes(const QString &zipPath)
{
    const QString script = uR"(import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    print(json.dumps({i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist() if not i.is_dir()}))
)"_s;
    const Tool t = runTool(u"/usr/bin/python3"_s, {u"-c"_s, script, zipPath});
    if (t.exitCode != 0) {
        qWarning("python zipfile failed: %s", t.out.constData());
        return {};
    }
    return QJsonDocument::fromJson(t.out).object();
}

} // namespace

// `ferry-cli s3 zip` against a real S3 server (Ceph RGW): the archive a user gets,
// checked with unzip and Python's zipfile, the link it prints, and its usage errors.
class CliS3ZipTest final : public CliS3Fixture
{
    Q_OBJECT

public:
    CliS3ZipTest() : CliS3Fixture({u"other"_s}) {}

private slots:
    void help_documentsZip();
    void usage_badZipArgumentsExitTwo_data();
    void usage_badZipArgumentsExitTwo();
    void local_prefixAndKeyAreByteExactAndAnExistingFileIsKept();
    void bucket_printsALinkThatFetchesAValidArchive();
    void missingKey_failsAndLeavesNoFile();
    void missingKey_withSkipErrorsCompletesAndNamesIt();
    void interrupt_pausesAndSaysTheBundleContinues();

private:
    QStringList s3(const QStringList &args) const;
};

QStringList CliS3ZipTest::s3(const QStringList &args) const
{
    return QStringList{u"--state-dir"_s, m_stateDir, u"s3"_s, u"zip"_s} + args;
}

void CliS3ZipTest::help_documentsZip()
{
    const CliResult r = runCli({u"--help"_s});
    VERIFY_EXIT(r, 0);
    const QString help = QString::fromUtf8(r.out);
    for (const QString &text : {u"s3 zip"_s, u"--to"_s, u"--level"_s, u"--skip-errors"_s, u"--expires"_s})
        QVERIFY2(help.contains(text), qPrintable(text + u" is not documented:\n"_s + help));
}

void CliS3ZipTest::usage_badZipArgumentsExitTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("both -o and --to") << QStringList{u"s3://bucket/docs/"_s, u"-o"_s, u"a.zip"_s, u"--to"_s, u"s3://bucket/a.zip"_s}
                                      << u"not both"_s;
    QTest::newRow("no destination") << QStringList{u"s3://bucket/docs/"_s} << u"needs a destination"_s;
    QTest::newRow("two buckets") << QStringList{u"s3://bucket/docs/"_s, u"s3://other/x"_s, u"-o"_s, u"a.zip"_s}
                                 << u"one bucket"_s;
    QTest::newRow("expires 8d") << QStringList{u"s3://bucket/docs/"_s, u"--to"_s, u"s3://bucket/a.zip"_s, u"--expires"_s, u"8d"_s}
                                << u"at most 7 days"_s;
    QTest::newRow("no source") << QStringList{u"-o"_s, u"a.zip"_s} << u"s3 zip takes"_s;
    QTest::newRow("level 0") << QStringList{u"s3://bucket/docs/"_s, u"-o"_s, u"a.zip"_s, u"--level"_s, u"0"_s} << u"--level"_s;
    QTest::newRow("--to a folder") << QStringList{u"s3://bucket/docs/"_s, u"--to"_s, u"s3://bucket/out/"_s} << u"names no object"_s;
}

void CliS3ZipTest::usage_badZipArgumentsExitTwo()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const CliResult r = runCli(s3(args));
    VERIFY_EXIT(r, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), qPrintable(r.describe()));
    QVERIFY(!QFileInfo::exists(m_tmp->filePath(u"a.zip"_s)));
}

void CliS3ZipTest::local_prefixAndKeyAreByteExactAndAnExistingFileIsKept()
{
    const QHash<QString, QByteArray> objects = {
        {u"docs/a.txt"_s, QByteArray("hello, archive\n").repeated(2000)},
        {u"docs/sub/random.bin"_s, deterministicBytes(3 * 1024 * 1024 + 17, 11)},
        {u"docs/报告 2024.txt"_s, QByteArray("中文内容\n").repeated(100)},
        {u"single.dat"_s, deterministicBytes(50'000, 12)},
    };
    for (auto it = objects.cbegin(); it != objects.cend(); ++it)
        QVERIFY(putObject(it.key(), it.value()));
    // Not selected: must not end up in the archive.
    QVERIFY(putObject(u"elsewhere/no.txt"_s, "no"));

    const QString wanted = QDir(m_outDir).filePath(u"bundle.zip"_s);
    QVERIFY(writeFile(wanted, "an older file that must stay"));
    const CliResult r = runCli(s3({u"s3://bucket/docs/"_s, u"s3://bucket/single.dat"_s, u"-o"_s, wanted}));
    VERIFY_EXIT(r, 0);
    QCOMPARE(readFile(wanted), QByteArray("an older file that must stay"));
    const QString actual = QDir(m_outDir).filePath(u"bundle (1).zip"_s);
    QVERIFY2(QFileInfo::exists(actual), qPrintable(r.describe()));
    QVERIFY2(QString::fromUtf8(r.err).contains(actual), qPrintable(r.describe()));
    QVERIFY2(QString::fromUtf8(r.err).contains(u"already exists"_s), qPrintable(r.describe()));
    QVERIFY(!QFileInfo::exists(actual + u".part"_s));

    const Tool test = runTool(u"unzip"_s, {u"-t"_s, actual});
    QVERIFY2(test.exitCode == 0, test.out.constData());
    QVERIFY2(!test.out.contains("skipping"), test.out.constData());

    const QJsonObject hashes = entryHashes(actual);
    QCOMPARE(hashes.size(), objects.size());
    for (auto it = objects.cbegin(); it != objects.cend(); ++it) {
        QVERIFY2(hashes.contains(it.key()), qPrintable(it.key() + u" is missing from "_s
                                                        + QString::fromUtf8(QJsonDocument(hashes).toJson())));
        QCOMPARE(hashes.value(it.key()).toString().toLatin1(), sha256Hex(it.value()));
    }
}

void CliS3ZipTest::bucket_printsALinkThatFetchesAValidArchive()
{
    const QByteArray a = deterministicBytes(2 * 1024 * 1024, 21);
    const QByteArray b = QByteArray("text ").repeated(10'000);
    QVERIFY(putObject(u"share/a.bin"_s, a));
    QVERIFY(putObject(u"share/b.txt"_s, b));

    const CliResult r = runCli(s3({u"s3://bucket/share/"_s, u"--to"_s, u"s3://bucket/bundles/share.zip"_s, u"--expires"_s, u"1h"_s}));
    VERIFY_EXIT(r, 0);
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    const QByteArray link = lines.last().trimmed();
    QVERIFY2(link.startsWith("http://127.0.0.1:"), qPrintable(r.describe()));
    QVERIFY2(link.contains("X-Amz-Expires=3600"), link.constData());

    const QString fetched = m_tmp->filePath(u"fetched.zip"_s);
    const Tool curl = runTool(u"curl"_s, {u"-sf"_s, u"-o"_s, fetched, QString::fromLatin1(link)});
    QVERIFY2(curl.exitCode == 0, curl.out.constData());
    const Tool test = runTool(u"unzip"_s, {u"-t"_s, fetched});
    QVERIFY2(test.exitCode == 0, test.out.constData());
    const QJsonObject hashes = entryHashes(fetched);
    QCOMPARE(hashes.value(u"share/a.bin"_s).toString().toLatin1(), sha256Hex(a));
    QCOMPARE(hashes.value(u"share/b.txt"_s).toString().toLatin1(), sha256Hex(b));
}

void CliS3ZipTest::missingKey_failsAndLeavesNoFile()
{
    QVERIFY(putObject(u"present.txt"_s, "here"));
    const QString target = QDir(m_outDir).filePath(u"fail.zip"_s);
    const CliResult r = runCli(s3({u"s3://bucket/present.txt"_s, u"s3://bucket/absent.txt"_s, u"-o"_s, target}));
    QVERIFY2(r.finished && r.exitCode != 0 && r.exitCode != 2, qPrintable(r.describe()));
    QVERIFY2(QString::fromUtf8(r.err).contains(u"absent.txt"_s), qPrintable(r.describe()));
    QVERIFY2(QDir(m_outDir).entryList(QDir::Files | QDir::Hidden).isEmpty(),
             qPrintable(QDir(m_outDir).entryList(QDir::Files | QDir::Hidden).join(u", "_s)));
}

void CliS3ZipTest::missingKey_withSkipErrorsCompletesAndNamesIt()
{
    QVERIFY(putObject(u"present.txt"_s, "here"));
    const QString target = QDir(m_outDir).filePath(u"partial.zip"_s);
    const CliResult r =
        runCli(s3({u"s3://bucket/present.txt"_s, u"s3://bucket/absent.txt"_s, u"-o"_s, target, u"--skip-errors"_s}));
    VERIFY_EXIT(r, 0);
    QVERIFY2(QString::fromUtf8(r.err).contains(u"absent.txt"_s), qPrintable(r.describe()));
    const QJsonObject hashes = entryHashes(target);
    QCOMPARE(hashes.keys(), QStringList{u"present.txt"_s});
    QCOMPARE(hashes.value(u"present.txt"_s).toString().toLatin1(), sha256Hex("here"));
}

void CliS3ZipTest::interrupt_pausesAndSaysTheBundleContinues()
{
    // Big and incompressible at the slowest level, so the bundle is still running when Ctrl+C
    // arrives.
    for (int i = 0; i < 4; ++i)
        QVERIFY(putObject(u"big/part%1.bin"_s.arg(i), deterministicBytes(48 * 1024 * 1024, 40 + i)));
    const QString target = QDir(m_outDir).filePath(u"big.zip"_s);
    QProcess proc;
    proc.setProcessEnvironment(environment());
    proc.setWorkingDirectory(m_tmp->path());
    proc.start(m_cli, s3({u"s3://bucket/big/"_s, u"-o"_s, target, u"--level"_s, u"9"_s}));
    QVERIFY(proc.waitForStarted(10'000));
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += proc.readAllStandardError()).contains("Bundling"), 60'000);
    ::kill(pid_t(proc.processId()), SIGINT);
    QVERIFY(proc.waitForFinished(60'000));
    err += proc.readAllStandardError();
    QVERIFY2(proc.exitStatus() == QProcess::NormalExit && proc.exitCode() == 4,
             qPrintable(u"exit %1: %2"_s.arg(proc.exitCode()).arg(QString::fromUtf8(err))));
    QVERIFY2(err.contains("continues it from its last checkpoint"), err.constData());
    QVERIFY(!QFileInfo::exists(target));
    QVERIFY(QFileInfo::exists(target + u".part"_s)); // kept for resume
}

QTEST_GUILESS_MAIN(CliS3ZipTest)
#include "tst_cli_s3zip.moc"
