// ZIP bundles by the real `ferry-cli s3 zip`, killed with SIGKILL five times at random moments
// and continued with `ferry-cli resume`, against a real S3 server (Ceph RGW): the archive that
// comes out is byte for byte the one an uninterrupted run writes, every reader accepts it, and
// nothing is left behind. A counting proxy in front of the server sees every request, and the
// gateway's own counters say how many bytes it sent and received: what the interruptions cost
// is measured at the server and compared with what the checkpoints promise.
//
// The moments of the kills are random but repeatable: the seed is printed, and
// FERRY_ZIP_RESUME_SEED=N runs the same moments again.
#include "clis3fixture.h"
#include "countingproxy.h"
#include "sandbox.h"
#include "zipreaders.h"

#include "api/downloadtypes.h"
#include "zip/multipartsink.h"
#include "zip/zipbundler.h"
#include "zip/zipentrymeta.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QUuid>

#include <csignal>
#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry::test;

namespace {

constexpr int kKills = 5;
constexpr ferry::DownloadId kFirstId = 1; // the first transfer of a fresh state folder
constexpr int kStepTimeoutMs = 120'000;
const QString kPrefix = u"set/"_s;
const QString kTargetBucket = u"zipdst"_s;
constexpr qint64 kCounterSlack = 64 * 1024;
// Deflate at its fastest: the entries still go through the compressor and its restart points,
// at a modest cost in CPU.
const QStringList kLevel{u"--level"_s, u"1"_s};

// The bundler as ferry-cli runs it.
const ferry::zip::BundlerOptions kOptions{};

// What an interruption costs on average, in input bytes fetched again or archive bytes sent
// again: the parts on their way (a bucket bundle continues from a checkpoint the server's
// confirmed parts cover, and uploadParallel parts can be unconfirmed), the input since the last
// checkpoint and what the bundler had fetched ahead of the writer.
qint64 interruptionBound(int parts, qint64 partSize, qint64 fetchWindow)
{
    return parts * partSize + kOptions.checkpointInterval + fetchWindow;
}

// And at worst: once a checkpoint interval of input is through, the checkpoint still waits for
// the end of the entry or its next restart point, up to one restart interval (whole chunks)
// further.
qint64 worstInterruption(int parts, qint64 partSize, qint64 fetchWindow)
{
    const qint64 restart = (kOptions.checkpointInterval + kOptions.chunkSize - 1) / kOptions.chunkSize * kOptions.chunkSize;
    return interruptionBound(parts, partSize, fetchWindow) + restart;
}

// Text that deflates to about a third: words from a small vocabulary, in lines.
QByteArray textBytes(qint64 size, quint32 seed)
{
    static const char *const words[] = {
        "archive", "bucket",  "object", "stream", "deflate", "central", "directory", "entry",
        "restart", "journal", "part",   "upload", "server",  "client",  "resume",    "check",
        "point",   "offset",  "bytes",  "header", "record",  "window",  "chunk",     "fetch",
        "ferry",   "zip",     "crc",    "local",  "remote",  "listing", "prefix",    "name",
        "2026",    "alpha",   "beta",   "gamma",  "delta",   "epsilon", "zeta",      "eta",
        "theta",   "iota",    "kappa",  "lambda", "mu",      "nu",      "xi",        "omicron"};
    constexpr int wordCount = int(sizeof(words) / sizeof(words[0]));
    const QByteArray noise = deterministicBytes(size / 3 + 16, seed);
    QByteArray out;
    out.reserve(size + 32);
    qint64 n = 0;
    int column = 0;
    while (out.size() < size) {
        const quint8 r = quint8(noise.at(n++ % noise.size()));
        out += words[r % wordCount];
        if (r % 7 == 0)
            out += QByteArray::number(r * 37 + n % 1000);
        column += 8;
        if (column > 70 || r % 29 == 0) {
            out += '\n';
            column = 0;
        } else {
            out += ' ';
        }
    }
    out.truncate(size);
    return out;
}

// The gateway's own count of object bytes it sent (GET bodies) and received (PUT and
// UploadPart bodies), read from its admin socket.
struct ServerBytes {
    qint64 get = -1;
    qint64 put = -1;
    bool valid() const { return get >= 0 && put >= 0; }
};

QString mib(qint64 bytes)
{
    return QString::number(double(bytes) / double(kMiB), 'f', 1) + u" MiB"_s;
}

} // namespace

class CliS3ZipResumeTest final : public CliS3Fixture
{
    Q_OBJECT

public:
    CliS3ZipResumeTest() : CliS3Fixture({kTargetBucket}) {}

private slots:
    void local_killedFiveTimesEndsByteIdenticalWithNothingLeft();
    void bucket_killedFiveTimesEndsByteIdenticalWithNoUploadLeft();
    void changedObject_failsTheResumeNamingIt_removeDeletesThePart();
    void bucketRemove_abortsTheUnfinishedUpload();

protected:
    void prepareTestCase() override;

private:
    QStringList zip(const QString &stateDir, const QStringList &destination) const
    {
        return QStringList{u"--state-dir"_s, stateDir, u"s3"_s, u"zip"_s, u"s3://%1/%2"_s.arg(m_bucket, kPrefix)}
               + destination + kLevel;
    }
    QStringList resumeArgs() const
    {
        return {u"--state-dir"_s, m_stateDir, u"resume"_s, QString::number(kFirstId)};
    }
    static QUrl proxyUrl(const CountingProxy &proxy) { return QUrl(u"http://127.0.0.1:%1"_s.arg(proxy.port())); }
    ServerBytes serverBytes() const;
    // The input bytes before the checkpoint a resume of the bundle continues from, as its row
    // in the state database says (another process's view); 0 when it starts again.
    qint64 resumeInput() const;
    // Starts ferry-cli with `args`, waits until `ready` holds (polling, the process still
    // running), then kills it with SIGKILL. Empty when that went as planned, else why not.
    QString runAndKillWhen(const QStringList &args, const QUrl &endpoint, const std::function<bool()> &ready);
    // The four readers accept the archive, and its entries are the objects, byte for byte.
    void verifyArchive(const QString &path);
    // No journal left in the state folder.
    void verifyNoJournal();
    QList<ferry::s3::MultipartUpload> unfinishedUploads();
    // Strictly growing random points, one in each of kKills equal bands of [from, to).
    QList<qint64> killPoints(qint64 from, qint64 to);

    QRandomGenerator m_random;
    QMap<QString, QByteArray> m_objects; // key (= entry name) -> sha256
    qint64 m_totalBytes = 0;
};

void CliS3ZipResumeTest::prepareTestCase()
{
    if (const QStringList missing = zipreaders::missingReaders(); !missing.isEmpty())
        QSKIP(qPrintable(u"missing: "_s + missing.join(u", "_s)));
    bool seeded = false;
    quint32 seed = qEnvironmentVariable("FERRY_ZIP_RESUME_SEED").toUInt(&seeded);
    if (!seeded)
        seed = QRandomGenerator::global()->generate();
    qInfo("kill moments from seed %u (FERRY_ZIP_RESUME_SEED=%u repeats them)", seed, seed);
    m_random.seed(seed);

    // Stored (already compressed by name) and deflated entries, two of them larger than a
    // part of the bucket bundle and with restart points inside, and hundreds of small ones.
    struct Planned {
        QString key;
        qint64 size;
        bool text;
    };
    QList<Planned> plan;
    for (int i = 0; i < 6; ++i)
        plan.append({kPrefix + u"media/clip-%1.mp4"_s.arg(i), 34 * kMiB + 4099 * i, false});
    plan.append({kPrefix + u"media/huge.mp4"_s, 40 * kMiB + 12345, false});
    plan.append({kPrefix + u"logs/huge.log"_s, 24 * kMiB + 777, true});
    for (int i = 0; i < 3; ++i)
        plan.append({kPrefix + u"data/table-%1.csv"_s.arg(i), 4 * kMiB + 1000 * i, true});
    QRandomGenerator sizes(20261204); // the objects are always the same
    for (int i = 0; i < 400; ++i)
        plan.append({kPrefix + u"docs/note-%1.txt"_s.arg(i, 3, 10, QChar(u'0')), 2 * kKiB + sizes.bounded(56 * kKiB), true});
    for (int i = 0; i < 200; ++i)
        plan.append({kPrefix + u"photos/img-%1.jpg"_s.arg(i, 3, 10, QChar(u'0')), 16 * kKiB + sizes.bounded(240 * kKiB), false});

    QVERIFY(ferry::zip::isAlreadyCompressed(QString(kPrefix + u"media/huge.mp4"_s)));
    QVERIFY(ferry::zip::isAlreadyCompressed(QString(kPrefix + u"photos/img-000.jpg"_s)));
    QVERIFY(!ferry::zip::isAlreadyCompressed(QString(kPrefix + u"logs/huge.log"_s)));

    QElapsedTimer clock;
    clock.start();
    qint64 makingMs = 0;
    // Several PUTs at a time: hundreds of small objects do not wait on each other.
    constexpr int parallel = 8;
    int inFlight = 0;
    int failures = 0;
    QString firstError;
    for (int i = 0; i < plan.size(); ++i) {
        const Planned &p = plan.at(i);
        QElapsedTimer making;
        making.start();
        const QByteArray body = p.text ? textBytes(p.size, quint32(1000 + i)) : deterministicBytes(p.size, quint32(5000 + i));
        m_objects.insert(p.key, sha256Hex(body));
        makingMs += making.elapsed();
        m_totalBytes += p.size;
        ferry::s3::Reply *r = m_client->putObject(m_bucket, p.key, body);
        ++inFlight;
        connect(r, &ferry::s3::Reply::finished, this, [&, r, key = p.key] {
            --inFlight;
            if (r->error.isError()) {
                ++failures;
                if (firstError.isEmpty())
                    firstError = key + u": "_s + r->error.message;
            }
        });
        QVERIFY(QTest::qWaitFor([&] { return inFlight < parallel; }, kRunTimeoutMs));
    }
    QVERIFY(QTest::qWaitFor([&] { return inFlight == 0; }, kRunTimeoutMs));
    QVERIFY2(failures == 0, qPrintable(firstError));
    QVERIFY(m_totalBytes >= 300 * kMiB);
    qInfo("put %lld objects, %s, in %lld ms (%lld ms of it making them)", qint64(m_objects.size()),
          qPrintable(mib(m_totalBytes)), clock.elapsed(), makingMs);
}

ServerBytes CliS3ZipResumeTest::serverBytes() const
{
    ServerBytes out;
    QProcess p;
    p.start(u"ceph"_s, {u"--admin-daemon"_s, m_server->clusterDir() + u"/run/client.rgw.asok"_s, u"perf"_s,
                        u"dump"_s, u"rgw"_s});
    if (!p.waitForStarted(10'000) || !p.waitForFinished(30'000) || p.exitCode() != 0) {
        qWarning("cannot read the gateway's counters: %s", p.readAllStandardError().constData());
        return out;
    }
    const QJsonObject rgw = QJsonDocument::fromJson(p.readAllStandardOutput()).object().value(u"rgw"_s).toObject();
    if (rgw.contains(u"get_b"_s) && rgw.contains(u"put_b"_s)) {
        out.get = rgw.value(u"get_b"_s).toInteger(-1);
        out.put = rgw.value(u"put_b"_s).toInteger(-1);
    }
    return out;
}

qint64 CliS3ZipResumeTest::resumeInput() const
{
    QByteArray extra;
    const QString name = QUuid::createUuid().toString();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(m_stateDir + u"/ferry.sqlite"_s);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(u"SELECT extra FROM downloads WHERE id = ?"_s);
            q.addBindValue(kFirstId);
            if (q.exec() && q.next())
                extra = q.value(0).toByteArray();
        }
    }
    QSqlDatabase::removeDatabase(name);
    const QJsonObject resume = QJsonDocument::fromJson(extra).object().value(u"resume"_s).toObject();
    return resume.value(u"journal"_s).toInteger(-1) >= 0 ? resume.value(u"done"_s).toInteger() : 0;
}

QString CliS3ZipResumeTest::runAndKillWhen(const QStringList &args, const QUrl &endpoint,
                                           const std::function<bool()> &ready)
{
    std::unique_ptr<QProcess> proc = startCli(args, endpoint);
    if (!proc->waitForStarted(10'000))
        return u"ferry-cli did not start: "_s + proc->errorString();
    QDeadlineTimer deadline(kStepTimeoutMs);
    while (!ready()) {
        if (proc->state() != QProcess::Running || deadline.hasExpired()) {
            const QString why = u"ferry-cli %1 before the moment came: %2"_s.arg(
                proc->state() == QProcess::Running ? u"ran too long"_s : u"ended"_s,
                QString::fromUtf8(proc->readAllStandardError().right(2000)));
            proc->kill();
            proc->waitForFinished(10'000);
            return why;
        }
        QTest::qWait(5); // polls the file or the proxy; the event loop keeps running
    }
    ::kill(pid_t(proc->processId()), SIGKILL);
    if (!proc->waitForFinished(10'000))
        return u"ferry-cli did not die"_s;
    if (proc->exitStatus() != QProcess::CrashExit)
        return u"ferry-cli ended by itself (exit %1) instead of being killed"_s.arg(proc->exitCode());
    return {};
}

QList<qint64> CliS3ZipResumeTest::killPoints(qint64 from, qint64 to)
{
    QList<qint64> points;
    const qint64 band = (to - from) / kKills;
    for (int i = 0; i < kKills; ++i)
        points.append(from + i * band + qint64(m_random.bounded(double(qMax<qint64>(1, band)))));
    return points;
}

void CliS3ZipResumeTest::verifyArchive(const QString &path)
{
    QElapsedTimer clock;
    clock.start();
    QString why = zipreaders::unzipTest(path);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    QJsonObject python;
    why = zipreaders::pythonCheck(path, &python);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    QMap<QString, QByteArray> seen;
    for (const QJsonValue &v : python.value(u"entries"_s).toArray()) {
        const QJsonObject e = v.toObject();
        if (!e.value(u"name"_s).toString().endsWith(u'/'))
            seen.insert(e.value(u"name"_s).toString(), e.value(u"sha256"_s).toString().toLatin1());
    }
    QCOMPARE(seen.size(), m_objects.size());
    for (auto it = m_objects.cbegin(); it != m_objects.cend(); ++it)
        QVERIFY2(seen.value(it.key()) == it.value(), qPrintable(it.key() + u" differs from its object"_s));
    QStringList names;
    why = zipreaders::bsdtarList(path, false, &names);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    names.removeIf([](const QString &n) { return n.endsWith(u'/'); });
    QCOMPARE(names.size(), m_objects.size());
    qint64 extracted = 0;
    why = zipreaders::bsdtarExtractedSize(path, false, &extracted);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    QCOMPARE(extracted, m_totalBytes);
    why = zipreaders::sevenZipTest(path);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    qInfo("the four readers checked %s in %lld ms", qPrintable(QFileInfo(path).fileName()), clock.elapsed());
}

void CliS3ZipResumeTest::verifyNoJournal()
{
    const QStringList left = QDir(m_stateDir + u"/bundles"_s).entryList(QDir::Files | QDir::Hidden);
    QVERIFY2(left.isEmpty(), qPrintable(u"left in the state folder: "_s + left.join(u", "_s)));
}

void CliS3ZipResumeTest::local_killedFiveTimesEndsByteIdenticalWithNothingLeft()
{
    QElapsedTimer clock;
    clock.start();
    CountingProxy proxy(m_server->port());
    QVERIFY(proxy.start());
    const QUrl endpoint = proxyUrl(proxy);

    // The reference: one run that nothing interrupts, in a state folder of its own.
    const QString reference = QDir(m_outDir).filePath(u"reference.zip"_s);
    const ServerBytes beforeReference = serverBytes();
    QVERIFY(beforeReference.valid());
    const CliResult first = runCli(zip(m_tmp->filePath(u"state-reference"_s), {u"-o"_s, reference}), endpoint);
    VERIFY_EXIT(first, 0);
    const ServerBytes afterReference = serverBytes();
    const qint64 referenceGets = afterReference.get - beforeReference.get;
    const QByteArray referenceSha = sha256OfFile(reference);
    const qint64 archiveSize = QFileInfo(reference).size();
    qInfo("uninterrupted: %s archive from %s of objects, %s fetched, %lld ms", qPrintable(mib(archiveSize)),
          qPrintable(mib(m_totalBytes)), qPrintable(mib(referenceGets)), clock.elapsed());
    // The counters count what the test thinks they count: every object's bytes, once (the
    // gateway leaves a few hundred bytes of small objects uncounted).
    QVERIFY2(qAbs(referenceGets - m_totalBytes) <= kCounterSlack, qPrintable(QString::number(referenceGets)));

    // Five kills, each once the .part grew past a random size further on than the last.
    const QString target = QDir(m_outDir).filePath(u"bundle.zip"_s);
    const QString part = target + u".part"_s;
    const QList<qint64> points = killPoints(archiveSize / 20, archiveSize * 19 / 20);
    // A local bundle has no parts; one is counted all the same, as a margin.
    const qint64 localPart = ferry::zip::MultipartSink::partSizeFor(archiveSize);
    const qint64 bound = interruptionBound(1, localPart, kOptions.maxBufferedBytes);
    const qint64 worst = worstInterruption(1, localPart, kOptions.maxBufferedBytes);
    const ServerBytes beforeRuns = serverBytes();
    QElapsedTimer runs;
    runs.start();
    qint64 startedAt = 0; // input before the checkpoint the run continues from
    QStringList costs;
    for (int i = 0; i < kKills; ++i) {
        const QStringList args = i == 0 ? zip(m_stateDir, {u"-o"_s, target}) : resumeArgs();
        const ServerBytes before = serverBytes();
        qint64 seen = 0;
        const QString why = runAndKillWhen(args, endpoint, [&] {
            seen = QFileInfo(part).size();
            return seen >= points.at(i);
        });
        QVERIFY2(why.isEmpty(), qPrintable(why));
        QVERIFY(QFileInfo::exists(part));
        QVERIFY(!QFileInfo::exists(target));
        // What this run fetched beyond the checkpoint the next one continues from is fetched
        // again: that is what the interruption cost.
        const qint64 fetched = serverBytes().get - before.get;
        const qint64 next = resumeInput();
        const qint64 cost = fetched - (next - startedAt);
        qInfo("kill %d: .part at %lld bytes (point %lld); the run fetched %s from input %s, the next continues "
              "at input %s: %s fetched again", i + 1, seen, points.at(i), qPrintable(mib(fetched)),
              qPrintable(mib(startedAt)), qPrintable(mib(next)), qPrintable(mib(cost)));
        QVERIFY2(cost <= worst, qPrintable(u"kill %1 cost %2, more than %3"_s.arg(i + 1).arg(mib(cost), mib(worst))));
        costs.append(mib(cost));
        startedAt = next;
    }
    const CliResult last = runCli(resumeArgs(), endpoint);
    VERIFY_EXIT(last, 0);
    const ServerBytes afterRuns = serverBytes();
    const qint64 interruptedMs = runs.elapsed();

    QVERIFY2(QFileInfo::exists(target), qPrintable(last.describe()));
    QVERIFY(!QFileInfo::exists(part));
    verifyNoJournal();
    QCOMPARE(QFileInfo(target).size(), archiveSize);
    QCOMPARE(sha256OfFile(target), referenceSha);
    verifyArchive(target);

    const qint64 refetched = (afterRuns.get - beforeRuns.get) - referenceGets;
    qInfo("killed %d times: %lld ms in all; %s fetched again (%s per interruption: %s; bound %s on average, "
          "%s at worst)", kKills, interruptedMs, qPrintable(mib(refetched)), qPrintable(mib(refetched / kKills)),
          qPrintable(costs.join(u", "_s)), qPrintable(mib(bound)), qPrintable(mib(worst)));
    QVERIFY(refetched >= 0);
    QVERIFY2(refetched <= kKills * bound, qPrintable(mib(refetched)));
    qInfo("took %lld ms", clock.elapsed());
}

void CliS3ZipResumeTest::bucket_killedFiveTimesEndsByteIdenticalWithNoUploadLeft()
{
    QElapsedTimer clock;
    clock.start();
    CountingProxy proxy(m_server->port());
    QVERIFY(proxy.start());
    const QUrl endpoint = proxyUrl(proxy);
    const auto fetch = [this](const QString &key, QByteArray *body) {
        QString error;
        QVERIFY(await(m_client->getObject(kTargetBucket, key), [&](ferry::s3::Reply *r) {
            *body = r->body;
            error = r->error.message;
        }));
        QVERIFY2(error.isEmpty(), qPrintable(error));
    };
    const auto partsSent = [&proxy](qsizetype from, QHash<int, int> *perNumber) {
        const QList<CountingProxy::Exchange> all = proxy.exchanges();
        int sent = 0;
        for (qsizetype i = from; i < all.size(); ++i) {
            if (const int n = CountingProxy::partNumber(all.at(i))) {
                ++sent;
                if (perNumber)
                    ++(*perNumber)[n];
            }
        }
        return sent;
    };

    // The reference: one run that nothing interrupts, in a state folder of its own.
    const ServerBytes beforeReference = serverBytes();
    QVERIFY(beforeReference.valid());
    const qsizetype referenceFrom = proxy.exchanges().size();
    const CliResult first = runCli(zip(m_tmp->filePath(u"state-reference"_s),
                                       {u"--to"_s, u"s3://%1/reference.zip"_s.arg(kTargetBucket)}), endpoint);
    VERIFY_EXIT(first, 0);
    const ServerBytes afterReference = serverBytes();
    const int referenceParts = partsSent(referenceFrom, nullptr);
    const qint64 referenceGets = afterReference.get - beforeReference.get;
    const qint64 referencePuts = afterReference.put - beforeReference.put;
    QByteArray body;
    fetch(u"reference.zip"_s, &body);
    if (QTest::currentTestFailed())
        return;
    const qint64 archiveSize = body.size();
    const QByteArray referenceSha = sha256Hex(body);
    body.clear();
    const qint64 partSize = ferry::zip::MultipartSink::partSizeFor(m_totalBytes);
    qInfo("uninterrupted: %s archive in %d parts of %s, %s fetched, %s uploaded, %lld ms",
          qPrintable(mib(archiveSize)), referenceParts, qPrintable(mib(partSize)), qPrintable(mib(referenceGets)),
          qPrintable(mib(referencePuts)), clock.elapsed());
    QVERIFY2(qAbs(referenceGets - m_totalBytes) <= kCounterSlack, qPrintable(QString::number(referenceGets)));
    QVERIFY2(qAbs(referencePuts - archiveSize) <= kCounterSlack, qPrintable(QString::number(referencePuts)));
    QCOMPARE(referenceParts, int((archiveSize + partSize - 1) / partSize));
    QVERIFY(referenceParts > 2 * kKills);

    // Five kills, each once the server confirmed a randomly chosen part further on than the
    // last kill's, and then a random number of objects or ranges more were fetched.
    const QList<qint64> points = killPoints(1, referenceParts - 1);
    const QByteArray sourcePath = '/' + m_bucket.toUtf8() + '/';
    const ServerBytes beforeRuns = serverBytes();
    const qsizetype runsFrom = proxy.exchanges().size();
    QElapsedTimer runs;
    runs.start();
    for (int i = 0; i < kKills; ++i) {
        const QStringList args = i == 0 ? zip(m_stateDir, {u"--to"_s, u"s3://%1/bundle.zip"_s.arg(kTargetBucket)})
                                        : resumeArgs();
        const int morefetches = int(m_random.bounded(12));
        const qsizetype from = proxy.exchanges().size();
        int confirmedPart = 0;
        int getsAtPart = -1;
        int gets = 0;
        const QString why = runAndKillWhen(args, endpoint, [&] {
            const QList<CountingProxy::Exchange> all = proxy.exchanges();
            gets = 0;
            for (qsizetype e = from; e < all.size(); ++e) {
                const CountingProxy::Exchange &x = all.at(e);
                if (x.method == "GET" && x.target.startsWith(sourcePath) && x.status / 100 == 2)
                    ++gets;
                if (CountingProxy::partNumber(x) && x.status == 200)
                    confirmedPart = qMax(confirmedPart, CountingProxy::partNumber(x));
            }
            if (getsAtPart < 0 && confirmedPart >= points.at(i))
                getsAtPart = gets;
            return getsAtPart >= 0 && gets >= getsAtPart + morefetches;
        });
        QVERIFY2(why.isEmpty(), qPrintable(why));
        qInfo("kill %d: part %d confirmed (point %lld), then %d more GETs", i + 1, confirmedPart, points.at(i), gets - getsAtPart);
    }
    const CliResult last = runCli(resumeArgs(), endpoint);
    VERIFY_EXIT(last, 0);
    const ServerBytes afterRuns = serverBytes();
    const qint64 interruptedMs = runs.elapsed();
    QHash<int, int> perNumber;
    const int sent = partsSent(runsFrom, &perNumber);

    fetch(u"bundle.zip"_s, &body);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(body.size(), archiveSize);
    QCOMPARE(sha256Hex(body), referenceSha);
    const QString local = QDir(m_outDir).filePath(u"bundle.zip"_s);
    QVERIFY(writeFile(local, body));
    body.clear();
    verifyArchive(local);
    verifyNoJournal();
    const QList<ferry::s3::MultipartUpload> uploads = unfinishedUploads();
    QStringList leftover;
    for (const ferry::s3::MultipartUpload &u : std::as_const(uploads))
        leftover.append(u.key + u' ' + u.uploadId);
    QVERIFY2(uploads.isEmpty(), qPrintable(u"unfinished uploads left: "_s + leftover.join(u", "_s)));

    const qint64 refetched = (afterRuns.get - beforeRuns.get) - referenceGets;
    // The gateway counts the bodies of the PUTs it completed only; a part cut off by the kill
    // is seen by the proxy, and counted here as a whole part.
    const qint64 reuploadedCompleted = (afterRuns.put - beforeRuns.put) - referencePuts;
    const qint64 reuploaded = qMax<qint64>(0, sent - referenceParts) * partSize;
    const qint64 bound = interruptionBound(kOptions.uploadParallel, partSize, qMin(kOptions.maxBufferedBytes, kOptions.chunkSize));
    QStringList twice;
    for (auto it = perNumber.cbegin(); it != perNumber.cend(); ++it) {
        if (it.value() > 1)
            twice.append(u"%1×%2"_s.arg(it.key()).arg(it.value()));
    }
    qInfo("killed %d times: %lld ms in all; %s fetched again (%s per interruption), at most %s uploaded "
          "again (%s per interruption; %s of it completed at the server), bound %s; %d UploadPart requests "
          "for %d parts (sent more than once: %s)",
          kKills, interruptedMs, qPrintable(mib(refetched)), qPrintable(mib(refetched / kKills)),
          qPrintable(mib(reuploaded)), qPrintable(mib(reuploaded / kKills)), qPrintable(mib(reuploadedCompleted)),
          qPrintable(mib(bound)), sent, referenceParts, qPrintable(twice.join(u' ')));
    QVERIFY(refetched >= 0);
    QVERIFY2(refetched <= kKills * bound, qPrintable(mib(refetched)));
    QVERIFY2(reuploaded <= kKills * bound, qPrintable(mib(reuploaded)));
    QVERIFY2(reuploadedCompleted <= reuploaded + kCounterSlack, qPrintable(mib(reuploadedCompleted)));
    // Only the parts on their way when the process died go twice (and one the server confirmed
    // after a part before it that it did not).
    QVERIFY2(sent - referenceParts <= kKills * (kOptions.uploadParallel + 1), qPrintable(QString::number(sent)));
    qInfo("took %lld ms", clock.elapsed());
}

QList<ferry::s3::MultipartUpload> CliS3ZipResumeTest::unfinishedUploads()
{
    QList<ferry::s3::MultipartUpload> uploads;
    QString error;
    const bool done = await(m_client->listMultipartUploads(kTargetBucket), [&](ferry::s3::Reply *r) {
        uploads = r->uploads;
        error = r->error.message;
    });
    if (!done || !error.isEmpty())
        qWarning("ListMultipartUploads failed: %s", qPrintable(error));
    return uploads;
}

// A resumed bundle asks for the versions it planned with; one that changed since fails it by
// name, and removing the bundle deletes the .part and the journal.
void CliS3ZipResumeTest::changedObject_failsTheResumeNamingIt_removeDeletesThePart()
{
    QVERIFY(putObject(u"change/big.mp4"_s, deterministicBytes(40 * kMiB, 77)));
    QVERIFY(putObject(u"change/last.txt"_s, "the version the bundle planned with\n"));
    const QString target = QDir(m_outDir).filePath(u"changed.zip"_s);
    const QString part = target + u".part"_s;
    const QStringList args{u"--state-dir"_s, m_stateDir, u"s3"_s, u"zip"_s,
                           u"s3://%1/change/"_s.arg(m_bucket), u"-o"_s, target};
    // Past the restart point at 16 MiB of the large entry, once the record holds that
    // checkpoint (on a busy machine the record can lag behind the .part; a resume without a
    // checkpoint plans afresh and rightly takes the newer object). The last object's GET is
    // held back, so the bundle cannot finish before the kill lands.
    CountingProxy proxy(m_server->port());
    QVERIFY(proxy.start());
    proxy.holdRequests("GET", "change/last.txt");
    const QString why =
        runAndKillWhen(args, proxyUrl(proxy),
                       [&] { return QFileInfo(part).size() >= 24 * kMiB && resumeInput() > 0; });
    QVERIFY2(why.isEmpty(), qPrintable(why));
    QVERIFY(putObject(u"change/last.txt"_s, "a newer version\n"));

    const CliResult resumed = runCli(resumeArgs());
    QVERIFY2(resumed.finished && resumed.exitCode == 1, qPrintable(resumed.describe()));
    QVERIFY2(QString::fromUtf8(resumed.err).contains(u"change/last.txt"_s), qPrintable(resumed.describe()));
    QVERIFY(!QFileInfo::exists(target));
    QVERIFY(QFileInfo::exists(part)); // kept: what the checkpoints cover is still good

    const CliResult removed = runCli({u"--state-dir"_s, m_stateDir, u"remove"_s, QString::number(kFirstId)});
    VERIFY_EXIT(removed, 0);
    QVERIFY2(!QFileInfo::exists(part), qPrintable(removed.describe()));
    QVERIFY(!QFileInfo::exists(target));
    verifyNoJournal();
}

// Removing a bucket bundle that was killed midway aborts its multipart upload on the server.
void CliS3ZipResumeTest::bucketRemove_abortsTheUnfinishedUpload()
{
    const QString journal = m_stateDir + u"/bundles/%1.journal"_s.arg(kFirstId);
    const QStringList args{u"--state-dir"_s, m_stateDir, u"s3"_s, u"zip"_s,
                           u"s3://%1/%2media/huge.mp4"_s.arg(m_bucket, kPrefix), u"--to"_s,
                           u"s3://%1/removed.zip"_s.arg(kTargetBucket)};
    // A checkpoint in the journal: the upload exists and has parts.
    const QString why = runAndKillWhen(args, {}, [&] {
        QFile f(journal);
        return f.open(QIODevice::ReadOnly) && f.readAll().contains("\"t\":\"cp\"");
    });
    QVERIFY2(why.isEmpty(), qPrintable(why));
    const auto count = [this] {
        int n = 0;
        for (const ferry::s3::MultipartUpload &u : unfinishedUploads())
            n += u.key == u"removed.zip"_s ? 1 : 0;
        return n;
    };
    QCOMPARE(count(), 1);

    const CliResult removed = runCli({u"--state-dir"_s, m_stateDir, u"remove"_s, QString::number(kFirstId)});
    VERIFY_EXIT(removed, 0);
    QVERIFY2(QString::fromUtf8(removed.err).contains(u"Aborted the unfinished upload"_s), qPrintable(removed.describe()));
    QCOMPARE(count(), 0);
    verifyNoJournal();
}

QTEST_GUILESS_MAIN(CliS3ZipResumeTest)
#include "tst_cli_s3zipresume.moc"
