#pragma once

#include "s3/s3client.h"

#include <QDialog>
#include <QPointer>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace ferry::ui {

// A presigned link to one object, valid for 1 hour, 1 day, 7 days or a custom duration of at
// most 7 days (the longest S3 signs). The link is made locally: no request goes out.
class S3ShareDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(S3ShareDialog)
public:
    enum Preset { OneHour, OneDay, SevenDays, Custom };
    Q_ENUM(Preset)

    S3ShareDialog(s3::Client *client, QString bucket, QString key, QWidget *parent = nullptr);

    void setPreset(Preset preset);
    // A custom duration; longer than 7 days is refused with a message and no link.
    void setCustomDuration(int value, int unitSeconds);
    // Seconds the link stays valid, 0 when the chosen duration is not allowed.
    qint64 expirySeconds() const;
    QString url() const;
    QString errorText() const;
    // Puts the link on the clipboard.
    void copy();

    static constexpr qint64 maxExpirySeconds = 7 * 24 * 3600;

private:
    void update();

    QPointer<s3::Client> m_client;
    QString m_bucket;
    QString m_key;
    QComboBox *m_preset = nullptr;
    QSpinBox *m_amount = nullptr;
    QComboBox *m_unit = nullptr;
    QLineEdit *m_url = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_expires = nullptr;
    QPushButton *m_copy = nullptr;
};

} // namespace ferry::ui
