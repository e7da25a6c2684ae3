#include "zipcommand.h"

#include "clirunner.h"
#include "progressprinter.h"
#include "s3/s3client.h"
#include "s3session.h"
#include "api/downloadmanager.h"
#include "zipread/entrydownloads.h"
#include "zipread/remotezipdevice.h"
#include "zipread/zipextractor.h"
#include "zipread/zipreader.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace ferry::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ferry::cli", text);
}

bool isS3(const QString &source)
{
    return source.startsWith(u"s3://"_s);
}

// Entries this large (packed) are downloads of the manager: parallel ranges, resumable after a
// crash. Smaller ones are read at once, in as few requests as their size allows.
constexpr qint64 kDownloadFrom = 16 * 1024 * 1024;

} // namespace

bool finishZipOptions(CliOptions *o, QString *error)
{
    const QStringList &args = o->arguments;
    const QString action = args.value(0);
    if (action != u"ls"_s && action != u"get"_s) {
        *error = action.isEmpty()
                     ? tr("zip needs a command: ls or get.")
                     : tr("Unknown zip command '%1' (expected ls or get).").arg(action);
        return false;
    }
    if (args.size() < 2) {
        *error = tr("zip %1 needs the address of an archive (https://... or s3://bucket/key).")
                     .arg(action);
        return false;
    }
    const QString source = args.at(1);
    if (isS3(source)) {
        const QString rest = source.mid(5);
        if (rest.startsWith(u'/') || !rest.contains(u'/') || rest.endsWith(u'/')) {
            *error = tr("%1 names no object (expected s3://bucket/key).").arg(source);
            return false;
        }
    } else {
        const QUrl url(source, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != u"http"_s && url.scheme() != u"https"_s)) {
            *error = tr("Not an archive address: '%1' (expected http(s)://... or s3://bucket/key).")
                         .arg(source);
            return false;
        }
    }
    if (action == u"ls"_s && args.size() > 2) {
        *error = tr("zip ls takes one archive; to extract entries use zip get.");
        return false;
    }
    if (action == u"get"_s && args.size() < 3) {
        *error = tr("zip get needs the entries to extract: names, folders or patterns such as "
                    "'docs/*.pdf'.");
        return false;
    }
    if (action == u"ls"_s && !o->directory.isEmpty()) {
        *error = tr("-d is for zip get.");
        return false;
    }
    return true;
}

ZipCommand::ZipCommand(const CliOptions &options, S3Session *session, ProgressPrinter *printer,
                       DownloadManager *manager, RunDownloads runDownloads, QObject *parent)
    : QObject(parent), m_options(options), m_session(session), m_printer(printer), m_manager(manager),
      m_runDownloads(std::move(runDownloads))
{
}

ZipCommand::~ZipCommand()
{
    m_cancelled = true;
    {
        QMutexLocker lock(&m_deviceMutex);
        if (m_device)
            m_device->abort();
    }
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

void ZipCommand::start()
{
    const QString source = m_options.arguments.at(1);
    if (!isS3(source)) {
        const QUrl url(source, QUrl::StrictMode);
        const HeaderList headers = m_options.headers;
        m_source.url = url;
        m_source.headers = headers;
        run([url, headers] { return std::make_unique<zipread::RemoteZipDevice>(url, headers); });
        return;
    }
    const QString rest = source.mid(5);
    const QString bucket = rest.section(u'/', 0, 0);
    const QString key = rest.section(u'/', 1);
    QPointer<ZipCommand> self(this);
    m_session->openSelected([self, bucket, key](s3::Client *client, const QString &error) {
        if (!self)
            return;
        if (!client) {
            self->m_printer->message(u"ferry-cli: "_s + error);
            emit self->done(DownloadFailed);
            return;
        }
        self->m_source.url = client->objectUrl(bucket, key);
        self->m_source.account = client->account().id;
        self->m_source.bucket = bucket;
        self->m_source.key = key;
        // Copies: the worker's device makes a client of its own on its network thread.
        const s3::Account account = client->account();
        const s3::Credentials credentials = client->credentials();
        self->run([account, credentials, bucket, key] {
            return std::make_unique<zipread::RemoteZipDevice>(account, credentials, bucket, key);
        });
    });
}

void ZipCommand::run(DeviceFactory makeDevice)
{
    m_thread = QThread::create([this, makeDevice] {
        const int code = work(makeDevice);
        QMetaObject::invokeMethod(
            this,
            [this, code] {
                const int result = code == Ok && m_refusedDownloads > 0 ? int(DownloadFailed) : code;
                if (!m_downloads.isEmpty() && m_runDownloads && !m_cancelled)
                    m_runDownloads(m_downloads, result); // waits for them, then ends the command
                else
                    emit done(result);
            },
            Qt::QueuedConnection);
    });
    m_thread->start();
}

void ZipCommand::out(const QByteArray &line)
{
    QMetaObject::invokeMethod(
        this,
        [line] {
            std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
            std::fputc('\n', stdout);
            std::fflush(stdout);
        },
        Qt::QueuedConnection);
}

void ZipCommand::note(const QString &text)
{
    QMetaObject::invokeMethod(
        this, [this, text] { m_printer->message(text); }, Qt::QueuedConnection);
}

int ZipCommand::work(const DeviceFactory &makeDevice)
{
    std::unique_ptr<zipread::RemoteZipDevice> device = makeDevice();
    {
        QMutexLocker lock(&m_deviceMutex);
        m_device = device.get();
        if (m_cancelled)
            device->abort();
    }
    const auto release = qScopeGuard([this] {
        QMutexLocker lock(&m_deviceMutex);
        m_device = nullptr;
    });
    const QString source = m_options.arguments.at(1);
    if (!device->open(QIODevice::ReadOnly)) {
        note(u"ferry-cli: %1: %2"_s.arg(source, device->errorString()));
        return DownloadFailed;
    }
    zipread::ZipReader reader(device.get());
    if (!reader.open()) {
        note(u"ferry-cli: %1: %2"_s.arg(source, reader.errorString()));
        return DownloadFailed;
    }
    const QList<zipread::ZipEntry> &entries = reader.entries();

    if (m_options.arguments.at(0) == u"ls"_s) {
        qint64 total = 0, packed = 0;
        for (const zipread::ZipEntry &e : entries) {
            total += e.size;
            packed += e.packedSize;
            if (m_options.json) {
                const QJsonObject o{{u"type"_s, e.directory ? u"folder"_s : u"file"_s},
                                    {u"name"_s, e.name},
                                    {u"size"_s, e.size},
                                    {u"packedSize"_s, e.packedSize},
                                    {u"modified"_s, e.modified.toString(Qt::ISODate)},
                                    {u"method"_s, zipread::ZipReader::methodName(e.method)},
                                    {u"encrypted"_s, e.encrypted},
                                    {u"crc32"_s, u"%1"_s.arg(e.crc, 8, 16, QChar(u'0'))},
                                    {u"refused"_s, e.refusal()}};
                out(QJsonDocument(o).toJson(QJsonDocument::Compact));
            } else {
                out(u"%1 %2 %3 %4%5 %6"_s.arg(e.size, 14)
                        .arg(e.packedSize, 14)
                        .arg(e.modified.toString(u"yyyy-MM-dd HH:mm"_s))
                        .arg(zipread::ZipReader::methodName(e.method), -8)
                        .arg(e.encrypted ? u" E"_s : u"  "_s)
                        .arg(e.name)
                        .toUtf8());
            }
        }
        if (!m_options.json)
            note(
                tr("%n entries, %1 (%2 packed);", nullptr, int(entries.size()))
                    .arg(formatBytes(total), formatBytes(packed)) +
                u' ' +
                tr("read %1 of the archive's %2 in %n request(s).", nullptr, device->requestCount())
                    .arg(formatBytes(device->bytesReceived()), formatBytes(device->size())));
        return Ok;
    }

    QStringList unmatched;
    const QList<qsizetype> chosen =
        zipread::ZipExtractor::select(entries, m_options.arguments.mid(2), &unmatched);
    for (const QString &pattern : std::as_const(unmatched))
        note(tr("ferry-cli: '%1' matches no entry of %2.").arg(pattern, source));
    if (chosen.isEmpty())
        return DownloadFailed;
    // Named all at once: an entry extracted here and one downloaded by the engine never get the
    // same name.
    const QHash<qsizetype, zip::ZipName> names = zipread::ZipExtractor::mapNames(entries, chosen);
    QList<qsizetype> direct, downloads;
    for (qsizetype i : chosen) {
        const zipread::ZipEntry &e = entries.at(i);
        const bool large = !e.directory && e.refusal().isEmpty() && e.packedSize >= kDownloadFrom;
        (large && m_manager && m_runDownloads ? downloads : direct).append(i);
    }
    if (!downloads.isEmpty()) {
        zipread::ArchiveListing listing;
        listing.entries = entries;
        listing.archiveSize = device->size();
        listing.etag = device->etag();
        listing.lastModified = device->lastModified();
        listing.centralDirectoryOffset = reader.centralDirectoryOffset();
        QMetaObject::invokeMethod(
            this, [this, listing, downloads, names] { addEntryDownloads(listing, downloads, names); },
            Qt::QueuedConnection);
    }
    int failed = int(unmatched.size());
    if (direct.isEmpty())
        return failed > 0 ? DownloadFailed : Ok;
    const QString folder =
        QDir(m_options.directory.isEmpty() ? QDir::currentPath() : m_options.directory)
            .absolutePath();
    zipread::ZipExtractor extractor(&reader);
    extractor.extract(direct, folder, [&](const zipread::ExtractedEntry &r) {
        if (!r.error.isEmpty())
            ++failed;
        if (m_options.json) {
            QJsonObject o{{u"type"_s, u"extracted"_s}, {u"entry"_s, r.entry}, {u"size"_s, r.size}};
            if (!r.path.isEmpty())
                o.insert(u"path"_s, r.path);
            if (!r.error.isEmpty())
                o.insert(u"error"_s, r.error);
            out(QJsonDocument(o).toJson(QJsonDocument::Compact));
        } else if (!r.error.isEmpty()) {
            note(u"ferry-cli: "_s + r.error);
        } else if (!QFileInfo(r.path).isDir()) {
            out(r.renamed ? tr("%1 -> %2").arg(r.entry, QDir::toNativeSeparators(r.path)).toUtf8()
                          : QDir::toNativeSeparators(r.path).toUtf8());
        }
        return !m_cancelled;
    }, names);
    if (!m_options.json)
        note(tr("Read %1 of the archive's %2 in %n request(s).", nullptr, device->requestCount())
                 .arg(formatBytes(device->bytesReceived()), formatBytes(device->size())));
    if (m_cancelled)
        return Stopped;
    return failed > 0 ? DownloadFailed : Ok;
}

void ZipCommand::addEntryDownloads(const zipread::ArchiveListing &listing, const QList<qsizetype> &chosen,
                                   const QHash<qsizetype, zip::ZipName> &names)
{
    const QString folder =
        QDir(m_options.directory.isEmpty() ? QDir::currentPath() : m_options.directory)
            .absolutePath();
    QStringList refused;
    QList<DownloadRequest> requests = zipread::entryDownloadRequests(m_source, listing, chosen, folder, &refused, names);
    for (const QString &why : std::as_const(refused)) {
        m_printer->message(u"ferry-cli: "_s + why);
        ++m_refusedDownloads;
    }
    for (DownloadRequest &request : requests) {
        if (m_options.connections)
            request.connections = m_options.connections;
        request.rateLimit = m_options.rateLimit;
        QString error;
        const DownloadId id = m_manager->add(request, &error);
        if (id == 0) {
            m_printer->message(u"ferry-cli: "_s + error);
            ++m_refusedDownloads;
            continue;
        }
        m_downloads.append(id);
        if (!m_options.json)
            m_printer->message(tr("“%1” is download %2 (resumable with ferry-cli resume %2).")
                                   .arg(request.zipEntry->name).arg(id));
    }
}

} // namespace ferry::cli
