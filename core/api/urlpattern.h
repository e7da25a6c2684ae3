#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace ferry {

// Batches written as curl writes them: `img[001-120].jpg` (a leading zero keeps the width),
// `[a-z]`, `[0-100:10]` (a step), `{jpg,png}` (a list). Several patterns make every
// combination, the leftmost changing slowest. `\[`, `\]`, `\{` and `\}` are literal
// characters; so are the brackets of an IPv6 host (`http://[::1]:8080/`). Pure value type.
class UrlPattern final
{
public:
    // The most addresses one pattern may add at once.
    static constexpr qint64 maxAddresses = 10000;

    // True when `text` has a `[` or `{` that is neither escaped nor an IPv6 host: it is meant
    // as a pattern (which may still be malformed; parse() says).
    static bool isPattern(const QString &text);
    static UrlPattern parse(const QString &text);

    bool isValid() const { return m_error.isEmpty(); }
    // What is wrong, as a sentence fragment starting in lower case ("the range [5-1] runs
    // backwards."); see describe().
    QString error() const { return m_error; }
    // How many addresses it makes, without making them; saturates at INT64_MAX.
    qint64 count() const;
    // The address at `index` (0 ≤ index < count()) without expanding the others.
    QString address(qint64 index) const;
    // Every address, or none with `error` set when there are more than `limit`.
    QStringList expand(QString *error, qint64 limit = maxAddresses) const;

    // "Line 3: the range [5-1] runs backwards." (line > 0), else the fragment as a sentence.
    static QString describe(const QString &fragment, int line = 0);
    // "This pattern makes 12,000,000 addresses; at most 10,000 can be added at once."
    static QString tooManyMessage(qint64 count);

private:
    struct Part
    {
        enum Kind { Text, List, Numbers, Letters } kind = Text;
        QStringList items; // Text: one item; List: the choices
        qint64 first = 0;  // Numbers and Letters (a character code)
        qint64 last = 0;
        qint64 step = 1;
        int width = 0; // Numbers: zero-padded to this many digits
        qint64 size() const;
        QString at(qint64 i) const;
    };
    QList<Part> m_parts;
    QString m_error;
};

} // namespace ferry
