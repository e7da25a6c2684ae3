#pragma once

#include "api/downloadtypes.h"
#include "engine/partfile.h"
#include "engine/rangesampler.h"

#include <QObject>
#include <QUrl>
#include <memory>

namespace ferry {

class Connection;
struct ProbeResult;

// Whether a new address serves the very file a download has been fetching: a probe (the
// download's own request, asking for one byte), then the same size, the same ETag and
// Last-Modified where both sides have one; where no validator can be compared, a few byte
// ranges of what is already on disk, fetched and compared. Nothing is written anywhere.
// Lives on the thread that made it; its probe and samples run on threads of their own.
class AddressCheck final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AddressCheck)
public:
    // What the download has now.
    struct Expected
    {
        qint64 total = -1;
        QByteArray etag;
        QString lastModified;
        QString partPath;
        PartFile::Identity identity;
        QList<RangeSampler::Range> done; // bytes on disk
    };
    struct Verdict
    {
        bool same = false;
        QString message; // what differs, or why it could not be told
        QUrl finalUrl;   // where the new address led
        QByteArray etag; // the new address's validators
        QString lastModified;
        bool rangeSupported = false;
        bool validated = false; // the new address gives a validator of its own
    };

    explicit AddressCheck(QObject *parent = nullptr);
    ~AddressCheck() override;

    void start(const QUrl &url, const HeaderList &secrets, const Expected &expected, int timeoutMs);

    // The ranges compared with the bytes on disk: up to `count` pieces of at most 16 KiB,
    // spread evenly over the bytes on disk and never outside them. The same bytes on disk
    // always give the same ranges.
    static QList<RangeSampler::Range> samplePlan(const QList<RangeSampler::Range> &done,
                                                 int count = 4);

signals:
    void finished(const ferry::AddressCheck::Verdict &verdict);

private:
    void onProbed(const ProbeResult &r);
    void conclude(bool same, const QString &message);

    std::unique_ptr<Connection> m_probe;
    std::unique_ptr<RangeSampler> m_sampler;
    QUrl m_url;
    HeaderList m_secrets;
    Expected m_expected;
    Verdict m_verdict;
    int m_timeoutMs = 15'000;
    bool m_done = false;
};

} // namespace ferry
