#pragma once

#include <QWidget>

class QHBoxLayout;

namespace ferry::ui {

// "bucket / a / b /" as a row of flat buttons; each leads to its prefix. GUI thread.
class S3Breadcrumb final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(S3Breadcrumb)
public:
    explicit S3Breadcrumb(QWidget *parent = nullptr);

    void setPath(const QString &bucket, const QString &prefix);
    // The segments as shown, bucket first.
    QStringList segments() const;
    // Acts as if the user clicked segment `index` (0 = the bucket's root).
    void activate(int index);

signals:
    void prefixActivated(const QString &prefix);

private:
    QHBoxLayout *m_layout = nullptr;
    QStringList m_segments;
    QStringList m_prefixes;
};

} // namespace ferry::ui
