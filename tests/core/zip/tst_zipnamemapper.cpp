#include "zip/zipnamemapper.h"

#include <QSet>
#include <QTest>

#include <algorithm>
#include <random>

using namespace Qt::StringLiterals;
using namespace ferry::zip;

namespace {

// Keys ending in '/' are folder markers (size 0); everything else is a 1-byte object.
QList<ZipNameMapper::Key> toKeys(const QStringList &keys)
{
    QList<ZipNameMapper::Key> result;
    for (const QString &k : keys)
        result.append({k, k.endsWith(u'/') ? 0 : 1});
    return result;
}

const QStringList HostileKeys = {
    u"../x"_s, u"/abs"_s, u"a\\b"_s, u"C:\\x"_s, u"a\tb\n.txt"_s, u"a//b"_s, u"a/b"_s,
    u"A.txt"_s, u"a.txt"_s, u"a"_s, u"a/b/c"_s, u"\u62a5\u544a/\u6570\u636e.txt"_s, u"."_s,
    u".."_s, u"../.."_s, u"x/../../../etc/passwd"_s, u"CON"_s, u"nul.txt"_s, u"q?.txt"_s,
    u"trailing. "_s, u"\u202etxt.exe"_s, u"e\u0301.txt"_s, u"\u00e9.txt"_s, u"dir/"_s,
    u"Dir/"_s, u"dir/file"_s, u"DIR/FILE"_s,
};

} // namespace

class TestZipNameMapper : public QObject
{
    Q_OBJECT

private slots:
    void map_givesSafeUniqueNames_data();
    void map_givesSafeUniqueNames();
    void map_neverYieldsUnsafeOrDuplicateNames();
    void map_doesNotDependOnInputOrder();
};

void TestZipNameMapper::map_givesSafeUniqueNames_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QStringList>("keys");
    QTest::addColumn<QStringList>("expected");  // entry names, same order as keys
    QTest::addColumn<QStringList>("changed");   // keys reported as changed

    QTest::newRow("relative to prefix")
        << u"photos/2023/"_s << QStringList{u"photos/2023/a.jpg"_s, u"photos/2023/sub/b.txt"_s}
        << QStringList{u"a.jpg"_s, u"sub/b.txt"_s} << QStringList{};
    QTest::newRow("prefix without slash keeps its folder")
        << u"photos/20"_s << QStringList{u"photos/2023/a.jpg"_s}
        << QStringList{u"2023/a.jpg"_s} << QStringList{};
    QTest::newRow("parent segments dropped")
        << QString() << QStringList{u"../x"_s, u"a/../../b"_s, u"y/../../../etc/passwd"_s}
        << QStringList{u"x"_s, u"a/b"_s, u"y/etc/passwd"_s}
        << QStringList{u"../x"_s, u"a/../../b"_s, u"y/../../../etc/passwd"_s};
    QTest::newRow("absolute")
        << QString() << QStringList{u"/abs"_s, u"//etc/passwd"_s}
        << QStringList{u"abs"_s, u"etc/passwd"_s} << QStringList{u"/abs"_s, u"//etc/passwd"_s};
    QTest::newRow("backslash is a folder separator")
        << QString() << QStringList{u"a\\b"_s} << QStringList{u"a/b"_s} << QStringList{u"a\\b"_s};
    QTest::newRow("drive letters")
        << QString() << QStringList{u"C:\\x"_s, u"D:rel.txt"_s, u"e:/y"_s}
        << QStringList{u"x"_s, u"rel.txt"_s, u"y"_s}
        << QStringList{u"C:\\x"_s, u"D:rel.txt"_s, u"e:/y"_s};
    QTest::newRow("control characters replaced")
        << QString() << QStringList{u"a\tb\n.txt"_s, u"dir\x01/f"_s}
        << QStringList{u"a_b_.txt"_s, u"dir_/f"_s} << QStringList{u"a\tb\n.txt"_s, u"dir\x01/f"_s};
    QTest::newRow("windows-forbidden characters")
        << QString() << QStringList{u"ab:c?.txt"_s, u"con.txt"_s}
        << QStringList{u"ab_c_.txt"_s, u"_con.txt"_s} << QStringList{u"ab:c?.txt"_s, u"con.txt"_s};
    QTest::newRow("empty segments collapse and collide")
        << QString() << QStringList{u"a//b"_s, u"a/b"_s}
        << QStringList{u"a/b (1)"_s, u"a/b"_s} << QStringList{u"a//b"_s};
    QTest::newRow("names differing by case")
        << QString() << QStringList{u"a.txt"_s, u"A.txt"_s}
        << QStringList{u"a (1).txt"_s, u"A.txt"_s} << QStringList{u"a.txt"_s};
    QTest::newRow("renamed name never steals an existing one")
        << QString() << QStringList{u"a.txt"_s, u"A.txt"_s, u"a (1).txt"_s}
        << QStringList{u"a (2).txt"_s, u"A.txt"_s, u"a (1).txt"_s} << QStringList{u"a.txt"_s};
    QTest::newRow("double extension kept together")
        << QString() << QStringList{u"x.tar.gz"_s, u"X.tar.gz"_s}
        << QStringList{u"x (1).tar.gz"_s, u"X.tar.gz"_s} << QStringList{u"x.tar.gz"_s};
    QTest::newRow("file beside folder of the same name")
        << QString() << QStringList{u"a"_s, u"a/b"_s}
        << QStringList{u"a (1)"_s, u"a/b"_s} << QStringList{u"a"_s};
    QTest::newRow("file beside folder differing by case")
        << QString() << QStringList{u"Docs"_s, u"docs/x.txt"_s}
        << QStringList{u"Docs (1)"_s, u"docs/x.txt"_s} << QStringList{u"Docs"_s};
    QTest::newRow("folders differing by case merge")
        << QString() << QStringList{u"Photos/x.jpg"_s, u"photos/y.jpg"_s}
        << QStringList{u"Photos/x.jpg"_s, u"Photos/y.jpg"_s} << QStringList{u"photos/y.jpg"_s};
    // Sorted by key, the decomposed spelling ("e" + U+0301) comes first and keeps its name.
    QTest::newRow("composed and decomposed accents collide")
        << QString() << QStringList{u"\u00e9.txt"_s, u"e\u0301.txt"_s}
        << QStringList{u"\u00e9 (1).txt"_s, u"e\u0301.txt"_s} << QStringList{u"\u00e9.txt"_s};
    QTest::newRow("chinese names untouched")
        << u"\u9879\u76ee/"_s
        << QStringList{u"\u9879\u76ee/\u62a5\u544a/\u6570\u636e 2023.txt"_s,
                       u"\u9879\u76ee/\u56fe\u7247.png"_s}
        << QStringList{u"\u62a5\u544a/\u6570\u636e 2023.txt"_s, u"\u56fe\u7247.png"_s}
        << QStringList{};
    QTest::newRow("dot-only keys")
        << QString() << QStringList{u"."_s, u".."_s, u"./.."_s, u"a/./b"_s}
        << QStringList{u"unnamed"_s, u"unnamed (1)"_s, u"unnamed (2)"_s, u"a/b"_s}
        << QStringList{u"."_s, u".."_s, u"./.."_s, u"a/./b"_s};
    QTest::newRow("folder markers")
        << u"photos/"_s
        << QStringList{u"photos/"_s, u"photos/a/"_s, u"photos/a/x.txt"_s, u"photos/empty/"_s}
        << QStringList{QString(), u"a/"_s, u"a/x.txt"_s, u"empty/"_s} << QStringList{};
    QTest::newRow("duplicate folder markers")
        << QString() << QStringList{u"a/"_s, u"a//"_s, u"A/"_s}
        << QStringList{QString(), QString(), u"A/"_s} << QStringList{u"a/"_s, u"a//"_s};
    QTest::newRow("file beside folder marker")
        << QString() << QStringList{u"a"_s, u"a/"_s}
        << QStringList{u"a (1)"_s, u"a/"_s} << QStringList{u"a"_s};
    QTest::newRow("dot-only folder marker skipped")
        << QString() << QStringList{u"./"_s, u"../"_s}
        << QStringList{QString(), QString()} << QStringList{u"./"_s, u"../"_s};
}

void TestZipNameMapper::map_givesSafeUniqueNames()
{
    QFETCH(QString, prefix);
    QFETCH(QStringList, keys);
    QFETCH(QStringList, expected);
    QFETCH(QStringList, changed);

    const QList<ZipName> names = ZipNameMapper(prefix).map(toKeys(keys));
    QCOMPARE(names.size(), keys.size());
    QStringList got;
    QStringList gotChanged;
    for (const ZipName &n : names) {
        got << n.entryName;
        if (n.changed)
            gotChanged << n.key;
        QCOMPARE(n.directory, n.key.endsWith(u'/'));
    }
    QCOMPARE(got, expected);
    std::sort(gotChanged.begin(), gotChanged.end());
    std::sort(changed.begin(), changed.end());
    QCOMPARE(gotChanged, changed);
}

void TestZipNameMapper::map_neverYieldsUnsafeOrDuplicateNames()
{
    const QList<ZipName> names = ZipNameMapper().map(toKeys(HostileKeys));
    QSet<QString> seen;
    for (const ZipName &n : names) {
        if (n.entryName.isEmpty())
            continue;
        const QString name = n.entryName;
        QVERIFY2(!name.startsWith(u'/') && !name.contains(u'\\') && !name.contains(u"//"_s),
                 qPrintable(name));
        QString path = name;
        if (n.directory)
            path.chop(1);
        for (const QString &segment : path.split(u'/')) {
            QVERIFY2(!segment.isEmpty() && segment != u"."_s && segment != u".."_s, qPrintable(name));
            QVERIFY2(!segment.contains(u':'), qPrintable(name));
            for (const QChar c : segment)
                QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7f, qPrintable(name));
        }
        const QString folded = path.normalized(QString::NormalizationForm_C).toCaseFolded();
        QVERIFY2(!seen.contains(folded), qPrintable(name));
        seen.insert(folded);
        QCOMPARE(n.changed, n.entryName != n.key);
    }
}

void TestZipNameMapper::map_doesNotDependOnInputOrder()
{
    QStringList shuffled = HostileKeys;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(42));
    const QList<ZipName> a = ZipNameMapper().map(toKeys(HostileKeys));
    const QList<ZipName> b = ZipNameMapper().map(toKeys(shuffled));
    QHash<QString, QString> byKey;
    for (const ZipName &n : a)
        byKey.insert(n.key, n.entryName);
    for (const ZipName &n : b)
        QCOMPARE(n.entryName, byKey.value(n.key));
}

QTEST_GUILESS_MAIN(TestZipNameMapper)
#include "tst_zipnamemapper.moc"
