// The browser extension's path into Ferry: the wire format and checks of BrowserMessage, the
// real ferry-browser-host binary, and the window's side of the single-instance socket.

#include "singleinstance.h"

#include "api/browsermessage.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace Qt::StringLiterals;
using ferry::BrowserFrame;
using ferry::BrowserMessage;
using ferry::app::SingleInstance;

namespace {

// A made-up login cookie; the tests check it never leaves memory.
const QString kCookie = u"sid=c00kie-that-must-stay-in-memory"_s;

// Length in the machine's byte order, then the body: written here by hand, not with the code
// under test.
QByteArray nativeFrame(const QByteArray &body, quint32 length)
{
    QByteArray out(4, Qt::Uninitialized);
    std::memcpy(out.data(), &length, 4);
    return out + body;
}

QByteArray nativeFrame(const QByteArray &body)
{
    return nativeFrame(body, quint32(body.size()));
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject downloadMessage(const QString &url)
{
    return QJsonObject{{u"type"_s, u"download"_s}, {u"browser"_s, u"chromium"_s}, {u"extensionVersion"_s, u"1.0"_s},
                       {u"url"_s, url}, {u"referrer"_s, u"https://page.example/list?x=1#top"_s},
                       {u"userAgent"_s, u"Mozilla/5.0 Test"_s}, {u"cookies"_s, kCookie},
                       {u"filename"_s, u"archive.zip"_s}, {u"size"_s, 12345}, {u"mime"_s, u"application/zip"_s},
                       {u"incognito"_s, false}};
}

QJsonObject withField(QJsonObject object, const QString &key, const QJsonValue &value)
{
    if (value.isUndefined())
        object.remove(key);
    else
        object.insert(key, value);
    return object;
}

struct HostRun
{
    bool finished = false;  // ended by itself, not by a signal, within the timeout
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool framed = false;    // stdout is exactly one frame holding a JSON object
    QJsonObject answer;
};

} // namespace

class BrowserHostTest : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void readFrame_broken_isRefusedWithSentence_data();
    void readFrame_broken_isRefusedWithSentence();
    void readFrame_whole_readsNoFurther();
    void frame_writesNativeLengthAndCompactJson();
    void parse_invalid_isRefusedWithSentence_data();
    void parse_invalid_isRefusedWithSentence();
    void parse_download_roundTripsAndBecomesRequest();
    void parse_linksMixed_dropsAndCountsBadOnes();
    void originKey_format_data();
    void originKey_format();

    void host_hello_answersNotRunning();
    void host_downloadWithoutWindow_failsWithExit1();
    void host_malformedInput_answersErrorFrame_data();
    void host_malformedInput_answersErrorFrame();
    void host_unstartableWindow_failsWithSentence();
    void host_download_isRelayedToWindowAndAnswered();
    void host_helloWithWindow_answersRunningAndRaisesNothing();
    void host_registerAndUnregister_writeAndRemoveManifests();

    void window_withoutReceiver_refuses();
    void window_malformedLine_isAnsweredWithError();
    void window_overlongLine_isAnsweredWithError();
    void window_droppedReply_stillAnswers();

private:
    QProcessEnvironment hostEnvironment() const;
    HostRun runHost(const QByteArray &input, const QStringList &extra = {}, bool closeInput = false) const;
    QByteArray windowExchange(const QByteArray &data) const;

    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_stateDir;
    QString m_host = qEnvironmentVariable("FERRY_BROWSER_HOST");
};

void BrowserHostTest::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_stateDir = m_tmp->filePath(u"state"_s);
    QVERIFY(QDir().mkpath(m_stateDir));
}

// --- BrowserFrame --------------------------------------------------------------------------

void BrowserHostTest::readFrame_broken_isRefusedWithSentence_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("error");
    QTest::newRow("nothing") << QByteArray() << u"No message arrived."_s;
    QTest::newRow("truncated length") << QByteArray("\x05\x00", 2) << u"The message ended after 2 of the 4 length bytes."_s;
    QTest::newRow("short body") << nativeFrame("{\"a\"", 10) << u"The message ended after 4 of its 10 bytes."_s;
    QTest::newRow("over-long") << nativeFrame("{}", 5 * 1024 * 1024) << u"The message is 5242880 bytes; at most 4194304 are accepted."_s;
    QTest::newRow("zero length") << nativeFrame({}, 0) << u"The message is empty."_s;
}

void BrowserHostTest::readFrame_broken_isRefusedWithSentence()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, error);
    QBuffer buffer(&input);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    QString got;
    QVERIFY(!BrowserFrame::readFrame(buffer, &got));
    QCOMPARE(got, error);
}

void BrowserHostTest::readFrame_whole_readsNoFurther()
{
    QByteArray input = nativeFrame("{\"a\":1}") + "next";
    QBuffer buffer(&input);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    QString error;
    const auto body = BrowserFrame::readFrame(buffer, &error);
    QVERIFY2(body, qPrintable(error));
    QCOMPARE(*body, QByteArray("{\"a\":1}"));
    QCOMPARE(buffer.pos(), 4 + 7);
}

void BrowserHostTest::frame_writesNativeLengthAndCompactJson()
{
    const QByteArray out = BrowserFrame::frame(QJsonObject{{u"ok"_s, true}});
    QCOMPARE(out, nativeFrame("{\"ok\":true}"));
    // Over the browser's 1 MB limit the answer becomes an error the browser can still take.
    const QByteArray big = BrowserFrame::frame(QJsonObject{{u"text"_s, QString(2 * 1024 * 1024, u'x')}});
    QVERIFY(big.size() < 1024);
    const QJsonObject error = QJsonDocument::fromJson(big.mid(4)).object();
    QCOMPARE(error.value(u"ok"_s).toBool(true), false);
    QVERIFY(error.value(u"error"_s).toString().startsWith(u"The answer is "_s));
}

// --- BrowserMessage ------------------------------------------------------------------------

void BrowserHostTest::parse_invalid_isRefusedWithSentence_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    const QByteArray badJson = "{\"type\": hello}";
    QJsonParseError parseError;
    QJsonDocument::fromJson(badJson, &parseError);
    QTest::newRow("bad JSON") << badJson << u"The message is not valid JSON: %1 at offset %2."_s.arg(parseError.errorString()).arg(parseError.offset);
    QTest::newRow("not an object") << QByteArray("[1,2]") << u"The message is not a JSON object."_s;
    QTest::newRow("unknown type") << QByteArray(R"({"type":"upload","browser":"chromium"})") << u"The message type \"upload\" is not known."_s;
    QTest::newRow("no browser") << QByteArray(R"({"type":"hello"})") << u"The message has no \"browser\"."_s;

    const auto row = [](const char *name, const QJsonObject &message, const QString &error) {
        QTest::newRow(name) << compact(message) << error;
    };
    const QJsonObject good = downloadMessage(u"https://files.example/archive.zip"_s);
    row("missing url", withField(good, u"url"_s, QJsonValue::Undefined), u"The message has no \"url\"."_s);
    row("javascript url", withField(good, u"url"_s, u"javascript:alert(1)"_s),
        u"Only http and https addresses can be downloaded, not \"javascript:\"."_s);
    row("data url", withField(good, u"url"_s, u"data:text/plain,hello"_s),
        u"Only http and https addresses can be downloaded, not \"data:\"."_s);
    row("file url", withField(good, u"url"_s, u"file:///etc/passwd"_s),
        u"Only http and https addresses can be downloaded, not \"file:\"."_s);
    row("blob url", withField(good, u"url"_s, u"blob:https://files.example/0f3c"_s),
        u"Only http and https addresses can be downloaded, not \"blob:\"."_s);
    row("relative url", withField(good, u"url"_s, u"/archive.zip"_s), u"The address is not a valid absolute URL."_s);
    row("huge cookie header", withField(good, u"cookies"_s, QString(40000, u'c')),
        u"The Cookie header is 40000 bytes; at most 32768 are accepted."_s);
    row("CR/LF in cookie", withField(good, u"cookies"_s, u"a=1\r\nX-Injected: 1"_s),
        u"The Cookie header contains a line break or NUL character."_s);
    row("bad referrer scheme", withField(good, u"referrer"_s, u"ftp://files.example/"_s),
        u"The referrer must be an http or https address, not \"ftp:\"."_s);
    row("size below -1", withField(good, u"size"_s, -2), u"The size must be a whole number of bytes, or -1 when it is unknown."_s);
    row("fractional size", withField(good, u"size"_s, 1.5), u"The size must be a whole number of bytes, or -1 when it is unknown."_s);
    row("control in user agent", withField(good, u"userAgent"_s, u"Mozilla\x01"_s), u"The User-Agent contains control characters."_s);
    row("long file name", withField(good, u"filename"_s, QString(1025, u'n')), u"The file name is 1025 bytes; at most 1024 are accepted."_s);

    const QJsonObject badLinks{{u"type"_s, u"links"_s}, {u"browser"_s, u"firefox"_s}, {u"page"_s, u"https://page.example/"_s},
                               {u"links"_s, QJsonArray{QJsonObject{{u"url"_s, u"javascript:void(0)"_s}},
                                                       QJsonObject{{u"url"_s, u"mailto:someone@example.com"_s}}}}};
    row("links all bad", badLinks, u"None of the links is an http or https address."_s);
    row("links empty", withField(badLinks, u"links"_s, QJsonArray()), u"The message has no links."_s);
    row("cookie origin not canonical",
        withField(withField(badLinks, u"links"_s, QJsonArray{QJsonObject{{u"url"_s, u"https://a.example/f"_s}}}),
                  u"cookies"_s, QJsonObject{{u"https://a.example"_s, u"s=1"_s}}),
        u"A cookie origin is not of the form \"https://example.com:443\"."_s);
}

void BrowserHostTest::parse_invalid_isRefusedWithSentence()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString got;
    QVERIFY(!BrowserMessage::parse(json, &got));
    QCOMPARE(got, error);
}

void BrowserHostTest::parse_download_roundTripsAndBecomesRequest()
{
    QString error;
    const auto m = BrowserMessage::parse(compact(downloadMessage(u"https://files.example/a%20b.zip?t=1"_s)), &error);
    QVERIFY2(m, qPrintable(error));
    QCOMPARE(m->type, BrowserMessage::Type::Download);
    QCOMPARE(m->browser, u"chromium"_s);
    QCOMPARE(m->size, 12345);
    QVERIFY(m->cookies == kCookie); // QVERIFY: a failing QCOMPARE would print the value

    const auto again = BrowserMessage::fromJson(m->toJson(), &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(again->toJson(), m->toJson());

    const QList<ferry::DownloadRequest> requests = m->requests();
    QCOMPARE(requests.size(), 1);
    const ferry::DownloadRequest &r = requests.first();
    QCOMPARE(r.url, QUrl(u"https://files.example/a%20b.zip?t=1"_s));
    QCOMPARE(r.probedName, u"archive.zip"_s);
    QCOMPARE(r.probedSize, 12345);
    QCOMPARE(r.headers.size(), 3);
    QCOMPARE(r.headers.at(0).first, QByteArray("Cookie"));
    QVERIFY(r.headers.at(0).second == kCookie.toUtf8());
    // The Referer leaves the fragment out, as a browser's does.
    QCOMPARE(r.headers.at(1), (QPair<QByteArray, QByteArray>("Referer", "https://page.example/list?x=1")));
    QCOMPARE(r.headers.at(2), (QPair<QByteArray, QByteArray>("User-Agent", "Mozilla/5.0 Test")));
}

void BrowserHostTest::parse_linksMixed_dropsAndCountsBadOnes()
{
    const QJsonArray links{QJsonObject{{u"url"_s, u"https://a.example/x.zip"_s}, {u"text"_s, u"  The\tfile\n "_s}},
                           QJsonObject{{u"url"_s, u"javascript:void(0)"_s}},
                           QJsonObject{{u"url"_s, u"mailto:someone@example.com"_s}},
                           QJsonObject{{u"url"_s, u"http://b.example:8080/y.iso"_s}},
                           QJsonObject{{u"url"_s, 5}},
                           u"not an object"_s};
    const QJsonObject cookies{{u"https://a.example:443"_s, kCookie}, {u"http://b.example:8080"_s, u"t=2"_s}};
    const QJsonObject message{{u"type"_s, u"links"_s}, {u"browser"_s, u"firefox"_s}, {u"extensionVersion"_s, u"1.0"_s},
                              {u"page"_s, u"https://page.example/list"_s}, {u"userAgent"_s, u"UA"_s},
                              {u"links"_s, links}, {u"cookies"_s, cookies}};
    QString error;
    const auto m = BrowserMessage::parse(compact(message), &error);
    QVERIFY2(m, qPrintable(error));
    QCOMPARE(m->links.size(), 2);
    QCOMPARE(m->skipped, 4);
    QCOMPARE(m->links.at(0).text, u"The file"_s);
    // The count survives the window's second reading of the checked form.
    const auto again = BrowserMessage::fromJson(m->toJson(), &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(again->skipped, 4);

    const QList<ferry::DownloadRequest> requests = m->requests();
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests.at(0).url, QUrl(u"https://a.example/x.zip"_s));
    QCOMPARE(requests.at(0).headers.size(), 3);
    QVERIFY(requests.at(0).headers.at(0) == (QPair<QByteArray, QByteArray>("Cookie", kCookie.toUtf8())));
    QCOMPARE(requests.at(0).headers.at(1), (QPair<QByteArray, QByteArray>("Referer", "https://page.example/list")));
    QCOMPARE(requests.at(1).headers.at(0), (QPair<QByteArray, QByteArray>("Cookie", "t=2")));
    QCOMPARE(requests.at(1).headers.at(2), (QPair<QByteArray, QByteArray>("User-Agent", "UA")));
}

void BrowserHostTest::originKey_format_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("key");
    QTest::newRow("https default port") << u"https://Example.COM/path?q#f"_s << u"https://example.com:443"_s;
    QTest::newRow("http default port") << u"http://example.com/"_s << u"http://example.com:80"_s;
    QTest::newRow("explicit port") << u"https://user:pw@h.example:8443/x"_s << u"https://h.example:8443"_s;
    QTest::newRow("IPv6") << u"http://[::1]:8080/x"_s << u"http://[::1]:8080"_s;
    QTest::newRow("IDN") << u"https://bücher.example/"_s << u"https://xn--bcher-kva.example:443"_s;
    QTest::newRow("not web") << u"ftp://files.example/"_s << QString();
}

void BrowserHostTest::originKey_format()
{
    QFETCH(QString, url);
    QFETCH(QString, key);
    QCOMPARE(ferry::originKey(QUrl(url)), key);
}

// --- The host binary -----------------------------------------------------------------------

QProcessEnvironment BrowserHostTest::hostEnvironment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"HOME"_s, m_tmp->filePath(u"home"_s));
    env.remove(u"XDG_CONFIG_HOME"_s);
    env.remove(u"XDG_DATA_HOME"_s);
    return env;
}

// Runs the host as a browser does: the frame on stdin, which stays open unless `closeInput`,
// while the event loop keeps serving any window the test runs.
HostRun BrowserHostTest::runHost(const QByteArray &input, const QStringList &extra, bool closeInput) const
{
    HostRun run;
    QProcess process;
    process.setProcessEnvironment(hostEnvironment());
    process.start(m_host, QStringList{u"--state-dir"_s, m_stateDir} + extra + QStringList{u"chrome-extension://cihnbmkedaphfpommogcckbnlfknfmal/"_s});
    if (!process.waitForStarted(30000))
        return run;
    process.write(input);
    if (closeInput)
        process.closeWriteChannel();
    QSignalSpy finished(&process, &QProcess::finished);
    if (process.state() != QProcess::NotRunning && !finished.wait(60000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.finished = process.exitStatus() == QProcess::NormalExit;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    quint32 length = 0;
    if (run.out.size() >= 4)
        std::memcpy(&length, run.out.constData(), 4);
    const QJsonDocument answer = QJsonDocument::fromJson(run.out.mid(4));
    run.framed = run.out.size() >= 4 && length == quint32(run.out.size() - 4) && answer.isObject();
    run.answer = answer.object();
    return run;
}

void BrowserHostTest::host_hello_answersNotRunning()
{
    const HostRun run = runHost(nativeFrame(R"({"type":"hello","browser":"chromium","extensionVersion":"2.0"})"), {u"--no-start"_s});
    QVERIFY2(run.finished && run.framed, run.err.constData());
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.answer, (QJsonObject{{u"ok"_s, true}, {u"ferryVersion"_s, QStringLiteral(FERRY_VERSION)}, {u"running"_s, false}}));
    QSettings contacts(m_stateDir + u"/browsers.ini"_s, QSettings::IniFormat);
    QCOMPARE(contacts.value(u"chromium/extensionVersion"_s).toString(), u"2.0"_s);
}

void BrowserHostTest::host_downloadWithoutWindow_failsWithExit1()
{
    const HostRun run = runHost(nativeFrame(compact(downloadMessage(u"https://files.example/a.zip"_s))), {u"--no-start"_s});
    QVERIFY2(run.finished && run.framed, run.err.constData());
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.answer, (QJsonObject{{u"ok"_s, false}, {u"error"_s, u"Ferry is not running."_s}}));
    QVERIFY(!run.err.contains(kCookie.toUtf8()));
}

void BrowserHostTest::host_malformedInput_answersErrorFrame_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("error");
    QTest::newRow("truncated length") << QByteArray("\x05\x00", 2) << u"The message ended after 2 of the 4 length bytes."_s;
    QTest::newRow("short body") << nativeFrame("{\"type\"", 100) << u"The message ended after 7 of its 100 bytes."_s;
    QTest::newRow("over-long") << nativeFrame({}, 5 * 1024 * 1024) << u"The message is 5242880 bytes; at most 4194304 are accepted."_s;
    QTest::newRow("not JSON") << nativeFrame("\xff\xfe garbage") << QString();
    QTest::newRow("unknown type") << nativeFrame(R"({"type":"rm","browser":"chromium"})") << u"The message type \"rm\" is not known."_s;
}

void BrowserHostTest::host_malformedInput_answersErrorFrame()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, error);
    const HostRun run = runHost(input, {u"--no-start"_s}, true);
    QVERIFY2(run.finished && run.framed, run.err.constData());
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.answer.value(u"ok"_s).toBool(true), false);
    if (error.isEmpty())
        QVERIFY(run.answer.value(u"error"_s).toString().startsWith(u"The message is not valid JSON: "_s));
    else
        QCOMPARE(run.answer.value(u"error"_s).toString(), error);
}

void BrowserHostTest::host_unstartableWindow_failsWithSentence()
{
    const QString missing = m_tmp->filePath(u"no-such-ferry"_s);
    const HostRun run = runHost(nativeFrame(compact(downloadMessage(u"https://files.example/a.zip"_s))), {u"--window"_s, missing});
    QVERIFY2(run.finished && run.framed, run.err.constData());
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.answer.value(u"error"_s).toString(), u"Ferry could not be started (%1)."_s.arg(missing));
}

void BrowserHostTest::host_download_isRelayedToWindowAndAnswered()
{
    SingleInstance window(m_stateDir);
    QVERIFY(window.listen());
    window.setReady();
    QJsonObject recorded;
    int calls = 0;
    connect(&window, &SingleInstance::browserMessage, this, [&](const QJsonObject &message, const SingleInstance::Reply &reply) {
        recorded = message;
        ++calls;
        reply(QJsonObject{{u"ok"_s, true}});
        reply(QJsonObject{{u"ok"_s, false}, {u"error"_s, u"a second answer is ignored"_s}});
    });
    const HostRun run = runHost(nativeFrame(compact(downloadMessage(u"https://files.example/a.zip"_s))), {u"--no-start"_s});
    QVERIFY2(run.finished && run.framed, run.err.constData());
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.answer, (QJsonObject{{u"ok"_s, true}}));
    QCOMPARE(calls, 1);

    QString error;
    const auto message = BrowserMessage::fromJson(recorded, &error);
    QVERIFY2(message, qPrintable(error));
    QCOMPARE(message->url, QUrl(u"https://files.example/a.zip"_s));
    QCOMPARE(message->referrer, QUrl(u"https://page.example/list?x=1#top"_s));
    QVERIFY(message->cookies == kCookie);

    // The cookie lives only in the messages: not in diagnostics, not in the contact record.
    QVERIFY(!run.err.contains("c00kie"));
    QFile contacts(m_stateDir + u"/browsers.ini"_s);
    QVERIFY(contacts.open(QIODevice::ReadOnly));
    const QByteArray ini = contacts.readAll();
    QVERIFY(!ini.contains("c00kie"));
    QVERIFY(!ini.contains("files.example"));
    QSettings settings(contacts.fileName(), QSettings::IniFormat);
    const QDateTime last = QDateTime::fromString(settings.value(u"chromium/lastContact"_s).toString(), Qt::ISODate);
    QVERIFY(last.isValid());
    QCOMPARE(last.timeSpec(), Qt::UTC);
    QVERIFY(qAbs(last.secsTo(QDateTime::currentDateTimeUtc())) < 600);
}

void BrowserHostTest::host_helloWithWindow_answersRunningAndRaisesNothing()
{
    SingleInstance window(m_stateDir);
    QVERIFY(window.listen());
    window.setReady();
    QSignalSpy urls(&window, &SingleInstance::urlsReceived);
    const HostRun run = runHost(nativeFrame(R"({"type":"hello","browser":"firefox","extensionVersion":"2.0"})"), {u"--no-start"_s});
    QVERIFY2(run.finished && run.framed, run.err.constData());
    QCOMPARE(run.answer.value(u"running"_s).toBool(), true);

    // The URL hand-over of a second launch is unchanged, and the status check raised nothing
    // before it.
    SingleInstance second(m_stateDir);
    QVERIFY(second.handOver({u"https://a.example/1"_s, u"https://b.example/2"_s}));
    QTRY_COMPARE(urls.count(), 1);
    QCOMPARE(urls.at(0).at(0).toStringList(), (QStringList{u"https://a.example/1"_s, u"https://b.example/2"_s}));
    QVERIFY(second.handOver({}));
    QTRY_COMPARE(urls.count(), 2);
    QCOMPARE(urls.at(1).at(0).toStringList(), QStringList());
}

void BrowserHostTest::host_registerAndUnregister_writeAndRemoveManifests()
{
    const QString home = m_tmp->filePath(u"home"_s);
    QVERIFY(QDir().mkpath(home));
    QProcess process;
    process.setProcessEnvironment(hostEnvironment());
    process.start(m_host, {u"--register"_s});
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    const QByteArray written = process.readAllStandardOutput();

    const QString file = u"io.github.ferry.host.json"_s;
    const QStringList chromium{u"chromium"_s, u"google-chrome"_s, u"BraveSoftware/Brave-Browser"_s, u"microsoft-edge"_s, u"vivaldi"_s};
    QStringList paths;
    for (const QString &dir : chromium)
        paths << home + u"/.config/"_s + dir + u"/NativeMessagingHosts/"_s + file;
    paths << home + u"/.mozilla/native-messaging-hosts/"_s + file;
    QCOMPARE(written.count('\n'), paths.size());
    const QString hostPath = QFileInfo(m_host).canonicalFilePath();
    for (const QString &path : paths) {
        QVERIFY2(written.contains(QString(u"wrote "_s + path + u'\n').toUtf8()), qPrintable(path));
        QFile manifestFile(path);
        QVERIFY2(manifestFile.open(QIODevice::ReadOnly), qPrintable(path));
        const QJsonObject manifest = QJsonDocument::fromJson(manifestFile.readAll()).object();
        QCOMPARE(manifest.value(u"name"_s).toString(), u"io.github.ferry.host"_s);
        QCOMPARE(manifest.value(u"type"_s).toString(), u"stdio"_s);
        QCOMPARE(manifest.value(u"path"_s).toString(), hostPath);
        if (path.contains(u"/.mozilla/"_s)) {
            QCOMPARE(manifest.value(u"allowed_extensions"_s).toArray(), QJsonArray{u"ferry@ferry.github.io"_s});
            QVERIFY(!manifest.contains(u"allowed_origins"_s));
        } else {
            QCOMPARE(manifest.value(u"allowed_origins"_s).toArray(), QJsonArray{u"chrome-extension://cihnbmkedaphfpommogcckbnlfknfmal/"_s});
            QVERIFY(!manifest.contains(u"allowed_extensions"_s));
        }
    }

    process.start(m_host, {u"--unregister"_s});
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitCode(), 0);
    const QByteArray removed = process.readAllStandardOutput();
    for (const QString &path : paths) {
        QVERIFY2(removed.contains(QString(u"removed "_s + path + u'\n').toUtf8()), qPrintable(path));
        QVERIFY(!QFile::exists(path));
    }
}

// --- The window's side of the socket -------------------------------------------------------

// Sends raw bytes to the window of m_stateDir and returns its answer line.
QByteArray BrowserHostTest::windowExchange(const QByteArray &data) const
{
    QLocalSocket socket;
    socket.connectToServer(SingleInstance::serverNameFor(m_stateDir));
    if (!socket.waitForConnected(5000))
        return "not connected";
    socket.write(data);
    while (!socket.canReadLine() && socket.state() == QLocalSocket::ConnectedState) {
        if (!QSignalSpy(&socket, &QLocalSocket::readyRead).wait(30000))
            break;
    }
    return socket.readLine();
}

void BrowserHostTest::window_withoutReceiver_refuses()
{
    SingleInstance window(m_stateDir);
    QVERIFY(window.listen());
    window.setReady();
    const QByteArray answer = windowExchange(compact(downloadMessage(u"https://files.example/a.zip"_s)) + '\n');
    QCOMPARE(QJsonDocument::fromJson(answer).object(),
             (QJsonObject{{u"ok"_s, false}, {u"error"_s, u"This Ferry window does not take browser downloads."_s}}));
}

void BrowserHostTest::window_malformedLine_isAnsweredWithError()
{
    SingleInstance window(m_stateDir);
    QVERIFY(window.listen());
    window.setReady();
    int calls = 0;
    connect(&window, &SingleInstance::browserMessage, this, [&](const QJsonObject &, const SingleInstance::Reply &) { ++calls; });
    const QJsonObject answer = QJsonDocument::fromJson(windowExchange("{not json\n")).object();
    QCOMPARE(answer.value(u"ok"_s).toBool(true), false);
    QVERIFY(answer.value(u"error"_s).toString().startsWith(u"The message is not valid JSON: "_s));
    const QJsonObject refused = QJsonDocument::fromJson(windowExchange(compact(downloadMessage(u"file:///etc/passwd"_s)) + '\n')).object();
    QCOMPARE(refused.value(u"error"_s).toString(), u"Only http and https addresses can be downloaded, not \"file:\"."_s);
    QCOMPARE(calls, 0);
}

void BrowserHostTest::window_overlongLine_isAnsweredWithError()
{
    SingleInstance window(m_stateDir);
    QVERIFY(window.listen());
    window.setReady();
    const QByteArray answer = windowExchange('{' + QByteArray(SingleInstance::maxBrowserLine + 16, 'x'));
    QCOMPARE(QJsonDocument::fromJson(answer).object().value(u"error"_s).toString(),
             u"The message is longer than %1 bytes."_s.arg(SingleInstance::maxBrowserLine));
}

void BrowserHostTest::window_droppedReply_stillAnswers()
{
    SingleInstance window(m_stateDir);
    QVERIFY(window.listen());
    window.setReady();
    connect(&window, &SingleInstance::browserMessage, this, [](const QJsonObject &, const SingleInstance::Reply &) {});
    const QByteArray answer = windowExchange(compact(downloadMessage(u"https://files.example/a.zip"_s)) + '\n');
    QCOMPARE(QJsonDocument::fromJson(answer).object(),
             (QJsonObject{{u"ok"_s, false}, {u"error"_s, u"Ferry did not handle the message."_s}}));
}

QTEST_GUILESS_MAIN(BrowserHostTest)
#include "tst_browserhost.moc"
