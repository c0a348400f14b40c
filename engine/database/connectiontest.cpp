#include "database/connectiontest.h"

#include "config/databaseurl.h"
#include "database/connectionprovider.h"
#include "database/sql.h"

namespace syncdesk {

Result<ConnectionTestReport> ConnectionTest::run(const QString &url)
{
    using R = Result<ConnectionTestReport>;
    auto parsed = DatabaseUrl::parse(url.trimmed());
    if (!parsed)
        return R::failure(QStringLiteral("the URL is not valid: %1").arg(parsed.error()));
    ConnectionProvider provider(parsed.value(), QStringLiteral("connection-test"));
    ConnectionTestReport report;
    {
        auto db = provider.database();
        if (!db)
            return R::failure(db.error());
        auto row = sql::run(db.value(),
                            QStringLiteral("SELECT version(), current_database(), current_user, "
                                           "CASE WHEN to_regclass('sync.schema_migrations') IS NULL THEN 0 "
                                           "ELSE (SELECT count(*) FROM sync.schema_migrations) END"));
        if (!row)
            return R::failure(row.error());
        if (row.value().next()) {
            report.serverVersion = row.value().value(0).toString().section(QLatin1Char(','), 0, 0);
            report.database = row.value().value(1).toString();
            report.user = row.value().value(2).toString();
            report.schemaVersion = row.value().value(3).toInt();
        }
        db.value().close();
    }
    return R::success(report);
}

} // namespace syncdesk
