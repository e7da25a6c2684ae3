#pragma once

#include <QDialog>
#include <QString>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace ferry::ui {

// How a ZIP bundle is written, whichever its destination.
struct S3BundleOptions
{
    int deflateLevel = 6;             // 1 (fastest) – 9 (smallest)
    bool skipOnError = false;         // report failing objects and go on, or stop at the first
    qint64 shareExpirySeconds = 3600; // the link after a bucket bundle (≤ 7 days)
};

// Options of "Download as ZIP…" (a local file, chosen with Browse…) and "Bundle into bucket…"
// (target bucket, key and how long the share link stays valid). Widgets carry object names so
// tests can drive the dialog.
class S3BundleDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(S3BundleDialog)
public:
    enum Mode { LocalFile, IntoBucket };
    enum Preset { OneHour, OneDay, SevenDays, Custom };

    S3BundleDialog(Mode mode, QWidget *parent = nullptr);

    Mode mode() const { return m_mode; }
    void setLocalPath(const QString &path);
    QString localPath() const;
    void setBuckets(const QStringList &buckets, const QString &current);
    QString targetBucket() const;
    void setTargetKey(const QString &key);
    QString targetKey() const;
    void setPreset(Preset preset);
    // A custom link lifetime in hours; more than 7 days disables OK with a message.
    void setCustomHours(int hours);
    void setDeflateLevel(int level); // the default from the settings; the dialog may change it
    S3BundleOptions options() const;
    // Empty when the entered values can be used.
    QString errorText() const;

    static constexpr qint64 maxExpirySeconds = 7 * 24 * 3600;

private:
    void browse();
    void update();
    qint64 expirySeconds() const;

    Mode m_mode;
    QLineEdit *m_path = nullptr;
    QComboBox *m_bucket = nullptr;
    QLineEdit *m_key = nullptr;
    QComboBox *m_preset = nullptr;
    QSpinBox *m_customHours = nullptr;
    QSpinBox *m_level = nullptr;
    QCheckBox *m_skip = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace ferry::ui
