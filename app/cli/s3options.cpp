#include "s3options.h"

#include "clioptions.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace ferry::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ferry::cli", text);
}

bool isS3Uri(const QString &text)
{
    return text.startsWith(u"s3://"_s) && text.size() > 5 && text.at(5) != u'/';
}

bool finishZip(CliOptions *o, const QStringList &args, QString *error)
{
    S3Options &s3 = o->s3;
    if (args.isEmpty()) {
        *error = tr("s3 zip takes one or more s3://bucket/key or s3://bucket/prefix/ addresses, and -o FILE.zip "
                    "or --to s3://bucket/name.zip.");
        return false;
    }
    QString bucket;
    for (const QString &a : args) {
        if (!isS3Uri(a)) {
            *error = tr("Not an S3 address: '%1' (expected s3://bucket/key or s3://bucket/prefix/).").arg(a);
            return false;
        }
        const QString b = a.mid(5).section(u'/', 0, 0);
        if (!bucket.isEmpty() && b != bucket) {
            // One bundle reads with one account from one bucket; a second bucket would need a
            // second listing and possibly other keys.
            *error = tr("Everything in one archive must come from one bucket: %1 and %2 differ.").arg(bucket, b);
            return false;
        }
        bucket = b;
    }
    const bool toFile = !o->outputName.isEmpty();
    const bool toBucket = !s3.zipTarget.isEmpty();
    if (toFile == toBucket) {
        *error = toFile ? tr("Give either -o FILE.zip or --to s3://bucket/name.zip, not both.")
                        : tr("s3 zip needs a destination: -o FILE.zip or --to s3://bucket/name.zip.");
        return false;
    }
    if (toBucket) {
        const QString rest = s3.zipTarget.mid(5);
        if (!isS3Uri(s3.zipTarget) || !rest.contains(u'/') || rest.endsWith(u'/')) {
            *error = tr("--to %1 names no object (expected s3://bucket/name.zip).").arg(s3.zipTarget);
            return false;
        }
    } else if (s3.expiresGiven) {
        *error = tr("--expires is for the link of an archive written with --to; -o writes a local file.");
        return false;
    }
    if (!s3.expiresGiven)
        s3.expiresSeconds = defaultZipShareSeconds;
    s3.zipSources = args;
    s3.uri = args.first();
    return true;
}

} // namespace

qint64 parseDuration(const QString &text)
{
    static const QRegularExpression re(u"^\\s*(\\d{1,12})\\s*([smhdwSMHDW]?)\\s*$"_s);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return -1;
    const qint64 value = m.captured(1).toLongLong();
    const QString unit = m.captured(2).toLower();
    if (unit == u"m"_s)
        return value * 60;
    if (unit == u"h"_s)
        return value * 3600;
    if (unit == u"d"_s)
        return value * 86400;
    if (unit == u"w"_s)
        return value * 7 * 86400;
    return value;
}

int parseS3Option(const QStringList &args, qsizetype *i, S3Options *s3, QString *error)
{
    const QString a = args.at(*i);
    const auto value = [&](QString *out) {
        if (*i + 1 >= args.size()) {
            *error = tr("%1 needs a value.").arg(a);
            return false;
        }
        *out = args.at(++*i);
        return true;
    };
    if (a == u"--account"_s)
        return value(&s3->account) ? 1 : -1;
    if (a == u"--region"_s)
        return value(&s3->region) ? 1 : -1;
    if (a == u"--profile"_s)
        return value(&s3->profile) ? 1 : -1;
    if (a == u"--endpoint"_s) {
        if (!value(&s3->endpoint))
            return -1;
        const QUrl url(s3->endpoint, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s)
            || !url.userInfo().isEmpty()) {
            *error = tr("Not an S3 endpoint: '%1' (expected http(s)://host[:port]).").arg(s3->endpoint);
            return -1;
        }
        return 1;
    }
    if (a == u"--path-style"_s) {
        s3->pathStyle = true;
        return 1;
    }
    if (a == u"--anonymous"_s) {
        s3->anonymous = true;
        return 1;
    }
    if (a == u"-r"_s || a == u"--recursive"_s) {
        s3->recursive = true;
        return 1;
    }
    if (a == u"--expires"_s) {
        QString v;
        if (!value(&v))
            return -1;
        s3->expiresSeconds = parseDuration(v);
        s3->expiresGiven = true;
        if (s3->expiresSeconds < 1) {
            *error = tr("--expires takes seconds or a duration such as 3600, 90m, 12h or 7d, got '%1'.").arg(v);
            return -1;
        }
        if (s3->expiresSeconds > maxPresignSeconds) {
            *error = tr("--expires %1 is too long: a presigned URL is valid for at most 7 days (604800 seconds).")
                         .arg(v);
            return -1;
        }
        return 1;
    }
    if (a == u"--to"_s)
        return value(&s3->zipTarget) ? 1 : -1;
    if (a == u"--skip-errors"_s) {
        s3->skipErrors = true;
        return 1;
    }
    if (a == u"--level"_s) {
        QString v;
        if (!value(&v))
            return -1;
        bool ok = false;
        s3->deflateLevel = v.toInt(&ok);
        if (!ok || s3->deflateLevel < 1 || s3->deflateLevel > 9) {
            *error = tr("--level takes a compression level from 1 (fastest) to 9 (smallest), got '%1'.").arg(v);
            return -1;
        }
        return 1;
    }
    return 0;
}

bool finishS3Options(CliOptions *o, QString *error)
{
    S3Options &s3 = o->s3;
    QStringList args = o->arguments;
    o->arguments.clear();
    static const QHash<QString, S3Action> actions = {
        {u"ls"_s, S3Action::Ls}, {u"get"_s, S3Action::Get}, {u"put"_s, S3Action::Put}, {u"presign"_s, S3Action::Presign},
        {u"zip"_s, S3Action::Zip}};
    if (args.isEmpty() || !actions.contains(args.first())) {
        *error = args.isEmpty() ? tr("s3 needs a command: zip, ls, get, put or presign.")
                                : tr("Unknown s3 command '%1' (expected zip, ls, get, put or presign).").arg(args.first());
        return false;
    }
    s3.action = actions.value(args.takeFirst());
    if (s3.action != S3Action::Zip && (!s3.zipTarget.isEmpty() || s3.skipErrors || s3.deflateLevel != 6)) {
        *error = tr("--to, --skip-errors and --level belong to s3 zip.");
        return false;
    }
    if (!s3.account.isEmpty() && s3.describesAccount()) {
        *error = tr("--endpoint, --region, --profile, --path-style and --anonymous describe an account from the "
                    "environment; they cannot be combined with --account.");
        return false;
    }
    const auto needUri = [&](const QString &text, bool needKey) {
        if (!isS3Uri(text)) {
            *error = tr("Not an S3 address: '%1' (expected s3://bucket/key).").arg(text);
            return false;
        }
        const QString rest = text.mid(5);
        if (needKey && (!rest.contains(u'/') || rest.endsWith(u'/'))) {
            *error = tr("%1 names no object (expected s3://bucket/key).").arg(text);
            return false;
        }
        s3.uri = text;
        return true;
    };
    switch (s3.action) {
    case S3Action::Ls:
        if (args.size() > 1) {
            *error = tr("s3 ls takes at most one s3://bucket/prefix.");
            return false;
        }
        return args.isEmpty() || needUri(args.first(), false);
    case S3Action::Get:
        if (args.isEmpty() || args.size() > 2) {
            *error = tr("s3 get takes s3://bucket/key (or a prefix ending in /) and an optional folder.");
            return false;
        }
        if (args.size() == 2) {
            if (!o->directory.isEmpty()) {
                *error = tr("Give the target folder once: either after the address or with -d.");
                return false;
            }
            o->directory = args.at(1);
        }
        return needUri(args.first(), false);
    case S3Action::Put:
        if (args.size() != 2) {
            *error = tr("s3 put takes a local file or folder and s3://bucket/prefix/.");
            return false;
        }
        s3.localPath = args.first();
        return needUri(args.at(1), false);
    case S3Action::Presign:
        if (args.size() != 1) {
            *error = tr("s3 presign takes one s3://bucket/key.");
            return false;
        }
        return needUri(args.first(), true);
    case S3Action::Zip:
        return finishZip(o, args, error);
    case S3Action::None:
        break;
    }
    return false;
}

} // namespace ferry::cli
