#include "sync/recordadopter.h"

#include "core/logging.h"
#include "database/connectionprovider.h"
#include "database/sql.h"
#include "sync/batchprocessor.h"
#include "sync/canonicalsql.h"
#include "sync/newrecordcopier.h"
#include "sync/operationtransaction.h"
#include "sync/syncconnections.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QThread>

#include <vector>

namespace syncdesk {

namespace {

QString unlinkedRows(const EntityDefinition &entity, bool fromBackend)
{
    return QStringLiteral(
               "FROM %1 r WHERE NOT EXISTS (SELECT 1 FROM sync.links l WHERE l.entity = %2 AND l.%3 = r.id)")
        .arg(fromBackend ? entity.backendTable : entity.dashboardTable, canonicalsql::literal(entity.name),
             fromBackend ? QStringLiteral("backend_id") : QStringLiteral("dashboard_id"));
}

} // namespace

RecordAdopter::RecordAdopter(std::shared_ptr<ConnectionProvider> connections, const RelayJournal *journal,
                             LiveEventSink announce)
    : m_connections(std::move(connections))
    , m_journal(journal)
    , m_announce(std::move(announce))
{}

Result<qint64> RecordAdopter::unlinkedCount(QSqlDatabase &db, const EntityDefinition &entity)
{
    auto count = sql::scalar(db, QStringLiteral("SELECT (SELECT count(*) %1) + (SELECT count(*) %2)")
                                     .arg(unlinkedRows(entity, true), unlinkedRows(entity, false)));
    if (!count)
        return Result<qint64>::failure(count.error());
    return Result<qint64>::success(count.value().toLongLong());
}

Result<qint64> RecordAdopter::adopt(const EntityDefinition &entity, qint64 total,
                                    const ProgressSink &progress)
{
    if (!NewRecordCopier(entity).supports())
        return Result<qint64>::success(0);
    QElapsedTimer timer;
    timer.start();
    std::atomic<qint64> done{0};
    std::atomic_bool stop{false};
    QMutex errorMutex;
    QString error;
    const auto report = [&]() {
        if (!progress)
            return;
        Progress now;
        now.total = total;
        now.done = done.load();
        const double seconds = double(timer.elapsed()) / 1000.0;
        now.perSecond = seconds > 0 ? double(now.done) / seconds : 0;
        now.secondsLeft =
            now.perSecond > 0 ? double(std::max<qint64>(now.total - now.done, 0)) / now.perSecond : -1;
        progress(now);
    };
    for (const bool fromBackend : {true, false}) {
        if (m_stopRequested)
            break;
        std::vector<std::unique_ptr<QThread>> lanes;
        for (int lane = 0; lane < m_lanes; ++lane) {
            lanes.emplace_back(QThread::create([&, fromBackend, lane]() {
                if (Status adopted = adoptLane(entity, fromBackend, lane, done, stop); !adopted) {
                    stop = true;
                    QMutexLocker locker(&errorMutex);
                    if (error.isEmpty())
                        error = adopted.error();
                }
            }));
            lanes.back()->start();
        }
        for (const auto &lane : lanes) {
            while (!lane->wait(QDeadlineTimer(500)))
                report();
        }
        if (stop)
            return Result<qint64>::failure(QStringLiteral("adopting %1 records: %2").arg(entity.name, error));
    }
    report();
    qCInfo(lcSync).noquote() << "adopted" << done.load() << entity.name << "record(s) of" << total
                             << "unlinked in" << timer.elapsed() << "ms"
                             << (m_stopRequested ? "(stopped before the end)" : "");
    return Result<qint64>::success(done.load());
}

Status RecordAdopter::adoptLane(const EntityDefinition &entity, bool fromBackend, int lane,
                                std::atomic<qint64> &done, const std::atomic_bool &stop) const
{
    auto opened = m_connections->database();
    if (!opened)
        return Status::failure(opened.error());
    SyncConnections db{opened.value(), opened.value(), opened.value()};
    const NewRecordCopier copier(entity);
    // Key order through the primary key's index, a chunk at a time: what a lane has passed is never
    // read again, and each chunk's locks are few and short.
    const QString next =
        QStringLiteral("SELECT r.id %1 AND r.id > ? AND mod(r.id, %2) = %3 ORDER BY r.id LIMIT %4")
            .arg(unlinkedRows(entity, fromBackend))
            .arg(m_lanes)
            .arg(lane)
            .arg(m_chunkSize);
    qint64 after = std::numeric_limits<qint64>::min();
    while (!stop && !m_stopRequested) {
        qint64 last = after;
        qint64 made = 0;
        const OperationResult chunk = OperationTransaction::run(
            db, QStringLiteral("adoption"), m_announce,
            [&](LiveEvents &live) {
                auto ids = sql::run(db.backend, next, {after});
                if (!ids)
                    return OperationResult::fail(OperationResult::Failure::Failed, ids.error());
                QList<qint64> chunkIds;
                while (ids.value().next())
                    chunkIds << ids.value().value(0).toLongLong();
                if (chunkIds.isEmpty())
                    return OperationResult::ok(0);
                last = chunkIds.last();
                auto created = copier.adopt(db.backend, fromBackend, chunkIds);
                if (!created)
                    return OperationResult::fail(OperationResult::Failure::Failed, created.error());
                for (const ReconciledRecord &record : std::as_const(created.value()))
                    live << BatchProcessor::recordEvent(record);
                made = created->size();
                return OperationResult::ok(chunkIds.size());
            },
            m_journal);
        if (!chunk.success)
            return Status::failure(chunk.error);
        if (chunk.entityId == 0)
            break;
        after = last;
        done += made;
    }
    return Status::success();
}

} // namespace syncdesk
