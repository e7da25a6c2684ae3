#include "clioptions.h"

#include "api/urlpattern.h"
#include "zipcommand.h"
#include "engine/ratetext.h"

#include <QCoreApplication>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ferry::cli {

QString helpText()
{
    return QCoreApplication::translate("ferry::cli", R"(Usage: ferry-cli [--state-dir DIR] COMMAND [OPTIONS]

Commands:
  get URL... [options]     download one or more URLs (running it again resumes;
                           options given again replace the earlier ones)
  list [--json]            show every download in the state database
  export [--json] [FILE]   write every download's address (text), or a JSON
                           list, to FILE or standard output
  import FILE [-d DIR]     add the addresses of a list (text or JSON) to the
                           queue and exit; ferry-cli resume or the window runs them
  resume [ID...]           resume the given downloads, or every unfinished one
  pause ID...              pause downloads (also when another ferry-cli runs them)
  remove ID... [--delete-file]
                           forget downloads; --delete-file also deletes their files;
                           unfinished uploads are aborted on the server
  s3 ls [s3://BUCKET/PREFIX] [--recursive] [--json]
                           list buckets, or the folders and objects under a prefix
  s3 get s3://BUCKET/KEY [DIR]
                           download an object, or everything below a prefix
                           ending in / (keeping its folders), like get
  s3 put FILE|DIR s3://BUCKET/PREFIX/
                           upload a file or a folder (multipart above 16 MiB,
                           resumable with resume ID; Ctrl+C pauses); one file to
                           s3://BUCKET/KEY (no trailing /) gets exactly that key
  s3 presign s3://BUCKET/KEY [--expires DURATION]
                           print a URL anyone can fetch the object with
  s3 zip s3://BUCKET/PREFIX/|s3://BUCKET/KEY... -o FILE.zip | --to s3://BUCKET/KEY.zip
                           bundle objects and folders of one bucket into one ZIP,
                           a local file or an object whose link is printed last
                           (an existing file is kept: the archive gets a new name;
                           Ctrl+C pauses; resume continues from a checkpoint)
  zip ls URL|s3://BUCKET/KEY [--json]
                           list the entries of a remote ZIP archive, reading
                           only its central directory with ranged requests
  zip get URL|s3://BUCKET/KEY ENTRY... [-d DIR]
                           extract entries of a remote ZIP without downloading
                           the rest: names, folders (with everything inside)
                           or patterns such as 'docs/*.pdf' (quote them);
                           existing files are kept, new ones get free names

Options for get (-d, --limit and --json also for s3 get and put; -o also for s3 zip;
-d, -H and --json also for zip; the s3 account options also for zip of s3://):
  -d, --dir DIR            target folder (default: the current folder)
  -o, --output NAME        file name (only with a single URL)
  -s, --connections N      connections per download, 1-32 (default 8)
      --limit RATE         speed limit for each download, e.g. 500K, 2M
      --checksum ALGO=HEX  verify before the file gets its final name
                           (md5, sha1, sha256, sha512)
  -H, --header 'Name: v'   extra request header (repeatable); Authorization
                           and Cookie values are kept in memory only
      --fail-on-change     fail instead of restarting when the file changes
                           on the server
      --extract            when a download is a ZIP archive, unpack it into a
                           new folder named after it: data.zip -> data/, or
                           data (1)/ when data exists; the archive is kept
      --stall-timeout S    reconnect after S seconds without data (default 30)
      --json               one JSON object per line instead of text
      --glob               URLs may be patterns, as in curl: f[1-10].bin,
                           img[001-120].jpg, [a-z], [0-100:10], {jpg,png}
                           (the default; \[ is a literal bracket)
      --no-glob            take [ and { in URLs literally (curl's -g)

Options for s3 (the account):
      --account NAME       an account saved in Ferry (<state-dir>/settings.ini);
                           its keys come from the keychain or the environment
  Without --account the account comes from the environment:
  AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, or AWS_PROFILE and ~/.aws; these
  flags override it (and also apply to resume):
      --endpoint URL       e.g. http://127.0.0.1:9000 (default: AWS)
      --region REGION      signing region (default us-east-1)
      --path-style         address buckets as URL paths instead of host names
      --profile NAME       keys, region and endpoint of a profile in ~/.aws
      --anonymous          unsigned requests, for public buckets
  -r, --recursive          s3 ls: every key below the prefix, without folders
      --expires DURATION   s3 presign and s3 zip --to: how long the link works,
                           seconds or 90m, 12h, 1d, 7d (default 1h for presign,
                           7d for zip; at most 7d)
      --to s3://B/KEY.zip  s3 zip: write the archive into a bucket
      --level N            s3 zip: compression level 1 (fast) - 9 (small), default 6
      --skip-errors        s3 zip: leave out objects that cannot be read, and
                           name them at the end, instead of failing

General:
      --state-dir DIR      where the state database lives
                           (default: ~/.local/share/ferry)
  -h, --help               this text
  -v, --version            the version

Exit codes: 0 all downloads completed, 1 a download, upload or S3 request
failed (or an archive asked to be unpacked could not be), 2 bad usage, 3 the state database could not be opened, 4 stopped
before finishing (paused, interrupted or removed by another process; run the
same command again, or resume ID, to continue).
)");
}

qint64 parseRate(const QString &text)
{
    return parseRateText(text); // the window's limit boxes read the same units
}

std::optional<QPair<QByteArray, QByteArray>> parseHeader(const QString &text)
{
    const qsizetype colon = text.indexOf(u':');
    if (colon <= 0)
        return std::nullopt;
    const QByteArray name = text.left(colon).trimmed().toLatin1();
    const QByteArray value = text.mid(colon + 1).trimmed().toUtf8();
    static const QRegularExpression token(u"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"_s);
    if (!token.match(QString::fromLatin1(name)).hasMatch() || value.contains('\r') || value.contains('\n'))
        return std::nullopt;
    return QPair<QByteArray, QByteArray>{name, value};
}

// Replaces every pattern by the addresses it makes, all of them together at most
// UrlPattern::maxAddresses; an address without a pattern only loses its escapes (`\[`).
static bool expandPatterns(QStringList *arguments, QString *error)
{
    QStringList urls;
    for (const QString &a : std::as_const(*arguments)) {
        QString why;
        const QStringList made = UrlPattern::parse(a).expand(&why, UrlPattern::maxAddresses - urls.size());
        if (!why.isEmpty()) {
            *error = QCoreApplication::translate("ferry::cli", "%1: %2").arg(a, why);
            return false;
        }
        urls += made;
    }
    *arguments = urls;
    return true;
}

std::optional<CliOptions> parseCommandLine(const QStringList &args, QString *error)
{
    CliOptions o;
    bool haveCommand = false;
    auto tr = [](const char *s) { return QCoreApplication::translate("ferry::cli", s); };
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString a = args.at(i);
        auto value = [&](QString *out) {
            if (i + 1 >= args.size()) {
                *error = tr("%1 needs a value.").arg(a);
                return false;
            }
            *out = args.at(++i);
            return true;
        };
        QString v;
        if (a == u"-h"_s || a == u"--help"_s) {
            o.command = Command::Help;
            return o;
        } else if (a == u"-v"_s || a == u"--version"_s) {
            o.command = Command::Version;
            return o;
        } else if (a == u"--state-dir"_s) {
            if (!value(&o.stateDir)) return std::nullopt;
        } else if (a == u"-d"_s || a == u"--dir"_s) {
            if (!value(&o.directory)) return std::nullopt;
        } else if (a == u"-o"_s || a == u"--output"_s) {
            if (!value(&o.outputName)) return std::nullopt;
        } else if (a == u"-s"_s || a == u"--connections"_s) {
            if (!value(&v)) return std::nullopt;
            bool ok = false;
            o.connections = v.toInt(&ok);
            if (!ok || *o.connections < 1 || *o.connections > 32) {
                *error = tr("Connections must be a number from 1 to 32, got '%1'.").arg(v);
                return std::nullopt;
            }
        } else if (a == u"--limit"_s) {
            if (!value(&v)) return std::nullopt;
            o.rateLimit = parseRate(v);
            if (*o.rateLimit < 0) {
                *error = tr("Not a speed: '%1' (examples: 500K, 2M, 1.5M).").arg(v);
                return std::nullopt;
            }
        } else if (a == u"--checksum"_s) {
            if (!value(&o.checksum)) return std::nullopt;
        } else if (a == u"-H"_s || a == u"--header"_s) {
            if (!value(&v)) return std::nullopt;
            const auto h = parseHeader(v);
            if (!h) {
                *error = tr("Not a header: '%1' (expected 'Name: value').").arg(v);
                return std::nullopt;
            }
            o.headers.append(*h);
        } else if (a == u"--stall-timeout"_s) {
            if (!value(&v)) return std::nullopt;
            bool ok = false;
            o.stallTimeoutSeconds = v.toInt(&ok);
            if (!ok || o.stallTimeoutSeconds < 1) {
                *error = tr("--stall-timeout takes a number of seconds, got '%1'.").arg(v);
                return std::nullopt;
            }
        } else if (a == u"--json"_s) {
            o.json = true;
        } else if (a == u"--glob"_s || a == u"--no-glob"_s) {
            o.glob = a == u"--glob"_s;
        } else if (a == u"--delete-file"_s) {
            o.deleteFile = true;
        } else if (a == u"--fail-on-change"_s) {
            o.failOnChange = true;
        } else if (a == u"--extract"_s) {
            o.extract = true;
        } else if (const int s3 = parseS3Option(args, &i, &o.s3, error); s3 != 0) {
            if (s3 < 0) return std::nullopt;
        } else if (a.startsWith(u'-') && a.size() > 1) {
            *error = tr("Unknown option %1 (see ferry-cli --help).").arg(a);
            return std::nullopt;
        } else if (!haveCommand) {
            static const QHash<QString, Command> commands = {
                {u"get"_s, Command::Get}, {u"list"_s, Command::List}, {u"resume"_s, Command::Resume},
                {u"pause"_s, Command::Pause}, {u"remove"_s, Command::Remove}, {u"help"_s, Command::Help},
                {u"s3"_s, Command::S3}, {u"export"_s, Command::Export}, {u"import"_s, Command::Import},
                {u"zip"_s, Command::Zip}};
            if (!commands.contains(a)) {
                *error = tr("Unknown command '%1' (see ferry-cli --help).").arg(a);
                return std::nullopt;
            }
            o.command = commands.value(a);
            haveCommand = true;
        } else {
            o.arguments.append(a);
        }
    }
    if (!haveCommand) {
        o.command = Command::Help;
        return o;
    }
    if (o.command == Command::S3 && !finishS3Options(&o, error))
        return std::nullopt;
    if (o.command == Command::Zip && !finishZipOptions(&o, error))
        return std::nullopt;
    if (o.command == Command::Get && o.arguments.isEmpty()) {
        *error = tr("get needs at least one URL.");
        return std::nullopt;
    }
    if (o.command == Command::Get && o.glob && !expandPatterns(&o.arguments, error))
        return std::nullopt;
    if (o.command == Command::Import && o.arguments.size() != 1) {
        *error = tr("import needs one file (a list of addresses, or Ferry's JSON list).");
        return std::nullopt;
    }
    if (o.command == Command::Export && o.arguments.size() > 1) {
        *error = tr("export writes one file, or standard output without one.");
        return std::nullopt;
    }
    if (o.command == Command::Get && !o.outputName.isEmpty() && o.arguments.size() > 1) {
        *error = tr("-o names one file; it cannot be used with %1 URLs.").arg(o.arguments.size());
        return std::nullopt;
    }
    if ((o.command == Command::Pause || o.command == Command::Remove) && o.arguments.isEmpty()) {
        *error = tr("%1 needs at least one download id (see ferry-cli list).")
                     .arg(o.command == Command::Pause ? u"pause"_s : u"remove"_s);
        return std::nullopt;
    }
    if (o.command == Command::Pause || o.command == Command::Remove || o.command == Command::Resume) {
        for (const QString &id : std::as_const(o.arguments)) {
            bool ok = false;
            if (id.toLongLong(&ok) <= 0 || !ok) {
                *error = tr("'%1' is not a download id (see ferry-cli list).").arg(id);
                return std::nullopt;
            }
        }
    }
    return o;
}

} // namespace ferry::cli
