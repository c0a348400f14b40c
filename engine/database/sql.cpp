#include "database/sql.h"

#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlField>

#include <libpq-fe.h>

namespace syncdesk::sql {

QString errorText(const QSqlError &error)
{
    const QString server = error.databaseText().trimmed();
    // libpq's text is "ERROR:  message\nLINE 1: ...\n(SQLSTATE)": one line is what logs and people want.
    QString text = (server.isEmpty() ? error.text() : server).section(QLatin1Char('\n'), 0, 0).trimmed();
    for (const char *prefix : {"ERROR:", "FATAL:", "PANIC:"}) {
        if (text.startsWith(QLatin1String(prefix)))
            text = text.mid(qstrlen(prefix)).trimmed();
    }
    // The SQLSTATE tells transient failures (deadlock, serialization, lost connection) from real ones.
    if (const QString code = error.nativeErrorCode(); code.size() == 5) {
        text.remove(QStringLiteral("(%1)").arg(code));
        text = text.trimmed() + QStringLiteral(" [%1]").arg(code);
    }
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

QString inlineValues(const QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    // QPSQL's prepare() costs three round trips (PREPARE, EXECUTE, DEALLOCATE) for a statement run
    // once; the driver's own escaping (PQescapeStringConn) makes the values literals instead.
    QString out;
    out.reserve(statement.size() + 64);
    qsizetype next = 0;
    QChar quote;
    QString dollarTag;
    for (qsizetype i = 0; i < statement.size(); ++i) {
        const QChar c = statement.at(i);
        if (!dollarTag.isEmpty()) {
            if (statement.mid(i, dollarTag.size()) == dollarTag) {
                out += dollarTag;
                i += dollarTag.size() - 1;
                dollarTag.clear();
            } else {
                out += c;
            }
            continue;
        }
        if (!quote.isNull()) {
            out += c;
            if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            quote = c;
            out += c;
        } else if (c == QLatin1Char('$')) {
            const qsizetype end = statement.indexOf(QLatin1Char('$'), i + 1);
            const QString tag = end > i ? statement.mid(i, end - i + 1) : QString();
            static const QRegularExpression tagPattern(QStringLiteral("^\\$[A-Za-z_]*\\$$"));
            if (!tag.isEmpty() && tagPattern.match(tag).hasMatch()) {
                dollarTag = tag;
                out += tag;
                i = end;
            } else {
                out += c;
            }
        } else if (c == QLatin1Char('?') && next < values.size()) {
            const QVariant &value = values.at(next++);
            QSqlField field(QStringLiteral("value"), value.metaType());
            field.setValue(value);
            // Parenthesised, so "-2.5::text" cannot parse as "-(2.5::text)".
            out += QLatin1Char('(') + db.driver()->formatValue(field) + QLatin1Char(')');
        } else {
            out += c;
        }
    }
    return out;
}

Result<QSqlQuery> run(QSqlDatabase &db, const QString &statement, const QVariantList &values)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    const bool ok = query.exec(values.isEmpty() ? statement : inlineValues(db, statement, values));
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

namespace {

QString resultError(PGresult *result, PGconn *connection)
{
    QString message = QString::fromUtf8(PQresultErrorMessage(result)).trimmed();
    return message.isEmpty() ? QString::fromUtf8(PQerrorMessage(connection)).trimmed() : message;
}

// Reads what is left of a command's results, keeping the first error.
void finishCommand(PGconn *connection, QString &error)
{
    while (PGresult *result = PQgetResult(connection)) {
        if (PQresultStatus(result) != PGRES_COMMAND_OK && error.isEmpty())
            error = resultError(result, connection);
        PQclear(result);
    }
}

} // namespace

namespace {

// Runs a statement with text parameters; the result (to be cleared) or the error's words.
Result<PGresult *> execParams(QSqlDatabase &db, const char *statement, const QList<QByteArray> &texts)
{
    PGconn *connection = pgConnection(db);
    if (!connection)
        return Result<PGresult *>::failure(QStringLiteral("not an open PostgreSQL connection"));
    QList<const char *> values;
    QList<int> lengths;
    for (const QByteArray &text : texts) {
        values << text.constData();
        lengths << int(text.size());
    }
    PGresult *result = PQexecParams(connection, statement, int(texts.size()), nullptr, values.constData(),
                                    lengths.constData(), nullptr, 0);
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return Result<PGresult *>::success(result);
    // As errorText() words it: the primary message, then the SQLSTATE that tells transient failures.
    QString message = QString::fromUtf8(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
    if (message.isEmpty())
        message = QString::fromUtf8(PQerrorMessage(connection)).section(QLatin1Char('\n'), 0, 0).trimmed();
    if (const char *code = PQresultErrorField(result, PG_DIAG_SQLSTATE))
        message += QStringLiteral(" [%1]").arg(QLatin1String(code));
    PQclear(result);
    return Result<PGresult *>::failure(message);
}

} // namespace

Status execTexts(QSqlDatabase &db, const char *statement, const QList<QByteArray> &texts)
{
    auto result = execParams(db, statement, texts);
    if (!result)
        return Status::failure(result.error());
    PQclear(result.value());
    return Status::success();
}

Result<QList<QList<QByteArray>>> queryTexts(QSqlDatabase &db, const char *statement, const QList<QByteArray> &texts)
{
    using Rows = Result<QList<QList<QByteArray>>>;
    auto result = execParams(db, statement, texts);
    if (!result)
        return Rows::failure(result.error());
    PGresult *rows = result.value();
    QList<QList<QByteArray>> out;
    out.reserve(PQntuples(rows));
    for (int row = 0; row < PQntuples(rows); ++row) {
        QList<QByteArray> values;
        values.reserve(PQnfields(rows));
        for (int column = 0; column < PQnfields(rows); ++column)
            values << QByteArray(PQgetvalue(rows, row, column), PQgetlength(rows, row, column));
        out << values;
    }
    PQclear(rows);
    return Rows::success(out);
}

Result<qint64> copyAcross(QSqlDatabase &from, const QString &copyOut, QSqlDatabase &to, const QString &copyIn)
{
    PGconn *source = pgConnection(from);
    PGconn *target = pgConnection(to);
    if (!source || !target)
        return Result<qint64>::failure(QStringLiteral("not an open PostgreSQL connection"));
    PGresult *out = PQexec(source, copyOut.toUtf8().constData());
    if (PQresultStatus(out) != PGRES_COPY_OUT) {
        const QString error = resultError(out, source);
        PQclear(out);
        return Result<qint64>::failure(error);
    }
    PQclear(out);
    PGresult *in = PQexec(target, copyIn.toUtf8().constData());
    const bool receiving = PQresultStatus(in) == PGRES_COPY_IN;
    QString error = receiving ? QString() : resultError(in, target);
    PQclear(in);
    qint64 rows = 0;
    char *buffer = nullptr;
    int length = 0;
    // The source is read to its end even after a failure, so its connection stays usable.
    while ((length = PQgetCopyData(source, &buffer, 0)) > 0) {
        if (receiving && error.isEmpty() && PQputCopyData(target, buffer, length) != 1)
            error = QString::fromUtf8(PQerrorMessage(target)).trimmed();
        ++rows; // text format: one row per message
        PQfreemem(buffer);
    }
    if (length == -2 && error.isEmpty())
        error = QString::fromUtf8(PQerrorMessage(source)).trimmed();
    finishCommand(source, error);
    if (receiving) {
        PQputCopyEnd(target, error.isEmpty() ? nullptr : "the source of the copy failed");
        finishCommand(target, error);
    }
    return error.isEmpty() ? Result<qint64>::success(rows) : Result<qint64>::failure(error);
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

QString literal(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\''), QLatin1String("''"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

} // namespace syncdesk::sql
