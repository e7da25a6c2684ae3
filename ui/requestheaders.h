#pragma once

#include "api/downloadtypes.h"

#include <QCoreApplication>
#include <QString>

namespace ferry::ui {

// What the add dialog's "Advanced" fields ask for, as typed.
struct HeaderFields
{
    QString lines;  // one "Name: value" per line; blank lines ignored
    QString cookie; // "a=1; b=2", with or without a leading "Cookie:"
    QString user;   // Basic auth when not empty
    QString password;
};

// Turns those fields into request headers. Kept apart from the dialog so the parsing rules can
// be read (and changed) in one place, without any widgets.
class RequestHeaders final
{
    Q_DECLARE_TR_FUNCTIONS(ferry::ui::RequestHeaders)
public:
    // Valid lines become headers even when others are wrong; `problems` (if given) gets one
    // sentence per rejected line, "Line 2: …", and stays empty when everything is fine.
    static HeaderList fromFields(const HeaderFields &fields, QStringList *problems);
};

} // namespace ferry::ui
