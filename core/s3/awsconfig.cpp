#include "s3/awsconfig.h"

#include <QDir>
#include <QFile>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::s3 {

namespace {

// A value ends where a comment starts; the AWS tools accept "# ..." or "; ..." after whitespace.
// Keys and tokens never contain whitespace, so this cannot cut into a secret.
QString stripInlineComment(const QString &value)
{
    for (qsizetype i = 1; i < value.size(); ++i) {
        if ((value.at(i) == u'#' || value.at(i) == u';') && value.at(i - 1).isSpace())
            return value.left(i).trimmed();
    }
    return value.trimmed();
}

bool isComment(const QString &trimmed)
{
    return trimmed.startsWith(u'#') || trimmed.startsWith(u';');
}

QString expandHome(const QString &path, const QProcessEnvironment &env)
{
    if (path == u"~" || path.startsWith(u"~/"))
        return env.value(u"HOME"_s, QDir::homePath()) + path.mid(1);
    return path;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return {};
    // The shared files are a few lines; refuse to slurp something that clearly is not one.
    return file.read(4 * 1024 * 1024);
}

} // namespace

AwsConfig AwsConfig::parse(const QByteArray &credentialsText, const QByteArray &configText)
{
    AwsConfig config;
    // Config first, then credentials: keys in the credentials file win, as in the AWS CLI.
    config.parseFile(configText, FileKind::Config);
    config.parseFile(credentialsText, FileKind::Credentials);
    return config;
}

AwsConfig AwsConfig::load(const QString &credentialsPath, const QString &configPath)
{
    AwsConfig config = parse(readAll(credentialsPath), readAll(configPath));
    config.m_source =
        QDir::toNativeSeparators(credentialsPath) + u", "_s + QDir::toNativeSeparators(configPath);
    return config;
}

AwsConfig AwsConfig::load(const QProcessEnvironment &env)
{
    return load(credentialsPath(env), configPath(env));
}

QString AwsConfig::credentialsPath(const QProcessEnvironment &env)
{
    const QString overridden = env.value(u"AWS_SHARED_CREDENTIALS_FILE"_s);
    if (!overridden.isEmpty())
        return expandHome(overridden, env);
    return env.value(u"HOME"_s, QDir::homePath()) + u"/.aws/credentials"_s;
}

QString AwsConfig::configPath(const QProcessEnvironment &env)
{
    const QString overridden = env.value(u"AWS_CONFIG_FILE"_s);
    if (!overridden.isEmpty())
        return expandHome(overridden, env);
    return env.value(u"HOME"_s, QDir::homePath()) + u"/.aws/config"_s;
}

void AwsConfig::parseFile(const QByteArray &text, FileKind kind)
{
    QString data = QString::fromUtf8(text);
    if (data.startsWith(QChar(0xFEFF)))
        data.remove(0, 1);

    // Sections are collected per file, then merged over what the file read before gave: a
    // repeated section adds to the first, and the credentials file overrides config key by key.
    QHash<QString, Section> profiles;
    QStringList order;
    Section *current = nullptr;
    QString nestedKey;        // set while reading the indented lines under "s3 ="
    qsizetype keyIndent = -1; // indentation of the last top-level key in this section

    const QStringList lines = data.split(u'\n');
    for (const QString &raw : lines) {
        const QString line = raw.trimmed();
        if (line.isEmpty() || isComment(line))
            continue;
        const qsizetype indent = raw.indexOf(line.front());

        if (line.startsWith(u'[')) {
            nestedKey.clear();
            keyIndent = -1;
            current = nullptr; // a broken header must not let its keys land in the previous one
            const qsizetype close = line.indexOf(u']');
            if (close < 0)
                continue;
            const QString rest = line.mid(close + 1).trimmed();
            if (!rest.isEmpty() && !isComment(rest))
                continue;
            const QStringList words = line.mid(1, close - 1).simplified().split(u' ');
            if (words.isEmpty() || words.front().isEmpty())
                continue;
            QString name;
            if (kind == FileKind::Credentials) {
                name = words.join(u' ');
            } else if (words.size() == 1 && words.front() == u"default") {
                name = words.front();
            } else if (words.size() == 2 && words.front() == u"profile") {
                name = words.at(1);
            } else if (words.size() == 2 && words.front() == u"services") {
                current = &m_services[words.at(1)];
                continue;
            } else {
                continue; // sso-session, plugins, ...: nothing S3 needs
            }
            current = &profiles[name];
            if (!order.contains(name))
                order.append(name);
            continue;
        }

        if (!current)
            continue; // keys before any section, or under an ignored or broken one
        const qsizetype eq = line.indexOf(u'=');
        if (eq <= 0)
            continue; // garbage
        const QString key = line.left(eq).trimmed().toLower();
        const QString value = stripInlineComment(line.mid(eq + 1));
        if (key.contains(u' '))
            continue;

        // Like the AWS tools, indentation is relative: a line indented deeper than the key above
        // belongs to that key (a nested block, or a continuation no S3 setting uses).
        if (keyIndent >= 0 && indent > keyIndent) {
            if (!nestedKey.isEmpty())
                current->nested[nestedKey].insert(key, value);
            continue;
        }
        keyIndent = indent;
        nestedKey.clear();
        if (value.isEmpty()) {
            nestedKey = key; // "s3 =" opens a block of indented lines
            continue;
        }
        current->values.insert(key, value);
    }

    for (const QString &name : std::as_const(order))
        merge(name, profiles.value(name));
}

void AwsConfig::merge(const QString &profile, const Section &section)
{
    Section &target = m_profiles[profile];
    for (auto it = section.values.cbegin(); it != section.values.cend(); ++it)
        target.values.insert(it.key(), it.value());
    for (auto it = section.nested.cbegin(); it != section.nested.cend(); ++it) {
        auto &block = target.nested[it.key()];
        for (auto kv = it.value().cbegin(); kv != it.value().cend(); ++kv)
            block.insert(kv.key(), kv.value());
    }
}

QStringList AwsConfig::profiles() const
{
    QStringList names = m_profiles.keys();
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
        if ((a == u"default") != (b == u"default"))
            return a == u"default";
        return a < b;
    });
    return names;
}

std::optional<AwsProfile> AwsConfig::profile(const QString &name) const
{
    const auto it = m_profiles.constFind(name);
    if (it == m_profiles.cend())
        return std::nullopt;
    const Section &section = it.value();

    AwsProfile profile;
    profile.name = name;
    profile.credentials.accessKeyId = section.values.value(u"aws_access_key_id"_s);
    profile.credentials.secretAccessKey = section.values.value(u"aws_secret_access_key"_s);
    profile.credentials.sessionToken = section.values.value(u"aws_session_token"_s);
    profile.region = section.values.value(u"region"_s);

    // The most specific setting wins: the profile's own s3 block, then a referenced
    // [services NAME] block, then the profile-wide endpoint_url.
    QHash<QString, QString> s3;
    const QString servicesName = section.values.value(u"services"_s);
    if (!servicesName.isEmpty())
        s3 = m_services.value(servicesName).nested.value(u"s3"_s);
    const QHash<QString, QString> own = section.nested.value(u"s3"_s);
    for (auto it = own.cbegin(); it != own.cend(); ++it)
        s3.insert(it.key(), it.value());

    QString endpoint = s3.value(u"endpoint_url"_s);
    if (endpoint.isEmpty())
        endpoint = section.values.value(u"endpoint_url"_s);
    if (!endpoint.isEmpty())
        profile.endpoint = QUrl(endpoint, QUrl::StrictMode);
    profile.pathStyle =
        s3.value(u"addressing_style"_s).compare(u"path"_s, Qt::CaseInsensitive) == 0;
    return profile;
}

} // namespace ferry::s3
