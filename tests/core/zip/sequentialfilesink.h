#pragma once

#include "zip/zipsink.h"

#include <QFile>

// Stands in for a multipart upload: bytes go to a file strictly in order, and patch() is
// refused, exactly as a sink that cannot rewrite what it already sent.
class SequentialFileSink final : public ferry::zip::ZipSink
{
public:
    explicit SequentialFileSink(const QString &path) : m_file(path)
    {
        m_file.open(QIODevice::WriteOnly | QIODevice::Truncate);
    }
    bool write(QByteArrayView data) override
    {
        if (m_file.write(data.data(), data.size()) != data.size())
            return false;
        m_position += data.size();
        return true;
    }
    qint64 position() const override { return m_position; }
    QString errorString() const override { return m_file.errorString(); }
    bool close() { return m_file.flush() && (m_file.close(), true); }

private:
    QFile m_file;
    qint64 m_position = 0;
};
