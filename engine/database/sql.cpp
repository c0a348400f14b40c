#include "database/sql.h"

#include <QSqlDriver>
#include <QSqlError>

#include <libpq-fe.h>

namespace syncdesk::sql {

QString errorText(const QSqlError &error)
{
    const QString server = error.databaseText().trimmed();
    QString text = server.isEmpty() ? error.text().trimmed() : server;
    // The SQLSTATE tells transient failures (deadlock, serialization, lost connection) from real ones.
    if (const QString code = error.nativeErrorCode(); code.size() == 5)
        text += QStringLiteral(" [%1]").arg(code);
    return text;
}

QString bigintArray(const QList<qint64> &values)
{
    QString out = QStringLiteral("{");
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += QLatin1Char(',');
        out += QString::number(values.at(i));
    }
    return out + QLatin1Char('}');
}

QString textArray(const QStringList &values)
{
    QStringList quoted;
    for (QString value : values) {
        value.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
        value.replace(QLatin1Char('"'), QLatin1String("\\\""));
        quoted << QLatin1Char('"') + value + QLatin1Char('"');
    }
    return QLatin1Char('{') + quoted.join(QLatin1Char(',')) + QLatin1Char('}');
}

QStringList parseTextArray(const QString &literal)
{
    QStringList items;
    if (literal.size() < 2 || literal.front() != QLatin1Char('{') || literal.back() != QLatin1Char('}'))
        return items;
    QString current;
    bool quoted = false, inQuotes = false, any = false;
    for (qsizetype i = 1; i < literal.size() - 1; ++i) {
        const QChar c = literal.at(i);
        if (inQuotes) {
            if (c == QLatin1Char('\\') && i + 1 < literal.size() - 1)
                current += literal.at(++i);
            else if (c == QLatin1Char('"'))
                inQuotes = false;
            else
                current += c;
        } else if (c == QLatin1Char('"')) {
            inQuotes = quoted = any = true;
        } else if (c == QLatin1Char(',')) {
            items << current;
            current.clear();
            quoted = false;
        } else {
            current += c;
            any = true;
        }
    }
    if (any || quoted || !items.isEmpty())
        items << current;
    return items;
}

QString sqlState(const QString &errorText)
{
    if (errorText.size() >= 7 && errorText.endsWith(QLatin1Char(']')) && errorText.at(errorText.size() - 7) == QLatin1Char('['))
        return errorText.mid(errorText.size() - 6, 5);
    return {};
}

Result<QSqlQuery> run(QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    bool ok = false;
    if (values.isEmpty()) {
        ok = query.exec(statement);
    } else {
        ok = query.prepare(statement);
        if (ok) {
            for (const QVariant &value : values)
                query.addBindValue(value);
            ok = query.exec();
        }
    }
    if (!ok)
        return Result<QSqlQuery>::failure(errorText(query.lastError()));
    return Result<QSqlQuery>::success(std::move(query));
}

Status exec(QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    auto result = run(db, statement, values);
    return result ? Status::success() : Status::failure(result.error());
}

Result<QVariant> scalar(QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    auto result = run(db, statement, values);
    if (!result)
        return Result<QVariant>::failure(result.error());
    if (!result.value().next())
        return Result<QVariant>::failure(QStringLiteral("the query returned no row"));
    return Result<QVariant>::success(result.value().value(0));
}

PGconn *pgConnection(const QSqlDatabase &db)
{
    if (!db.isValid() || !db.driver())
        return nullptr;
    const QVariant handle = db.driver()->handle();
    // The metatype is named after the struct (pg_conn*) or the typedef (PGconn*), by Qt version.
    if (qstrcmp(handle.typeName(), "pg_conn*") != 0 && qstrcmp(handle.typeName(), "PGconn*") != 0)
        return nullptr;
    return *static_cast<PGconn *const *>(handle.constData());
}

Status executeScript(QSqlDatabase &db, const QByteArray &script)
{
    PGconn *connection = pgConnection(db);
    if (!connection)
        return Status::failure(QStringLiteral("not an open PostgreSQL connection"));
    PGresult *result = PQexec(connection, script.constData());
    const ExecStatusType status = PQresultStatus(result);
    Status outcome = Status::success();
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
        QString message = QString::fromUtf8(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
        if (message.isEmpty())
            message = QString::fromUtf8(PQerrorMessage(connection)).trimmed();
        if (const char *position = PQresultErrorField(result, PG_DIAG_STATEMENT_POSITION)) {
            // Turn the character offset into a line number, which is what a person looks for.
            const int offset = QByteArray(position).toInt();
            const QString text = QString::fromUtf8(script);
            const int line = int(text.left(offset).count(QLatin1Char('\n'))) + 1;
            message += QStringLiteral(" (line %1)").arg(line);
        }
        outcome = Status::failure(message);
    }
    PQclear(result);
    return outcome;
}

QString quoteIdentifier(const QString &name)
{
    QString escaped = name;
    escaped.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

} // namespace syncdesk::sql
