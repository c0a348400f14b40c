#include "schema/captureinstaller.h"

#include "core/logging.h"
#include "database/sql.h"

#include <QSqlError>

namespace syncdesk {

CaptureInstaller::CaptureInstaller(const Mapping &mapping)
    : m_mapping(mapping)
{}

QStringList CaptureInstaller::trackedColumns(const EntityDefinition &entity, bool backendSide)
{
    QStringList columns{backendSide ? entity.backendKey.column : entity.dashboardKey.column};
    for (const FieldDefinition &field : entity.fields)
        columns << field.columnsOn(backendSide);
    if (!entity.ownerEntity.isEmpty())
        columns << (backendSide ? entity.ownerBackendColumn : entity.ownerDashboardColumn);
    columns.removeDuplicates();
    columns.sort();
    return columns;
}

Result<QStringList> CaptureInstaller::install(QSqlDatabase backend, QSqlDatabase dashboard) const
{
    QStringList installed;
    for (const EntityDefinition &entity : m_mapping.entities) {
        for (const bool backendSide : {true, false}) {
            QSqlDatabase &db = backendSide ? backend : dashboard;
            auto changed = installTable(db, entity, backendSide);
            if (!changed)
                return Result<QStringList>::failure(changed.error());
            if (changed.value())
                installed << (backendSide ? QStringLiteral("backend: ") + entity.backendTable
                                          : QStringLiteral("dashboard: ") + entity.dashboardTable);
        }
    }
    return Result<QStringList>::success(installed);
}

Result<bool> CaptureInstaller::installTable(QSqlDatabase &db, const EntityDefinition &entity,
                                            bool backendSide) const
{
    const QString table = backendSide ? entity.backendTable : entity.dashboardTable;
    const QString side = backendSide ? QStringLiteral("backend") : QStringLiteral("dashboard");
    bool open = false;
    const auto failed = [&](const QString &error) {
        if (open)
            db.rollback();
        return Result<bool>::failure(
            QStringLiteral("installing the change capture of %1 (%2): %3").arg(table, side, error));
    };
    if (!db.transaction())
        return failed(sql::errorText(db.lastError()));
    open = true;
    // What the capture tracks is recorded first: the generators read it (migration 0016).
    auto recorded = sql::run(
        db,
        QStringLiteral(
            "INSERT INTO sync.mapped_tables AS m (table_name, side, entity, tracked_columns) "
            "VALUES (?, ?, ?, ?::text[]) ON CONFLICT (table_name) DO UPDATE SET side = EXCLUDED.side, "
            "entity = EXCLUDED.entity, tracked_columns = EXCLUDED.tracked_columns, installed_at = now() "
            "WHERE (m.side, m.entity, m.tracked_columns) IS DISTINCT FROM "
            "(EXCLUDED.side, EXCLUDED.entity, EXCLUDED.tracked_columns) "
            "RETURNING (SELECT count(*) FROM pg_trigger WHERE tgrelid = ?::regclass AND tgname IN "
            "('syncdesk_capture', 'syncdesk_capture_inserts'))"),
        {table, side, entity.name, sql::textArray(trackedColumns(entity, backendSide)), table});
    if (!recorded)
        return failed(recorded.error());
    bool needed = recorded.value().next(); // the tracked columns changed (or the table is new here)
    if (!needed) {
        auto triggers =
            sql::scalar(db,
                        QStringLiteral("SELECT count(*) FROM pg_trigger WHERE tgrelid = ?::regclass "
                                       "AND tgname IN ('syncdesk_capture', 'syncdesk_capture_inserts')"),
                        {table});
        if (!triggers)
            return failed(triggers.error());
        needed = triggers.value().toInt() != 2; // someone removed one
    }
    if (needed) {
        if (Status done = sql::exec(db, QStringLiteral("SELECT sync.install_capture(?::regclass, ?, ?)"),
                                    {table, side, entity.name});
            !done)
            return failed(done.error());
    }
    if (!db.commit())
        return failed(sql::errorText(db.lastError()));
    if (needed)
        qCInfo(lcSchema).noquote() << "change capture installed on" << table << "(" << side << entity.name
                                   << ")";
    return Result<bool>::success(needed);
}

} // namespace syncdesk
