#pragma once

#include "api/downloadtypes.h"
#include "engine/partfile.h"

#include <QObject>
#include <QThread>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace ferry {

// Fetches a few byte ranges of an address and compares them with the same bytes of a partial
// file: whether a server without usable validators serves the file a download already holds.
// A worker with its own thread and network manager, like a Connection; run() may be called
// from any thread, done() arrives queued.
class RangeSampler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RangeSampler)
public:
    struct Range
    {
        qint64 start = 0;
        qint64 length = 0;
    };
    struct Request
    {
        QUrl url;
        HeaderList secretHeaders; // sent only to the origin of `secretOrigin`
        QUrl secretOrigin;
        QByteArray ifRange; // the address's validator, so that every range is one version
        qint64 total = -1;
        QString partPath;
        PartFile::Identity identity;
        QList<Range> ranges;
        int timeoutMs = 15'000;
    };
    enum class Outcome { Same, Differs, Unavailable };
    struct Result
    {
        Outcome outcome = Outcome::Unavailable;
        qint64 offset = -1; // the first differing byte
        QString message;    // why the bytes could not be compared
    };

    RangeSampler();
    ~RangeSampler() override;

    void run(const Request &request);

signals:
    void done(const ferry::RangeSampler::Result &result);

private:
    void next();
    void onFinished();
    void finish(const Result &result);

    QThread m_thread;
    QNetworkAccessManager *m_nam = nullptr;
    QNetworkReply *m_reply = nullptr;
    Request m_request;
    int m_index = 0;
};

} // namespace ferry

Q_DECLARE_METATYPE(ferry::RangeSampler::Result)
