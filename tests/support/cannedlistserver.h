#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

class QThread;

namespace ferry::test {

namespace detail {
class CannedListState;
class CannedListWorker;
} // namespace detail

// A read-only S3 endpoint on 127.0.0.1 (path-style) whose one bucket holds a large, synthetic
// folder: `objectCount` keys `prefix + "obj-000000.bin"` … generated on demand, so a listing of
// 100,000 objects costs no setup. It answers ListBuckets and ListObjectsV2 (prefix, delimiter
// "/", max-keys, continuation-token), optionally after a fixed delay per request to behave like
// a remote endpoint; everything else gets 404. Signatures are not checked. The sockets live on a
// private thread, so the caller's event loop only does client work; every method is thread-safe.
class CannedListServer final
{
public:
    struct Options
    {
        QString bucket = QStringLiteral("big");
        QString prefix = QStringLiteral("big/"); // ends with '/'
        int objectCount = 100'000;
        int delayMs = 0; // before each answer
    };

    explicit CannedListServer(const Options &options);
    ~CannedListServer();
    CannedListServer(const CannedListServer &) = delete;
    CannedListServer &operator=(const CannedListServer &) = delete;

    bool isListening() const { return m_port != 0; }
    quint16 port() const { return m_port; }
    QUrl endpoint() const; // http://127.0.0.1:PORT
    const Options &options() const { return m_options; }

    // The synthetic objects, in listing order (zero-padded names sort like their index).
    QString key(int index) const;
    QString name(int index) const; // the key without the prefix
    static qint64 sizeAt(int index);
    static QDateTime lastModifiedAt(int index);
    static QString storageClassAt(int index);

    // What the server saw since construction or the last resetCounters().
    int listRequests() const;               // ListObjectsV2 requests answered or in progress
    int maxConcurrentListRequests() const;  // most ListObjectsV2 requests open at the same time
    QStringList continuationTokens() const; // as asked, in order; "" for a first page
    int otherRequests() const;              // anything but ListObjectsV2
    void resetCounters();

private:
    Options m_options;
    std::unique_ptr<detail::CannedListState> m_state;
    std::unique_ptr<QThread> m_thread;
    detail::CannedListWorker *m_worker = nullptr;
    quint16 m_port = 0;
};

} // namespace ferry::test
