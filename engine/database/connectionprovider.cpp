#include "database/connectionprovider.h"

#include "core/logging.h"
#include "database/sql.h"

#include <QCoreApplication>
#include <QSqlDriver>
#include <QSqlError>
#include <QThread>
#include <QVariant>

#include <atomic>
#include <libpq-fe.h>

namespace syncdesk {

namespace {
std::atomic<quint64> g_nextInstance{1};

// Server NOTICEs ("relation already exists, skipping") go to the log, not straight to stderr.
void logNotice(void *, const char *message)
{
    qCDebug(lcDatabase).noquote() << QString::fromUtf8(message).trimmed();
}
} // namespace

ConnectionProvider::ConnectionProvider(DatabaseUrl url, QString role)
    : m_url(std::move(url))
    , m_role(std::move(role))
    , m_instance(g_nextInstance.fetch_add(1))
    , m_displayUrl(m_url.toDisplayString())
{
    if (m_url.parameter(QStringLiteral("application_name")).isEmpty())
        m_url = m_url.withParameter(QStringLiteral("application_name"), QStringLiteral("syncdesk-") + m_role);
}

ConnectionProvider::~ConnectionProvider()
{
    QMutexLocker locker(&m_registry->mutex);
    for (const QString &name : std::as_const(m_registry->names))
        QSqlDatabase::removeDatabase(name);
    m_registry->names.clear();
}

QString ConnectionProvider::connectionNameForThisThread() const
{
    return QStringLiteral("syncdesk-%1-%2-%3")
        .arg(m_role)
        .arg(m_instance)
        .arg(quintptr(QThread::currentThreadId()), 0, 16);
}

bool ConnectionProvider::isBroken(const QSqlDatabase &db)
{
    if (!db.isOpen())
        return true;
    PGconn *connection = sql::pgConnection(db);
    return !connection || PQstatus(connection) == CONNECTION_BAD;
}

Result<QSqlDatabase> ConnectionProvider::database()
{
    const QString name = connectionNameForThisThread();
    QSqlDatabase db;
    if (QSqlDatabase::contains(name)) {
        db = QSqlDatabase::database(name, false);
    } else {
        db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        m_url.applyTo(db);
        {
            QMutexLocker locker(&m_registry->mutex);
            m_registry->names.insert(name);
        }
        // Close the connection with its thread; the finished signal is emitted on that thread.
        QThread *thread = QThread::currentThread();
        const QCoreApplication *app = QCoreApplication::instance();
        if (!app || thread != app->thread()) {
            QObject::connect(
                thread, &QThread::finished, thread,
                [registry = m_registry, name]() {
                    QMutexLocker locker(&registry->mutex);
                    if (!registry->names.remove(name))
                        return;
                    QSqlDatabase::database(name, false).close();
                    QSqlDatabase::removeDatabase(name);
                },
                Qt::DirectConnection);
        }
    }
    if (db.isOpen() && !isBroken(db))
        return Result<QSqlDatabase>::success(db);
    if (db.isOpen()) {
        qCInfo(lcDatabase).noquote() << m_role << "connection lost; reconnecting to" << m_displayUrl;
        db.close();
    }
    if (!db.open()) {
        // libpq's message spans lines ("...failed: ...\n\tIs the server running...?"); logs want one.
        const QString message = sql::errorText(db.lastError()).simplified();
        return Result<QSqlDatabase>::failure(
            QStringLiteral("cannot connect to the %1 database %2: %3").arg(m_role, m_displayUrl, message));
    }
    if (PGconn *connection = sql::pgConnection(db))
        PQsetNoticeProcessor(connection, &logNotice, nullptr);
    return Result<QSqlDatabase>::success(db);
}

} // namespace syncdesk
