#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace syncdesk {

// One row of sync.links: which backend record is which dashboard record, and what they last agreed on.
struct Link
{
    qint64 id = 0;
    qint64 backendId = 0;
    qint64 dashboardId = 0;
    QJsonObject baseline;
    QStringList pausedFields;
    QString state = QStringLiteral("active");

    bool isActive() const { return state == QLatin1String("active"); }
};

// Set-based access to sync.links for one entity.
class LinkStore
{
public:
    LinkStore(QSqlDatabase db, QString entity);

    // Locks (in id order) and reads the links of these records. With `busy`, links another worker
    // holds are skipped instead of waited for, and their ids put there.
    Result<QList<Link>> lock(const QList<qint64> &backendIds, const QList<qint64> &dashboardIds,
                             QList<Link> *busy = nullptr);
    // Serialises the linking of records by e-mail across workers and instances for this transaction.
    Status lockEmails(const QStringList &lowerEmails);
    // Inserts new links and fills in their ids.
    Status insert(QList<Link> &links);
    Status update(const QList<Link> &links);
    Status remove(const QList<qint64> &ids);

private:
    QSqlDatabase m_db;
    QString m_entity;
};

} // namespace syncdesk
