#pragma once

#include "s3/s3client.h"

#include <QByteArray>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

// What the ferry-cli tests share: the outcome of one run and waiting for an S3 call.

namespace ferry::test {

using namespace Qt::StringLiterals;

inline constexpr qint64 kMiB = 1024 * 1024;
inline constexpr int kRunTimeoutMs = 300'000; // generous: nothing here asserts a duration

#define VERIFY_EXIT(result, code) QVERIFY2((result).finished && (result).exitCode == (code), qPrintable((result).describe()))

struct CliResult {
    bool finished = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString describe() const
    {
        return u"exit %1 (finished: %2)\nstderr: %3\nstdout: %4"_s.arg(exitCode)
            .arg(finished ? u"yes"_s : u"no"_s)
            .arg(QString::fromLocal8Bit(err), QString::fromLocal8Bit(out.left(4000)));
    }
};

inline QList<QJsonObject> jsonLines(const QByteArray &bytes)
{
    QList<QJsonObject> objects;
    for (const QByteArray &line : bytes.split('\n')) {
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (doc.isObject())
            objects.append(doc.object());
    }
    return objects;
}

// Waits for one client call; `take` copies what the test needs before the reply goes away.
template <class Take>
bool await(ferry::s3::Reply *reply, Take take)
{
    QEventLoop loop;
    bool done = false;
    QObject::connect(reply, &ferry::s3::Reply::finished, &loop, [&] {
        take(reply);
        done = true;
        loop.quit();
    });
    QTimer::singleShot(kRunTimeoutMs, &loop, &QEventLoop::quit);
    if (!done)
        loop.exec();
    return done;
}

} // namespace ferry::test
