#include "s3/s3xml.h"

#include <QUrl>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace ferry::s3::xml {

namespace {

// S3 documents are at most four levels deep and a page holds ≤ 1,000 entries of a handful of
// elements each; anything far beyond is not an S3 reply and is refused before it costs much.
constexpr int maxDepth = 16;
constexpr int maxElements = 50'000;

// A minimal element tree: S3 replies are small and regular, so reading them whole and then
// picking values is simpler and no less safe than parsing each shape as a stream.
struct Node {
    QString name;
    QString text;
    QList<Node> children;

    const Node *child(QStringView childName) const
    {
        for (const Node &c : children) {
            if (c.name == childName)
                return &c;
        }
        return nullptr;
    }
    QString value(QStringView childName) const
    {
        const Node *c = child(childName);
        return c ? c->text : QString();
    }
};

bool fail(QString *why, const QString &reason)
{
    if (why)
        *why = reason;
    return false;
}

bool readTree(const QByteArray &body, Node *root, QString *why)
{
    if (body.size() > maxBodyBytes)
        return fail(why, u"reply body too large"_s);
    QXmlStreamReader reader(body);
    // Entities are refused outright below; the limit also bounds anything that slips past.
    reader.setEntityExpansionLimit(1024);
    std::vector<Node *> stack;
    int elements = 0;
    bool haveRoot = false;
    while (!reader.atEnd()) {
        switch (reader.readNext()) {
        case QXmlStreamReader::DTD:
            return fail(why, u"document type declarations are not accepted"_s);
        case QXmlStreamReader::EntityReference:
            return fail(why, u"entity references are not accepted"_s);
        case QXmlStreamReader::StartElement: {
            if (++elements > maxElements)
                return fail(why, u"too many elements"_s);
            if (static_cast<int>(stack.size()) >= maxDepth)
                return fail(why, u"elements nested too deeply"_s);
            if (stack.empty()) {
                if (haveRoot)
                    return fail(why, u"more than one root element"_s);
                haveRoot = true;
                root->name = reader.name().toString();
                stack.push_back(root);
            } else {
                // Only the innermost open element's list grows, so pointers to the open
                // ancestors (held in the stack) stay valid.
                Node *parent = stack.back();
                parent->children.append(Node{reader.name().toString(), {}, {}});
                stack.push_back(&parent->children.last());
            }
            break;
        }
        case QXmlStreamReader::Characters:
            if (!stack.empty())
                stack.back()->text += reader.text();
            break;
        case QXmlStreamReader::EndElement:
            if (!stack.empty())
                stack.pop_back();
            break;
        default:
            break;
        }
    }
    if (reader.hasError())
        return fail(why, reader.errorString());
    if (!haveRoot)
        return fail(why, u"empty document"_s);
    return true;
}

bool readRoot(const QByteArray &body, QStringView expected, Node *root, QString *why)
{
    if (!readTree(body, root, why))
        return false;
    if (root->name != expected)
        return fail(why, u"expected <%1>, got <%2>"_s.arg(expected, root->name));
    return true;
}

bool toBool(const QString &text)
{
    return text.trimmed().compare(u"true"_s, Qt::CaseInsensitive) == 0;
}

bool toSize(const QString &text, qint64 *out)
{
    bool ok = false;
    const qint64 v = text.trimmed().toLongLong(&ok);
    if (!ok || v < 0)
        return false;
    *out = v;
    return true;
}

QDateTime toTime(const QString &text)
{
    QDateTime t = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (t.isValid())
        t = t.toUTC();
    return t;
}

// encoding-type=url: the form encoding S3 uses writes a space as '+'.
QString urlDecoded(const QString &text)
{
    QByteArray raw = text.toUtf8();
    raw.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(raw));
}

ErrorBody errorFrom(const Node &n)
{
    return ErrorBody{n.value(u"Code"), n.value(u"Message"), n.value(u"Region"), n.value(u"RequestId"),
                     n.value(u"ServerTime")};
}

} // namespace

bool parseError(const QByteArray &body, ErrorBody *out, QString *why)
{
    Node root;
    if (!readRoot(body, u"Error", &root, why))
        return false;
    *out = errorFrom(root);
    if (out->code.isEmpty())
        return fail(why, u"<Error> without <Code>"_s);
    return true;
}

bool parseListBuckets(const QByteArray &body, QList<Bucket> *out, QString *why)
{
    Node root;
    if (!readRoot(body, u"ListAllMyBucketsResult", &root, why))
        return false;
    out->clear();
    if (const Node *buckets = root.child(u"Buckets")) {
        for (const Node &b : buckets->children) {
            if (b.name != u"Bucket")
                continue;
            const QString name = b.value(u"Name");
            if (name.isEmpty())
                return fail(why, u"bucket without a name"_s);
            out->append(Bucket{name, toTime(b.value(u"CreationDate"))});
        }
    }
    return true;
}

bool parseListObjects(const QByteArray &body, ListPage *out, QString *why)
{
    Node root;
    if (!readRoot(body, u"ListBucketResult", &root, why))
        return false;
    const bool encoded = root.value(u"EncodingType").trimmed().compare(u"url"_s, Qt::CaseInsensitive) == 0;
    const auto decode = [encoded](const QString &s) { return encoded ? urlDecoded(s) : s; };
    *out = ListPage{};
    for (const Node &n : root.children) {
        if (n.name == u"Contents") {
            Object o;
            o.key = decode(n.value(u"Key"));
            if (o.key.isEmpty())
                return fail(why, u"object without a key"_s);
            if (!toSize(n.value(u"Size"), &o.size))
                return fail(why, u"object with an invalid size"_s);
            o.lastModified = toTime(n.value(u"LastModified"));
            o.etag = n.value(u"ETag").toUtf8();
            o.storageClass = n.value(u"StorageClass");
            out->objects.append(o);
        } else if (n.name == u"CommonPrefixes") {
            const QString prefix = decode(n.value(u"Prefix"));
            if (!prefix.isEmpty())
                out->prefixes.append(prefix);
        }
    }
    out->truncated = toBool(root.value(u"IsTruncated"));
    out->nextContinuationToken = root.value(u"NextContinuationToken");
    if (out->truncated && out->nextContinuationToken.isEmpty())
        return fail(why, u"truncated listing without a continuation token"_s);
    return true;
}

bool parseInitiateMultipartUpload(const QByteArray &body, QString *uploadId, QString *why)
{
    Node root;
    if (!readRoot(body, u"InitiateMultipartUploadResult", &root, why))
        return false;
    *uploadId = root.value(u"UploadId").trimmed();
    if (uploadId->isEmpty())
        return fail(why, u"no upload id"_s);
    return true;
}

bool parseCompleteMultipartUpload(const QByteArray &body, QByteArray *etag, ErrorBody *error, QString *why)
{
    Node root;
    if (!readTree(body, &root, why))
        return false;
    if (root.name == u"Error") {
        *error = errorFrom(root);
        etag->clear();
        return true;
    }
    if (root.name != u"CompleteMultipartUploadResult")
        return fail(why, u"expected <CompleteMultipartUploadResult>, got <%1>"_s.arg(root.name));
    *etag = root.value(u"ETag").toUtf8();
    return true;
}

bool parseListParts(const QByteArray &body, PartsPage *out, QString *why)
{
    Node root;
    if (!readRoot(body, u"ListPartsResult", &root, why))
        return false;
    *out = PartsPage{};
    for (const Node &n : root.children) {
        if (n.name != u"Part")
            continue;
        Part p;
        bool ok = false;
        p.number = n.value(u"PartNumber").trimmed().toInt(&ok);
        if (!ok || p.number < 1 || p.number > 10000)
            return fail(why, u"part with an invalid number"_s);
        if (!toSize(n.value(u"Size"), &p.size))
            return fail(why, u"part with an invalid size"_s);
        p.etag = n.value(u"ETag").toUtf8();
        out->parts.append(p);
    }
    out->truncated = toBool(root.value(u"IsTruncated"));
    out->nextPartNumberMarker = root.value(u"NextPartNumberMarker").trimmed().toInt();
    if (out->truncated && out->nextPartNumberMarker <= 0)
        return fail(why, u"truncated part list without a marker"_s);
    return true;
}

bool parseListMultipartUploads(const QByteArray &body, UploadsPage *out, QString *why)
{
    Node root;
    if (!readRoot(body, u"ListMultipartUploadsResult", &root, why))
        return false;
    const bool encoded = root.value(u"EncodingType").trimmed().compare(u"url"_s, Qt::CaseInsensitive) == 0;
    const auto decode = [encoded](const QString &s) { return encoded ? urlDecoded(s) : s; };
    // A person's name where the server gives one, else the account id.
    const auto who = [](const Node *n) {
        if (!n)
            return QString();
        const QString name = n->value(u"DisplayName").trimmed();
        return name.isEmpty() ? n->value(u"ID").trimmed() : name;
    };
    *out = UploadsPage{};
    for (const Node &n : root.children) {
        if (n.name != u"Upload")
            continue;
        MultipartUpload u;
        u.key = decode(n.value(u"Key"));
        u.uploadId = n.value(u"UploadId").trimmed();
        if (u.key.isEmpty() || u.uploadId.isEmpty())
            return fail(why, u"upload without a key or an upload id"_s);
        u.initiated = toTime(n.value(u"Initiated"));
        u.initiator = who(n.child(u"Initiator"));
        u.owner = who(n.child(u"Owner"));
        out->uploads.append(u);
    }
    out->truncated = toBool(root.value(u"IsTruncated"));
    out->nextKeyMarker = decode(root.value(u"NextKeyMarker"));
    out->nextUploadIdMarker = root.value(u"NextUploadIdMarker").trimmed();
    if (out->truncated && out->nextKeyMarker.isEmpty())
        return fail(why, u"truncated upload list without a marker"_s);
    return true;
}

bool parseDeleteResult(const QByteArray &body, DeleteResult *out, QString *why)
{
    Node root;
    if (!readRoot(body, u"DeleteResult", &root, why))
        return false;
    *out = DeleteResult{};
    for (const Node &n : root.children) {
        if (n.name == u"Deleted") {
            out->deleted.append(n.value(u"Key"));
        } else if (n.name == u"Error") {
            out->failedKeys.append(n.value(u"Key"));
            out->errors.append(errorFrom(n));
        }
    }
    return true;
}

QByteArray completeMultipartUploadBody(const QList<Part> &parts)
{
    QList<Part> sorted = parts;
    std::sort(sorted.begin(), sorted.end(), [](const Part &a, const Part &b) { return a.number < b.number; });
    QByteArray out;
    QXmlStreamWriter w(&out);
    w.writeStartDocument();
    w.writeStartElement(u"CompleteMultipartUpload"_s);
    w.writeDefaultNamespace(u"http://s3.amazonaws.com/doc/2006-03-01/"_s);
    for (const Part &p : std::as_const(sorted)) {
        w.writeStartElement(u"Part"_s);
        w.writeTextElement(u"PartNumber"_s, QString::number(p.number));
        w.writeTextElement(u"ETag"_s, QString::fromUtf8(p.etag));
        w.writeEndElement();
    }
    w.writeEndElement();
    w.writeEndDocument();
    return out;
}

QByteArray deleteObjectsBody(const QStringList &keys, bool quiet)
{
    QByteArray out;
    QXmlStreamWriter w(&out);
    w.writeStartDocument();
    w.writeStartElement(u"Delete"_s);
    w.writeDefaultNamespace(u"http://s3.amazonaws.com/doc/2006-03-01/"_s);
    if (quiet)
        w.writeTextElement(u"Quiet"_s, u"true"_s);
    for (const QString &key : keys) {
        w.writeStartElement(u"Object"_s);
        w.writeTextElement(u"Key"_s, key);
        w.writeEndElement();
    }
    w.writeEndElement();
    w.writeEndDocument();
    return out;
}

} // namespace ferry::s3::xml
