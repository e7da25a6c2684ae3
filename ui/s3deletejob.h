#pragma once

#include "s3/s3client.h"

#include "s3mime.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

namespace ferry::ui {

// Deletes a selection of objects and prefixes: every key under a prefix is listed first (no
// delimiter, page by page), then all keys go out in DeleteObjects batches. Deletes itself after
// finished(). GUI thread.
class S3DeleteJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(S3DeleteJob)
public:
    S3DeleteJob(s3::Client *client, S3Selection selection, QObject *parent = nullptr);
    void start();

signals:
    // `deleted` keys are gone; `failed` were refused; `error` says why the job stopped early.
    void finished(int deleted, const QStringList &failed, const QString &error);

private:
    void listNext(const QString &token);
    void deleteAll();
    void finish(const QString &error);

    QPointer<s3::Client> m_client;
    S3Selection m_selection;
    QStringList m_keys;
    int m_prefixIndex = 0;
    QStringList m_failed;
};

} // namespace ferry::ui
