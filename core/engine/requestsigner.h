#pragma once

#include "api/downloadtypes.h"

#include <QByteArray>
#include <QUrl>

namespace ferry {

// Adds per-request authentication headers (for example AWS SigV4) to a request the engine is
// about to send. Called from connection threads: implementations must be immutable after
// construction, or otherwise thread-safe.
class RequestSigner
{
public:
    virtual ~RequestSigner() = default;
    // Headers to add to a request of `method` for `url`. `headers` are the ones already set.
    virtual HeaderList sign(const QByteArray &method, const QUrl &url, const HeaderList &headers) const = 0;
};

} // namespace ferry
