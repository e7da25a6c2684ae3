#pragma once

// Helpers shared by the support self-tests: run QNAM requests to completion by spinning the
// event loop (never sleeping) and keep what arrived.

#include "faultserver.h"

#include <QByteArray>
#include <QList>
#include <QNetworkReply>
#include <QPair>

class QNetworkAccessManager;

namespace ferry::test {

using RawHeaders = QList<QPair<QByteArray, QByteArray>>;

struct Fetched
{
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    RawHeaders headers;
    qint64 elapsedMs = 0;

    QByteArray header(const QByteArray &name) const; // case-insensitive; empty when absent
    bool hasHeader(const QByteArray &name) const;
};

// HTTP/2 off, as the engine does for segments, so each request gets its own TCP connection.
QNetworkRequest makeRequest(const QUrl &url, const RawHeaders &headers = {},
                            int transferTimeoutMs = 0);

// Starts a request whose body is collected into `out` as it arrives; `out` is complete when the
// reply emits finished(). The caller owns the reply.
QNetworkReply *startFetch(QNetworkAccessManager &nam, const QUrl &url, Fetched *out,
                          const RawHeaders &headers = {}, int transferTimeoutMs = 0,
                          bool head = false);

// Runs one request to completion; false if it did not finish within a minute.
bool fetch(QNetworkAccessManager &nam, const QUrl &url, Fetched *out,
           const RawHeaders &headers = {}, int transferTimeoutMs = 0, bool head = false);

// Waits until every reply finished and schedules them for deletion; false on timeout.
bool finishAll(const QList<QNetworkReply *> &replies);

// "bytes=first-last" for part `i` of `parts` equal slices of `size`.
QByteArray sliceRange(qint64 size, int parts, int i);

// A body of `size` deterministic bytes with a strong ETag "v1" and a fixed Last-Modified
// (Fri, 17 May 2024 10:20:30 GMT).
Resource makeResource(qint64 size, quint32 seed = 1);

} // namespace ferry::test
