#pragma once

#include <QString>

namespace syncdesk {

// Which records a side-by-side list (customers, tickets) shows.
struct RecordListFilter
{
    QString text;           // part of a name, e-mail, company or subject; empty: any
    QString state;          // in_sync, pending, conflict, differs, backend_only, dashboard_only; empty: any
    bool openOnly = false;  // tickets: not resolved or closed
    qint64 userId = 0;      // tickets: the records of this backend user (and of the customer linked to it)
    bool userFirst = false; // with userId: list that user's records first instead of only theirs
    int limit = 200;
    int offset = 0;

    // `text` as an ILIKE pattern that matches it anywhere, with its own % and _ taken literally.
    QString pattern() const
    {
        QString escaped = text.trimmed();
        escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
        escaped.replace(QLatin1Char('%'), QLatin1String("\\%"));
        escaped.replace(QLatin1Char('_'), QLatin1String("\\_"));
        return escaped.isEmpty() ? QString() : QLatin1Char('%') + escaped + QLatin1Char('%');
    }
};

} // namespace syncdesk
