#pragma once

#include <QDateTime>

namespace ferry {

// Where schedules read the time. Production asks the system; tests hand in a clock they move,
// so that no test waits for a start time or a countdown.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0; // local time
};

class SystemClock final : public Clock
{
public:
    QDateTime now() const override { return QDateTime::currentDateTime(); }
};

} // namespace ferry
