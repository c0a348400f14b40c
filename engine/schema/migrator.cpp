#include "schema/migrator.h"

#include "core/logging.h"
#include "database/sql.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QRegularExpression>

#include <algorithm>

namespace syncdesk {

namespace {
// Advisory lock keys: (1398361667 = 'SYNC', n). 1: idle-engine wake-ups, 2: migrations, 3: partitions.
constexpr int kLockClass = 1398361667;
constexpr int kMigrationLock = 2;
} // namespace

Migrator::Migrator(QList<Migration> migrations)
    : m_migrations(std::move(migrations))
{
    std::sort(m_migrations.begin(), m_migrations.end(),
              [](const Migration &a, const Migration &b) { return a.version < b.version; });
}

QList<Migration> Migrator::bundled()
{
    QList<Migration> migrations;
    static const QRegularExpression pattern(QStringLiteral("^(\\d+)_[a-z0-9_]+\\.sql$"));
    QDirIterator it(QStringLiteral(":/migrations"), {QStringLiteral("*.sql")}, QDir::Files);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString fileName = QFileInfo(path).fileName();
        const auto match = pattern.match(fileName);
        QFile file(path);
        if (!match.hasMatch() || !file.open(QIODevice::ReadOnly)) {
            qCWarning(lcSchema) << "ignoring resource" << path;
            continue;
        }
        migrations.append(Migration::fromSql(match.captured(1).toInt(), QFileInfo(path).completeBaseName(),
                                             file.readAll()));
    }
    // Resource order is not file-name order.
    std::sort(migrations.begin(), migrations.end(), [](const Migration &a, const Migration &b) { return a.version < b.version; });
    return migrations;
}

int Migrator::latestVersion() const
{
    return m_migrations.isEmpty() ? 0 : m_migrations.constLast().version;
}

Result<MigrationReport> Migrator::migrate(QSqlDatabase &db) const
{
    // Session-level lock: held across the per-migration transactions below.
    if (Status locked = sql::exec(
            db, QStringLiteral("SELECT pg_advisory_lock(%1, %2)").arg(kLockClass).arg(kMigrationLock));
        !locked)
        return Result<MigrationReport>::failure(
            QStringLiteral("cannot lock the schema for migration: %1").arg(locked.error()));
    auto report = migrateLocked(db);
    sql::exec(db, QStringLiteral("SELECT pg_advisory_unlock(%1, %2)").arg(kLockClass).arg(kMigrationLock));
    return report;
}

Result<MigrationReport> Migrator::migrateLocked(QSqlDatabase &db) const
{
    using Report = Result<MigrationReport>;
    const Status bookkeeping =
        sql::executeScript(db, QByteArrayLiteral("CREATE SCHEMA IF NOT EXISTS sync;"
                                                 "CREATE TABLE IF NOT EXISTS sync.schema_migrations ("
                                                 "  version integer PRIMARY KEY,"
                                                 "  name text NOT NULL,"
                                                 "  checksum text NOT NULL,"
                                                 "  applied_at timestamptz NOT NULL DEFAULT now(),"
                                                 "  duration_ms integer NOT NULL DEFAULT 0,"
                                                 "  applied_by text NOT NULL DEFAULT current_user)"));
    if (!bookkeeping)
        return Report::failure(
            QStringLiteral("cannot create sync.schema_migrations: %1").arg(bookkeeping.error()));

    auto rows = sql::run(
        db, QStringLiteral("SELECT version, name, checksum FROM sync.schema_migrations ORDER BY version"));
    if (!rows)
        return Report::failure(QStringLiteral("cannot read sync.schema_migrations: %1").arg(rows.error()));
    QMap<int, QPair<QString, QString>> applied;
    while (rows.value().next())
        applied.insert(rows.value().value(0).toInt(),
                       {rows.value().value(1).toString(), rows.value().value(2).toString()});

    QMap<int, const Migration *> known;
    for (const Migration &migration : m_migrations)
        known.insert(migration.version, &migration);
    for (auto it = applied.cbegin(); it != applied.cend(); ++it) {
        if (it.key() > latestVersion())
            return Report::failure(
                QStringLiteral("the database schema is at version %1 (%2), newer than this SyncDesk, "
                               "which knows up to version %3: run a newer SyncDesk")
                    .arg(it.key())
                    .arg(it.value().first)
                    .arg(latestVersion()));
        const Migration *migration = known.value(it.key());
        if (!migration)
            return Report::failure(
                QStringLiteral("the database has migration %1 (%2), which this SyncDesk does not "
                               "ship: it was made by a different build")
                    .arg(it.key())
                    .arg(it.value().first));
        if (migration->checksum != it.value().second)
            return Report::failure(
                QStringLiteral("migration %1 was changed after it was applied to this database "
                               "(checksum %2 recorded, %3 shipped): restore the original "
                               "migration and add a new one for the change")
                    .arg(migration->name, it.value().second.left(12), migration->checksum.left(12)));
    }

    MigrationReport report;
    report.schemaVersion = applied.isEmpty() ? 0 : applied.lastKey();
    for (const Migration &migration : m_migrations) {
        if (applied.contains(migration.version))
            continue;
        QElapsedTimer timer;
        timer.start();
        Status step = sql::exec(db, QStringLiteral("BEGIN"));
        if (step)
            step = sql::exec(db, QStringLiteral("SET LOCAL syncdesk.origin = 'migration'"));
        if (step)
            step = sql::executeScript(db, migration.sql);
        if (step)
            step = sql::exec(
                db,
                QStringLiteral("INSERT INTO sync.schema_migrations (version, name, checksum, duration_ms) "
                               "VALUES (?, ?, ?, ?)"),
                {migration.version, migration.name, migration.checksum, int(timer.elapsed())});
        if (step)
            step = sql::exec(db, QStringLiteral("COMMIT"));
        if (!step) {
            sql::exec(db, QStringLiteral("ROLLBACK"));
            return Report::failure(QStringLiteral("migration %1 failed and was rolled back: %2")
                                       .arg(migration.name, step.error()));
        }
        qCInfo(lcSchema).noquote() << "applied migration" << migration.name << "in" << timer.elapsed()
                                   << "ms";
        report.applied << migration.name;
        report.schemaVersion = migration.version;
    }
    return Report::success(report);
}

} // namespace syncdesk
