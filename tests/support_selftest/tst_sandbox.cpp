#include "sandbox.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry::test;

class SandboxTest final : public QObject
{
    Q_OBJECT

private slots:
    void deterministicBytes_sameSeedSameBytes();
    void sha256_knownVectorAndFile();
    void freeLoopbackPort_isBindable();
};

void SandboxTest::deterministicBytes_sameSeedSameBytes()
{
    const QByteArray a = deterministicBytes(100003, 7);
    QCOMPARE(a.size(), 100003);
    QCOMPARE(deterministicBytes(100003, 7), a);
    QCOMPARE(deterministicBytes(1000, 7), a.left(1000));
    QVERIFY(deterministicBytes(1000, 8) != a.left(1000));
    QVERIFY(deterministicBytes(0, 7).isEmpty());
    // Not degenerate: most byte values occur in a large sample.
    QSet<char> seen;
    for (char c : a)
        seen.insert(c);
    QVERIFY(seen.size() > 250);

    QElapsedTimer timer;
    timer.start();
    QCOMPARE(deterministicBytes(64 * 1024 * 1024, 3).size(), 64 * 1024 * 1024);
    QVERIFY2(timer.elapsed() < 5000, "64 MiB must be quick to generate");
}

void SandboxTest::sha256_knownVectorAndFile()
{
    QCOMPARE(sha256Hex("abc"),
             QByteArrayLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"sub/dir/file.bin"_s);
    const QByteArray data = deterministicBytes(300000, 9);
    QVERIFY(writeFile(path, data));
    QCOMPARE(readFile(path), data);
    QCOMPARE(sha256OfFile(path), sha256Hex(data));
    QVERIFY(sha256OfFile(dir.filePath(u"missing"_s)).isEmpty());
}

void SandboxTest::freeLoopbackPort_isBindable()
{
    const quint16 port = freeLoopbackPort();
    QVERIFY(port != 0);
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, port));
}

QTEST_GUILESS_MAIN(SandboxTest)
#include "tst_sandbox.moc"
