#include "faultstate.h"

#include <QLocale>
#include <QTimeZone>
#include <QUrl>

#include <zlib.h>

using namespace Qt::StringLiterals;

namespace ferry::test::detail {

namespace {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return QByteArrayLiteral("OK");
    case 206:
        return QByteArrayLiteral("Partial Content");
    case 301:
        return QByteArrayLiteral("Moved Permanently");
    case 302:
        return QByteArrayLiteral("Found");
    case 303:
        return QByteArrayLiteral("See Other");
    case 307:
        return QByteArrayLiteral("Temporary Redirect");
    case 308:
        return QByteArrayLiteral("Permanent Redirect");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 403:
        return QByteArrayLiteral("Forbidden");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 405:
        return QByteArrayLiteral("Method Not Allowed");
    case 416:
        return QByteArrayLiteral("Range Not Satisfiable");
    case 429:
        return QByteArrayLiteral("Too Many Requests");
    case 500:
        return QByteArrayLiteral("Internal Server Error");
    case 502:
        return QByteArrayLiteral("Bad Gateway");
    case 503:
        return QByteArrayLiteral("Service Unavailable");
    case 504:
        return QByteArrayLiteral("Gateway Timeout");
    default:
        return QByteArrayLiteral("Status");
    }
}

QByteArray htmlBody(int status)
{
    const QByteArray text = QByteArray::number(status) + ' ' + reasonPhrase(status);
    return "<html><head><title>" + text + "</title></head><body><h1>" + text +
           "</h1></body></html>\n";
}

bool allDigits(const QByteArray &s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

// The gzip member (RFC 1952) of `data`, as a server compressing on the fly sends it.
QByteArray gzip(const QByteArray &data)
{
    z_stream z{};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(qsizetype(deflateBound(&z, uLong(data.size())) + 32), Qt::Uninitialized);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.truncate(qsizetype(z.total_out));
    deflateEnd(&z);
    return rc == Z_STREAM_END ? out : QByteArray();
}

} // namespace

QByteArray pathKey(const QString &path)
{
    return path.startsWith(u'/') ? path.toUtf8() : QByteArray('/' + path.toUtf8());
}

QByteArray HttpRequest::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

bool HttpRequest::wantsClose() const
{
    const QByteArray connection = header(QByteArrayLiteral("Connection")).toLower();
    if (connection.contains("close"))
        return true;
    // HTTP/1.0 closes by default unless the client asked to keep the connection.
    return version == "HTTP/1.0" && !connection.contains("keep-alive");
}

qint64 HttpRequest::contentLength() const
{
    const QByteArray value = header(QByteArrayLiteral("Content-Length")).trimmed();
    return allDigits(value) ? value.toLongLong() : 0;
}

bool parseRequest(const QByteArray &head, HttpRequest *out)
{
    const QList<QByteArray> lines = head.split('\n');
    if (lines.isEmpty())
        return false;
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1."))
        return false;
    out->method = requestLine[0];
    out->target = requestLine[1];
    out->version = requestLine[2];
    QByteArray rawPath = out->target;
    if (const qsizetype q = rawPath.indexOf('?'); q >= 0)
        rawPath.truncate(q);
    if (!rawPath.startsWith('/'))
        return false;
    out->path = QByteArray::fromPercentEncoding(rawPath);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return false;
        out->headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return true;
}

ByteRange parseRange(const QByteArray &header, qint64 size)
{
    ByteRange r;
    const QByteArray value = header.trimmed();
    if (!value.toLower().startsWith("bytes="))
        return r;
    const QByteArray spec = value.mid(6).trimmed();
    // Only single ranges are served as 206; for several, a full 200 is a valid answer.
    if (spec.contains(','))
        return r;
    const qsizetype dash = spec.indexOf('-');
    if (dash < 0)
        return r;
    const QByteArray a = spec.left(dash).trimmed();
    const QByteArray b = spec.mid(dash + 1).trimmed();
    if (a.isEmpty()) {
        if (!allDigits(b))
            return r;
        const qint64 n = b.toLongLong();
        if (n == 0 || size == 0) {
            r.kind = ByteRange::Unsatisfiable;
            return r;
        }
        r.kind = ByteRange::Satisfiable;
        r.first = qMax<qint64>(0, size - n);
        r.last = size - 1;
        return r;
    }
    if (!allDigits(a) || (!b.isEmpty() && !allDigits(b)))
        return r;
    const qint64 first = a.toLongLong();
    qint64 last = b.isEmpty() ? size - 1 : b.toLongLong();
    if (!b.isEmpty() && last < first)
        return r; // syntactically invalid: ignored, as RFC 9110 says
    if (first >= size) {
        r.kind = ByteRange::Unsatisfiable;
        return r;
    }
    r.kind = ByteRange::Satisfiable;
    r.first = first;
    r.last = qMin(last, size - 1);
    return r;
}

QByteArray httpDate(const QDateTime &dt)
{
    return QLocale::c()
        .toString(dt.toTimeZone(QTimeZone::utc()), u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s)
        .toLatin1();
}

QByteArray responseHead(int status, const HeaderList &headers, qint64 contentLength, bool close)
{
    QByteArray head =
        "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &h : headers)
        head += h.first + ": " + h.second + "\r\n";
    head += "Content-Length: " + QByteArray::number(contentLength) + "\r\n";
    head += close ? QByteArrayLiteral("Connection: close\r\n")
                  : QByteArrayLiteral("Connection: keep-alive\r\n");
    head += "\r\n";
    return head;
}

void FaultState::setResource(const QString &path, const Resource &r)
{
    QMutexLocker lock(&m_mutex);
    PathEntry &entry = m_paths[pathKey(path)];
    entry.resource = r;
}

void FaultState::removeResource(const QString &path)
{
    QMutexLocker lock(&m_mutex);
    m_paths[pathKey(path)].resource.reset();
}

void FaultState::setFaults(const QString &path, const Faults &f)
{
    QMutexLocker lock(&m_mutex);
    PathEntry &entry = m_paths[pathKey(path)];
    entry.faults = f;
    entry.getCount = 0;
    entry.cutDone = 0;
    entry.stallDone = 0;
    entry.changed = false;
    entry.connectionIndex.clear();
}

void FaultState::setRedirect(const QString &from, const QByteArray &location, int status)
{
    QMutexLocker lock(&m_mutex);
    m_redirects.insert(pathKey(from), {location, status});
}

ResponsePlan FaultState::plan(const HttpRequest &req, int connection)
{
    QMutexLocker lock(&m_mutex);
    ResponsePlan plan;
    plan.close = req.wantsClose();
    int status = 0;
    HeaderList headers;
    const bool head = req.method == "HEAD";
    bool servedResource = false;

    const auto redirect = m_redirects.constFind(req.path);
    const auto entry = m_paths.find(req.path);
    if (req.method != "GET" && !head) {
        status = 405;
        headers.append({QByteArrayLiteral("Allow"), QByteArrayLiteral("GET, HEAD")});
    } else if (redirect != m_redirects.cend()) {
        status = redirect->status;
        headers.append({QByteArrayLiteral("Location"), redirect->location});
    } else if (entry == m_paths.end() || !entry->resource) {
        status = 404;
    } else {
        servedResource = planResource(req, connection, *entry, &plan, &status, &headers);
    }
    if (!servedResource) {
        plan.body = htmlBody(status);
        plan.length = plan.body.size();
        headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/html")});
    }
    const qint64 contentLength = plan.length;
    if (head)
        plan.length = 0;
    plan.head = responseHead(status, headers, contentLength, plan.close);

    RequestRecord record;
    record.method = req.method;
    record.path = req.path;
    record.range = req.header(QByteArrayLiteral("Range"));
    record.ifRange = req.header(QByteArrayLiteral("If-Range"));
    record.headers = req.headers;
    record.status = status;
    record.connection = connection;
    plan.recordId = m_logBase + m_log.size();
    m_log.append(record);
    return plan;
}

bool FaultState::planResource(const HttpRequest &req, int connection, PathEntry &entry,
                              ResponsePlan *plan, int *status, HeaderList *headers)
{
    Resource &res = *entry.resource;
    const Faults &f = entry.faults;
    const bool head = req.method == "HEAD";
    if (!f.requireHeader.first.isEmpty() && req.header(f.requireHeader.first) != f.requireHeader.second) {
        *status = 403;
        return false;
    }
    if (!head) {
        const int index = entry.getCount++;
        if (f.changeAfterRequests >= 0 && !entry.changed && index >= f.changeAfterRequests) {
            res.body = f.changedBody;
            res.etag = f.changedEtag;
            if (res.lastModified.isValid())
                res.lastModified = res.lastModified.addSecs(3600);
            entry.changed = true;
        }
        if (index < f.failFirstRequests || (f.failFromRequest >= 0 && index >= f.failFromRequest)) {
            *status = f.failStatus;
            if (f.retryAfterSeconds >= 0)
                headers->append(
                    {QByteArrayLiteral("Retry-After"), QByteArray::number(f.retryAfterSeconds)});
            return false;
        }
    }

    const qint64 size = res.body.size();
    headers->append({QByteArrayLiteral("Content-Type"), res.contentType});
    if (!res.etag.isEmpty())
        headers->append({QByteArrayLiteral("ETag"), res.etag});
    const QByteArray lastModified =
        res.lastModified.isValid() ? httpDate(res.lastModified) : QByteArray();
    if (!lastModified.isEmpty())
        headers->append({QByteArrayLiteral("Last-Modified"), lastModified});
    if (!res.contentDisposition.isEmpty())
        headers->append({QByteArrayLiteral("Content-Disposition"), res.contentDisposition});
    if (!f.ignoreRange)
        headers->append({QByteArrayLiteral("Accept-Ranges"), QByteArrayLiteral("bytes")});

    ByteRange range;
    const QByteArray rangeHeader = req.header(QByteArrayLiteral("Range"));
    const QByteArray ifRange = req.header(QByteArrayLiteral("If-Range"));
    if (!f.ignoreRange && !rangeHeader.isEmpty() && !(f.fullBodyForIfRange && !ifRange.isEmpty())) {
        // If-Range only ever compares with strong validators; anything else means "changed".
        const bool strongEtag = !res.etag.isEmpty() && !res.etag.startsWith("W/");
        const bool unchanged = ifRange.isEmpty() || f.ignoreIfRange ||
                               (strongEtag && ifRange == res.etag) ||
                               (!lastModified.isEmpty() && ifRange == lastModified);
        if (unchanged)
            range = parseRange(rangeHeader, size);
    }

    if (range.kind == ByteRange::Unsatisfiable) {
        *status = 416;
        headers->append(
            {QByteArrayLiteral("Content-Range"), "bytes */" + QByteArray::number(size)});
        return true;
    }
    plan->body = res.body;
    if (range.kind == ByteRange::Satisfiable) {
        *status = 206;
        if (f.wrongContentRange) {
            range.first = qMin(range.first + 1, size - 1);
            range.last = qMin(range.last + 1, size - 1);
        }
        headers->append({QByteArrayLiteral("Content-Range"),
                         "bytes " + QByteArray::number(range.first) + '-' +
                             QByteArray::number(range.last) + '/' + QByteArray::number(size)});
        plan->offset = range.first;
        plan->length = range.last - range.first + 1;
        if (f.gzipRanges) {
            headers->append({QByteArrayLiteral("Content-Encoding"), QByteArrayLiteral("gzip")});
            plan->body = gzip(res.body.mid(plan->offset, plan->length));
            plan->offset = 0;
            plan->length = plan->body.size();
        }
    } else {
        *status = 200;
        plan->length = size;
    }
    if (head)
        return true;

    if (f.cutAfterBytes >= 0 && plan->length > f.cutAfterBytes &&
        (f.cutRequests == 0 || entry.cutDone < f.cutRequests)) {
        plan->cutAt = f.cutAfterBytes;
        ++entry.cutDone;
    }
    if (f.stallAfterBytes >= 0 && plan->length > f.stallAfterBytes &&
        (f.stallRequests == 0 || entry.stallDone < f.stallRequests)) {
        plan->stallAt = f.stallAfterBytes;
        ++entry.stallDone;
    }
    if (!f.perConnectionBytesPerSecond.isEmpty()) {
        auto it = entry.connectionIndex.find(connection);
        if (it == entry.connectionIndex.end())
            it = entry.connectionIndex.insert(connection, int(entry.connectionIndex.size()));
        plan->bytesPerSecond =
            f.perConnectionBytesPerSecond.at(*it % f.perConnectionBytesPerSecond.size());
    } else {
        plan->bytesPerSecond = f.bytesPerSecond;
    }
    return true;
}

void FaultState::addBodyBytes(qint64 recordId, qint64 n)
{
    QMutexLocker lock(&m_mutex);
    const qint64 index = recordId - m_logBase;
    if (index >= 0 && index < m_log.size())
        m_log[index].bodyBytesSent += n;
}

QList<RequestRecord> FaultState::requests(const QString &path) const
{
    QMutexLocker lock(&m_mutex);
    if (path.isEmpty())
        return m_log;
    const QByteArray key = pathKey(path);
    QList<RequestRecord> out;
    for (const RequestRecord &r : m_log) {
        if (r.path == key)
            out.append(r);
    }
    return out;
}

void FaultState::clearLog()
{
    QMutexLocker lock(&m_mutex);
    m_logBase += m_log.size();
    m_log.clear();
}

} // namespace ferry::test::detail
