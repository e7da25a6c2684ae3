#include "requestheaders.h"

#include <QByteArrayView>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace ferry::ui {

namespace {

// RFC 9110 token: what a header name may consist of.
bool isToken(QByteArrayView name)
{
    static constexpr QByteArrayView extra("!#$%&'*+-.^_`|~");
    if (name.isEmpty())
        return false;
    for (char c : name) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              extra.contains(c)))
            return false;
    }
    return true;
}

} // namespace

HeaderList RequestHeaders::fromFields(const HeaderFields &fields, QStringList *problems)
{
    // Headers the engine manages itself; a user value would break ranges or framing.
    static const QList<QByteArray> reserved = {
        "host", "range", "if-range", "content-length", "transfer-encoding", "connection"};
    HeaderList headers;
    QStringList errors;
    const QStringList lines = fields.lines.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(u':');
        const QString typedName = line.left(colon).trimmed();
        const QByteArray name = typedName.toLatin1();
        if (colon < 0)
            errors << tr("Line %1: expected “Name: value”.").arg(i + 1);
        else if (!isToken(name)) // also rejects anything non-ASCII, which toLatin1() maps to '?'
            errors << tr("Line %1: “%2” is not a valid header name.").arg(i + 1).arg(typedName);
        else if (reserved.contains(name.toLower()))
            errors << tr("Line %1: Ferry sets “%2” itself.").arg(i + 1).arg(typedName);
        else
            headers.append({name, line.mid(colon + 1).trimmed().toUtf8()});
    }

    QString cookie = fields.cookie.trimmed();
    if (cookie.startsWith(u"cookie:"_s, Qt::CaseInsensitive)) // pasted from browser dev tools
        cookie = cookie.mid(7).trimmed();
    if (!cookie.isEmpty())
        headers.append({"Cookie", cookie.toUtf8()});
    if (!fields.user.isEmpty()) {
        const QByteArray credentials = (fields.user + u':' + fields.password).toUtf8();
        headers.append({"Authorization", "Basic " + credentials.toBase64()});
    }
    if (problems)
        *problems = errors;
    return headers;
}

} // namespace ferry::ui
