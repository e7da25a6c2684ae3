#include "engine/checksum.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;

Q_DECLARE_METATYPE(QCryptographicHash::Algorithm)

class TestChecksum : public QObject
{
    Q_OBJECT

private slots:
    void parse_acceptsValid_data();
    void parse_acceptsValid();
    void parse_rejectsWithReadableError_data();
    void parse_rejectsWithReadableError();
    void parse_toleratesNullErrorPointer();
    void hash_matchesKnownDigests_data();
    void hash_matchesKnownDigests();
    void hash_spansManyBlocks();
    void hash_failsOnUnreadablePath_data();
    void hash_failsOnUnreadablePath();
    void hash_stopsWhenCancelled();

private:
    QString writeFile(const QByteArray &content);

    QTemporaryDir m_dir;
    int m_counter = 0;
};

QString TestChecksum::writeFile(const QByteArray &content)
{
    const QString path = m_dir.filePath(u"f%1"_s.arg(++m_counter));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        return {};
    return path;
}

void TestChecksum::parse_acceptsValid_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QCryptographicHash::Algorithm>("algorithm");
    QTest::addColumn<QByteArray>("hex");
    QTest::addColumn<QString>("name");

    const QByteArray md5 = "d41d8cd98f00b204e9800998ecf8427e";
    const QByteArray sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
    const QByteArray sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const QByteArray sha512 = QByteArray(128, 'a');

    QTest::newRow("md5") << u"md5="_s + QString::fromLatin1(md5) << QCryptographicHash::Md5 << md5
                         << u"md5"_s;
    QTest::newRow("sha1") << u"sha1="_s + QString::fromLatin1(sha1) << QCryptographicHash::Sha1
                          << sha1 << u"sha1"_s;
    QTest::newRow("sha256") << u"sha256="_s + QString::fromLatin1(sha256)
                            << QCryptographicHash::Sha256 << sha256 << u"sha256"_s;
    QTest::newRow("sha512") << u"sha512="_s + QString::fromLatin1(sha512)
                            << QCryptographicHash::Sha512 << sha512 << u"sha512"_s;
    QTest::newRow("upper algo and hex") << u"SHA256="_s + QString::fromLatin1(sha256.toUpper())
                                        << QCryptographicHash::Sha256 << sha256 << u"sha256"_s;
    QTest::newRow("mixed case algo")
        << u"Md5="_s + QString::fromLatin1(md5) << QCryptographicHash::Md5 << md5 << u"md5"_s;
    QTest::newRow("surrounding spaces") << u"  sha1 = "_s + QString::fromLatin1(sha1) + u" \n"_s
                                        << QCryptographicHash::Sha1 << sha1 << u"sha1"_s;
}

void TestChecksum::parse_acceptsValid()
{
    QFETCH(QString, spec);
    QFETCH(QCryptographicHash::Algorithm, algorithm);
    QFETCH(QByteArray, hex);
    QFETCH(QString, name);

    QString error = u"untouched"_s;
    const auto parsed = parseChecksumSpec(spec, &error);
    QVERIFY(parsed.has_value());
    QCOMPARE(parsed->algorithm, algorithm);
    QCOMPARE(parsed->hex, hex);
    QCOMPARE(parsed->name, name);
}

void TestChecksum::parse_rejectsWithReadableError_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("errorContains");

    QTest::newRow("empty") << QString() << u"sha256=<hex digits>"_s;
    QTest::newRow("spaces") << u"   "_s << u"sha256=<hex digits>"_s;
    QTest::newRow("no equals") << u"sha256:abcd"_s << u"sha256=<hex digits>"_s;
    QTest::newRow("bare hex") << u"e3b0c44298fc1c14"_s << u"sha256=<hex digits>"_s;
    QTest::newRow("unknown algo") << u"crc32=deadbeef"_s
                                  << u"Unknown checksum algorithm \"crc32\""_s;
    QTest::newRow("empty algo") << u"=abcd"_s << u"Unknown checksum algorithm \"\""_s;
    QTest::newRow("dash spelling") << u"sha-256=abcd"_s << u"\"sha-256\""_s;
    QTest::newRow("too short") << u"sha256=e3b0c44298fc"_s
                               << u"sha256 checksum must be 64 hex digits, got 12"_s;
    QTest::newRow("too long") << u"md5="_s + QString(33, u'a')
                              << u"md5 checksum must be 32 hex digits, got 33"_s;
    QTest::newRow("sha1 length") << u"sha1="_s + QString(64, u'a')
                                 << u"sha1 checksum must be 40 hex digits, got 64"_s;
    QTest::newRow("sha512 length")
        << u"sha512="_s + QString(64, u'a') << u"sha512 checksum must be 128 hex digits, got 64"_s;
    QTest::newRow("empty hex") << u"sha256="_s << u"must be 64 hex digits, got 0"_s;
    QTest::newRow("non-hex letter") << u"md5="_s + QString(31, u'a') + u"g"_s << u"\"g\""_s;
    QTest::newRow("inner space") << u"md5=abcd efab"_s << u"only hex digits"_s;
    QTest::newRow("second equals") << u"md5=a=b"_s << u"\"=\""_s;
    QTest::newRow("0x prefix") << u"md5=0x"_s + QString(32, u'a') << u"\"x\""_s;
    QTest::newRow("unicode digit")
        << u"md5="_s + QString(31, u'a') + u"\u0663"_s << u"only hex digits"_s;
    QTest::newRow("fullwidth a") << u"md5="_s + QString(31, u'a') + u"\uff41"_s
                                 << u"only hex digits"_s;
}

void TestChecksum::parse_rejectsWithReadableError()
{
    QFETCH(QString, spec);
    QFETCH(QString, errorContains);

    QString error;
    QVERIFY(!parseChecksumSpec(spec, &error).has_value());
    QVERIFY2(error.contains(errorContains), qPrintable(error));
    QVERIFY(error.endsWith(u'.'));
}

void TestChecksum::parse_toleratesNullErrorPointer()
{
    QVERIFY(!parseChecksumSpec(u"bogus"_s, nullptr).has_value());
    QVERIFY(parseChecksumSpec(u"md5="_s + QString(32, u'0'), nullptr).has_value());
}

void TestChecksum::hash_matchesKnownDigests_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QCryptographicHash::Algorithm>("algorithm");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("empty md5") << QByteArray() << QCryptographicHash::Md5
                               << QByteArray("d41d8cd98f00b204e9800998ecf8427e");
    QTest::newRow("empty sha256")
        << QByteArray() << QCryptographicHash::Sha256
        << QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    QTest::newRow("abc sha1") << QByteArray("abc") << QCryptographicHash::Sha1
                              << QByteArray("a9993e364706816aba3e25717850c26c9cd0d89d");
    QTest::newRow("abc sha256")
        << QByteArray("abc") << QCryptographicHash::Sha256
        << QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    QTest::newRow("abc sha512")
        << QByteArray("abc") << QCryptographicHash::Sha512
        << QByteArray("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    QTest::newRow("binary with nul")
        << QByteArray("\0\xff\0", 3) << QCryptographicHash::Md5
        << QCryptographicHash::hash(QByteArray("\0\xff\0", 3), QCryptographicHash::Md5).toHex();
}

void TestChecksum::hash_matchesKnownDigests()
{
    QFETCH(QByteArray, content);
    QFETCH(QCryptographicHash::Algorithm, algorithm);
    QFETCH(QByteArray, expected);

    QVERIFY(m_dir.isValid());
    const QString path = writeFile(content);
    QVERIFY(!path.isEmpty());
    QCOMPARE(fileHashHex(path, algorithm), expected);
}

void TestChecksum::hash_spansManyBlocks()
{
    // Just over 3 MiB, so the last block is partial; compare with a one-shot hash of the bytes.
    QByteArray content(3 * 1024 * 1024 + 17, Qt::Uninitialized);
    for (qsizetype i = 0; i < content.size(); ++i)
        content[i] = char((i * 131) % 251);
    const QString path = writeFile(content);
    QVERIFY(!path.isEmpty());
    const QByteArray expected =
        QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex();
    const std::atomic_bool notCancelled = false;
    QCOMPARE(fileHashHex(path, QCryptographicHash::Sha256, &notCancelled), expected);
}

void TestChecksum::hash_failsOnUnreadablePath_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("missing") << m_dir.filePath(u"does-not-exist"_s);
    QTest::newRow("directory") << m_dir.path();
    QTest::newRow("empty path") << QString();
}

void TestChecksum::hash_failsOnUnreadablePath()
{
    QFETCH(QString, path);
    QVERIFY(fileHashHex(path, QCryptographicHash::Sha256).isEmpty());
}

void TestChecksum::hash_stopsWhenCancelled()
{
    const QString path = writeFile(QByteArray(2 * 1024 * 1024, 'x'));
    QVERIFY(!path.isEmpty());
    const std::atomic_bool cancelled = true;
    QVERIFY(fileHashHex(path, QCryptographicHash::Md5, &cancelled).isEmpty());
}

QTEST_GUILESS_MAIN(TestChecksum)
#include "tst_checksum.moc"
