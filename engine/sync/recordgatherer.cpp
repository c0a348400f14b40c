#include "sync/recordgatherer.h"

#include "database/sql.h"

#include <algorithm>

namespace syncdesk {

namespace {

QList<qint64> sorted(const QSet<qint64> &ids)
{
    QList<qint64> list(ids.cbegin(), ids.cend());
    std::sort(list.begin(), list.end());
    return list;
}

template<typename Clashes>
void noteClash(const Clashes &clashes, qint64 id, RecordPair &pair)
{
    if (const auto clash = clashes.constFind(id); clash != clashes.cend()) {
        pair.clashHolder = clash->holder;
        pair.clashHolderPartner = clash->partner;
        pair.clashHolderRow = clash->holderRow;
    }
}

} // namespace

RecordGatherer::RecordGatherer(SyncConnections &db, const EntityDefinition &entity, OwnerResolver owners)
    : m_entity(entity)
    , m_owners(std::move(owners))
    , m_links(db.backend, entity.name)
    , m_backendStore(db.backend, entity.backendTable, RowStore::keyExpressionOf(entity, true),
                     entity.backendFilter)
    , m_dashboardStore(db.dashboard, entity.dashboardTable, RowStore::keyExpressionOf(entity, false),
                       entity.dashboardFilter)
    , m_syncDb(db.backend)
{
}

Result<GatheredRecords> RecordGatherer::gather(const OutboxEvents &events, const QList<qint64> &extraBackendIds,
                                               const QList<qint64> &extraDashboardIds, QList<qint64> *deferred)
{
    using Gathered = Result<GatheredRecords>;
    m_backendIds = QSet<qint64>(extraBackendIds.cbegin(), extraBackendIds.cend());
    m_dashboardIds = QSet<qint64>(extraDashboardIds.cbegin(), extraDashboardIds.cend());
    for (const OutboxEvent &event : events) {
        const bool backendSide = event.side == QLatin1String("backend");
        (backendSide ? m_backendEvents : m_dashboardEvents)[event.entityId] << event;
        (backendSide ? m_backendIds : m_dashboardIds).insert(event.entityId);
    }
    // Each step reads what the ones before it locked; the first failure ends the gathering.
    const std::function<Status()> steps[] = {
        [&] { return lockLinks(deferred); },  [&] { return loadRows(); },
        [&] { return leaveOutOthers(); },     [&] { return lockLinksFoundLate(); },
        [&] { return matchByAdoptionKey(); }, [&] { return findTakenAddresses(); },
        [&] { return deferTwins(deferred); }};
    for (const auto &step : steps) {
        if (Status done = step(); !done)
            return Gathered::failure(done.error());
    }
    GatheredRecords gathered;
    pairUp(gathered);
    if (Status owners = resolveOwners(gathered); !owners)
        return Gathered::failure(owners.error());
    if (Status reserved = reserveIds(gathered); !reserved)
        return Gathered::failure(reserved.error());
    return Gathered::success(std::move(gathered));
}

// 1. Links first, in id order: the lock that keeps two workers off one record. A batch skips the
// records another worker holds (their events wait) instead of queueing behind it.
Status RecordGatherer::lockLinks(QList<qint64> *deferred)
{
    QList<Link> busy;
    auto locked = m_links.lock(sorted(m_backendIds), sorted(m_dashboardIds), deferred ? &busy : nullptr);
    if (!locked)
        return Status::failure(locked.error());
    remember(locked.value());
    for (const Link &link : std::as_const(busy)) {
        for (const OutboxEvent &event : m_backendEvents.take(link.backendId))
            deferred->append(event.id);
        for (const OutboxEvent &event : m_dashboardEvents.take(link.dashboardId))
            deferred->append(event.id);
        m_backendIds.remove(link.backendId);
        m_dashboardIds.remove(link.dashboardId);
    }
    return Status::success();
}

// 2. The rows of both sides, counterparts of the linked records included.
Status RecordGatherer::loadRows()
{
    if (Status backend = loadRows(true); !backend)
        return backend;
    return loadRows(false);
}

Status RecordGatherer::loadRows(bool backendSide)
{
    QSet<qint64> wanted = backendSide ? m_backendIds : m_dashboardIds;
    for (const Link &link : std::as_const(m_linkById))
        wanted.insert(backendSide ? link.backendId : link.dashboardId);
    QHash<qint64, QJsonObject> &rows = backendSide ? m_backendRows : m_dashboardRows;
    QSet<qint64> missing;
    for (qint64 id : std::as_const(wanted)) {
        if (id > 0 && !rows.contains(id))
            missing.insert(id);
    }
    auto loaded = (backendSide ? m_backendStore : m_dashboardStore).lockRows(sorted(missing));
    if (!loaded)
        return Status::failure(loaded.error());
    rows.insert(loaded.value());
    return Status::success();
}

// 2b. Rows of a table that holds more than the entity (the mapping's filter: agents in a users
// table) are not the entity's unless linked already: their changes are done with, nothing synced.
Status RecordGatherer::leaveOutOthers()
{
    for (const bool backendSide : {true, false}) {
        auto outside = (backendSide ? m_backendStore : m_dashboardStore).outsideFilter(unlinked(backendSide));
        if (!outside)
            return Status::failure(outside.error());
        for (const qint64 id : outside.value()) {
            (backendSide ? m_backendRows : m_dashboardRows).remove(id);
            (backendSide ? m_backendIds : m_dashboardIds).remove(id);
            (backendSide ? m_backendEvents : m_dashboardEvents).remove(id);
        }
    }
    return Status::success();
}

// 3. Rows without a link may have been linked by another worker while we waited for their locks.
// Customers are also matched by e-mail: that is serialised per address across workers first.
Status RecordGatherer::lockLinksFoundLate()
{
    if (m_entity.ownerEntity.isEmpty() && !m_entity.matchField.isEmpty()) {
        for (bool backendSide : {true, false}) {
            const QHash<qint64, QJsonObject> &rows = backendSide ? m_backendRows : m_dashboardRows;
            for (qint64 id : unlinked(backendSide))
                m_unlinkedKeys << m_entity.matchKey(rows.value(id), backendSide);
        }
        m_unlinkedKeys.removeDuplicates();
        if (Status keys = m_links.lockEmails(m_unlinkedKeys); !keys)
            return keys;
    }
    const QList<qint64> backendUnlinked = unlinked(true);
    const QList<qint64> dashboardUnlinked = unlinked(false);
    if (backendUnlinked.isEmpty() && dashboardUnlinked.isEmpty())
        return Status::success();
    auto late = m_links.lock(backendUnlinked, dashboardUnlinked);
    if (!late)
        return Status::failure(late.error());
    remember(late.value());
    return loadRows();
}

// 4. Customers new on one side are matched to an unlinked record of the same e-mail on the other.
Status RecordGatherer::matchByAdoptionKey()
{
    if (!m_entity.ownerEntity.isEmpty() || m_unlinkedKeys.isEmpty())
        return Status::success();
    auto backendCandidates = m_backendStore.lockRowsByKey(m_unlinkedKeys);
    auto dashboardCandidates = m_dashboardStore.lockRowsByKey(m_unlinkedKeys);
    if (!backendCandidates || !dashboardCandidates)
        return Status::failure(backendCandidates ? dashboardCandidates.error() : backendCandidates.error());
    auto candidateLinks = m_links.lock(backendCandidates->keys(), dashboardCandidates->keys());
    if (!candidateLinks)
        return Status::failure(candidateLinks.error());
    QSet<qint64> linkedBackend, linkedDashboard;
    for (const Link &link : candidateLinks.value()) {
        linkedBackend.insert(link.backendId);
        linkedDashboard.insert(link.dashboardId);
    }
    QHash<QString, qint64> freeBackendByKey, freeDashboardByKey;
    for (auto it = backendCandidates->cbegin(); it != backendCandidates->cend(); ++it) {
        if (!linkedBackend.contains(it.key()) && !m_linkOfBackend.contains(it.key()))
            freeBackendByKey.insert(m_entity.matchKey(it.value(), true), it.key());
    }
    for (auto it = dashboardCandidates->cbegin(); it != dashboardCandidates->cend(); ++it) {
        if (!linkedDashboard.contains(it.key()) && !m_linkOfDashboard.contains(it.key()))
            freeDashboardByKey.insert(m_entity.matchKey(it.value(), false), it.key());
    }
    for (qint64 id : unlinked(true)) {
        const QString key = m_entity.matchKey(m_backendRows.value(id), true);
        if (const qint64 match = freeDashboardByKey.take(key)) {
            m_matchedDashboardOf.insert(id, match);
            m_matchedBackendOf.insert(match, id);
            freeBackendByKey.remove(key);
            m_dashboardRows.insert(match, dashboardCandidates->value(match));
        }
    }
    for (qint64 id : unlinked(false)) {
        if (m_matchedBackendOf.contains(id))
            continue;
        if (const qint64 match = freeBackendByKey.take(m_entity.matchKey(m_dashboardRows.value(id), false))) {
            m_matchedBackendOf.insert(id, match);
            m_matchedDashboardOf.insert(match, id);
            m_backendRows.insert(match, backendCandidates->value(match));
        }
    }
    return findClashes(backendCandidates.value(), dashboardCandidates.value(), candidateLinks.value());
}

// 4c. Two new records of one side with one address (in two cases: a list imported twice): the
// first goes ahead, the others wait for the next batch, where the first one's counterpart holds the
// address and they are held for a person (4b) instead of making the address two people on the
// other side. Only a claimed batch can leave events for later; the engine API's reconciliations
// name one record at a time.
Status RecordGatherer::deferTwins(QList<qint64> *deferred)
{
    if (!deferred || !m_entity.ownerEntity.isEmpty())
        return Status::success();
    for (const bool backendSide : {true, false}) {
        QHash<qint64, QJsonObject> &rows = backendSide ? m_backendRows : m_dashboardRows;
        QHash<qint64, OutboxEvents> &events = backendSide ? m_backendEvents : m_dashboardEvents;
        const QHash<qint64, qint64> &matched = backendSide ? m_matchedDashboardOf : m_matchedBackendOf;
        const QHash<qint64, Clash> &clashes = backendSide ? m_clashOfBackend : m_clashOfDashboard;
        QSet<QString> goingAhead;
        for (const qint64 id : unlinked(backendSide)) {
            if (matched.contains(id) || clashes.contains(id))
                continue;
            const QString key = m_entity.matchKey(rows.value(id), backendSide);
            if (key.isEmpty())
                continue;
            if (!goingAhead.contains(key) || !events.contains(id)) {
                goingAhead.insert(key);
                continue;
            }
            for (const OutboxEvent &event : events.take(id))
                deferred->append(event.id);
            (backendSide ? m_backendIds : m_dashboardIds).remove(id);
            rows.remove(id);
        }
    }
    return Status::success();
}

// 4b. A record still without a partner whose key a record on the other side holds (linked to someone
// else, or just matched to a twin of it) is not copied: that would make the same address a second
// person there (or, with the very same address, fail on its unique index). It waits for a person,
// unless one allowed it before and the other side's address differs at least in case.
Status RecordGatherer::findClashes(const QHash<qint64, QJsonObject> &backendCandidates,
                                   const QHash<qint64, QJsonObject> &dashboardCandidates,
                                   const QList<Link> &candidateLinks)
{
    QHash<qint64, qint64> partnerOfBackend, partnerOfDashboard;
    for (const Link &link : candidateLinks) {
        partnerOfBackend.insert(link.backendId, link.dashboardId);
        partnerOfDashboard.insert(link.dashboardId, link.backendId);
    }
    QList<qint64> clashing[2];
    for (bool backendSide : {true, false}) {
        const QHash<qint64, QJsonObject> &rows = backendSide ? m_backendRows : m_dashboardRows;
        const QHash<qint64, QJsonObject> &holders = backendSide ? dashboardCandidates : backendCandidates;
        const QHash<qint64, qint64> &matched = backendSide ? m_matchedDashboardOf : m_matchedBackendOf;
        QHash<QString, QList<qint64>> holdersByKey;
        for (auto it = holders.cbegin(); it != holders.cend(); ++it)
            holdersByKey[m_entity.matchKey(it.value(), !backendSide)] << it.key();
        for (qint64 id : unlinked(backendSide)) {
            if (matched.contains(id))
                continue;
            const QString email = m_entity.matchValue(rows.value(id), backendSide);
            QList<qint64> candidates = holdersByKey.value(m_entity.matchKey(rows.value(id), backendSide));
            if (candidates.isEmpty())
                continue;
            std::sort(candidates.begin(), candidates.end());
            // The holder of the very address if there is one: that is the record it cannot coexist with.
            qint64 holder = candidates.first();
            for (qint64 candidate : std::as_const(candidates)) {
                if (m_entity.matchValue(holders.value(candidate), !backendSide) == email) {
                    holder = candidate;
                    break;
                }
            }
            const qint64 partner = backendSide
                                       ? partnerOfDashboard.value(holder, m_matchedBackendOf.value(holder))
                                       : partnerOfBackend.value(holder, m_matchedDashboardOf.value(holder));
            (backendSide ? m_clashOfBackend : m_clashOfDashboard)
                .insert(id, Clash{holder, partner, holders.value(holder)});
            clashing[backendSide ? 0 : 1] << id;
        }
    }
    if (clashing[0].isEmpty() && clashing[1].isEmpty())
        return Status::success();
    auto allowed = sql::run(m_syncDb,
                            QStringLiteral("SELECT details ->> 'new_side', CASE details ->> 'new_side' WHEN 'backend' "
                                           "THEN backend_id ELSE dashboard_id END FROM sync.conflicts WHERE kind = "
                                           "'duplicate' AND resolution = 'create_anyway' AND entity = ? AND "
                                           "((details ->> 'new_side' = 'backend' AND backend_id = ANY(?::bigint[])) OR "
                                           "(details ->> 'new_side' = 'dashboard' AND dashboard_id = ANY(?::bigint[])))"),
                            {m_entity.name, sql::bigintArray(clashing[0]), sql::bigintArray(clashing[1])});
    if (!allowed)
        return Status::failure(allowed.error());
    while (allowed.value().next()) {
        const bool backendSide = allowed.value().value(0).toString() == QLatin1String("backend");
        const qint64 id = allowed.value().value(1).toLongLong();
        QHash<qint64, Clash> &clashes = backendSide ? m_clashOfBackend : m_clashOfDashboard;
        const QString email =
            m_entity.matchValue((backendSide ? m_backendRows : m_dashboardRows).value(id), backendSide);
        // Allowed, and possible: no record on the other side has exactly this address.
        if (m_entity.matchValue(clashes.value(id).holderRow, !backendSide) != email)
            clashes.remove(id);
    }
    return Status::success();
}

// 4c. A linked customer whose address differs between the sides is about to have it copied: who
// else holds it where it would go. Read without locks: a record taking the address meanwhile makes
// the copy fail on the unique index, and the retry finds it here.
Status RecordGatherer::findTakenAddresses()
{
    if (!m_entity.ownerEntity.isEmpty() || m_entity.matchField.isEmpty())
        return Status::success();
    QStringList backendAddresses, dashboardAddresses;
    for (const Link &link : std::as_const(m_linkById)) {
        const auto backend = m_backendRows.constFind(link.backendId);
        const auto dashboard = m_dashboardRows.constFind(link.dashboardId);
        if (backend == m_backendRows.cend() || dashboard == m_dashboardRows.cend())
            continue;
        const QString backendKey = m_entity.matchKey(backend.value(), true);
        const QString dashboardKey = m_entity.matchKey(dashboard.value(), false);
        if (backendKey != dashboardKey) {
            backendAddresses << backendKey;
            dashboardAddresses << dashboardKey;
        }
    }
    if (backendAddresses.isEmpty())
        return Status::success();
    auto inDashboard = m_dashboardStore.idsByKey(backendAddresses);
    auto inBackend = m_backendStore.idsByKey(dashboardAddresses);
    if (!inDashboard || !inBackend)
        return Status::failure(inDashboard ? inBackend.error() : inDashboard.error());
    m_addressHoldersInDashboard = inDashboard.value();
    m_addressHoldersInBackend = inBackend.value();
    return Status::success();
}

// 5. The record pairs to reconcile: linked ones, matched ones, and records one side has alone.
void RecordGatherer::pairUp(GatheredRecords &gathered) const
{
    for (const Link &link : std::as_const(m_linkById)) {
        RecordPair pair;
        pair.link = link;
        if (const auto row = m_backendRows.constFind(link.backendId); row != m_backendRows.cend())
            pair.backendRow = row.value();
        if (const auto row = m_dashboardRows.constFind(link.dashboardId); row != m_dashboardRows.cend())
            pair.dashboardRow = row.value();
        if (pair.backendRow && pair.dashboardRow) {
            pair.addressHoldersInBackend =
                m_addressHoldersInBackend.value(m_entity.matchKey(*pair.dashboardRow, false));
            pair.addressHoldersInBackend.removeAll(link.backendId);
            pair.addressHoldersInDashboard =
                m_addressHoldersInDashboard.value(m_entity.matchKey(*pair.backendRow, true));
            pair.addressHoldersInDashboard.removeAll(link.dashboardId);
        }
        pair.events = m_backendEvents.value(link.backendId) + m_dashboardEvents.value(link.dashboardId);
        gathered.pairs << pair;
    }
    QSet<qint64> pairedDashboard;
    for (auto it = m_backendRows.cbegin(); it != m_backendRows.cend(); ++it) {
        if (m_linkOfBackend.contains(it.key()))
            continue;
        RecordPair pair;
        pair.backendRow = it.value();
        pair.events = m_backendEvents.value(it.key());
        if (const qint64 match = m_matchedDashboardOf.value(it.key())) {
            pair.dashboardRow = m_dashboardRows.value(match);
            pair.events += m_dashboardEvents.value(match);
            pair.matched = true;
            pairedDashboard.insert(match);
        }
        noteClash(m_clashOfBackend, it.key(), pair);
        gathered.pairs << pair;
    }
    for (auto it = m_dashboardRows.cbegin(); it != m_dashboardRows.cend(); ++it) {
        if (m_linkOfDashboard.contains(it.key()) || pairedDashboard.contains(it.key()))
            continue;
        RecordPair pair;
        pair.dashboardRow = it.value();
        pair.events = m_dashboardEvents.value(it.key());
        noteClash(m_clashOfDashboard, it.key(), pair);
        gathered.pairs << pair;
    }
}

// 6. Records created on the other side need their owner's counterpart there (a ticket's customer).
Status RecordGatherer::resolveOwners(GatheredRecords &gathered) const
{
    if (m_entity.ownerEntity.isEmpty())
        return Status::success();
    QSet<qint64> backendOwners, dashboardOwners;
    for (const RecordPair &pair : std::as_const(gathered.pairs)) {
        if (!pair.needsCounterpart())
            continue;
        if (pair.backendRow)
            backendOwners.insert(pair.backendRow->value(m_entity.ownerBackendColumn).toInteger());
        else if (pair.dashboardRow)
            dashboardOwners.insert(pair.dashboardRow->value(m_entity.ownerDashboardColumn).toInteger());
    }
    for (bool fromBackend : {true, false}) {
        const QSet<qint64> &owners = fromBackend ? backendOwners : dashboardOwners;
        if (owners.isEmpty())
            continue;
        auto mapped = m_owners(sorted(owners), fromBackend);
        if (!mapped)
            return Status::failure(mapped.error());
        (fromBackend ? gathered.ownerInDashboard : gathered.ownerInBackend) = mapped->counterparts;
        (fromBackend ? gathered.waitingBackendOwners : gathered.waitingDashboardOwners) = mapped->waiting;
    }
    return Status::success();
}

// 7. Ids for the counterparts to create, so their links can be made before the rows are inserted.
Status RecordGatherer::reserveIds(GatheredRecords &gathered)
{
    int newBackendRows = 0, newDashboardRows = 0;
    for (const RecordPair &pair : std::as_const(gathered.pairs)) {
        if (pair.needsCounterpart())
            ++(pair.backendRow ? newDashboardRows : newBackendRows);
    }
    auto backendIds = m_backendStore.reserveIds(newBackendRows);
    if (!backendIds)
        return Status::failure(backendIds.error());
    auto dashboardIds = m_dashboardStore.reserveIds(newDashboardRows);
    if (!dashboardIds)
        return Status::failure(dashboardIds.error());
    gathered.newBackendIds = backendIds.value();
    gathered.newDashboardIds = dashboardIds.value();
    return Status::success();
}

void RecordGatherer::remember(const QList<Link> &links)
{
    for (const Link &link : links) {
        m_linkById.insert(link.id, link);
        if (link.backendId)
            m_linkOfBackend.insert(link.backendId, link.id);
        if (link.dashboardId)
            m_linkOfDashboard.insert(link.dashboardId, link.id);
    }
}

QList<qint64> RecordGatherer::unlinked(bool backendSide) const
{
    const QHash<qint64, QJsonObject> &rows = backendSide ? m_backendRows : m_dashboardRows;
    const QHash<qint64, qint64> &linked = backendSide ? m_linkOfBackend : m_linkOfDashboard;
    QSet<qint64> ids;
    for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
        if (!linked.contains(it.key()))
            ids.insert(it.key());
    }
    return sorted(ids);
}

} // namespace syncdesk
