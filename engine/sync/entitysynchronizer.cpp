#include "sync/entitysynchronizer.h"

#include "sync/fieldreconciler.h"
#include "sync/rowstore.h"
#include "sync/syncjournal.h"

#include <QJsonArray>
#include <QSet>

#include <optional>

namespace syncdesk {

struct EntitySynchronizer::Pair
{
    std::optional<Link> link;
    bool newLink = false;
    std::optional<QJsonObject> backendRow;
    std::optional<QJsonObject> dashboardRow;
    QList<const OutboxEvent *> events;
};

namespace {

QList<qint64> toList(const QSet<qint64> &ids)
{
    QList<qint64> list(ids.cbegin(), ids.cend());
    std::sort(list.begin(), list.end());
    return list;
}

QString lowerEmail(const QJsonObject &row)
{
    return row.value(QStringLiteral("email")).toString().toLower();
}

QDateTime rowTime(const QJsonObject &row)
{
    return QDateTime::fromString(row.value(QStringLiteral("updated_at")).toString(), Qt::ISODateWithMs);
}

} // namespace

EntitySynchronizer::EntitySynchronizer(const EntityDefinition &entity, const ConflictPolicy &policy,
                                       DeletePolicy deletes, OwnerResolver owners)
    : m_entity(entity)
    , m_policy(policy)
    , m_deletes(deletes)
    , m_owners(std::move(owners))
{
}

QJsonObject EntitySynchronizer::canonical(const QJsonObject &row, bool backendSide) const
{
    QJsonObject values;
    for (const FieldDefinition &field : m_entity.fields) {
        const QString &column = backendSide ? field.backendColumn : field.dashboardColumn;
        values.insert(field.name, FieldReconciler::normalize(field, row.value(column)));
    }
    return values;
}

QJsonObject EntitySynchronizer::rowFor(const QJsonObject &canonicalValues, bool backendSide) const
{
    QJsonObject row;
    for (auto it = canonicalValues.begin(); it != canonicalValues.end(); ++it) {
        const FieldDefinition *field = m_entity.field(it.key());
        if (!field)
            continue;
        QJsonValue value = it.value();
        const bool notNull = backendSide ? field->notNullBackend : field->notNullDashboard;
        if (value.isNull() && notNull)
            value = field->kind == FieldDefinition::Kind::TextSet ? QJsonValue(QJsonArray()) : QJsonValue(QString());
        row.insert(backendSide ? field->backendColumn : field->dashboardColumn, value);
    }
    return row;
}

QStringList EntitySynchronizer::columns(bool backendSide) const
{
    QStringList out;
    for (const FieldDefinition &field : m_entity.fields)
        out << (backendSide ? field.backendColumn : field.dashboardColumn);
    return out;
}

Result<QList<ReconciledRecord>> EntitySynchronizer::reconcile(SyncConnections &db, const OutboxEvents &events,
                                                              const QList<qint64> &extraBackendIds,
                                                              const QList<qint64> &extraDashboardIds,
                                                              QList<qint64> *deferred)
{
    using Records = Result<QList<ReconciledRecord>>;
    QHash<qint64, QList<const OutboxEvent *>> backendEvents, dashboardEvents;
    QSet<qint64> backendIds(extraBackendIds.cbegin(), extraBackendIds.cend());
    QSet<qint64> dashboardIds(extraDashboardIds.cbegin(), extraDashboardIds.cend());
    for (const OutboxEvent &event : events) {
        const bool backendSide = event.side == QLatin1String("backend");
        (backendSide ? backendEvents : dashboardEvents)[event.entityId] << &event;
        (backendSide ? backendIds : dashboardIds).insert(event.entityId);
    }

    LinkStore links(db.backend, m_entity.name);
    RowStore backendStore(db.backend, m_entity.backendTable);
    RowStore dashboardStore(db.dashboard, m_entity.dashboardTable);
    QHash<qint64, Link> linkById;
    QHash<qint64, qint64> linkOfBackend, linkOfDashboard;
    const auto remember = [&](const QList<Link> &found) {
        for (const Link &link : found) {
            linkById.insert(link.id, link);
            if (link.backendId)
                linkOfBackend.insert(link.backendId, link.id);
            if (link.dashboardId)
                linkOfDashboard.insert(link.dashboardId, link.id);
        }
    };

    // 1. Links first, in id order: the lock that keeps two workers off one record. A batch skips
    // the records another worker holds (their events wait) instead of queueing behind it.
    QList<Link> busy;
    auto locked = links.lock(toList(backendIds), toList(dashboardIds), deferred ? &busy : nullptr);
    if (!locked)
        return Records::failure(locked.error());
    remember(locked.value());
    for (const Link &link : std::as_const(busy)) {
        for (const OutboxEvent *event : backendEvents.take(link.backendId))
            deferred->append(event->id);
        for (const OutboxEvent *event : dashboardEvents.take(link.dashboardId))
            deferred->append(event->id);
        backendIds.remove(link.backendId);
        dashboardIds.remove(link.dashboardId);
    }

    // 2. The rows of both sides, counterparts included.
    QHash<qint64, QJsonObject> backendRows, dashboardRows;
    const auto loadRows = [&](bool backendSide, const QSet<qint64> &wanted) -> Status {
        QHash<qint64, QJsonObject> &rows = backendSide ? backendRows : dashboardRows;
        QList<qint64> missing;
        for (qint64 id : wanted) {
            if (id > 0 && !rows.contains(id))
                missing << id;
        }
        std::sort(missing.begin(), missing.end());
        auto loaded = (backendSide ? backendStore : dashboardStore).lockRows(missing);
        if (!loaded)
            return Status::failure(loaded.error());
        rows.insert(loaded.value());
        return Status::success();
    };
    const auto counterparts = [&](bool backendSide) {
        QSet<qint64> ids = backendSide ? backendIds : dashboardIds;
        for (const Link &link : std::as_const(linkById))
            ids.insert(backendSide ? link.backendId : link.dashboardId);
        return ids;
    };
    if (Status loaded = loadRows(true, counterparts(true)); !loaded)
        return Records::failure(loaded.error());
    if (Status loaded = loadRows(false, counterparts(false)); !loaded)
        return Records::failure(loaded.error());

    // 3. Rows without a link may have been linked by another worker while we waited for their locks.
    const auto unlinked = [&](bool backendSide) {
        QList<qint64> ids;
        const auto &rows = backendSide ? backendRows : dashboardRows;
        const auto &linked = backendSide ? linkOfBackend : linkOfDashboard;
        for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
            if (!linked.contains(it.key()))
                ids << it.key();
        }
        std::sort(ids.begin(), ids.end());
        return ids;
    };
    const bool matchesByEmail = m_entity.ownerEntity.isEmpty();
    QStringList unlinkedEmails;
    if (matchesByEmail) {
        for (qint64 id : unlinked(true))
            unlinkedEmails << lowerEmail(backendRows.value(id));
        for (qint64 id : unlinked(false))
            unlinkedEmails << lowerEmail(dashboardRows.value(id));
        unlinkedEmails.removeDuplicates();
        if (Status emails = links.lockEmails(unlinkedEmails); !emails)
            return Records::failure(emails.error());
    }
    if (!unlinked(true).isEmpty() || !unlinked(false).isEmpty()) {
        auto late = links.lock(unlinked(true), unlinked(false));
        if (!late)
            return Records::failure(late.error());
        remember(late.value());
        if (Status loaded = loadRows(true, counterparts(true)); !loaded)
            return Records::failure(loaded.error());
        if (Status loaded = loadRows(false, counterparts(false)); !loaded)
            return Records::failure(loaded.error());
    }

    // 4. Customers new on one side are matched to an unlinked record of the same e-mail on the other.
    QHash<qint64, qint64> matchedDashboardOf, matchedBackendOf;
    if (matchesByEmail && !unlinkedEmails.isEmpty()) {
        auto backendCandidates = backendStore.lockRowsByEmail(unlinkedEmails);
        auto dashboardCandidates = dashboardStore.lockRowsByEmail(unlinkedEmails);
        if (!backendCandidates || !dashboardCandidates)
            return Records::failure(backendCandidates ? dashboardCandidates.error() : backendCandidates.error());
        auto candidateLinks = links.lock(backendCandidates->keys(), dashboardCandidates->keys());
        if (!candidateLinks)
            return Records::failure(candidateLinks.error());
        QSet<qint64> linkedBackend, linkedDashboard;
        for (const Link &link : candidateLinks.value()) {
            linkedBackend.insert(link.backendId);
            linkedDashboard.insert(link.dashboardId);
        }
        QHash<QString, qint64> freeBackendByEmail, freeDashboardByEmail;
        for (auto it = backendCandidates->cbegin(); it != backendCandidates->cend(); ++it) {
            if (!linkedBackend.contains(it.key()) && !linkOfBackend.contains(it.key()))
                freeBackendByEmail.insert(lowerEmail(it.value()), it.key());
        }
        for (auto it = dashboardCandidates->cbegin(); it != dashboardCandidates->cend(); ++it) {
            if (!linkedDashboard.contains(it.key()) && !linkOfDashboard.contains(it.key()))
                freeDashboardByEmail.insert(lowerEmail(it.value()), it.key());
        }
        for (qint64 id : unlinked(true)) {
            const qint64 match = freeDashboardByEmail.take(lowerEmail(backendRows.value(id)));
            if (match) {
                matchedDashboardOf.insert(id, match);
                matchedBackendOf.insert(match, id);
                freeBackendByEmail.remove(lowerEmail(backendRows.value(id)));
                dashboardRows.insert(match, dashboardCandidates->value(match));
            }
        }
        for (qint64 id : unlinked(false)) {
            if (matchedBackendOf.contains(id))
                continue;
            const qint64 match = freeBackendByEmail.take(lowerEmail(dashboardRows.value(id)));
            if (match) {
                matchedBackendOf.insert(id, match);
                matchedDashboardOf.insert(match, id);
                backendRows.insert(match, backendCandidates->value(match));
            }
        }
    }

    // 5. The record pairs to reconcile.
    QList<Pair> pairs;
    for (const Link &link : std::as_const(linkById)) {
        Pair pair;
        pair.link = link;
        if (backendRows.contains(link.backendId))
            pair.backendRow = backendRows.value(link.backendId);
        if (dashboardRows.contains(link.dashboardId))
            pair.dashboardRow = dashboardRows.value(link.dashboardId);
        pair.events = backendEvents.value(link.backendId) + dashboardEvents.value(link.dashboardId);
        pairs << pair;
    }
    QSet<qint64> pairedDashboard;
    for (auto it = backendRows.cbegin(); it != backendRows.cend(); ++it) {
        if (linkOfBackend.contains(it.key()))
            continue;
        Pair pair;
        pair.backendRow = it.value();
        pair.events = backendEvents.value(it.key());
        if (const qint64 match = matchedDashboardOf.value(it.key())) {
            pair.dashboardRow = dashboardRows.value(match);
            pair.events += dashboardEvents.value(match);
            pair.newLink = true;
            pairedDashboard.insert(match);
        }
        pairs << pair;
    }
    for (auto it = dashboardRows.cbegin(); it != dashboardRows.cend(); ++it) {
        if (linkOfDashboard.contains(it.key()) || pairedDashboard.contains(it.key()))
            continue;
        Pair pair;
        pair.dashboardRow = it.value();
        pair.events = dashboardEvents.value(it.key());
        pairs << pair;
    }

    // 6. Records created on the other side need their owner's counterpart there (a ticket's customer).
    QHash<qint64, qint64> ownerInDashboard, ownerInBackend;
    if (!m_entity.ownerEntity.isEmpty()) {
        QSet<qint64> backendOwners, dashboardOwners;
        for (const Pair &pair : std::as_const(pairs)) {
            if (pair.link || pair.newLink)
                continue;
            if (pair.backendRow)
                backendOwners.insert(pair.backendRow->value(m_entity.ownerBackendColumn).toInteger());
            else if (pair.dashboardRow)
                dashboardOwners.insert(pair.dashboardRow->value(m_entity.ownerDashboardColumn).toInteger());
        }
        if (!backendOwners.isEmpty()) {
            auto mapped = m_owners(toList(backendOwners), true);
            if (!mapped)
                return Records::failure(mapped.error());
            ownerInDashboard = mapped.value();
        }
        if (!dashboardOwners.isEmpty()) {
            auto mapped = m_owners(toList(dashboardOwners), false);
            if (!mapped)
                return Records::failure(mapped.error());
            ownerInBackend = mapped.value();
        }
    }

    // 7. Decide, record by record; collect the writes.
    int newBackendRows = 0, newDashboardRows = 0;
    for (const Pair &pair : std::as_const(pairs)) {
        if (!pair.link && !pair.newLink)
            (pair.backendRow ? newDashboardRows : newBackendRows)++;
    }
    auto backendIdsForNew = backendStore.reserveIds(newBackendRows);
    auto dashboardIdsForNew = dashboardStore.reserveIds(newDashboardRows);
    if (!backendIdsForNew || !dashboardIdsForNew)
        return Records::failure(backendIdsForNew ? dashboardIdsForNew.error() : backendIdsForNew.error());

    const FieldReconciler reconciler(m_entity, m_policy);
    QJsonArray backendUpdates, dashboardUpdates, backendInserts, dashboardInserts;
    QList<qint64> backendDeletes, dashboardDeletes, removedLinks;
    QList<Link> newLinks, changedLinks;
    QList<ReconciledRecord> records;
    QList<int> recordOfNewLink; // index into records, per new link
    // Reconciles a pair with both rows and queues the writes its decision needs.
    const auto decide = [&](const Pair &pair, const std::optional<QJsonObject> &baseline, const QStringList &paused,
                            qint64 backendId, qint64 dashboardId, ChangeTimes &times, ReconciledRecord &record) {
        times.backendRow = rowTime(*pair.backendRow);
        times.dashboardRow = rowTime(*pair.dashboardRow);
        const RecordDecision decision = reconciler.reconcile(baseline, canonical(*pair.backendRow, true),
                                                             canonical(*pair.dashboardRow, false), paused, times);
        record.backendRow = *pair.backendRow;
        record.dashboardRow = *pair.dashboardRow;
        const auto queue = [&](const QJsonObject &changes, bool backendSide) {
            if (changes.isEmpty())
                return;
            const QJsonObject set = rowFor(changes, backendSide);
            (backendSide ? backendUpdates : dashboardUpdates)
                .append(QJsonObject{{QStringLiteral("id"), backendSide ? backendId : dashboardId}, {QStringLiteral("set"), set}});
            QJsonObject &row = backendSide ? record.backendRow : record.dashboardRow;
            for (auto it = set.begin(); it != set.end(); ++it)
                row.insert(it.key(), it.value());
        };
        queue(decision.backendChanges, true);
        queue(decision.dashboardChanges, false);
        record.toBackend = decision.copiedToBackend;
        record.toDashboard = decision.copiedToDashboard;
        record.conflicts = decision.conflicts;
        record.baselineAfter = decision.baseline;
        return decision;
    };
    for (const Pair &pair : std::as_const(pairs)) {
        ReconciledRecord record;
        record.entity = m_entity.name;
        bool fromBackend = false, fromDashboard = false;
        ChangeTimes times;
        for (const OutboxEvent *event : pair.events) {
            record.eventIds << event->id;
            const bool backendSide = event->side == QLatin1String("backend");
            (backendSide ? fromBackend : fromDashboard) = true;
            for (const FieldDefinition &field : m_entity.fields) {
                if (!event->changedColumns.contains(backendSide ? field.backendColumn : field.dashboardColumn))
                    continue;
                QDateTime &latest = (backendSide ? times.backendFields : times.dashboardFields)[field.name];
                if (!latest.isValid() || event->capturedAt > latest)
                    latest = event->capturedAt;
            }
        }
        record.changedOn = fromBackend && fromDashboard ? QStringLiteral("both")
                           : fromBackend               ? QStringLiteral("backend")
                           : fromDashboard             ? QStringLiteral("dashboard")
                                                       : QString();

        if (pair.link) {
            Link link = *pair.link;
            record.linkId = link.id;
            record.backendId = link.backendId;
            record.dashboardId = link.dashboardId;
            record.baselineBefore = link.baseline;
            record.baselineAfter = link.baseline;
            if (!link.isActive()) {
                record.action = QStringLiteral("waiting");
            } else if (!pair.backendRow && !pair.dashboardRow) {
                removedLinks << link.id;
                record.action = QStringLiteral("deleted_on_both_sides");
            } else if (!pair.backendRow || !pair.dashboardRow) {
                const bool goneInBackend = !pair.backendRow;
                const QString side = goneInBackend ? QStringLiteral("backend") : QStringLiteral("dashboard");
                if (m_deletes == DeletePolicy::Propagate) {
                    (goneInBackend ? dashboardDeletes : backendDeletes) << (goneInBackend ? link.dashboardId : link.backendId);
                    removedLinks << link.id;
                    record.action = QStringLiteral("delete_propagated");
                } else {
                    // The surviving record stays; a person decides (delete it too, restore, or unlink).
                    QJsonObject deletedImage;
                    for (const OutboxEvent *event : pair.events) {
                        if (event->operation == QLatin1String("delete"))
                            deletedImage = event->beforeImage;
                    }
                    FieldConflict conflict;
                    conflict.baseline = link.baseline;
                    conflict.backendValue = goneInBackend ? (deletedImage.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                                                    : QJsonValue(canonical(deletedImage, true)))
                                                          : QJsonValue(canonical(*pair.backendRow, true));
                    conflict.dashboardValue = goneInBackend ? QJsonValue(canonical(*pair.dashboardRow, false))
                                                            : (deletedImage.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                                                      : QJsonValue(canonical(deletedImage, false)));
                    conflict.strategy = ConflictStrategy::ManualReview;
                    conflict.status = QStringLiteral("open");
                    record.conflicts << conflict;
                    link.state = QStringLiteral("deleted_in_") + side;
                    changedLinks << link;
                    record.action = QStringLiteral("deleted_in_") + side;
                }
            } else {
                const RecordDecision decision = decide(pair, link.baseline.isEmpty() ? std::nullopt : std::optional(link.baseline),
                                                       link.pausedFields, link.backendId, link.dashboardId, times, record);
                if (decision.baseline != link.baseline || decision.pausedFields != link.pausedFields) {
                    link.baseline = decision.baseline;
                    link.pausedFields = decision.pausedFields;
                    changedLinks << link;
                }
                record.action = decision.writesSomething() ? QStringLiteral("updated")
                                : decision.conflicts.isEmpty() ? QStringLiteral("unchanged")
                                                               : QStringLiteral("conflict");
            }
            records << record;
            continue;
        }

        Link link;
        if (pair.newLink) {
            // Two existing records found each other by e-mail: reconcile without a baseline.
            link.backendId = pair.backendRow->value(QStringLiteral("id")).toInteger();
            link.dashboardId = pair.dashboardRow->value(QStringLiteral("id")).toInteger();
            const RecordDecision decision = decide(pair, std::nullopt, {}, link.backendId, link.dashboardId, times, record);
            link.baseline = decision.baseline;
            link.pausedFields = decision.pausedFields;
            record.action = QStringLiteral("linked");
        } else {
            // A record only one side has: create its counterpart.
            const bool fromBackendRow = pair.backendRow.has_value();
            const QJsonObject &source = fromBackendRow ? *pair.backendRow : *pair.dashboardRow;
            const QJsonObject values = canonical(source, fromBackendRow);
            QJsonObject row = rowFor(values, !fromBackendRow);
            const qint64 newId = fromBackendRow ? dashboardIdsForNew.value().takeFirst() : backendIdsForNew.value().takeFirst();
            row.insert(QStringLiteral("id"), newId);
            if (!m_entity.ownerEntity.isEmpty()) {
                const qint64 owner = source.value(fromBackendRow ? m_entity.ownerBackendColumn : m_entity.ownerDashboardColumn)
                                         .toInteger();
                const qint64 counterpart = (fromBackendRow ? ownerInDashboard : ownerInBackend).value(owner);
                if (!counterpart)
                    return Records::failure(QStringLiteral("%1 %2 cannot be created in the %3: its %4 (%5) has no "
                                                           "counterpart there")
                                                .arg(m_entity.name)
                                                .arg(source.value(QStringLiteral("id")).toInteger())
                                                .arg(fromBackendRow ? QStringLiteral("helpdesk") : QStringLiteral("backend"),
                                                     m_entity.ownerEntity)
                                                .arg(owner));
                row.insert(fromBackendRow ? m_entity.ownerDashboardColumn : m_entity.ownerBackendColumn, counterpart);
            }
            if (fromBackendRow && m_entity.completeDashboardRow)
                m_entity.completeDashboardRow(source, row);
            if (!fromBackendRow && m_entity.completeBackendRow)
                m_entity.completeBackendRow(source, row);
            (fromBackendRow ? dashboardInserts : backendInserts).append(row);
            link.backendId = fromBackendRow ? source.value(QStringLiteral("id")).toInteger() : newId;
            link.dashboardId = fromBackendRow ? newId : source.value(QStringLiteral("id")).toInteger();
            link.baseline = values;
            (fromBackendRow ? record.backendRow : record.dashboardRow) = source;
            (fromBackendRow ? record.dashboardRow : record.backendRow) = row;
            (fromBackendRow ? record.toDashboard : record.toBackend) = m_entity.fieldNames();
            record.baselineAfter = values;
            record.action = fromBackendRow ? QStringLiteral("created_in_dashboard") : QStringLiteral("created_in_backend");
        }
        record.backendId = link.backendId;
        record.dashboardId = link.dashboardId;
        newLinks << link;
        recordOfNewLink << int(records.size());
        records << record;
    }

    // 8. Write: new rows, changes, deletions, links, then the journal.
    const QList<std::pair<Status, const char *>> writes{
        {backendStore.insert(backendInserts), "creating backend records"},
        {dashboardStore.insert(dashboardInserts), "creating helpdesk records"},
        {backendStore.update(backendUpdates, columns(true)), "updating backend records"},
        {dashboardStore.update(dashboardUpdates, columns(false)), "updating helpdesk records"},
        {backendStore.remove(backendDeletes), "deleting backend records"},
        {dashboardStore.remove(dashboardDeletes), "deleting helpdesk records"},
        {links.insert(newLinks), "linking records"},
        {links.update(changedLinks), "updating links"},
        {links.remove(removedLinks), "removing links"},
    };
    for (const auto &[status, what] : writes) {
        if (!status)
            return Records::failure(QStringLiteral("%1 %2: %3").arg(QLatin1String(what), m_entity.name, status.error()));
    }
    for (qsizetype i = 0; i < newLinks.size(); ++i)
        records[recordOfNewLink.at(i)].linkId = newLinks.at(i).id;
    SyncJournal journal(db.backend);
    if (Status written = journal.recordConflicts(records); !written)
        return Records::failure(QStringLiteral("recording conflicts: %1").arg(written.error()));
    if (Status written = journal.recordHistory(records); !written)
        return Records::failure(QStringLiteral("recording history: %1").arg(written.error()));
    return Records::success(records);
}

} // namespace syncdesk
