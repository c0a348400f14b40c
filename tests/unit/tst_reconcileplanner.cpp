#include "sync/reconcileplanner.h"
#include "model/mapping.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace syncdesk;

namespace {

QJsonObject object(const QString &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad JSON in a test row: %s in %s", qPrintable(error.errorString()), qPrintable(json));
    return document.object();
}

QString compact(const QJsonValue &value)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

QDateTime at(int second)
{
    return QDateTime(QDate(2026, 11, 1), QTime(12, 0, second), Qt::UTC);
}

QList<qint64> ids(const QJsonValue &list)
{
    QList<qint64> out;
    for (const QJsonValue &id : list.toArray())
        out << id.toInteger();
    return out;
}

QHash<qint64, qint64> idMap(const QJsonValue &map)
{
    QHash<qint64, qint64> out;
    const QJsonObject object = map.toObject();
    for (auto it = object.begin(); it != object.end(); ++it)
        out.insert(it.key().toLongLong(), it.value().toInteger());
    return out;
}

// A record pair as RecordGatherer hands it over, written as JSON:
//   "link":     {"id", "baseline", "paused", "state"}; its record ids are those of the rows (1 and 2 if absent)
//   "matched":  true when the two rows found each other by e-mail
//   "backend", "dashboard": the rows (column names), absent when that side has none
//   "events":   [{"side", "op", "columns", "at" (second), "before"}]
//   "owners_in_backend", "owners_in_dashboard": {"owner id": counterpart id}
//   "waiting_backend_owners": [owner ids a person's decision holds]
//   "clash":    {"holder", "partner", "row"}: the other side's record that holds this one's e-mail
// Ids reserved for new records: 900, 901, ... in the product, 800, 801, ... in the helpdesk.
GatheredRecords gathered(const QList<QJsonObject> &pairs)
{
    GatheredRecords gathered;
    qint64 eventId = 100;
    for (const QJsonObject &spec : pairs) {
        RecordPair pair;
        if (spec.contains(QLatin1String("backend")))
            pair.backendRow = spec.value(QLatin1String("backend")).toObject();
        if (spec.contains(QLatin1String("dashboard")))
            pair.dashboardRow = spec.value(QLatin1String("dashboard")).toObject();
        pair.matched = spec.value(QLatin1String("matched")).toBool();
        if (spec.contains(QLatin1String("link"))) {
            const QJsonObject linkSpec = spec.value(QLatin1String("link")).toObject();
            Link link;
            link.id = linkSpec.value(QLatin1String("id")).toInteger(7);
            link.backendId = pair.backendRow ? pair.backendRow->value(QLatin1String("id")).toInteger() : 1;
            link.dashboardId = pair.dashboardRow ? pair.dashboardRow->value(QLatin1String("id")).toInteger() : 2;
            link.baseline = linkSpec.value(QLatin1String("baseline")).toObject();
            for (const QJsonValue &field : linkSpec.value(QLatin1String("paused")).toArray())
                link.pausedFields << field.toString();
            link.state = linkSpec.value(QLatin1String("state")).toString(QStringLiteral("active"));
            pair.link = link;
        }
        for (const QJsonValue &value : spec.value(QLatin1String("events")).toArray()) {
            const QJsonObject event = value.toObject();
            OutboxEvent captured;
            captured.id = eventId++;
            captured.side = event.value(QLatin1String("side")).toString();
            captured.operation = event.value(QLatin1String("op")).toString(QStringLiteral("update"));
            captured.capturedAt = at(event.value(QLatin1String("at")).toInt());
            for (const QJsonValue &column : event.value(QLatin1String("columns")).toArray())
                captured.changedColumns << column.toString();
            captured.beforeImage = event.value(QLatin1String("before")).toObject();
            const bool backendSide = captured.side == QLatin1String("backend");
            const std::optional<QJsonObject> &row = backendSide ? pair.backendRow : pair.dashboardRow;
            captured.entityId = row ? row->value(QLatin1String("id")).toInteger() : captured.beforeImage.value(QLatin1String("id")).toInteger();
            pair.events << captured;
        }
        if (spec.contains(QLatin1String("clash"))) {
            const QJsonObject clash = spec.value(QLatin1String("clash")).toObject();
            pair.clashHolder = clash.value(QLatin1String("holder")).toInteger();
            pair.clashHolderPartner = clash.value(QLatin1String("partner")).toInteger();
            pair.clashHolderRow = clash.value(QLatin1String("row")).toObject();
        }
        for (const qint64 owner : ids(spec.value(QLatin1String("waiting_backend_owners"))))
            gathered.waitingBackendOwners.insert(owner);
        gathered.ownerInBackend.insert(idMap(spec.value(QLatin1String("owners_in_backend"))));
        gathered.ownerInDashboard.insert(idMap(spec.value(QLatin1String("owners_in_dashboard"))));
        if (pair.needsCounterpart())
            (pair.backendRow ? gathered.newDashboardIds : gathered.newBackendIds)
                << (pair.backendRow ? 800 + gathered.newDashboardIds.size() : 900 + gathered.newBackendIds.size());
        gathered.pairs << pair;
    }
    return gathered;
}

// Whether every key of `expected` has the same value in `actual` (the canonical forms carry every
// field; a row names only those it is about).
bool containsAll(const QJsonObject &actual, const QJsonObject &expected)
{
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        if (actual.value(it.key()) != it.value()) {
            qWarning().noquote() << "key" << it.key() << "is" << compact(actual.value(it.key())) << "not"
                                 << compact(it.value());
            return false;
        }
    }
    return true;
}

QStringList strings(const QJsonValue &list)
{
    QStringList out;
    for (const QJsonValue &item : list.toArray())
        out << item.toString();
    return out;
}

} // namespace

// The decisions of reconciliation, without a database: for each kind of record pair the gatherer can
// hand over, exactly what is written where, which conflicts are recorded and what the links become.
class TestReconcilePlanner final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void threeWayTable_data();
    void threeWayTable();
    void newRecordsTakeTheReservedIdsInOrder();
    void aTicketWhoseCustomerHasNoCounterpartIsRefused();
};

void TestReconcilePlanner::threeWayTable_data()
{
    QTest::addColumn<QString>("entity");
    QTest::addColumn<QString>("rule");    // a SYNC_CONFLICT_STRATEGIES rule on top of the defaults, or ""
    QTest::addColumn<QString>("deletes"); // review, propagate
    QTest::addColumn<QString>("pair");
    // "action" and "conflicts" ("field status") as recorded; every write list absent from it must be
    // empty; "new_links"/"changed_links" list the links with the keys they must have; inserted rows and
    // link baselines are compared on the keys given.
    QTest::addColumn<QString>("expected");

    // Linked customers, one side changed or both.
    QTest::newRow("product edit travels to the helpdesk")
        << "customer" << "" << "review"
        << R"({"link": {"baseline": {"name": "Ann", "phone": "1"}},
               "backend": {"id": 1, "full_name": "Ann", "phone": "2"}, "dashboard": {"id": 2, "name": "Ann", "phone": "1"},
               "events": [{"side": "backend", "columns": ["phone"], "at": 1}]})"
        << R"({"action": "updated", "to_dashboard": ["phone"],
               "dashboard_updates": [{"id": 2, "set": {"phone": "2"}}],
               "changed_links": [{"baseline": {"name": "Ann", "phone": "2"}}]})";
    QTest::newRow("helpdesk edit travels to the product")
        << "customer" << "" << "review"
        << R"({"link": {"baseline": {"name": "Ann", "phone": "1"}},
               "backend": {"id": 1, "full_name": "Ann", "phone": "1"}, "dashboard": {"id": 2, "name": "Anne", "phone": "1"},
               "events": [{"side": "dashboard", "columns": ["name"], "at": 1}]})"
        << R"({"action": "updated", "to_backend": ["name"],
               "backend_updates": [{"id": 1, "set": {"full_name": "Anne"}}],
               "changed_links": [{"baseline": {"name": "Anne"}}]})";
    QTest::newRow("the same change on both sides converges")
        << "customer" << "" << "review"
        << R"({"link": {"baseline": {"phone": "1"}},
               "backend": {"id": 1, "phone": "3"}, "dashboard": {"id": 2, "phone": "3"},
               "events": [{"side": "backend", "columns": ["phone"], "at": 1}, {"side": "dashboard", "columns": ["phone"], "at": 2}]})"
        << R"({"action": "unchanged", "changed_links": [{"baseline": {"phone": "3"}}]})";
    QTest::newRow("a change that changes nothing writes nothing")
        << "customer" << "" << "review"
        << R"({"link": {"baseline": {"email": null, "name": null, "phone": "1", "company": null, "locale": null, "tags": []}},
               "backend": {"id": 1, "phone": "1"}, "dashboard": {"id": 2, "phone": "1"},
               "events": [{"side": "backend", "columns": ["updated_at"], "at": 1}]})"
        << R"({"action": "unchanged"})";
    QTest::newRow("both changed, latest wins: the helpdesk's later edit")
        << "customer" << "" << "review"
        << R"({"link": {"baseline": {"phone": "0"}},
               "backend": {"id": 1, "phone": "B"}, "dashboard": {"id": 2, "phone": "D"},
               "events": [{"side": "backend", "columns": ["phone"], "at": 1}, {"side": "dashboard", "columns": ["phone"], "at": 5}]})"
        << R"({"action": "updated", "to_backend": ["phone"], "conflicts": ["phone resolved"],
               "backend_updates": [{"id": 1, "set": {"phone": "D"}}],
               "changed_links": [{"baseline": {"phone": "D"}}]})";
    QTest::newRow("both changed, latest wins: the product's later edit")
        << "customer" << "" << "review"
        << R"({"link": {"baseline": {"phone": "0"}},
               "backend": {"id": 1, "phone": "B"}, "dashboard": {"id": 2, "phone": "D"},
               "events": [{"side": "backend", "columns": ["phone"], "at": 9}, {"side": "dashboard", "columns": ["phone"], "at": 5}]})"
        << R"({"action": "updated", "to_dashboard": ["phone"], "conflicts": ["phone resolved"],
               "dashboard_updates": [{"id": 2, "set": {"phone": "B"}}],
               "changed_links": [{"baseline": {"phone": "B"}}]})";
    QTest::newRow("both changed, manual review: both stay, the field pauses")
        << "customer" << "customer.phone=manual_review" << "review"
        << R"({"link": {"baseline": {"phone": "0"}},
               "backend": {"id": 1, "phone": "B"}, "dashboard": {"id": 2, "phone": "D"},
               "events": [{"side": "backend", "columns": ["phone"], "at": 1}, {"side": "dashboard", "columns": ["phone"], "at": 5}]})"
        << R"({"action": "conflict", "conflicts": ["phone open"],
               "changed_links": [{"paused": ["phone"], "baseline": {"phone": "0"}}]})";
    QTest::newRow("both changed, preserve both: the later value applied, the other kept")
        << "customer" << "customer.phone=preserve_both" << "review"
        << R"({"link": {"baseline": {"phone": "0"}},
               "backend": {"id": 1, "phone": "B"}, "dashboard": {"id": 2, "phone": "D"},
               "events": [{"side": "backend", "columns": ["phone"], "at": 9}, {"side": "dashboard", "columns": ["phone"], "at": 5}]})"
        << R"({"action": "updated", "to_dashboard": ["phone"], "conflicts": ["phone preserved"],
               "dashboard_updates": [{"id": 2, "set": {"phone": "B"}}],
               "changed_links": [{"baseline": {"phone": "B"}}]})";
    QTest::newRow("both changed the tags: merged on both sides")
        << "customer" << "" << "review"
        << R"({"link": {"baseline": {"tags": ["vip"]}},
               "backend": {"id": 1, "tags": ["vip", "beta"]}, "dashboard": {"id": 2, "tags": ["annual", "vip"]},
               "events": [{"side": "backend", "columns": ["tags"], "at": 1}, {"side": "dashboard", "columns": ["tags"], "at": 2}]})"
        << R"({"action": "updated", "to_backend": ["tags"], "to_dashboard": ["tags"], "conflicts": ["tags resolved"],
               "backend_updates": [{"id": 1, "set": {"tags": ["annual", "beta", "vip"]}}],
               "dashboard_updates": [{"id": 2, "set": {"tags": ["annual", "beta", "vip"]}}],
               "changed_links": [{"baseline": {"tags": ["annual", "beta", "vip"]}}]})";
    QTest::newRow("both changed a name, merge falls back to manual review")
        << "customer" << "customer.name=merge/manual_review" << "review"
        << R"({"link": {"baseline": {"name": "Ann"}},
               "backend": {"id": 1, "full_name": "Ann Lee"}, "dashboard": {"id": 2, "name": "Anne"},
               "events": [{"side": "backend", "columns": ["full_name"], "at": 1}, {"side": "dashboard", "columns": ["name"], "at": 2}]})"
        << R"({"action": "conflict", "conflicts": ["name open"], "changed_links": [{"paused": ["name"]}]})";
    QTest::newRow("a paused field is left for the person deciding")
        << "customer" << "" << "review"
        << R"({"link": {"baseline": {"email": "a@x.org", "name": null, "phone": "1", "company": null, "locale": null, "tags": []},
                        "paused": ["email"]},
               "backend": {"id": 1, "email": "b@x.org", "phone": "1"}, "dashboard": {"id": 2, "email": "c@x.org", "phone": "1"},
               "events": [{"side": "backend", "columns": ["email"], "at": 1}]})"
        << R"({"action": "unchanged"})";

    // Tickets: the helpdesk owns status and priority.
    QTest::newRow("ticket status changed on both sides: the helpdesk's stands, no conflict")
        << "ticket" << "" << "review"
        << R"({"link": {"baseline": {"status": "open", "subject": "Refund", "description": "", "priority": "normal", "category": "refund"}},
               "backend": {"id": 1, "status": "closed", "subject": "Refund", "priority": "normal", "category": "refund"},
               "dashboard": {"id": 2, "status": "resolved", "subject": "Refund", "priority": "normal", "category": "refund"},
               "events": [{"side": "backend", "columns": ["status"], "at": 59}, {"side": "dashboard", "columns": ["status"], "at": 1}]})"
        << R"({"action": "updated", "to_backend": ["status"],
               "backend_updates": [{"id": 1, "set": {"status": "resolved"}}],
               "changed_links": [{"baseline": {"status": "resolved"}}]})";

    // Deletes.
    QTest::newRow("deleted in the product: the helpdesk's record waits for a person")
        << "customer" << "" << "review"
        << R"({"link": {"baseline": {"email": "gone@x.org"}},
               "dashboard": {"id": 2, "email": "gone@x.org"},
               "events": [{"side": "backend", "op": "delete", "at": 1, "before": {"id": 1, "email": "gone@x.org"}}]})"
        << R"({"action": "deleted_in_backend", "conflicts": [" open"],
               "changed_links": [{"state": "deleted_in_backend", "baseline": {"email": "gone@x.org"}}]})";
    QTest::newRow("deleted in the helpdesk, propagate: deleted in the product too")
        << "customer" << "" << "propagate"
        << R"({"link": {"baseline": {"email": "gone@x.org"}},
               "backend": {"id": 1, "email": "gone@x.org"},
               "events": [{"side": "dashboard", "op": "delete", "at": 1, "before": {"id": 2, "email": "gone@x.org"}}]})"
        << R"({"action": "delete_propagated", "backend_deletes": [1], "removed_links": [7]})";
    QTest::newRow("deleted on both sides: the link goes")
        << "customer" << "" << "review"
        << R"({"link": {"baseline": {"email": "gone@x.org"}},
               "events": [{"side": "backend", "op": "delete", "at": 1, "before": {"id": 1}}, {"side": "dashboard", "op": "delete", "at": 2, "before": {"id": 2}}]})"
        << R"({"action": "deleted_on_both_sides", "removed_links": [7]})";
    QTest::newRow("a link waiting for a decision is left alone")
        << "customer" << "" << "review"
        << R"({"link": {"baseline": {"phone": "1"}, "state": "deleted_in_backend"},
               "backend": {"id": 1, "phone": "5"}, "dashboard": {"id": 2, "phone": "1"},
               "events": [{"side": "backend", "op": "insert", "columns": ["phone"], "at": 1}]})"
        << R"({"action": "waiting"})";

    // Records one side has alone, and two that find each other.
    QTest::newRow("new in the product: created in the helpdesk")
        << "customer" << "" << "review"
        << R"({"backend": {"id": 1, "email": "new@x.org", "full_name": "New", "phone": "5"},
               "events": [{"side": "backend", "op": "insert", "columns": ["email", "full_name", "phone"], "at": 1}]})"
        << R"({"action": "created_in_dashboard", "to_dashboard": ["email", "name", "phone", "company", "locale", "tags"],
               "dashboard_inserts": [{"id": 800, "email": "new@x.org", "name": "New", "phone": "5", "company": null, "locale": "", "tags": []}],
               "new_links": [{"backend": 1, "dashboard": 800, "baseline": {"email": "new@x.org", "name": "New", "locale": null}}]})";
    QTest::newRow("new in the helpdesk: created in the product")
        << "customer" << "" << "review"
        << R"({"dashboard": {"id": 2, "email": "dee@x.org", "name": "Dee"},
               "events": [{"side": "dashboard", "op": "insert", "columns": ["email", "name"], "at": 1}]})"
        << R"({"action": "created_in_backend", "to_backend": ["email", "name", "phone", "company", "locale", "tags"],
               "backend_inserts": [{"id": 900, "email": "dee@x.org", "full_name": "Dee", "phone": null}],
               "new_links": [{"backend": 900, "dashboard": 2, "baseline": {"email": "dee@x.org", "name": "Dee"}}]})";
    QTest::newRow("matched by e-mail: linked, each side fills the other's gaps")
        << "customer" << "" << "review"
        << R"({"matched": true,
               "backend": {"id": 1, "email": "m@x.org", "phone": "1"}, "dashboard": {"id": 2, "email": "m@x.org", "company": "Atlas"},
               "events": [{"side": "backend", "op": "insert", "columns": ["email"], "at": 1}]})"
        << R"({"action": "linked", "to_backend": ["company"], "to_dashboard": ["phone"],
               "backend_updates": [{"id": 1, "set": {"company": "Atlas"}}], "dashboard_updates": [{"id": 2, "set": {"phone": "1"}}],
               "new_links": [{"backend": 1, "dashboard": 2, "baseline": {"company": "Atlas", "phone": "1", "email": "m@x.org"}}]})";
    QTest::newRow("matched by e-mail with different names: a conflict from the start")
        << "customer" << "customer.name=manual_review" << "review"
        << R"({"matched": true,
               "backend": {"id": 1, "email": "m@x.org", "full_name": "Mo"}, "dashboard": {"id": 2, "email": "m@x.org", "name": "Maurice"},
               "events": [{"side": "dashboard", "op": "insert", "columns": ["email", "name"], "at": 1}]})"
        << R"({"action": "linked", "conflicts": ["name open"], "new_links": [{"backend": 1, "dashboard": 2}]})";
    QTest::newRow("new in the product, its address held in the helpdesk: held for a person")
        << "customer" << "" << "review"
        << R"({"backend": {"id": 1, "email": "Zoe@x.org", "full_name": "Zoe"},
               "clash": {"holder": 5, "partner": 6, "row": {"id": 5, "email": "zoe@x.org", "name": "Zoe A"}},
               "events": [{"side": "backend", "op": "insert", "at": 1}]})"
        << R"({"action": "held_as_duplicate", "conflicts": ["duplicate: open"],
               "new_links": [{"backend": 1, "dashboard": 0, "state": "duplicate"}]})";
    QTest::newRow("a ticket whose customer waits for a decision waits with it")
        << "ticket" << "" << "review"
        << R"({"backend": {"id": 3, "user_id": 10, "subject": "Refund"}, "waiting_backend_owners": [10],
               "events": [{"side": "backend", "op": "insert", "at": 1}]})"
        << R"({"action": "waiting"})";
    QTest::newRow("a ticket new in the helpdesk goes under its customer's counterpart")
        << "ticket" << "" << "review"
        << R"({"dashboard": {"id": 2, "customer_id": 20, "subject": "Printer", "status": "new", "priority": "high", "category": "technical"},
               "owners_in_backend": {"20": 10},
               "events": [{"side": "dashboard", "op": "insert", "columns": ["subject"], "at": 1}]})"
        << R"({"action": "created_in_backend", "to_backend": ["subject", "description", "status", "priority", "category"],
               "backend_inserts": [{"id": 900, "user_id": 10, "subject": "Printer", "description": "", "status": "new", "priority": "high"}],
               "new_links": [{"backend": 900, "dashboard": 2, "baseline": {"subject": "Printer", "description": null}}]})";
    QTest::newRow("a ticket the AI agent opened says so in the helpdesk")
        << "ticket" << "" << "review"
        << R"({"backend": {"id": 1, "user_id": 10, "conversation_id": 5, "subject": "Refund", "status": "new", "priority": "normal", "category": "refund"},
               "owners_in_dashboard": {"10": 20},
               "events": [{"side": "backend", "op": "insert", "columns": ["subject"], "at": 1}]})"
        << R"({"action": "created_in_dashboard", "to_dashboard": ["subject", "description", "status", "priority", "category"],
               "dashboard_inserts": [{"id": 800, "customer_id": 20, "subject": "Refund", "source": "ai_agent"}],
               "new_links": [{"backend": 1, "dashboard": 800}]})";
}

void TestReconcilePlanner::threeWayTable()
{
    QFETCH(QString, entity);
    QFETCH(QString, rule);
    QFETCH(QString, deletes);
    QFETCH(QString, pair);
    QFETCH(QString, expected);
    const auto policy = ConflictPolicy::parse(rule.isEmpty() ? QStringList() : QStringList{rule});
    QVERIFY2(policy.ok(), qPrintable(policy.error()));
    const ReconcilePlanner planner(*Mapping::builtIn().entity(entity), policy.value(),
                                   deletes == QLatin1String("propagate") ? DeletePolicy::Propagate : DeletePolicy::Review);
    const auto plan = planner.plan(gathered({object(pair)}));
    QVERIFY2(plan.ok(), qPrintable(plan.error()));
    const QJsonObject want = object(expected);

    QCOMPARE(plan->records.size(), 1);
    const ReconciledRecord &record = plan->records.constFirst();
    QCOMPARE(record.entity, entity);
    QCOMPARE(record.action, want.value(QLatin1String("action")).toString());
    QCOMPARE(record.toBackend, strings(want.value(QLatin1String("to_backend"))));
    QCOMPARE(record.toDashboard, strings(want.value(QLatin1String("to_dashboard"))));
    QStringList conflicts;
    for (const FieldConflict &conflict : record.conflicts)
        conflicts << (conflict.kind.isEmpty() ? conflict.field : conflict.kind + QLatin1Char(':')) + QLatin1Char(' ') +
                         conflict.status;
    QCOMPARE(conflicts, strings(want.value(QLatin1String("conflicts"))));
    QCOMPARE(record.eventIds.size(), object(pair).value(QLatin1String("events")).toArray().size());

    // Changed fields and deletions exactly as expected, nothing more.
    QCOMPARE(compact(plan->backendUpdates), compact(want.value(QLatin1String("backend_updates")).toArray()));
    QCOMPARE(compact(plan->dashboardUpdates), compact(want.value(QLatin1String("dashboard_updates")).toArray()));
    QCOMPARE(plan->backendDeletes, ids(want.value(QLatin1String("backend_deletes"))));
    QCOMPARE(plan->dashboardDeletes, ids(want.value(QLatin1String("dashboard_deletes"))));
    QCOMPARE(plan->removedLinks, ids(want.value(QLatin1String("removed_links"))));
    // New rows, on the columns the row names.
    for (const auto &[inserted, key] : {std::pair{&plan->backendInserts, "backend_inserts"},
                                        std::pair{&plan->dashboardInserts, "dashboard_inserts"}}) {
        const QJsonArray wanted = want.value(QLatin1String(key)).toArray();
        QCOMPARE(inserted->size(), wanted.size());
        for (qsizetype i = 0; i < wanted.size(); ++i)
            QVERIFY2(containsAll(inserted->at(i).toObject(), wanted.at(i).toObject()), key);
    }
    // Links made and changed.
    const QJsonArray newLinks = want.value(QLatin1String("new_links")).toArray();
    QCOMPARE(plan->newLinks.size(), newLinks.size());
    QCOMPARE(plan->recordOfNewLink, newLinks.isEmpty() ? QList<int>() : QList<int>{0});
    for (qsizetype i = 0; i < newLinks.size(); ++i) {
        const QJsonObject link = newLinks.at(i).toObject();
        QCOMPARE(plan->newLinks.at(i).backendId, link.value(QLatin1String("backend")).toInteger());
        QCOMPARE(plan->newLinks.at(i).dashboardId, link.value(QLatin1String("dashboard")).toInteger());
        QCOMPARE(plan->newLinks.at(i).state, link.value(QLatin1String("state")).toString(QStringLiteral("active")));
        QVERIFY(containsAll(plan->newLinks.at(i).baseline, link.value(QLatin1String("baseline")).toObject()));
        QCOMPARE(record.baselineAfter, plan->newLinks.at(i).baseline);
    }
    const QJsonArray changedLinks = want.value(QLatin1String("changed_links")).toArray();
    QCOMPARE(plan->changedLinks.size(), changedLinks.size());
    for (qsizetype i = 0; i < changedLinks.size(); ++i) {
        const QJsonObject link = changedLinks.at(i).toObject();
        const Link &planned = plan->changedLinks.at(i);
        QCOMPARE(planned.id, qint64(7));
        QCOMPARE(planned.state, link.value(QLatin1String("state")).toString(QStringLiteral("active")));
        QCOMPARE(planned.pausedFields, strings(link.value(QLatin1String("paused"))));
        QVERIFY(containsAll(planned.baseline, link.value(QLatin1String("baseline")).toObject()));
    }
}

void TestReconcilePlanner::newRecordsTakeTheReservedIdsInOrder()
{
    // Two sign-ups in the product, an edit of a linked customer and a sign-up in the helpdesk, in one batch.
    const GatheredRecords batch = gathered({
        object(R"({"backend": {"id": 1, "email": "a@x.org"}, "events": [{"side": "backend", "op": "insert", "at": 1}]})"),
        object(R"({"link": {"id": 7, "baseline": {"phone": "1"}}, "backend": {"id": 3, "phone": "2"},
                   "dashboard": {"id": 4, "phone": "1"}, "events": [{"side": "backend", "columns": ["phone"], "at": 2}]})"),
        object(R"({"backend": {"id": 5, "email": "b@x.org"}, "events": [{"side": "backend", "op": "insert", "at": 3}]})"),
        object(R"({"dashboard": {"id": 6, "email": "c@x.org"}, "events": [{"side": "dashboard", "op": "insert", "at": 4}]})"),
    });
    const ConflictPolicy policy = ConflictPolicy::defaults();
    const auto plan = ReconcilePlanner(Mapping::builtIn().customer(), policy, DeletePolicy::Review).plan(batch);
    QVERIFY2(plan.ok(), qPrintable(plan.error()));
    QCOMPARE(plan->records.size(), 4);
    QCOMPARE(plan->newLinks.size(), 3);
    // Each new link's record is the one it was made for, so its history row names it once written.
    QCOMPARE(plan->recordOfNewLink, (QList<int>{0, 2, 3}));
    QCOMPARE(plan->newLinks.at(0).backendId, qint64(1));
    QCOMPARE(plan->newLinks.at(0).dashboardId, qint64(800));
    QCOMPARE(plan->newLinks.at(1).backendId, qint64(5));
    QCOMPARE(plan->newLinks.at(1).dashboardId, qint64(801));
    QCOMPARE(plan->newLinks.at(2).backendId, qint64(900));
    QCOMPARE(plan->newLinks.at(2).dashboardId, qint64(6));
    for (int i = 0; i < 3; ++i) {
        const ReconciledRecord &record = plan->records.at(plan->recordOfNewLink.at(i));
        QCOMPARE(record.backendId, plan->newLinks.at(i).backendId);
        QCOMPARE(record.dashboardId, plan->newLinks.at(i).dashboardId);
    }
    QCOMPARE(plan->records.at(1).action, QStringLiteral("updated"));
    QCOMPARE(plan->records.at(1).linkId, qint64(7));
}

void TestReconcilePlanner::aTicketWhoseCustomerHasNoCounterpartIsRefused()
{
    const GatheredRecords batch = gathered({object(
        R"({"dashboard": {"id": 2, "customer_id": 20, "subject": "Orphan"},
            "events": [{"side": "dashboard", "op": "insert", "at": 1}]})")});
    const ConflictPolicy policy = ConflictPolicy::defaults();
    const auto plan = ReconcilePlanner(Mapping::builtIn().ticket(), policy, DeletePolicy::Review).plan(batch);
    QVERIFY(!plan.ok());
    QVERIFY2(plan.error().contains(QLatin1String("ticket 2 cannot be created in the backend: its customer (20) has no "
                                                 "counterpart there")),
             qPrintable(plan.error()));
}

QTEST_GUILESS_MAIN(TestReconcilePlanner)
#include "tst_reconcileplanner.moc"
