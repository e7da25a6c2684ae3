#pragma once

#include "api/downloadtypes.h"

#include <QTabWidget>
#include <optional>

class QFormLayout;
class QLabel;
class QPlainTextEdit;
class QTableWidget;

namespace ferry::ui {

class SpeedGraph;

// What the selected download is made of: addresses, validators, one row per connection, its
// event log and a speed graph. Shows plain values handed to it; it never talks to the engine.
class DetailsPane final : public QTabWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DetailsPane)
public:
    explicit DetailsPane(QWidget *parent = nullptr);
    void showDownload(const std::optional<DownloadSnapshot> &snapshot, const QList<DownloadEvent> &events,
                      const QList<qint64> &speedHistory);

private:
    enum ConnectionColumn { RangeColumn, DoneColumn, SpeedColumn, StateColumn, ConnectionColumns };

    bool eventFilter(QObject *watched, QEvent *event) override;
    QLabel *addRow(QFormLayout *form, const QString &label, const char *objectName);
    void fitGeneralHeight();
    void fitConnectionColumns(bool otherDownload);

    QWidget *m_general = nullptr; // the General tab's rows, inside a scroll area
    QLabel *m_url = nullptr;
    QLabel *m_finalUrl = nullptr;
    QLabel *m_destination = nullptr;
    QLabel *m_size = nullptr;
    QLabel *m_validators = nullptr;
    QLabel *m_resume = nullptr;
    QLabel *m_message = nullptr;
    QTableWidget *m_connections = nullptr;
    QPlainTextEdit *m_log = nullptr;
    SpeedGraph *m_graph = nullptr;
    int m_shownEvents = -1;
    DownloadId m_shownId = 0;
};

} // namespace ferry::ui
