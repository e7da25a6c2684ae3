#include "schedulerdialog.h"

#include "ratelimitbox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTimeEdit>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::ui {

namespace {

const QString timeFormat = u"HH:mm"_s;

QTimeEdit *timeEdit(const QTime &time, const QString &name, QWidget *parent)
{
    auto *edit = new QTimeEdit(time.isValid() ? time : QTime(0, 0), parent);
    edit->setDisplayFormat(timeFormat);
    edit->setObjectName(name);
    return edit;
}

enum DayPreset { EveryDay, WorkDays, Weekend, AsItWas };

Weekdays presetDays(int preset, Weekdays custom)
{
    switch (preset) {
    case EveryDay:
        return everyDay;
    case WorkDays:
        return workDays;
    case Weekend:
        return Weekdays(dayBit(6) | dayBit(7));
    default:
        return custom;
    }
}

} // namespace

SchedulerDialog::SchedulerDialog(const Schedule &schedule, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Scheduler"));

    auto *queueBox = new QGroupBox(tr("Scheduled queue"), this);
    m_enabled = new QCheckBox(tr("&Run the queue on a schedule"), queueBox);
    m_enabled->setObjectName(u"queueEnabled"_s);
    m_enabled->setChecked(schedule.queueEnabled);
    m_enabled->setToolTip(
        tr("Downloads added with “Add to Queue” wait for the start time; at the stop time "
           "the downloads the queue started are paused."));
    auto *daysRow = new QHBoxLayout;
    // Day names in the window's language, starting on Monday like the stored days.
    for (int d = 1; d <= 7; ++d) {
        auto *box = new QCheckBox(QLocale().dayName(d, QLocale::ShortFormat), queueBox);
        box->setObjectName(u"queueDay%1"_s.arg(d));
        box->setChecked(schedule.queue.days & dayBit(d));
        daysRow->addWidget(box);
        m_days.append(box);
    }
    daysRow->addStretch();
    m_start = timeEdit(schedule.queue.from, u"queueStart"_s, queueBox);
    m_stopEnabled = new QCheckBox(tr("S&top at:"), queueBox);
    m_stopEnabled->setObjectName(u"queueStopEnabled"_s);
    m_stopEnabled->setChecked(schedule.queue.to.isValid());
    m_stop = timeEdit(schedule.queue.to.isValid() ? schedule.queue.to : QTime(6, 0), u"queueStop"_s,
                      queueBox);
    auto *times = new QHBoxLayout;
    auto *startLabel = new QLabel(tr("&Start at:"), queueBox);
    startLabel->setBuddy(m_start);
    times->addWidget(startLabel);
    times->addWidget(m_start);
    times->addSpacing(16);
    times->addWidget(m_stopEnabled);
    times->addWidget(m_stop);
    times->addStretch();
    auto *queueLayout = new QVBoxLayout(queueBox);
    queueLayout->addWidget(m_enabled);
    queueLayout->addLayout(daysRow);
    queueLayout->addLayout(times);

    auto *speedBox = new QGroupBox(tr("Speed limits by time"), this);
    auto *speedLayout = new QVBoxLayout(speedBox);
    auto *hint =
        new QLabel(tr("Outside these times the speed limit from the status bar holds."), speedBox);
    hint->setWordWrap(true);
    speedLayout->addWidget(hint);
    m_rules = new QGridLayout;
    m_rules->addWidget(new QLabel(tr("Days"), speedBox), 0, 0);
    m_rules->addWidget(new QLabel(tr("From"), speedBox), 0, 1);
    m_rules->addWidget(new QLabel(tr("To"), speedBox), 0, 2);
    m_rules->addWidget(new QLabel(tr("Limit"), speedBox), 0, 3);
    speedLayout->addLayout(m_rules);
    auto *add = new QPushButton(tr("&Add Speed Limit"), speedBox);
    add->setObjectName(u"addSpeedRule"_s);
    connect(add, &QPushButton::clicked, this, [this] {
        addRow(SpeedRule{TimeWindow{workDays, QTime(9, 0), QTime(18, 0)}, 2 * 1024 * 1024});
    });
    auto *addRowLayout = new QHBoxLayout;
    addRowLayout->addWidget(add);
    addRowLayout->addStretch();
    speedLayout->addLayout(addRowLayout);
    for (const SpeedRule &rule : schedule.speed)
        addRow(rule);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(queueBox);
    layout->addWidget(speedBox);
    layout->addStretch();
    layout->addWidget(buttons);

    for (QCheckBox *box : {m_enabled, m_stopEnabled})
        connect(box, &QCheckBox::toggled, this, &SchedulerDialog::updateEnabled);
    updateEnabled();
}

Schedule SchedulerDialog::schedule() const
{
    Schedule s;
    s.queueEnabled = m_enabled->isChecked();
    s.queue.days = 0;
    for (int d = 1; d <= 7; ++d) {
        if (m_days.at(d - 1)->isChecked())
            s.queue.days |= dayBit(d);
    }
    s.queue.from = m_start->time();
    s.queue.to = m_stopEnabled->isChecked() ? m_stop->time() : QTime();
    // No day ticked cannot run; it is kept off rather than stored as nonsense.
    if (s.queue.days == 0) {
        s.queue.days = everyDay;
        s.queueEnabled = false;
    }
    for (const Row &row : m_rows) {
        const auto *days = static_cast<const QComboBox *>(row.days);
        s.speed.append(SpeedRule{TimeWindow{presetDays(days->currentIndex(), row.custom),
                                            row.from->time(), row.to->time()},
                                 row.limit->bytesPerSecond()});
    }
    return s;
}

void SchedulerDialog::addRow(const SpeedRule &rule)
{
    const int n = int(m_rows.size());
    const int line = n + 1;
    Row row;
    auto *days = new QComboBox(this);
    days->addItems({tr("Every day"), tr("Monday to Friday"), tr("Saturday and Sunday")});
    int preset = rule.window.days == everyDay                 ? EveryDay
                 : rule.window.days == workDays               ? WorkDays
                 : rule.window.days == presetDays(Weekend, 0) ? Weekend
                                                              : AsItWas;
    if (preset == AsItWas) {
        // Days no preset names (written by an earlier version or by hand) stay as they are.
        days->addItem(Schedule::daysToString(rule.window.days));
        row.custom = rule.window.days;
    }
    days->setCurrentIndex(preset);
    days->setObjectName(u"ruleDays%1"_s.arg(n));
    row.days = days;
    row.from = timeEdit(rule.window.from, u"ruleFrom%1"_s.arg(n), this);
    row.to = timeEdit(rule.window.to, u"ruleTo%1"_s.arg(n), this);
    row.limit = new RateLimitBox(this);
    row.limit->setObjectName(u"ruleLimit%1"_s.arg(n));
    row.limit->setBytesPerSecond(rule.bytesPerSecond);
    auto *remove = new QPushButton(tr("Remove"), this);
    remove->setObjectName(u"ruleRemove%1"_s.arg(n));
    row.remove = remove;
    connect(remove, &QPushButton::clicked, this, [this, remove] {
        for (int i = 0; i < m_rows.size(); ++i) {
            if (m_rows.at(i).remove == remove) {
                removeRow(i);
                return;
            }
        }
    });
    m_rules->addWidget(days, line, 0);
    m_rules->addWidget(row.from, line, 1);
    m_rules->addWidget(row.to, line, 2);
    m_rules->addWidget(row.limit, line, 3);
    m_rules->addWidget(remove, line, 4);
    m_rows.append(row);
}

void SchedulerDialog::removeRow(int index)
{
    const Row row = m_rows.takeAt(index);
    for (QWidget *w : {row.days, static_cast<QWidget *>(row.from), static_cast<QWidget *>(row.to),
                       static_cast<QWidget *>(row.limit), row.remove})
        w->deleteLater();
}

void SchedulerDialog::updateEnabled()
{
    const bool on = m_enabled->isChecked();
    for (QCheckBox *box : std::as_const(m_days))
        box->setEnabled(on);
    m_start->setEnabled(on);
    m_stopEnabled->setEnabled(on);
    m_stop->setEnabled(on && m_stopEnabled->isChecked());
}

} // namespace ferry::ui
