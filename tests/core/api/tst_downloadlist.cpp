#include "api/downloadlist.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;

class TestDownloadList final : public QObject
{
    Q_OBJECT

    static QList<DownloadSnapshot> sample()
    {
        DownloadSnapshot a;
        a.id = 3;
        a.url = QUrl(u"https://user:hunter2@example.org/debian.iso"_s);
        a.fileName = u"debian.iso"_s;
        a.directory = u"/home/me/iso"_s;
        a.total = 664797184;
        a.state = DownloadState::Paused;
        a.maxConnections = 4;
        a.rateLimit = 2097152;
        DownloadSnapshot b;
        b.id = 4;
        b.url = QUrl(u"http://example.org/b.bin"_s);
        b.fileName = u"b.bin"_s;
        b.directory = u"/tmp/x"_s;
        b.state = DownloadState::Completed;
        return {a, b};
    }

private slots:
    void writeText_oneAddressPerLineWithoutPassword()
    {
        const QByteArray text = DownloadList::write(sample(), DownloadList::Format::Text);
        QCOMPARE(text, "https://user@example.org/debian.iso\nhttp://example.org/b.bin\n");
    }

    void writeJson_hasFieldsAndHeaderNamesOnly()
    {
        QHash<DownloadId, DownloadList::Extras> extras;
        extras.insert(3, {u"sha256=abcd"_s, {"Cookie", "Referer"}});
        const QByteArray json = DownloadList::write(sample(), DownloadList::Format::Json, extras);
        QVERIFY(!json.contains("hunter2"));
        const QJsonArray list = QJsonDocument::fromJson(json).array();
        QCOMPARE(list.size(), 2);
        const QJsonObject a = list.at(0).toObject();
        QCOMPARE(a.value(u"url"_s).toString(), u"https://user@example.org/debian.iso"_s);
        QCOMPARE(a.value(u"file"_s).toString(), u"debian.iso"_s);
        QCOMPARE(a.value(u"folder"_s).toString(), u"/home/me/iso"_s);
        QCOMPARE(a.value(u"size"_s).toInteger(), 664797184);
        QCOMPARE(a.value(u"state"_s).toString(), u"paused"_s);
        QCOMPARE(a.value(u"checksum"_s).toString(), u"sha256=abcd"_s);
        QCOMPARE(a.value(u"connections"_s).toInt(), 4);
        QCOMPARE(a.value(u"limit"_s).toInteger(), 2097152);
        QCOMPARE(a.value(u"headers"_s).toArray(), (QJsonArray{u"Cookie"_s, u"Referer"_s}));
        QCOMPARE(list.at(1).toObject().value(u"state"_s).toString(), u"completed"_s);
    }

    void roundTrip_jsonKeepsWhatARequestCanSay()
    {
        QHash<DownloadId, DownloadList::Extras> extras;
        extras.insert(3, {u"sha256=abcd"_s, {"Cookie"}});
        const auto in =
            DownloadList::read(DownloadList::write(sample(), DownloadList::Format::Json, extras));
        QVERIFY(in.skipped.isEmpty());
        QCOMPARE(in.requests.size(), 2);
        const DownloadRequest &a = in.requests.at(0);
        QCOMPARE(a.url, QUrl(u"https://user@example.org/debian.iso"_s));
        QCOMPARE(a.directory, u"/home/me/iso"_s);
        QCOMPARE(a.fileName, u"debian.iso"_s);
        QCOMPARE(a.checksum, u"sha256=abcd"_s);
        QCOMPARE(a.connections, std::optional<int>(4));
        QCOMPARE(a.rateLimit, std::optional<qint64>(2097152));
        QVERIFY(a.headers.isEmpty());
        QCOMPARE(in.requests.at(1).rateLimit, std::nullopt);
    }

    void roundTrip_text()
    {
        const auto in =
            DownloadList::read(DownloadList::write(sample(), DownloadList::Format::Text));
        QVERIFY(in.skipped.isEmpty());
        QCOMPARE(in.requests.size(), 2);
        QCOMPARE(in.requests.at(1).url, QUrl(u"http://example.org/b.bin"_s));
        QVERIFY(in.requests.at(1).directory.isEmpty());
    }

    void readCliListJson_takesFolderAndNameFromThePath()
    {
        const QByteArray lines =
            "{\"connections\":0,\"done\":664797184,\"eta\":-1,\"event\":\"download\",\"file\":\"/"
            "home/me/iso/debian "
            "(1).iso\",\"id\":3,\"resumable\":true,\"speed\":0,\"state\":\"completed\",\"total\":"
            "664797184,\"url\":\"https://example.org/debian.iso\"}"
            "\n"
            "{\"connections\":0,\"done\":0,\"eta\":-1,\"event\":\"download\",\"file\":\"big.img\","
            "\"id\":4,\"resumable\":false,\"speed\":0,\"state\":\"queued\",\"total\":-1,\"url\":"
            "\"https://example.org/big.img\"}"
            "\n"
            "{\"event\":\"download\",\"file\":\"obj\",\"id\":5,\"url\":\"s3://bucket/obj\"}"
            "\n";
        const auto in = DownloadList::read(lines);
        QCOMPARE(in.requests.size(), 2);
        QCOMPARE(in.requests.at(0).directory, u"/home/me/iso"_s);
        QCOMPARE(in.requests.at(0).fileName, u"debian (1).iso"_s);
        QCOMPARE(in.requests.at(0).connections, std::nullopt);
        QVERIFY(in.requests.at(1).directory.isEmpty());
        QCOMPARE(in.skipped, QStringList{u"entry 3: not an http or https address"_s});
    }

    void readText_findsAddressesAndNamesSkippedLines()
    {
        const QByteArray text =
            "# my list\nhttps://example.org/a.bin\n\nsee https://example.org/b.bin, too\n"
            "ftp://example.org/c.bin\nhttps://example.org/a.bin\n";
        const auto in = DownloadList::read(text);
        QCOMPARE(in.requests.size(), 2);
        QCOMPARE(in.requests.at(1).url, QUrl(u"https://example.org/b.bin"_s));
        QCOMPARE(in.skipped, QStringList{u"line 5: not an http or https address"_s});
    }

    void readText_patternsAreNotExpanded()
    {
        const auto in = DownloadList::read("https://example.org/f[1-3].bin\n");
        QVERIFY(in.requests.size() <= 1);
        QVERIFY(in.requests.size() + in.skipped.size() == 1);
    }

    void readJson_skipsNonObjectsAndOtherSchemes()
    {
        const auto in = DownloadList::read(
            "[{\"url\":\"https://h/a\"}, 5, {\"url\":\"file:///etc/passwd\"}, {}]");
        QCOMPARE(in.requests.size(), 1);
        QCOMPARE(in.skipped, (QStringList{u"entry 2: not a download"_s,
                                          u"entry 3: not an http or https address"_s,
                                          u"entry 4: not an http or https address"_s}));
    }
};

QTEST_GUILESS_MAIN(TestDownloadList)
#include "tst_downloadlist.moc"
