#pragma once

#include <QString>
#include <QStringList>

namespace ferry::cli {

struct CliOptions;

enum class S3Action { None, Ls, Get, Put, Presign, Zip };

// What `ferry-cli s3 ...` was asked for, and how the account is chosen: a stored account by
// name (or id), or one described by the environment and these flags.
struct S3Options {
    S3Action action = S3Action::None;
    QString uri;               // s3://bucket/key
    QString localPath;         // put: the file or folder to send
    QString account;           // --account
    QString endpoint;          // --endpoint
    QString region;            // --region
    QString profile;           // --profile
    bool pathStyle = false;
    bool anonymous = false;
    bool recursive = false;
    qint64 expiresSeconds = 3600;
    bool expiresGiven = false;
    // zip: the objects and prefixes (all in one bucket), and where the archive goes: a local
    // file (localPath, from -o) or an object (zipTarget, from --to).
    QStringList zipSources;
    QString zipTarget;
    bool skipErrors = false;
    int deflateLevel = 6;

    bool describesAccount() const
    {
        return !endpoint.isEmpty() || !region.isEmpty() || !profile.isEmpty() || pathStyle || anonymous;
    }
};

// Consumes the S3 option at args[*i] (advancing *i past its value). Returns 1 when it was one,
// 0 when it is not an S3 option, -1 with a message in *error when its value is wrong.
int parseS3Option(const QStringList &args, qsizetype *i, S3Options *s3, QString *error);
// Checks the positional arguments of `s3 ACTION ...` (in options->arguments) and moves them
// into options->s3. False with a message in *error on bad usage.
bool finishS3Options(CliOptions *options, QString *error);

// "3600", "90s", "30m", "12h", "7d", "1w" -> seconds; -1 when it is none of these.
qint64 parseDuration(const QString &text);
constexpr qint64 maxPresignSeconds = 7 * 24 * 3600;
// A bucket bundle's link lasts this long unless --expires says otherwise.
constexpr qint64 defaultZipShareSeconds = maxPresignSeconds;

} // namespace ferry::cli
