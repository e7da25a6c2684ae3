#pragma once

#include "schedule/schedule.h"

#include <QDialog>

class QCheckBox;
class QGridLayout;
class QTimeEdit;

namespace ferry::ui {

class RateLimitBox;

// Edits a Schedule: the days and times the scheduled queue runs, and speed limits that follow
// the clock. Shows the value it is given and hands back what the user set; storing it is the
// caller's business. GUI thread only.
class SchedulerDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SchedulerDialog)
public:
    explicit SchedulerDialog(const Schedule &schedule, QWidget *parent = nullptr);
    Schedule schedule() const;

    // Names of the widgets, for tests: "queueEnabled", "queueDay1".."queueDay7" (Monday = 1),
    // "queueStart", "queueStopEnabled", "queueStop", "addSpeedRule"; the rule in row n has
    // "ruleDays<n>" (0 every day, 1 Monday to Friday, 2 Saturday and Sunday, 3 as it was),
    // "ruleFrom<n>", "ruleTo<n>", "ruleLimit<n>", "ruleRemove<n>".
private:
    struct Row
    {
        QWidget *days = nullptr; // a QComboBox
        QTimeEdit *from = nullptr;
        QTimeEdit *to = nullptr;
        RateLimitBox *limit = nullptr;
        QWidget *remove = nullptr;
        Weekdays custom = 0; // days that none of the presets names
    };
    void addRow(const SpeedRule &rule);
    void removeRow(int index);
    void updateEnabled();

    QCheckBox *m_enabled = nullptr;
    QList<QCheckBox *> m_days;
    QTimeEdit *m_start = nullptr;
    QCheckBox *m_stopEnabled = nullptr;
    QTimeEdit *m_stop = nullptr;
    QGridLayout *m_rules = nullptr;
    QList<Row> m_rows;
};

} // namespace ferry::ui
