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

#include <array>
#include <vector>

namespace syncdesk {

namespace {

// Records made on one side after which the statistics of the tables written are refreshed.
constexpr qint64 kAnalyzeAfter = 10000;

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

Result<qint64> RecordAdopter::adopt(const EntityDefinition &entity, const ProgressSink &progress)
{
    if (!NewRecordCopier(entity).supports())
        return Result<qint64>::success(0);
    QElapsedTimer timer;
    timer.start();
    // Each side's unlinked records, read once in key order (one anti-join, not one per chunk); the
    // lanes take chunks of the list in turn. Eight bytes a record: 16 MB for two million.
    auto opened = m_connections->database();
    if (!opened)
        return Result<qint64>::failure(opened.error());
    std::array<QList<qint64>, 2> unlinked;
    // Whole tables are compared: hash anti-joins, never a probe per record (with statistics from
    // before a bulk load the planner took the twin test for a sub-select run once per record, which
    // did not finish at a million customers).
    QSqlDatabase &db = opened.value();
    Status read = sql::exec(db, QStringLiteral("BEGIN"));
    if (read)
        read = sql::exec(db, QStringLiteral("SET LOCAL enable_nestloop = off"));
    for (const bool fromBackend : {true, false}) {
        if (!read)
            break;
        // Records sharing their key with another of their side (one address in two cases) are the
        // queue's: the full way makes the first and holds the others for a person, in key order.
        const QString table = fromBackend ? entity.backendTable : entity.dashboardTable;
        const QString key = NewRecordCopier::adoptionKey(entity, fromBackend, QStringLiteral("r"));
        const QString twins =
            key.isEmpty()
                ? QString()
                : QStringLiteral(
                      " AND NOT EXISTS (SELECT 1 FROM (SELECT %1 AS k FROM %2 t WHERE %1 IS NOT NULL "
                      "GROUP BY 1 HAVING count(*) > 1) d WHERE d.k = %3)")
                      .arg(NewRecordCopier::adoptionKey(entity, fromBackend, QStringLiteral("t")), table,
                           key);
        auto ids = sql::run(
            db,
            QStringLiteral("SELECT r.id %1%2 ORDER BY r.id").arg(unlinkedRows(entity, fromBackend), twins));
        if (!ids) {
            read = Status::failure(ids.error());
            break;
        }
        QList<qint64> &list = unlinked[fromBackend ? 0 : 1];
        while (ids.value().next())
            list << ids.value().value(0).toLongLong();
    }
    if (read)
        read = sql::exec(db, QStringLiteral("COMMIT"));
    if (!read) {
        sql::exec(db, QStringLiteral("ROLLBACK"));
        return Result<qint64>::failure(
            QStringLiteral("reading the unlinked %1 records: %2").arg(entity.name, read.error()));
    }
    const qint64 total = unlinked[0].size() + unlinked[1].size();
    if (total == 0)
        return Result<qint64>::success(0);

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
        const QList<qint64> &ids = unlinked[fromBackend ? 0 : 1];
        if (m_stopRequested || ids.isEmpty())
            continue;
        const qint64 before = done.load();
        std::atomic<qsizetype> next{0};
        // The first chunk alone, then the links' statistics refreshed, then the lanes: statistics
        // that know no link of this entity yet (the first tickets after a million customers) made
        // the other unique index of the links look as cheap for the chunk's "linked already?" probe,
        // which then read every link of the entity made since, per record (9 s a chunk instead of
        // 0.3 at 100,000 tickets; minutes at a million).
        const auto runLane = [&, fromBackend](int maxChunks) {
            return QThread::create([&, fromBackend, maxChunks]() {
                if (Status adopted = adoptLane(entity, fromBackend, ids, next, done, stop, maxChunks);
                    !adopted) {
                    stop = true;
                    QMutexLocker locker(&errorMutex);
                    if (error.isEmpty())
                        error = adopted.error();
                }
            });
        };
        if (ids.size() > m_chunkSize) {
            std::unique_ptr<QThread> first(runLane(1));
            first->start();
            first->wait();
            if (done.load() > before)
                sql::exec(db, QStringLiteral("ANALYZE sync.links"));
        }
        std::vector<std::unique_ptr<QThread>> lanes;
        for (int lane = 0; lane < std::min<qsizetype>(m_lanes, (ids.size() + m_chunkSize - 1) / m_chunkSize);
             ++lane) {
            lanes.emplace_back(runLane(std::numeric_limits<int>::max()));
            lanes.back()->start();
        }
        // The chunks' statements are planned on statistics, which describe the links and the table
        // written as they were before; they are refreshed while these grow: the links' each time what was
        // made since is four times what was made before (a few times in all), the written table's too once
        // the side is done. A table the role does not own is skipped with a warning, not an error.
        const QString target = fromBackend ? entity.dashboardTable : entity.backendTable;
        qint64 analyzedAt = 0;
        const auto refreshStatistics = [&](bool sideDone) {
            const qint64 made = done.load() - before;
            if (made < kAnalyzeAfter || (!sideDone && made < 4 * std::max(analyzedAt, kAnalyzeAfter / 4)))
                return;
            analyzedAt = made;
            const QString tables =
                sideDone ? QStringLiteral("sync.links, ") + target : QStringLiteral("sync.links");
            if (Status analyzed = sql::exec(db, QStringLiteral("ANALYZE ") + tables); !analyzed)
                qCWarning(lcSync) << "could not refresh statistics while adopting:" << analyzed.error();
        };
        for (const auto &lane : lanes) {
            while (!lane->wait(QDeadlineTimer(250))) {
                report();
                refreshStatistics(false);
            }
        }
        if (stop)
            return Result<qint64>::failure(QStringLiteral("adopting %1 records: %2").arg(entity.name, error));
        // What comes next (the other side, these customers' tickets) is planned on them too.
        refreshStatistics(true);
    }
    report();
    qCInfo(lcSync).noquote() << "adopted" << done.load() << entity.name << "record(s) of" << total
                             << "unlinked in" << timer.elapsed() << "ms"
                             << (m_stopRequested ? "(stopped before the end)" : "");
    return Result<qint64>::success(done.load());
}

Status RecordAdopter::adoptLane(const EntityDefinition &entity, bool fromBackend, const QList<qint64> &ids,
                                std::atomic<qsizetype> &next, std::atomic<qint64> &done,
                                const std::atomic_bool &stop, int maxChunks) const
{
    auto opened = m_connections->database();
    if (!opened)
        return Status::failure(opened.error());
    SyncConnections db{opened.value(), opened.value(), opened.value()};
    const NewRecordCopier copier(entity);
    for (int chunks = 0; chunks < maxChunks && !stop && !m_stopRequested; ++chunks) {
        // The next chunk of the list, in key order: each chunk's locks are few and short.
        const qsizetype first = next.fetch_add(m_chunkSize);
        if (first >= ids.size())
            break;
        const QList<qint64> chunkIds = ids.mid(first, m_chunkSize);
        qint64 made = 0;
        const OperationResult chunk = OperationTransaction::run(
            db, QStringLiteral("adoption"), m_announce,
            [&](LiveEvents &live) {
                auto created = copier.adopt(db.backend, fromBackend, chunkIds);
                if (!created)
                    return OperationResult::fail(OperationResult::Failure::Failed, created.error());
                for (const ReconciledRecord &record : std::as_const(created.value()))
                    live << BatchProcessor::recordEvent(record);
                made = created->size();
                return OperationResult::ok(made);
            },
            m_journal);
        if (!chunk.success)
            return Status::failure(chunk.error);
        done += made;
    }
    return Status::success();
}

} // namespace syncdesk
