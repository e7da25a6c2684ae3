#pragma once

#include <QByteArrayView>
#include <QString>
#include <QtGlobal>

namespace ferry::zip {

// Where a ZipWriter's bytes go. Calls are synchronous and come from the thread that drives the
// writer; a sink that uploads may block in write() to push back on the producer, which keeps
// memory bounded without the writer knowing about the network.
//
// A seekable sink lets the writer patch each local header after the entry's data (so no data
// descriptors are needed); a sequential sink gets every byte exactly once, in order.
class ZipSink
{
public:
    virtual ~ZipSink() = default;

    // Appends `data` at the end; false on error (see errorString()).
    virtual bool write(QByteArrayView data) = 0;

    // Whether patch() works.
    virtual bool seekable() const { return false; }

    // Overwrites bytes already written at `offset` without moving the end; only for seekable
    // sinks. The writer never patches past what it has written.
    virtual bool patch(qint64 offset, QByteArrayView data)
    {
        Q_UNUSED(offset);
        Q_UNUSED(data);
        return false;
    }

    // Bytes written so far (the offset of the next write).
    virtual qint64 position() const = 0;

    virtual QString errorString() const = 0;
};

} // namespace ferry::zip
