#include "s3/s3signer.h"

#include <QDateTime>

namespace ferry::s3 {

ObjectSigner::ObjectSigner(Credentials credentials, QString region, qint64 clockSkewSeconds)
    : m_credentials(std::move(credentials))
    , m_region(std::move(region))
    , m_skewSeconds(clockSkewSeconds)
{
}

HeaderList ObjectSigner::sign(const QByteArray &method, const QUrl &url, const HeaderList &headers) const
{
    Q_UNUSED(headers);
    if (m_credentials.isAnonymous())
        return {};
    SigningInput in;
    in.method = method;
    in.url = url;
    in.payloadSha256 = emptyPayloadSha256.toByteArray();
    in.time = QDateTime::currentDateTimeUtc().addSecs(m_skewSeconds);
    in.region = m_region;
    return signHeaders(in, m_credentials);
}

} // namespace ferry::s3
