#include "engine/contentdisposition.h"

#include <QList>
#include <QStringDecoder>
#include <QUrl>

#include <optional>

namespace ferry {

namespace {

struct Parameter
{
    QByteArray name; // lower-cased
    QByteArray value;
    bool quoted = false;
};

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

void skipSpaces(QByteArrayView text, qsizetype &pos)
{
    while (pos < text.size() && isSpace(text[pos]))
        ++pos;
}

// Reads a quoted-string starting just after the opening quote. An unterminated string takes the
// rest of the header: losing the name would be worse than accepting a sloppy server.
QByteArray takeQuoted(QByteArrayView text, qsizetype &pos)
{
    QByteArray out;
    while (pos < text.size()) {
        const char c = text[pos++];
        if (c == '"')
            break;
        if (c == '\\' && pos < text.size())
            out += text[pos++];
        else
            out += c;
    }
    return out;
}

// Splits "type; a=b; c="d;e"" into parameters, honouring quotes so that semicolons inside a
// quoted file name do not end the parameter. Unquoted values run to the next ';' because many
// servers send unquoted names with spaces, which a strict token parser would truncate.
QList<Parameter> parseParameters(QByteArrayView text)
{
    QList<Parameter> params;
    qsizetype pos = 0;
    while (pos < text.size()) {
        skipSpaces(text, pos);
        const qsizetype nameStart = pos;
        while (pos < text.size() && text[pos] != '=' && text[pos] != ';')
            ++pos;
        Parameter param;
        param.name = text.sliced(nameStart, pos - nameStart).trimmed().toByteArray().toLower();
        if (pos < text.size() && text[pos] == '=') {
            ++pos;
            skipSpaces(text, pos);
            if (pos < text.size() && text[pos] == '"') {
                ++pos;
                param.value = takeQuoted(text, pos);
                param.quoted = true;
            }
            const qsizetype valueStart = pos;
            while (pos < text.size() && text[pos] != ';')
                ++pos;
            if (!param.quoted)
                param.value = text.sliced(valueStart, pos - valueStart).trimmed().toByteArray();
            params.append(param);
        }
        ++pos; // skip ';' (or step past the end)
    }
    return params;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Strict: a '%' not followed by two hex digits makes the whole value unusable.
std::optional<QByteArray> percentDecode(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size())
            return std::nullopt;
        const int hi = hexValue(text[i + 1]);
        const int lo = hexValue(text[i + 2]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        out += char(hi * 16 + lo);
        i += 2;
    }
    return out;
}

std::optional<QString> decodeUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

// RFC 8187 ext-value: charset "'" [ language ] "'" value-chars. Only UTF-8 and ISO-8859-1 are
// required by the RFC; anything else we cannot decode reliably, so the caller falls back.
std::optional<QString> decodeExtValue(QByteArrayView value)
{
    const qsizetype q1 = value.indexOf('\'');
    const qsizetype q2 = q1 < 0 ? -1 : value.sliced(q1 + 1).indexOf('\'');
    if (q2 < 0)
        return std::nullopt;
    const QByteArrayView charset = value.first(q1).trimmed();
    const auto bytes = percentDecode(value.sliced(q1 + 1 + q2 + 1));
    if (!bytes)
        return std::nullopt;
    if (charset.compare("utf-8", Qt::CaseInsensitive) == 0)
        return decodeUtf8(*bytes);
    if (charset.compare("iso-8859-1", Qt::CaseInsensitive) == 0)
        return QString::fromLatin1(*bytes);
    return std::nullopt;
}

} // namespace

QString fileNameFromContentDisposition(QByteArrayView header)
{
    const QList<Parameter> params = parseParameters(header);

    for (const Parameter &p : params) {
        if (p.name != "filename*")
            continue;
        if (const auto name = decodeExtValue(p.value); name && !name->isEmpty())
            return *name;
        break; // only the first occurrence counts; a broken one falls back to filename
    }
    for (const Parameter &p : params) {
        if (p.name != "filename")
            continue;
        // The plain parameter is nominally ISO-8859-1, but servers routinely put raw UTF-8 in it;
        // valid UTF-8 is almost never meaningful Latin-1, so try it first.
        if (const auto utf8 = decodeUtf8(p.value))
            return *utf8;
        return QString::fromLatin1(p.value);
    }
    return {};
}

QString fileNameFromUrl(const QUrl &url)
{
    // Split the still-encoded path so that an encoded "%2F" stays inside its segment.
    const QString path = url.adjusted(QUrl::NormalizePathSegments).path(QUrl::FullyEncoded);
    const QList<QStringView> segments = QStringView(path).split(u'/', Qt::SkipEmptyParts);
    if (segments.isEmpty())
        return {};
    return QUrl::fromPercentEncoding(segments.constLast().toLatin1());
}

} // namespace ferry
