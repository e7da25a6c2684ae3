// Measures ZIP bundling against a local S3 server: many small objects through the bundler vs
// one GET after another, a large object bundled vs downloaded alone over parallel ranges, and
// the peak memory of the process. Prints a Markdown table.
// Usage: ferry-zipbench [--endpoint http://127.0.0.1:PORT] [--large-mib 256|1024] [--small 1000]
//        ferry-zipbench --checkpoint-cost ROUNDS [--endpoint URL] [--large-mib N]: only the large
//        object, bundled into a local ZIP (in the current folder) with and without checkpoints.
// Without --endpoint it starts the tests' throwaway Ceph RGW cluster (needs ceph-mon, ceph-osd
// and radosgw); with it, the keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY when set.
#include "s3/s3client.h"
#include "engine/ratelimiter.h"
#include "zip/bundleselection.h"
#include "zip/localfilezipsink.h"
#include "zip/zipbundler.h"
#include "zip/zipwriter.h"

#if __has_include("rgwserver.h")
#include "countingproxy.h"
#include "rgwserver.h"
#define FERRY_HAVE_S3SERVER 1
#endif

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <malloc.h>
#include <sys/resource.h>
#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry;

namespace {

const QString kBucket = u"bench"_s;

void wait(s3::Reply *r, s3::Error *error = nullptr, QByteArray *body = nullptr, QString *uploadId = nullptr, QByteArray *etag = nullptr)
{
    QEventLoop loop;
    QObject::connect(r, &s3::Reply::finished, &loop, [&] {
        if (error)
            *error = r->error;
        if (body)
            *body = r->body;
        if (uploadId)
            *uploadId = r->uploadId;
        if (etag)
            *etag = r->etag;
        loop.quit();
    });
    loop.exec();
}

void check(const s3::Error &e, const char *what)
{
    if (e.isError())
        qFatal("%s: %s", what, qPrintable(e.message));
}

QByteArray filler(qint64 size, quint32 seed)
{
    QByteArray b(size, Qt::Uninitialized);
    quint32 x = seed * 2654435761u + 1;
    for (qint64 i = 0; i < size; ++i) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        b[i] = char(x);
    }
    return b;
}

// Uploads `size` bytes in 8 MiB parts, so the upload itself stays small in memory.
void putLarge(s3::Client &c, const QString &key, qint64 size)
{
    constexpr qint64 part = 8 << 20;
    QString id;
    s3::Error e;
    wait(c.createMultipartUpload(kBucket, key), &e, nullptr, &id);
    check(e, "create upload");
    QList<s3::Part> parts;
    const QByteArray block = filler(part, 7);
    for (int n = 1; qint64(n - 1) * part < size; ++n) {
        QByteArray etag;
        wait(c.uploadPart(kBucket, key, id, n, block.left(qMin(part, size - qint64(n - 1) * part))), &e, nullptr, nullptr, &etag);
        check(e, "upload part");
        parts.append({n, etag, 0});
    }
    wait(c.completeMultipartUpload(kBucket, key, id, parts), &e);
    check(e, "complete upload");
}

double runBundler(const s3::Account &account, const s3::Credentials &creds, const zip::BundleSelection &s,
                  const zip::BundlerOptions &options = {}, const QString &journal = {})
{
    QElapsedTimer t;
    t.start();
    zip::ZipBundler bundler(account, creds, s, options);
    if (!journal.isEmpty())
        bundler.setJournal(journal);
    // As a queued bundle runs: its own and the global limiter attached, both unlimited here.
    bundler.setRateLimiters({std::make_shared<RateLimiter>(), std::make_shared<RateLimiter>()});
    QEventLoop loop;
    bool ok = false;
    QString message;
    QObject::connect(&bundler, &zip::ZipBundler::finished, &loop, [&](bool good, const QString &m) {
        ok = good;
        message = m;
        loop.quit();
    });
    bundler.start();
    loop.exec();
    if (!ok)
        qFatal("bundle failed: %s", qPrintable(message));
    return t.elapsed() / 1000.0;
}

qint64 peakRssKib()
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// Resets VmHWM (Linux ≥ 4.0), so each phase reports its own peak.
void resetPeakRss()
{
    QFile f(u"/proc/self/clear_refs"_s);
    if (f.open(QIODevice::WriteOnly))
        f.write("5");
}

// User + system CPU seconds of this process so far.
double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    const qsizetype n = v.size();
    return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// The cost of checkpoints: the large object bundled into a local ZIP with a journal, as a
// queued bundle runs, with checkpoints every BundlerOptions::checkpointInterval (each one
// flushes the archive and the journal to disk) and with checkpointInterval = 0. The two
// alternate, the order swapping every round. Prints Markdown rows: median time, MiB/s, median
// CPU time of the process, the largest peak RSS (VmHWM reset before each bundle), and the
// median of the per-round ratios (each round's two bundles run back to back, so a change in
// the machine's load affects both alike).
int checkpointCost(const s3::Account &account, const s3::Credentials &creds, qint64 largeSize, int rounds)
{
    QTemporaryDir dir(QDir::current().filePath(u"zipbench-XXXXXX"_s));
    if (!dir.isValid())
        qFatal("cannot create a folder for the bundles in %s", qPrintable(QDir::currentPath()));
    zip::BundleSelection large;
    large.bucket = kBucket;
    large.keys = {u"large/video.mp4"_s};
    large.localPath = dir.filePath(u"large.zip"_s);
    const zip::BundlerOptions with;
    zip::BundlerOptions without;
    without.checkpointInterval = 0;
    QList<double> times[2];
    QList<double> cpu[2];
    QList<double> ratios;
    qint64 peak[2] = {0, 0};
    for (int round = 0; round < rounds; ++round) {
        for (int i = 0; i < 2; ++i) {
            const int mode = (round + i) % 2; // 0: checkpoints, 1: none
            QFile::remove(large.localPath);
            const QString journal = dir.filePath(u"large.journal"_s);
            QFile::remove(journal);
            resetPeakRss();
            const double cpuBefore = cpuSeconds();
            const double seconds = runBundler(account, creds, large, mode == 0 ? with : without, journal);
            const double cpuUsed = cpuSeconds() - cpuBefore;
            const qint64 rss = peakRssKib();
            times[mode].append(seconds);
            cpu[mode].append(cpuUsed);
            peak[mode] = qMax(peak[mode], rss);
            std::fprintf(stderr, "round %d, %s: %.2f s, CPU %.2f s, peak RSS %.1f MiB\n", round + 1,
                         mode == 0 ? "checkpoints" : "no checkpoints", seconds, cpuUsed, rss / 1024.0);
        }
        ratios.append(times[0].last() / times[1].last());
    }
    const double mib = double(largeSize) / (1 << 20);
    const double on = median(times[0]), off = median(times[1]);
    std::printf("| bundle of one %.0f MiB object into a local ZIP | median s | MiB/s | CPU s | peak RSS MiB | runs (s) |\n"
                "|---|---:|---:|---:|---:|---|\n", mib);
    for (int mode = 0; mode < 2; ++mode) {
        QStringList runs;
        for (double t : times[mode])
            runs.append(QString::number(t, 'f', 2));
        std::printf("| %s | %.2f | %.0f | %.2f | %.1f | %s |\n",
                    mode == 0 ? qPrintable(u"checkpoints every %1 MiB"_s.arg(with.checkpointInterval >> 20))
                              : "no checkpoints (checkpointInterval = 0)",
                    mode == 0 ? on : off, mib / (mode == 0 ? on : off), median(cpu[mode]), peak[mode] / 1024.0,
                    qPrintable(runs.join(u", "_s)));
    }
    QStringList perRound;
    for (double r : ratios)
        perRound.append(QString::number(r, 'f', 3));
    std::printf("\ncheckpoint-ratio %.4f\nround-ratios %s\nmedian-ratio %.4f\ncpu-ratio %.4f\n", off > 0 ? on / off : 0.0,
                qPrintable(perRound.join(u", "_s)), median(ratios),
                median(cpu[1]) > 0 ? median(cpu[0]) / median(cpu[1]) : 0.0);
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    // Buffers of a few MiB come and go all the time; with glibc's sliding mmap threshold they
    // would end up in arenas that never shrink. A fixed threshold returns them on free.
    mallopt(M_MMAP_THRESHOLD, 512 * 1024);
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({u"endpoint"_s, u"S3 endpoint with a bucket named bench."_s, u"url"_s});
    parser.addOption({u"large-mib"_s, u"Size of the large object in MiB (default 256)."_s, u"mib"_s, u"256"_s});
    parser.addOption({u"latency-ms"_s, u"Latency added to every answer in the small-object phase (default 20)."_s, u"ms"_s, u"20"_s});
    parser.addOption({u"skip-fixtures"_s, u"The objects are already in the bucket (used for --only children)."_s});
    parser.addOption({u"only"_s, u"Run one large-object phase alone, to measure its own peak RSS: local or streamed."_s, u"phase"_s});
    parser.addOption({u"small"_s, u"Number of 16 KiB objects (default 1000)."_s, u"count"_s, u"1000"_s});
    parser.addOption({u"checkpoint-cost"_s,
                      u"Only the large object, bundled locally with and without checkpoints, this many rounds."_s,
                      u"rounds"_s});
    parser.process(app);
    const qint64 largeSize = parser.value(u"large-mib"_s).toLongLong() << 20;
    const int smallCount = parser.value(u"small"_s).toInt();

    QUrl endpoint(parser.value(u"endpoint"_s));
#ifdef FERRY_HAVE_S3SERVER
    std::unique_ptr<test::RgwServer> server;
    if (endpoint.isEmpty()) {
        if (const QString why = test::RgwServer::unavailableReason(); !why.isEmpty())
            qFatal("%s", qPrintable(why));
        server = std::make_unique<test::RgwServer>();
        server->addBucket(kBucket);
        QString error;
        if (!server->start(&error))
            qFatal("%s", qPrintable(error));
        endpoint = server->endpoint();
    }
#endif
    if (endpoint.isEmpty())
        qFatal("give --endpoint");

    s3::Account account;
    account.id = u"bench"_s;
    account.endpoint = endpoint;
    account.pathStyle = true;
    s3::Credentials creds{qEnvironmentVariable("AWS_ACCESS_KEY_ID"), qEnvironmentVariable("AWS_SECRET_ACCESS_KEY"), {}};
#ifdef FERRY_HAVE_S3SERVER
    if (server || creds.accessKeyId.isEmpty())
        creds = {test::RgwServer::accessKey(), test::RgwServer::secretKey(), {}};
#endif
    s3::Client client(account, creds);
    QTemporaryDir dir;

    if (parser.isSet(u"checkpoint-cost"_s)) {
        if (!parser.isSet(u"skip-fixtures"_s))
            putLarge(client, u"large/video.mp4"_s, largeSize);
        return checkpointCost(account, creds, largeSize, qMax(1, parser.value(u"checkpoint-cost"_s).toInt()));
    }

    // Fixtures (a child measuring one phase reuses its parent's).
    if (!parser.isSet(u"skip-fixtures"_s)) {
        int pending = 0;
        s3::Error e;
        for (int i = 0; i < smallCount; ++i) {
            s3::Reply *r = client.putObject(kBucket, u"small/%1.txt"_s.arg(i, 5, 10, QChar(u'0')), filler(16 * 1024, i));
            ++pending;
            QObject::connect(r, &s3::Reply::finished, r, [&pending, &e, r] {
                --pending;
                if (r->error.isError())
                    e = r->error;
            });
            while (pending >= 32)
                QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        }
        while (pending > 0)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        check(e, "put small");
        putLarge(client, u"large/video.mp4"_s, largeSize);
    }

    const qint64 rssFixtures = peakRssKib();
    if (const QString only = parser.value(u"only"_s); !only.isEmpty()) {
        // One phase in a fresh process: its peak is not inflated by memory earlier phases kept.
        resetPeakRss();
        zip::BundleSelection one;
        one.bucket = kBucket;
        one.keys = {u"large/video.mp4"_s};
        if (only == u"streamed"_s) {
            one.targetBucket = kBucket;
            one.targetKey = u"out/alone.zip"_s;
        } else {
            one.localPath = dir.filePath(u"alone.zip"_s);
        }
        const double seconds = runBundler(account, creds, one);
        std::printf("| %.0f MiB object, %s bundle alone | %.2f | peak RSS %.1f MiB |\n", double(largeSize) / (1 << 20),
                    qPrintable(only), seconds, peakRssKib() / 1024.0);
        return 0;
    }
    // 1. Small objects: one GET after another into the writer, then the bundler. Both go
    // through a proxy that holds answers back like a server some distance away would; on bare
    // loopback there is no latency for fetching ahead to hide.
    int latencyMs = parser.value(u"latency-ms"_s).toInt();
    s3::Account smallAccount = account;
#ifdef FERRY_HAVE_S3SERVER
    std::unique_ptr<test::CountingProxy> proxy;
    if (latencyMs > 0) {
        proxy = std::make_unique<test::CountingProxy>(quint16(endpoint.port()));
        if (!proxy->start())
            qFatal("cannot start the latency proxy");
        proxy->setResponseDelay(latencyMs);
        smallAccount.endpoint.setPort(proxy->port());
    }
#else
    latencyMs = 0; // the latency proxy lives in the test support library
#endif
    s3::Client smallClient(smallAccount, creds);
    QElapsedTimer t;
    t.start();
    {
        zip::LocalFileZipSink sink(dir.filePath(u"sequential.zip"_s));
        sink.open();
        zip::ZipWriter writer(&sink);
        for (int i = 0; i < smallCount; ++i) {
            const QString key = u"small/%1.txt"_s.arg(i, 5, 10, QChar(u'0'));
            QByteArray body;
            s3::Error e;
            wait(smallClient.getObject(kBucket, key), &e, &body);
            check(e, "get");
            writer.addEntry({key, body.size(), QDateTime::currentDateTimeUtc(), zip::ZipMethod::Auto}, body);
        }
        writer.finish();
        sink.commit();
    }
    const double sequential = t.elapsed() / 1000.0;
    zip::BundleSelection small;
    small.bucket = kBucket;
    small.prefixes = {u"small/"_s};
    small.localPath = dir.filePath(u"small.zip"_s);
    const double bundled = runBundler(smallAccount, creds, small);
#ifdef FERRY_HAVE_S3SERVER
    proxy.reset();
#endif

    // 2. Large object: plain parallel ranged download into a file (4 × 8 MiB ranges in flight,
    // each written at its offset), the way a download on its own would store it.
    t.restart();
    {
        QFile out(dir.filePath(u"plain.bin"_s));
        if (!out.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(out.fileName()));
        constexpr qint64 chunk = 8 << 20;
        qint64 next = 0;
        int pending = 0;
        while (next < largeSize || pending > 0) {
            while (pending < 4 && next < largeSize) {
                s3::Reply *r = client.getObject(kBucket, u"large/video.mp4"_s, next, qMin(largeSize, next + chunk) - 1);
                next += chunk;
                ++pending;
                const qint64 offset = next - chunk;
                QObject::connect(r, &s3::Reply::finished, r, [&pending, &out, offset, r] {
                    check(r->error, "ranged get");
                    out.seek(offset);
                    out.write(r->body);
                    --pending;
                });
            }
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        }
        out.close();
        out.remove();
    }
    const double plain = t.elapsed() / 1000.0;
    const qint64 rssDownload = peakRssKib();
    resetPeakRss();
    zip::BundleSelection large;
    large.bucket = kBucket;
    large.keys = {u"large/video.mp4"_s};
    large.localPath = dir.filePath(u"large.zip"_s);
    const double largeLocal = runBundler(account, creds, large);
    const qint64 rssLocal = peakRssKib();
    resetPeakRss();
    large.localPath.clear();
    large.targetBucket = kBucket;
    large.targetKey = u"out/large.zip"_s;
    const double largeStreamed = runBundler(account, creds, large);

    const double mib = double(largeSize) / (1 << 20);
    std::printf("| measurement | time (s) | result |\n|---|---:|---|\n");
    std::printf("| %d × 16 KiB, one GET after another, %d ms latency | %.2f | |\n", smallCount, latencyMs, sequential);
    std::printf("| %d × 16 KiB, bundler, %d ms latency | %.2f | %.1f× faster |\n", smallCount, latencyMs, bundled, sequential / bundled);
    std::printf("| %.0f MiB object, parallel ranged download to a file alone | %.2f | %.0f MiB/s |\n", mib, plain, mib / plain);
    std::printf("| %.0f MiB object, bundled to a local ZIP | %.2f | %.2f× the download speed |\n", mib, largeLocal, plain / largeLocal);
    std::printf("| %.0f MiB object, bundled into the bucket | %.2f | %.0f MiB/s |\n", mib, largeStreamed, mib / largeStreamed);
    // Each line is the peak of that phase alone (VmHWM reset before it).
    std::printf("| peak RSS after creating the fixtures | | %.1f MiB |\n", rssFixtures / 1024.0);
    std::printf("| peak RSS, fixtures + small bundles + plain download | | %.1f MiB |\n", rssDownload / 1024.0);
    std::printf("| peak RSS during the local bundle | | %.1f MiB |\n", rssLocal / 1024.0);
    std::printf("| peak RSS during the streamed bundle | | %.1f MiB |\n", peakRssKib() / 1024.0);
    std::fflush(stdout);
    // The peaks above include what earlier phases left in this process; a fresh process per
    // phase shows what a bundle alone needs.
    for (const QString &phase : {u"local"_s, u"streamed"_s}) {
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(),
                    {u"--endpoint"_s, endpoint.toString(), u"--large-mib"_s, QString::number(largeSize >> 20),
                     u"--skip-fixtures"_s, u"--only"_s, phase});
        child.waitForFinished(-1);
        std::printf("%s", child.readAllStandardOutput().constData());
    }
    return 0;
}
