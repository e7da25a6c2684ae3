#pragma once

// The S3 documentation's signing examples: keys, time and host, shared by the SigV4 tests.
#include "s3/sigv4.h"

#include <QCryptographicHash>
#include <QDateTime>

using namespace Qt::StringLiterals;

namespace ferry::test {

using namespace ferry::s3;

// The S3 documentation's examples.
inline const Credentials docKeys{
    u"AKIAIOSFODNN7EXAMPLE"_s, u"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"_s, {}};
inline const QDateTime docTime(QDate(2013, 5, 24), QTime(0, 0), Qt::UTC);
inline const QString docHost = u"https://examplebucket.s3.amazonaws.com"_s;

inline QByteArray sha256Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

inline SigningInput docInput(const QByteArray &method, const QUrl &url, const HeaderList &headers,
                      const QByteArray &payload)
{
    SigningInput in;
    in.method = method;
    in.url = url;
    in.headers = headers;
    in.payloadSha256 = payload;
    in.time = docTime;
    in.region = u"us-east-1"_s;
    return in;
}

} // namespace ferry::test
