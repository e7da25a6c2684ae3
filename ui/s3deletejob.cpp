#include "s3deletejob.h"

#include "s3/s3client.h"

using namespace Qt::StringLiterals;

namespace ferry::ui {

S3DeleteJob::S3DeleteJob(s3::Client *client, S3Selection selection, QObject *parent)
    : QObject(parent), m_client(client), m_selection(std::move(selection))
{
    for (const S3SelectedObject &o : m_selection.objects)
        m_keys.append(o.key);
}

void S3DeleteJob::start()
{
    listNext({});
}

void S3DeleteJob::listNext(const QString &token)
{
    if (!m_client) {
        finish(tr("The account was closed."));
        return;
    }
    if (m_prefixIndex >= m_selection.prefixes.size()) {
        deleteAll();
        return;
    }
    const QString prefix = m_selection.prefixes.at(m_prefixIndex);
    s3::Reply *r = m_client->listObjects(m_selection.bucket, prefix, {}, token);
    connect(r, &s3::Reply::finished, this, [this, r] {
        if (r->error.isError()) {
            finish(r->error.message);
            return;
        }
        for (const s3::Object &o : r->page.objects)
            m_keys.append(o.key);
        if (r->page.truncated && !r->page.nextContinuationToken.isEmpty()) {
            listNext(r->page.nextContinuationToken);
            return;
        }
        ++m_prefixIndex;
        listNext({});
    });
}

void S3DeleteJob::deleteAll()
{
    m_keys.removeDuplicates();
    if (m_keys.isEmpty()) {
        finish({});
        return;
    }
    // The client splits the keys into batches of S3's maximum itself.
    s3::Reply *r = m_client->deleteObjects(m_selection.bucket, m_keys);
    connect(r, &s3::Reply::finished, this, [this, r] {
        m_failed = r->failedKeys;
        finish(r->error.isError() ? r->error.message : QString());
    });
}

void S3DeleteJob::finish(const QString &error)
{
    const int deleted = error.isEmpty() ? int(m_keys.size() - m_failed.size()) : 0;
    emit finished(deleted, m_failed, error);
    deleteLater();
}

} // namespace ferry::ui
