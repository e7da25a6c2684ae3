#pragma once

#include "api/downloadtypes.h"

#include <QDialog>

class QDialogButtonBox;
class QSpinBox;

namespace ferry::ui {

class RateLimitBox;

// What one download is and the two options it may change while it runs or waits: its own
// speed limit and the most connections it may use. Shows the values handed to it and gives
// back what the user settled on; the window applies them. GUI thread only.
class DownloadPropertiesDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DownloadPropertiesDialog)
public:
    explicit DownloadPropertiesDialog(const DownloadSnapshot &download, QWidget *parent = nullptr);

    qint64 rateLimit() const; // bytes per second, 0 = no limit
    int connections() const;  // 1..32
    // Whether the dialog offers connections at all (downloads over HTTP and from S3 only).
    bool hasConnections() const;

private:
    RateLimitBox *m_limit = nullptr;
    QSpinBox *m_connections = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace ferry::ui
