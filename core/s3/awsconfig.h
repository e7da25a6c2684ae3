#pragma once

#include "s3/sigv4.h"

#include <QByteArray>
#include <QHash>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace ferry::s3 {

// What one named profile of the AWS shared files says about S3.
struct AwsProfile
{
    QString name;
    Credentials credentials; // empty when the profile has no static keys (SSO, roles, ...)
    QString region;          // empty when the profile names none
    QUrl endpoint;           // s3 endpoint_url, else the profile's endpoint_url; may be empty
    bool pathStyle = false;  // s3 = / addressing_style = path
};

// Read-only view of ~/.aws/credentials and ~/.aws/config, parsed the way the AWS tools read
// them: `[default]` and `[profile NAME]` in config, `[NAME]` in credentials, keys case-insensitive,
// comments with # or ; (whole lines, or after whitespace), nested `s3 =` blocks of indented lines,
// and values from the credentials file overriding those from config. Lines it cannot understand are
// skipped, never fatal, because these files are hand-edited. Plain value type: reentrant.
class AwsConfig final
{
public:
    AwsConfig() = default;

    // Parses the two files' contents (either may be empty).
    static AwsConfig parse(const QByteArray &credentialsText, const QByteArray &configText);
    // Reads the two files; a missing or unreadable file counts as empty.
    static AwsConfig load(const QString &credentialsPath, const QString &configPath);
    // Reads the files the AWS tools would: AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE when
    // set, else ~/.aws/credentials and ~/.aws/config under HOME.
    static AwsConfig load(const QProcessEnvironment &env);
    static QString credentialsPath(const QProcessEnvironment &env);
    static QString configPath(const QProcessEnvironment &env);

    // Profile names, "default" first, the rest sorted.
    QStringList profiles() const;
    bool contains(const QString &name) const { return m_profiles.contains(name); }
    std::optional<AwsProfile> profile(const QString &name) const;

    // Where the profiles were read from, for messages ("not found in ...").
    QString sourceDescription() const { return m_source; }

private:
    struct Section
    {
        QHash<QString, QString> values;                 // lower-case key -> value
        QHash<QString, QHash<QString, QString>> nested; // "s3" -> {key -> value}
    };
    enum class FileKind { Credentials, Config };
    void parseFile(const QByteArray &text, FileKind kind);
    void merge(const QString &profile, const Section &section);

    QHash<QString, Section> m_profiles;
    QHash<QString, Section> m_services; // [services NAME] blocks of config, referenced by profiles
    QString m_source;
};

} // namespace ferry::s3
