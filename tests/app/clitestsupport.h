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

inline constexpr qint64 kKiB = 1024;
inline constexpr qint64 kMiB = 1024 * 1024;
// Generous: the machine may be busy with a benchmark. Nothing here asserts a duration.
inline constexpr int kRunTimeoutMs = 300'000;

// A run ended by itself with exit code `code`; otherwise the test fails showing what it printed.
#define VERIFY_EXIT(result, code) QVERIFY2((result).finished && (result).exitCode == (code), qPrintable((result).describe()))

struct CliResult {
    bool finished = false; // ended by itself, without crashing, within the timeout
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

// Every non-empty line of `bytes` that is a JSON object; *allObjects is false if any line is not one.
inline QList<QJsonObject> jsonLines(const QByteArray &bytes, bool *allObjects)
{
    QList<QJsonObject> objects;
    *allObjects = true;
    for (const QByteArray &line : bytes.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            *allObjects = false;
            continue;
        }
        objects.append(doc.object());
    }
    return objects;
}

inline QList<QJsonObject> jsonLines(const QByteArray &bytes)
{
    bool allObjects = false;
    return jsonLines(bytes, &allObjects);
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
