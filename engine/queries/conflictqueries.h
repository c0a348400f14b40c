#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

namespace syncdesk {

struct ConflictListFilter
{
    QString status; // open, resolved, preserved; empty: any
    QString entity;
    QString field;
    QString kind;   // field, deleted
    int limit = 50;
    int offset = 0;
};

// Conflicts as people look at them: newest first, filtered, with the total for paging.
class ConflictQueries
{
public:
    // {"total": n, "limit": l, "offset": o, "items": [...]}
    static Result<QJsonObject> list(QSqlDatabase &db, const ConflictListFilter &filter);
    // One conflict; a failure naming it when it does not exist (check exists() to tell 404 from 500).
    static Result<QJsonObject> get(QSqlDatabase &db, qint64 id, bool *exists = nullptr);
};

} // namespace syncdesk
