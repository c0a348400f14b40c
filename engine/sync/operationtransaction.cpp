#include "sync/operationtransaction.h"

#include "database/sql.h"
#include "sync/synctransaction.h"

#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QThread>

namespace syncdesk {

namespace {

Q_LOGGING_CATEGORY(lcTransaction, "syncdesk.engine.operations")

constexpr int kAttempts = 5;

} // namespace

bool OperationTransaction::isLockConflict(const QString &error)
{
    const QString state = sql::sqlState(error);
    // 55P03: a lock wait that ran out (with two databases, how a deadlock across them ends).
    return state == QLatin1String("40P01") || state == QLatin1String("40001") || state == QLatin1String("55P03");
}

OperationResult OperationTransaction::run(SyncConnections &db, const QString &origin, const LiveEventSink &announce,
                                          const Body &body, const RelayJournal *journal)
{
    for (int attempt = 1;; ++attempt) {
        // What a rolled-back attempt announced never happened: each attempt starts a new list.
        LiveEvents live;
        OperationResult result = runOnce(db, origin, body, live, journal);
        if (result.success) {
            if (announce && !live.isEmpty())
                announce(live);
            return result;
        }
        if (attempt == kAttempts || !isLockConflict(result.error))
            return result;
        qCInfo(lcTransaction) << "lock conflict with a worker, running the operation again; attempt" << attempt << ":"
                              << result.error;
        // Short and jittered: the worker that won holds its locks for one batch.
        QThread::msleep(20UL * ulong(attempt) + QRandomGenerator::global()->bounded(30U));
    }
}

OperationResult OperationTransaction::runOnce(SyncConnections &db, const QString &origin, const Body &body,
                                              LiveEvents &live, const RelayJournal *journal)
{
    SyncTransaction transaction(db, origin, journal);
    if (Status begun = transaction.begin(false); !begun)
        return OperationResult::fail(OperationResult::Failure::Unavailable, begun.error());
    OperationResult result = body(live);
    if (!result.success)
        return result; // the transaction rolls back as it goes
    if (Status committed = transaction.commit({}, live); !committed)
        return OperationResult::fail(isLockConflict(committed.error()) ? OperationResult::Failure::Failed
                                                                       : OperationResult::Failure::Unavailable,
                                     committed.error());
    return result;
}

} // namespace syncdesk
