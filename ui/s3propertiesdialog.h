#pragma once

#include "s3/s3types.h"

#include <QDialog>

class QFormLayout;
class QLabel;
class QTableWidget;

namespace ferry::s3 {
class Client;
}

namespace ferry::ui {

// What HeadObject says about one object: size, ETag, dates, content type, storage class and
// user metadata. Asks the server when opened; the fields fill in when the answer arrives.
class S3PropertiesDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(S3PropertiesDialog)
public:
    S3PropertiesDialog(s3::Client *client, const QString &bucket, const QString &key,
                       QWidget *parent = nullptr);

    bool isLoaded() const { return m_loaded; }
    const s3::ObjectInfo &info() const { return m_info; }
    QString errorText() const;

signals:
    void loaded();

private:
    void showInfo(const s3::ObjectInfo &info);

    QLabel *m_size = nullptr;
    QLabel *m_etag = nullptr;
    QLabel *m_modified = nullptr;
    QLabel *m_type = nullptr;
    QLabel *m_class = nullptr;
    QLabel *m_error = nullptr;
    QTableWidget *m_metadata = nullptr;
    s3::ObjectInfo m_info;
    bool m_loaded = false;
};

} // namespace ferry::ui
