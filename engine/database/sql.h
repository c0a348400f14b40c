#pragma once

#include "core/result.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

class QSqlError;
struct pg_conn; // libpq's PGconn

namespace syncdesk::sql {

// The server's own message when there is one ("duplicate key value violates ..."), else Qt's.
QString errorText(const QSqlError &error);

// Runs one statement with positional (?) bind values; the query is positioned before its first row.
Result<QSqlQuery> run(QSqlDatabase &db, const QString &statement, const QVariantList &values = {});
Status exec(QSqlDatabase &db, const QString &statement, const QVariantList &values = {});
// The first column of the first row, or a failure when the statement fails or returns no row.
Result<QVariant> scalar(QSqlDatabase &db, const QString &statement, const QVariantList &values = {});

// Runs one statement whose $1, $2, ... are the given texts, sent as they are (libpq parameters): no
// escaping and no copy of large values, for statements that carry megabytes of text.
Status execTexts(QSqlDatabase &db, const char *statement, const QList<QByteArray> &texts);
// The same for a query: its rows, each column's value as the server's text (a text column's bytes
// as stored, without Qt's conversion to UTF-16 and back; NULL as an empty array).
Result<QList<QList<QByteArray>>> queryTexts(QSqlDatabase &db, const char *statement, const QList<QByteArray> &texts);

// Runs a script of several statements (a migration) in one round trip through libpq's simple-query
// protocol, which stops at the first failing statement and reports it.
Status executeScript(QSqlDatabase &db, const QByteArray &script);

// Streams rows from one database to another: `copyOut` (COPY ... TO STDOUT) runs on `from`, `copyIn`
// (COPY ... FROM STDIN) on `to`, in the same text format. Returns how many rows went across.
Result<qint64> copyAcross(QSqlDatabase &from, const QString &copyOut, QSqlDatabase &to, const QString &copyIn);

// The libpq connection behind a QPSQL connection (nullptr for other drivers or when closed).
pg_conn *pgConnection(const QSqlDatabase &db);

// PostgreSQL array literals for binding lists as one parameter (cast in SQL: ?::bigint[], ?::text[]).
QString bigintArray(const QList<qint64> &values);
QString textArray(const QStringList &values);
// Parses a text[] literal as PostgreSQL prints it ({a,"b c",NULL}).
QStringList parseTextArray(const QString &literal);

// The SQLSTATE in an error text made by errorText() ("... [40P01]"), or an empty string.
QString sqlState(const QString &errorText);

// Quotes an identifier for SQL text ("my db" -> "\"my db\"").
QString quoteIdentifier(const QString &name);
// Quotes a text as an SQL string literal (standard_conforming_strings, PostgreSQL's default since 9.1).
QString literal(const QString &text);

} // namespace syncdesk::sql
