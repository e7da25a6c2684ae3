// Ferry's SigV4 signatures next to botocore's (Debian python3-botocore) for the same request,
// keys and time: keys with spaces, '+', '~', '%', Chinese, "//", reserved characters, with and
// without a session token, in header form and as presigned URLs.
#include "s3/sigv4.h"

#include "sigv4testdata.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::s3;
using namespace ferry::test;

namespace {

using QueryItems = QList<QPair<QString, QString>>;

QString scriptPath()
{
    return QStringLiteral(SIGV4_TEST_DIR) + u"/botocore_sign.py"_s;
}

const QString botocorePython = u"/usr/bin/python3"_s;

QJsonArray runBotocore(const QJsonArray &requests)
{
    QProcess python;
    python.start(botocorePython, {scriptPath()});
    if (!python.waitForStarted())
        return {};
    python.write(QJsonDocument(requests).toJson(QJsonDocument::Compact));
    python.closeWriteChannel();
    if (!python.waitForFinished(60000) || python.exitCode() != 0) {
        qWarning() << python.readAllStandardError();
        return {};
    }
    return QJsonDocument::fromJson(python.readAllStandardOutput()).array();
}

QJsonArray pairsToJson(const QList<QPair<QString, QString>> &pairs)
{
    QJsonArray out;
    for (const auto &[name, value] : pairs)
        out.append(QJsonArray{name, value});
    return out;
}

struct BotoCase
{
    QByteArray name;
    QString key;
    QueryItems query;
    HeaderList headers;
    QString token;
    bool signPayload = false;
};

// Keys and queries with every character class that S3 encodes differently from a browser.
QList<BotoCase> botoCases()
{
    const QList<QPair<QByteArray, QString>> keys{
        {"space", u"/bucket/my file name.txt"_s},       {"plus", u"/bucket/a+b+c.txt"_s},
        {"tilde", u"/bucket/~home/x~y.txt"_s},          {"percent", u"/bucket/50%25 of %zz.txt"_s},
        {"chinese", u"/bucket/目录/中文 文件.txt"_s},   {"double slash", u"/bucket/a//b///c"_s},
        {"reserved", u"/bucket/$a&b=c;d,e@f!(g)*'h"_s}, {"root", u"/"_s},
    };
    const QString token = u"AQoDYXdzEJr//////////wEa+token=="_s;
    QList<BotoCase> out;
    for (const auto &[name, key] : keys) {
        out.append({name, key, {}, {}, {}, false});
        out.append({name + " token", key, {}, {{"Range", "bytes=0-99"}}, token, true});
    }
    const QueryItems listing{
        {u"list-type"_s, u"2"_s},
        {u"prefix"_s, u"dir with space/a+b/中/"_s},
        {u"delimiter"_s, u"/"_s},
        {u"continuation-token"_s, u"1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=&x=y"_s},
        {u"start-after"_s, u"~%7E%"_s}};
    out.append({"listing query", u"/bucket"_s, listing, {}, {}, false});
    out.append({"listing query token", u"/bucket"_s, listing, {}, token, false});
    out.append({"empty value",
                u"/bucket/key"_s,
                {{u"uploads"_s, {}}},
                {{"Content-Type", "application/octet-stream"}},
                token,
                true});
    return out;
}

const QUrl botoEndpoint(u"https://s3.eu-central-1.amazonaws.com"_s);
const QByteArray botoBody = QString(u"hello, 世界"_s).toUtf8();

SigningInput botoInput(const BotoCase &c)
{
    SigningInput in = docInput("GET", withEncodedPath(botoEndpoint, c.key, c.query), c.headers,
                               c.signPayload ? sha256Hex(botoBody) : unsignedPayload.toByteArray());
    in.region = u"eu-central-1"_s;
    in.time = QDateTime(QDate(2024, 2, 29), QTime(23, 59, 58), Qt::UTC);
    return in;
}

QJsonObject botoRequest(const BotoCase &c, bool presign)
{
    QJsonArray headers;
    if (!presign)
        for (const auto &[n, v] : c.headers)
            headers.append(QJsonArray{QString::fromLatin1(n), QString::fromLatin1(v)});
    return QJsonObject{
        {u"method"_s, u"GET"_s},
        {u"endpoint"_s, botoEndpoint.toString()},
        {u"path"_s, c.key},
        {u"query"_s, pairsToJson(c.query)},
        {u"headers"_s, headers},
        {u"body"_s, c.signPayload && !presign ? QString::fromUtf8(botoBody) : QString()},
        {u"signPayload"_s, c.signPayload},
        {u"time"_s, u"20240229T235958Z"_s},
        {u"region"_s, u"eu-central-1"_s},
        {u"accessKey"_s, docKeys.accessKeyId},
        {u"secretKey"_s, docKeys.secretAccessKey},
        {u"token"_s, c.token},
        {u"presign"_s, presign},
        {u"expires"_s, 3600}};
}

} // namespace

class TestSigV4Botocore : public QObject
{
    Q_OBJECT

private slots:
    void botocore_sameSignatures_data();
    void botocore_sameSignatures();

private:
    bool m_botocoreChecked = false;
    bool m_botocoreAvailable = false;
    QJsonArray m_botocoreResults;
};

void TestSigV4Botocore::botocore_sameSignatures_data()
{
    QTest::addColumn<int>("index");
    const QList<BotoCase> cases = botoCases();
    for (int i = 0; i < cases.size(); ++i)
        QTest::newRow(cases[i].name.constData()) << i;
}

// botocore (S3SigV4Auth / S3SigV4QueryAuth) signs the same request, keys and time: both the
// headers and the presigned URL must be identical.
void TestSigV4Botocore::botocore_sameSignatures()
{
    if (!m_botocoreChecked) {
        m_botocoreChecked = true;
        QProcess probe;
        probe.start(botocorePython, {u"-c"_s, u"import botocore.auth"_s});
        m_botocoreAvailable = probe.waitForFinished(30000) &&
                              probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0;
        if (m_botocoreAvailable) {
            // One interpreter for all cases: header form and presigned form of each.
            QJsonArray requests;
            for (const BotoCase &c : botoCases()) {
                requests.append(botoRequest(c, false));
                requests.append(botoRequest(c, true));
            }
            m_botocoreResults = runBotocore(requests);
        }
    }
    if (!m_botocoreAvailable)
        QSKIP("/usr/bin/python3 cannot import botocore (Debian package python3-botocore)");

    QFETCH(int, index);
    const BotoCase c = botoCases().at(index);
    QCOMPARE(m_botocoreResults.size(), 2 * botoCases().size());
    const QJsonObject signedByBotocore = m_botocoreResults.at(2 * index).toObject();
    const QJsonObject presigned = m_botocoreResults.at(2 * index + 1).toObject();

    SigningInput in = botoInput(c);
    Credentials keys = docKeys;
    keys.sessionToken = c.token;
    const QJsonObject expected = signedByBotocore[u"headers"_s].toObject();
    const HeaderList added = signHeaders(in, keys);
    QCOMPARE(added.size(), c.token.isEmpty() ? 3 : 4);
    for (const auto &[name, value] : added)
        QCOMPARE(QString::fromUtf8(value),
                 expected[QString::fromLatin1(name.toLower())].toString());
    // Same wire path as botocore's own S3 key encoding.
    const QUrl botoUrl = QUrl::fromEncoded(signedByBotocore[u"url"_s].toString().toLatin1());
    QCOMPARE(in.url.path(QUrl::FullyEncoded), botoUrl.path(QUrl::FullyEncoded));

    in.headers.clear();
    const QUrl ours = presign(in, keys, 3600);
    const QByteArray theirs = presigned[u"url"_s].toString().toLatin1();
    QCOMPARE(QUrlQuery(ours).queryItemValue(u"X-Amz-Signature"_s),
             QUrlQuery(QUrl::fromEncoded(theirs)).queryItemValue(u"X-Amz-Signature"_s));
    // botocore writes an empty value as "name="; otherwise the whole URL is the same.
    if (std::none_of(c.query.cbegin(), c.query.cend(),
                     [](const auto &item) { return item.second.isEmpty(); }))
        QCOMPARE(ours.toEncoded(), theirs);
}

QTEST_GUILESS_MAIN(TestSigV4Botocore)
#include "tst_sigv4botocore.moc"
