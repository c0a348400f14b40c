#include "schema/uninstaller.h"

#include "database/sql.h"

#include <QSqlError>

namespace syncdesk {

namespace {

// Triggers are SyncDesk's when their name says so and their function lives in its schema: a user's
// own trigger that happens to be called syncdesk_something is left alone.
const char *kTriggers = "SELECT t.tgname, format('%I.%I', n.nspname, c.relname) FROM pg_trigger t "
                        "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace "
                        "WHERE NOT t.tgisinternal AND t.tgname LIKE 'syncdesk\\_%' AND pn.nspname = 'sync' "
                        "ORDER BY 2, 1";

} // namespace

Uninstaller::Uninstaller(QSqlDatabase db)
    : m_db(std::move(db))
{}

Result<QStringList> Uninstaller::plan()
{
    QStringList steps;
    auto triggers = sql::run(m_db, QString::fromLatin1(kTriggers));
    if (!triggers)
        return Result<QStringList>::failure(triggers.error());
    while (triggers.value().next())
        steps << QStringLiteral("trigger %1 on %2")
                     .arg(triggers.value().value(0).toString(), triggers.value().value(1).toString());
    auto schema = sql::scalar(
        m_db, QStringLiteral("SELECT count(*) FILTER (WHERE c.relkind IN ('r', 'p')) || ' tables, ' || "
                             "(SELECT count(*) FROM pg_proc p WHERE p.pronamespace = n.oid) || ' functions' "
                             "FROM pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid "
                             "WHERE n.nspname = 'sync' GROUP BY n.oid"));
    if (schema)
        steps << QStringLiteral("schema sync (%1: SyncDesk's queue, links, conflicts, history)")
                     .arg(schema.value().toString());
    return Result<QStringList>::success(steps);
}

Result<QStringList> Uninstaller::run()
{
    if (!m_db.transaction())
        return Result<QStringList>::failure(sql::errorText(m_db.lastError()));
    const auto failed = [this](const QString &error) {
        m_db.rollback();
        return Result<QStringList>::failure(error);
    };
    auto removed = plan();
    if (!removed)
        return failed(removed.error());
    auto triggers = sql::run(m_db, QString::fromLatin1(kTriggers));
    if (!triggers)
        return failed(triggers.error());
    QStringList drops;
    while (triggers.value().next())
        drops << QStringLiteral("DROP TRIGGER %1 ON %2")
                     .arg(sql::quoteIdentifier(triggers.value().value(0).toString()),
                          triggers.value().value(1).toString());
    for (const QString &drop : std::as_const(drops)) {
        if (Status done = sql::exec(m_db, drop); !done)
            return failed(done.error());
    }
    if (Status dropped = sql::exec(m_db, QStringLiteral("DROP SCHEMA IF EXISTS sync CASCADE")); !dropped)
        return failed(dropped.error());
    if (!m_db.commit())
        return failed(sql::errorText(m_db.lastError()));
    return removed;
}

} // namespace syncdesk
