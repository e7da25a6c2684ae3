#include "engine/ratetext.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ferry {

qint64 parseRateText(const QString &text, qint64 plainUnit)
{
    static const QRegularExpression re(
        u"^\\s*(\\d+(?:\\.\\d+)?)\\s*([kKmMgG]?)(i?[bB](?:/s)?)?\\s*$"_s);
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return -1;
    double value = m.captured(1).toDouble();
    const QString unit = m.captured(2).toLower();
    if (unit == u"k"_s)
        value *= 1024;
    else if (unit == u"m"_s)
        value *= 1024.0 * 1024;
    else if (unit == u"g"_s)
        value *= 1024.0 * 1024 * 1024;
    else if (!m.hasCaptured(3))
        value *= double(plainUnit);
    // Far beyond any link, and still exact in a double: larger is a typing slip, not a limit.
    return value > 9e15 ? -1 : qint64(value);
}

} // namespace ferry
