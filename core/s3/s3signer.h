#pragma once

#include "engine/requestsigner.h"
#include "s3/sigv4.h"

#include <QString>

namespace ferry::s3 {

// SigV4 headers for the download engine's GETs of S3 objects. Holds its own copy of the
// credentials, the bucket's region and the clock correction known when it was made; immutable
// after construction, so connection threads may call sign() concurrently. The payload is
// signed as empty (GET and HEAD carry none); Range and If-Range stay unsigned so the engine can
// set them freely. Anonymous credentials sign nothing.
class ObjectSigner final : public RequestSigner
{
public:
    ObjectSigner(Credentials credentials, QString region, qint64 clockSkewSeconds = 0);

    HeaderList sign(const QByteArray &method, const QUrl &url, const HeaderList &headers) const override;

    const QString &region() const { return m_region; }

private:
    const Credentials m_credentials;
    const QString m_region;
    const qint64 m_skewSeconds;
};

} // namespace ferry::s3
