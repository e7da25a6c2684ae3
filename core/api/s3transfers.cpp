#include "api/s3transfers.h"

#include "api/downloadmanager.h"
#include "engine/filenamesanitizer.h"
#include "s3/s3client.h"
#include "s3/uploadjob.h"
#include "storage/storedrecord.h"
#include "zip/bundleselection.h"
#include "zip/zipjob.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

// "eu-west-1" from "s3.eu-west-1.amazonaws.com", "b.s3.eu-west-1.amazonaws.com" or
// "s3-eu-west-1.amazonaws.com"; empty for any other host.
QString awsRegionOf(const QString &host)
{
    const QStringList labels = host.toLower().split(u'.');
    const qsizetype n = labels.size();
    if (n < 3 || labels.at(n - 1) != u"com"_s || labels.at(n - 2) != u"amazonaws"_s)
        return {};
    const QString service = labels.at(n - 3);
    if (service.startsWith(u"s3-"_s))
        return service.mid(3);
    if (n >= 4 && labels.at(n - 4) == u"s3"_s && service != u"s3"_s)
        return service;
    return {};
}

} // namespace

void registerBundleJobs(DownloadManager &manager, zip::ZipJob::AccessProvider access, zip::BundlerOptions options)
{
    for (const TransferKind kind : {TransferKind::ZipLocal, TransferKind::ZipBucket}) {
        manager.setJobFactory(kind, [access, options](const StoredDownload &record, const JobEnvironment &env, QObject *p) -> TransferJob * {
            return new zip::ZipJob(record, env, access, options, p);
        });
    }
}

S3Transfers::S3Transfers(DownloadManager *manager, QObject *parent) : QObject(parent), m_manager(manager)
{
    // Registered before the manager opens its database, so stored uploads come back as uploads.
    m_manager->setJobFactory(TransferKind::Upload, [this](const StoredDownload &record, const JobEnvironment &env, QObject *p) -> TransferJob * {
        return new s3::UploadJob(record, env, [self = QPointer<S3Transfers>(this)](const QString &account) {
            return self ? self->client(account) : nullptr;
        }, p);
    });
    // Bundles run on a worker thread with a client of their own, made from a copy of the
    // account's settings and keys (in memory only).
    const zip::ZipJob::AccessProvider access = [self = QPointer<S3Transfers>(this)](const QString &account) -> std::optional<zip::ZipJob::Access> {
        s3::Client *c = self ? self->client(account) : nullptr;
        if (!c)
            return std::nullopt;
        return zip::ZipJob::Access{c->account(), c->credentials()};
    };
    registerBundleJobs(*m_manager, access);
}

DownloadId S3Transfers::bundle(const zip::BundleSelection &selection, QString *error)
{
    if (!client(selection.account)) {
        *error = tr("The S3 account is not open.");
        return 0;
    }
    if (selection.keys.isEmpty() && selection.prefixes.isEmpty()) {
        *error = tr("Nothing is selected to bundle.");
        return 0;
    }
    if (selection.shareExpirySeconds < 1 || selection.shareExpirySeconds > 7 * 24 * 3600) {
        *error = tr("A share link can be valid for at most 7 days.");
        return 0;
    }
    return m_manager->addTransfer(zip::ZipJob::recordFor(selection), error);
}

S3Transfers::~S3Transfers()
{
    qDeleteAll(m_clients);
}

void S3Transfers::addClient(s3::Client *client)
{
    const QString id = client->account().id;
    if (s3::Client *old = m_clients.value(id); old && old != client)
        old->deleteLater();
    client->setParent(nullptr);
    m_clients.insert(id, client);
    m_manager->setSignerFactory(id, [client = QPointer<s3::Client>(client)](const QString &source, const QUrl &url) -> std::shared_ptr<const RequestSigner> {
        QString bucket, key;
        if (!client || !splitUri(source, &bucket, &key))
            return {};
        // The address was made for the bucket's region; sign for that same region.
        client->rememberRegion(bucket, awsRegionOf(url.host()));
        return client->signerFor(bucket);
    });
}

s3::Client *S3Transfers::client(const QString &accountId) const
{
    return m_clients.value(accountId);
}

bool S3Transfers::splitUri(const QString &uri, QString *bucket, QString *key)
{
    if (!uri.startsWith(u"s3://"_s))
        return false;
    const QString rest = uri.mid(5);
    const qsizetype slash = rest.indexOf(u'/');
    *bucket = slash < 0 ? rest : rest.left(slash);
    *key = slash < 0 ? QString() : rest.mid(slash + 1);
    return !bucket->isEmpty();
}

QString S3Transfers::localPathFor(const QString &directory, const QString &prefix, const QString &key)
{
    const QString relative = key.startsWith(prefix) ? key.mid(prefix.size()) : key;
    QStringList parts;
    for (const QString &segment : relative.split(u'/', Qt::SkipEmptyParts)) {
        if (segment == u"."_s || segment == u".."_s)
            continue; // a key cannot climb out of the chosen folder
        parts.append(sanitizeFileName(segment, u"_"_s));
    }
    if (parts.isEmpty())
        parts.append(sanitizeFileName(QString(), u"object"_s));
    return QDir(directory).filePath(parts.join(u'/'));
}

DownloadId S3Transfers::downloadObject(const QString &accountId, const QString &bucket, const QString &key,
                                       const QString &directory, QString *error, qint64 size)
{
    s3::Client *c = client(accountId);
    if (!c) {
        *error = tr("The S3 account is not open.");
        return 0;
    }
    const QString slash = key.contains(u'/') ? key.left(key.lastIndexOf(u'/') + 1) : QString();
    const QString target = localPathFor(directory, slash, key);
    const QFileInfo info(target);
    if (!QDir().mkpath(info.absolutePath())) {
        *error = tr("Cannot create the folder %1.").arg(info.absolutePath());
        return 0;
    }
    DownloadRequest request;
    request.url = c->objectUrl(bucket, key);
    request.directory = info.absolutePath();
    request.fileName = info.fileName();
    request.account = accountId;
    request.source = s3::Client::s3Uri(bucket, key);
    // Small objects gain nothing from many connections.
    request.connections = size >= 0 && size < 4 * 1024 * 1024 ? 1 : 8;
    return m_manager->add(request, error);
}

void S3Transfers::downloadPrefix(const QString &accountId, const QString &bucket, const QString &prefix,
                                 const QString &directory, Done done)
{
    if (!client(accountId)) {
        done({}, tr("The S3 account is not open."));
        return;
    }
    listMore(accountId, bucket, prefix, directory, {}, std::make_shared<QList<DownloadId>>(), std::move(done));
}

void S3Transfers::listMore(const QString &accountId, const QString &bucket, const QString &prefix,
                           const QString &directory, const QString &token, std::shared_ptr<QList<DownloadId>> ids, Done done)
{
    s3::Client *c = client(accountId);
    if (!c) {
        done(*ids, tr("The S3 account was closed."));
        return;
    }
    // The local folder is named after the prefix's last segment, like a folder dragged out.
    QString base = prefix;
    if (base.endsWith(u'/'))
        base.chop(1);
    const QString parent = base.contains(u'/') ? base.left(base.lastIndexOf(u'/') + 1) : QString();
    s3::Reply *r = c->listObjects(bucket, prefix, {}, token);
    connect(r, &s3::Reply::finished, this, [=, this] {
        if (r->error.isError()) {
            done(*ids, r->error.message);
            return;
        }
        for (const s3::Object &o : r->page.objects) {
            if (o.key.endsWith(u'/'))
                continue; // folder markers
            const QString target = localPathFor(directory, parent, o.key);
            QString error;
            QDir().mkpath(QFileInfo(target).absolutePath());
            DownloadRequest request;
            request.url = c->objectUrl(bucket, o.key);
            request.directory = QFileInfo(target).absolutePath();
            request.fileName = QFileInfo(target).fileName();
            request.account = accountId;
            request.source = s3::Client::s3Uri(bucket, o.key);
            request.connections = o.size < 4 * 1024 * 1024 ? 1 : 8;
            if (const DownloadId id = m_manager->add(request, &error))
                ids->append(id);
        }
        if (r->page.truncated && !r->page.nextContinuationToken.isEmpty())
            listMore(accountId, bucket, prefix, directory, r->page.nextContinuationToken, ids, done);
        else
            done(*ids, QString());
    });
}

QList<DownloadId> S3Transfers::upload(const QString &accountId, const QString &localPath, const QString &bucket,
                                      const QString &keyPrefix, QString *error)
{
    s3::Client *c = client(accountId);
    if (!c) {
        *error = tr("The S3 account is not open.");
        return {};
    }
    const QFileInfo root(localPath);
    if (!root.exists()) {
        *error = tr("%1 does not exist.").arg(localPath);
        return {};
    }
    QList<QPair<QString, QString>> files; // local path, key
    // One file to a target without a trailing '/' names the object itself, like `cp`.
    const bool exactKey = root.isFile() && !keyPrefix.isEmpty() && !keyPrefix.endsWith(u'/');
    QString prefix = keyPrefix;
    if (!prefix.isEmpty() && !prefix.endsWith(u'/'))
        prefix += u'/';
    if (exactKey) {
        files.append({root.absoluteFilePath(), keyPrefix});
    } else if (root.isDir()) {
        const QDir base = root.absoluteDir();
        QDirIterator it(root.absoluteFilePath(), QDir::Files | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            files.append({file, prefix + base.relativeFilePath(file)});
        }
        std::sort(files.begin(), files.end());
    } else {
        files.append({root.absoluteFilePath(), prefix + root.fileName()});
    }
    QList<DownloadId> ids;
    for (const auto &[file, key] : files) {
        const QFileInfo info(file);
        StoredDownload record;
        record.kind = TransferKind::Upload;
        record.url = c->objectUrl(bucket, key);
        record.source = s3::Client::s3Uri(bucket, key);
        record.account = accountId;
        record.directory = info.absolutePath();
        record.fileName = info.fileName();
        record.total = info.size();
        record.resumable = true;
        record.state = DownloadState::Queued;
        record.connections = s3::UploadJob::parallelParts;
        if (const DownloadId id = m_manager->addTransfer(record, error))
            ids.append(id);
        else
            return ids;
    }
    return ids;
}

} // namespace ferry
