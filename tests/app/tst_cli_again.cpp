#include "clifixture.h"
#include "sandbox.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace ferry::test;

namespace {

// What the state database holds for one download, read directly: `list` shows what a download
// is doing, not every option it was given.
struct StoredOptions
{
    QString checksum;
    int connections = 0;
    qint64 rateLimit = 0;
    int state = -1;
};

std::optional<StoredOptions> storedOptions(const QString &stateDir, qint64 id)
{
    std::optional<StoredOptions> found;
    const QString name = u"tst_cli_again_%1"_s.arg(id);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(stateDir + u"/ferry.sqlite"_s);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(
                u"SELECT checksum, connections, rate_limit, state FROM downloads WHERE id = ?"_s);
            q.addBindValue(id);
            if (q.exec() && q.next())
                found = StoredOptions{q.value(0).toString(), q.value(1).toInt(),
                                      q.value(2).toLongLong(), q.value(3).toInt()};
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return found;
}

int getRequests(const FaultServer &server, const QString &path)
{
    int n = 0;
    for (const RequestRecord &r : server.requests(path))
        n += r.method == "GET" ? 1 : 0;
    return n;
}

} // namespace

// `get` of a URL that already has an unfinished download carries on with that download, and the
// options given again (checksum, speed limit, connections) replace the stored ones; options not
// given again keep their earlier values.
class CliAgainTest final : public CliFixture
{
    Q_OBJECT

private slots:
    void get_correctedChecksumVerifiesKeptFileWithoutDownloadingAgain();
    void get_optionsGivenAgainReplaceStoredOnesAndOthersStay();

private:
    QString spec(const QByteArray &hex) const { return u"sha256="_s + QString::fromLatin1(hex); }
    qint64 onlyId();
};

qint64 CliAgainTest::onlyId()
{
    const Listing l = listJson();
    [&] { QVERIFY2(l.ok && l.entries.size() == 1, qPrintable(l.why)); }();
    return l.entries.isEmpty() ? 0 : l.entries.first().value(u"id"_s).toInteger();
}

void CliAgainTest::get_correctedChecksumVerifiesKeptFileWithoutDownloadingAgain()
{
    const QString url = m_server->url(m_path).toString();
    const QString finalPath = m_outDir + u"/data.bin"_s;
    const CliResult wrong = runCli(getArgs(url, {u"--checksum"_s, spec(QByteArray(64, 'a')),
                                                 u"-s"_s, u"4"_s, u"--limit"_s, u"10M"_s}));
    VERIFY_EXIT(wrong, 1);
    QVERIFY2(QString::fromLocal8Bit(wrong.err).contains(u"checksum does not match"_s),
             wrong.err.constData());
    QVERIFY(!QFileInfo::exists(finalPath));
    const qint64 id = onlyId();
    QVERIFY(id > 0);
    const int getsBefore = getRequests(*m_server, m_path);
    const qint64 servedBefore = m_server->bodyBytesServed(m_path);
    QVERIFY(servedBefore >= m_body.size());

    // Neither -s nor --limit this time: the values given before stay.
    const QString right = spec(sha256Hex(m_body));
    const CliResult fixed = runCli(getArgs(url, {u"--checksum"_s, right}));
    VERIFY_EXIT(fixed, 0);
    QCOMPARE(sha256OfFile(finalPath), sha256Hex(m_body));
    QCOMPARE(entriesIn(m_outDir), QStringList{u"data.bin"_s});
    // The kept part file was complete: verified again, not fetched again.
    QCOMPARE(getRequests(*m_server, m_path), getsBefore);
    QCOMPARE(m_server->bodyBytesServed(m_path), servedBefore);

    QCOMPARE(onlyId(), id);
    const auto stored = storedOptions(m_stateDir, id);
    QVERIFY(stored);
    QCOMPARE(stored->checksum, right);
    QCOMPARE(stored->connections, 4);
    QCOMPARE(stored->rateLimit, 10 * kMiB);
}

void CliAgainTest::get_optionsGivenAgainReplaceStoredOnesAndOthersStay()
{
    const QString url = m_server->url(m_path).toString();
    const QByteArray first(64, 'a');
    const QByteArray second(64, 'b');
    const CliResult r1 = runCli(
        getArgs(url, {u"--checksum"_s, spec(first), u"-s"_s, u"4"_s, u"--limit"_s, u"10M"_s}));
    VERIFY_EXIT(r1, 1);
    const qint64 id = onlyId();
    QVERIFY(id > 0);
    auto stored = storedOptions(m_stateDir, id);
    QVERIFY(stored);
    QCOMPARE(stored->checksum, spec(first));
    QCOMPARE(stored->connections, 4);
    QCOMPARE(stored->rateLimit, 10 * kMiB);
    const int getsBefore = getRequests(*m_server, m_path);

    // Every option given again replaces the stored one, and the file is checked against the new
    // checksum.
    const CliResult r2 = runCli(getArgs(
        url, {u"--checksum"_s, spec(second), u"--connections"_s, u"2"_s, u"--limit"_s, u"20M"_s}));
    VERIFY_EXIT(r2, 1);
    QVERIFY2(QString::fromLocal8Bit(r2.err).contains(u"expected "_s + QString::fromLatin1(second)),
             r2.err.constData());
    QCOMPARE(onlyId(), id);
    stored = storedOptions(m_stateDir, id);
    QVERIFY(stored);
    QCOMPARE(stored->checksum, spec(second));
    QCOMPARE(stored->connections, 2);
    QCOMPARE(stored->rateLimit, 20 * kMiB);

    // Nothing given: the download keeps all of it, the checksum included.
    const CliResult r3 = runCli(getArgs(url));
    VERIFY_EXIT(r3, 1);
    QVERIFY2(QString::fromLocal8Bit(r3.err).contains(u"expected "_s + QString::fromLatin1(second)),
             r3.err.constData());
    stored = storedOptions(m_stateDir, id);
    QVERIFY(stored);
    QCOMPARE(stored->checksum, spec(second));
    QCOMPARE(stored->connections, 2);
    QCOMPARE(stored->rateLimit, 20 * kMiB);

    // An invalid checksum given again is refused before anything changes.
    const CliResult bad = runCli(getArgs(url, {u"--checksum"_s, u"sha256=abc"_s, u"-s"_s, u"3"_s}));
    VERIFY_EXIT(bad, 2);
    stored = storedOptions(m_stateDir, id);
    QVERIFY(stored);
    QCOMPARE(stored->checksum, spec(second));
    QCOMPARE(stored->connections, 2);

    QCOMPARE(getRequests(*m_server, m_path), getsBefore);
    QVERIFY(!QFileInfo::exists(m_outDir + u"/data.bin"_s));
}

QTEST_GUILESS_MAIN(CliAgainTest)
#include "tst_cli_again.moc"
