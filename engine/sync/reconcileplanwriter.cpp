#include "sync/reconcileplanwriter.h"

#include "sync/linkstore.h"
#include "sync/rowstore.h"
#include "sync/syncjournal.h"

#include <functional>

namespace syncdesk {

ReconcilePlanWriter::ReconcilePlanWriter(const EntityDefinition &entity)
    : m_entity(entity)
{
}

Result<QList<ReconciledRecord>> ReconcilePlanWriter::write(SyncConnections &db, ReconcilePlan plan) const
{
    RowStore backend(db.backend, m_entity.backendTable);
    RowStore dashboard(db.dashboard, m_entity.dashboardTable);
    LinkStore links(db.backend, m_entity.name);
    SyncJournal journal(db.backend);
    using Write = std::pair<const char *, std::function<Status()>>;
    const auto run = [this](std::initializer_list<Write> writes) {
        for (const auto &[what, write] : writes) {
            if (Status done = write(); !done)
                return Status::failure(QStringLiteral("%1 %2: %3").arg(QLatin1String(what), m_entity.name, done.error()));
        }
        return Status::success();
    };
    Status written = run({
        {"creating backend records", [&] { return backend.insert(plan.backendInserts); }},
        {"creating helpdesk records", [&] { return dashboard.insert(plan.dashboardInserts); }},
        {"updating backend records", [&] { return backend.update(plan.backendUpdates, m_entity.columns(true)); }},
        {"updating helpdesk records", [&] { return dashboard.update(plan.dashboardUpdates, m_entity.columns(false)); }},
        {"deleting backend records", [&] { return backend.remove(plan.backendDeletes); }},
        {"deleting helpdesk records", [&] { return dashboard.remove(plan.dashboardDeletes); }},
        {"linking records", [&] { return links.insert(plan.newLinks); }},
        {"updating links", [&] { return links.update(plan.changedLinks); }},
        {"removing links", [&] { return links.remove(plan.removedLinks); }},
    });
    if (!written)
        return Result<QList<ReconciledRecord>>::failure(written.error());
    // Conflicts and history name the links, so they come once the new links have their ids.
    for (qsizetype i = 0; i < plan.newLinks.size(); ++i)
        plan.records[plan.recordOfNewLink.at(i)].linkId = plan.newLinks.at(i).id;
    written = run({
        {"recording conflicts of", [&] { return journal.recordConflicts(plan.records); }},
        {"recording history of", [&] { return journal.recordHistory(plan.records); }},
    });
    if (!written)
        return Result<QList<ReconciledRecord>>::failure(written.error());
    return Result<QList<ReconciledRecord>>::success(std::move(plan.records));
}

} // namespace syncdesk
