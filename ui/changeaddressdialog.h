#pragma once

#include "api/downloadtypes.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace ferry {
class DownloadManager;
}

namespace ferry::ui {

// Gives an unfinished download another address for the same file (an expired signed link, a
// fresh one-time link from the download page). OK hands the address to the manager, which
// checks it; the dialog closes once the download goes on, or says inline why not and stays.
// GUI thread only.
class ChangeAddressDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChangeAddressDialog)
public:
    ChangeAddressDialog(DownloadManager *manager, const DownloadSnapshot &download,
                        QWidget *parent = nullptr);

    // Why `text` is no address to change to (empty when it is one).
    static QString problemWith(const QString &text, const QUrl &current);

private:
    void submit();
    void setBusy(bool busy);

    DownloadManager *m_manager;
    DownloadId m_id;
    QUrl m_current;
    QLineEdit *m_address = nullptr;
    QLineEdit *m_cookie = nullptr;
    QLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace ferry::ui
