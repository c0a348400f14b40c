#include "ui/consistencyreportview.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <tuple>

namespace syncdesk::ui {

namespace {

// Where an example's record can be opened (QStandardItem data roles).
constexpr int kSourceRole = Qt::UserRole + 1;
constexpr int kIdRole = Qt::UserRole + 2;
constexpr int kDetailsRole = Qt::UserRole + 3;

QString sideName(const QString &side)
{
    return side == QLatin1String("dashboard") ? ConsistencyReportView::tr("dashboard")
                                              : ConsistencyReportView::tr("backend");
}

QString otherSideName(const QString &side)
{
    return sideName(side == QLatin1String("dashboard") ? QStringLiteral("backend")
                                                       : QStringLiteral("dashboard"));
}

// "Emma Smith <emma.smith1@example.com>" for a customer, "“Refund for order #1”" for a ticket.
QString recordName(const QJsonObject &example)
{
    const QString subject = example.value(QLatin1String("subject")).toString();
    if (!subject.isEmpty())
        return ConsistencyReportView::tr("“%1”").arg(subject);
    const QString name = example.value(QLatin1String("name")).toString();
    const QString email = example.value(QLatin1String("email")).toString();
    if (!name.isEmpty() && !email.isEmpty())
        return QStringLiteral("%1 <%2>").arg(name, email);
    return name.isEmpty() ? email : name;
}

QString valueText(const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return ConsistencyReportView::tr("(empty)");
    if (value.isArray()) {
        QStringList items;
        for (const QJsonValue &item : value.toArray())
            items << item.toVariant().toString();
        return items.isEmpty() ? ConsistencyReportView::tr("(none)") : items.join(QStringLiteral(", "));
    }
    const QString text = value.toVariant().toString();
    return text.isEmpty() ? ConsistencyReportView::tr("(empty)")
                          : ConsistencyReportView::tr("“%1”").arg(text.left(60));
}

QString entityName(const QString &side, const QString &entity)
{
    const bool dashboard = side == QLatin1String("dashboard");
    if (entity == QLatin1String("customer"))
        return dashboard ? ConsistencyReportView::tr("dashboard customer")
                         : ConsistencyReportView::tr("backend customer");
    if (entity == QLatin1String("ticket"))
        return dashboard ? ConsistencyReportView::tr("dashboard ticket")
                         : ConsistencyReportView::tr("backend ticket");
    if (entity == QLatin1String("conversation"))
        return ConsistencyReportView::tr("conversation");
    if (entity == QLatin1String("message"))
        return ConsistencyReportView::tr("message");
    return entity;
}

} // namespace

ConsistencyReportView::ConsistencyReportView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_verdict = new QLabel(this);
    m_verdict->setObjectName(QStringLiteral("reportVerdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_verdict);
    m_model = new QStandardItemModel(this);
    m_tree = new QTreeView(this);
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setObjectName(QStringLiteral("reportChecks"));
    layout->addWidget(m_tree, 1);
    connect(m_tree, &QTreeView::activated, this, &ConsistencyReportView::open);
}

QString ConsistencyReportView::exampleText(const QString &check, const QJsonObject &example)
{
    const QString side = example.value(QLatin1String("side")).toString();
    const QString id = QString::number(example.value(QLatin1String("id")).toInteger());
    const QString backendId = QString::number(example.value(QLatin1String("backend_id")).toInteger());
    const QString dashboardId = QString::number(example.value(QLatin1String("dashboard_id")).toInteger());
    const QString name = recordName(example);
    if (check.startsWith(QLatin1String("unlinked_")))
        return tr("%1, %2 #%3: missing in the %4")
            .arg(name.isEmpty() ? tr("A record") : name, sideName(side), id, otherSideName(side));
    if (check.startsWith(QLatin1String("drifted_"))) {
        QStringList differences;
        const QJsonObject values = example.value(QLatin1String("values")).toObject();
        for (const QJsonValue &field : example.value(QLatin1String("fields")).toArray()) {
            const QJsonObject both = values.value(field.toString()).toObject();
            differences << (both.isEmpty()
                                ? field.toString()
                                : tr("%1 %2 in the backend, %3 in the dashboard")
                                      .arg(field.toString(), valueText(both.value(QLatin1String("backend"))),
                                           valueText(both.value(QLatin1String("dashboard")))));
        }
        return tr("%1, backend #%2 / dashboard #%3: %4")
            .arg(name, backendId, dashboardId, differences.join(QStringLiteral("; ")));
    }
    if (check.endsWith(QLatin1String("_links_to_missing_rows")))
        return tr("%1, backend #%2 / dashboard #%3: gone from the %4")
            .arg(name.isEmpty() ? tr("A record") : name, backendId, dashboardId,
                 sideName(example.value(QLatin1String("missing")).toString()));
    if (check == QLatin1String("conversation_status_mismatches"))
        return tr("Conversation #%1 “%2” is %3, its ticket #%4 “%5” is %6")
            .arg(QString::number(example.value(QLatin1String("conversation_id")).toInteger()),
                 example.value(QLatin1String("subject")).toString(),
                 example.value(QLatin1String("status")).toString(),
                 QString::number(example.value(QLatin1String("ticket_id")).toInteger()),
                 example.value(QLatin1String("ticket_subject")).toString(),
                 example.value(QLatin1String("ticket_status")).toString());
    if (check == QLatin1String("duplicate_customers")) {
        QStringList ids;
        for (const QJsonValue &each : example.value(QLatin1String("ids")).toArray())
            ids << QStringLiteral("#%1").arg(each.toInteger());
        return tr("%1: %2 customers %3")
            .arg(example.value(QLatin1String("email")).toString(), sideName(side),
                 ids.join(QStringLiteral(", ")));
    }
    if (check == QLatin1String("stuck_events") || check == QLatin1String("dead_events")) {
        const QString change =
            tr("Change #%1 to %2 #%3")
                .arg(QString::number(example.value(QLatin1String("event_id")).toInteger()),
                     entityName(side, example.value(QLatin1String("entity")).toString()),
                     QString::number(example.value(QLatin1String("entity_id")).toInteger()));
        if (check == QLatin1String("dead_events"))
            return tr("%1 failed: %2").arg(change, example.value(QLatin1String("error")).toString());
        return tr("%1, %n attempt(s)", nullptr, example.value(QLatin1String("attempts")).toInt()).arg(change);
    }
    return QString::fromUtf8(QJsonDocument(example).toJson(QJsonDocument::Compact));
}

ConsistencyReportView::Target ConsistencyReportView::exampleTarget(const QString &check,
                                                                   const QJsonObject &example)
{
    const bool tickets = check.contains(QLatin1String("ticket"));
    QJsonObject details;
    if (example.contains(QLatin1String("email")))
        details.insert(QStringLiteral("email"), example.value(QLatin1String("email")));
    if (example.contains(QLatin1String("subject")))
        details.insert(QStringLiteral("title"), example.value(QLatin1String("subject")));
    const auto record = [&](const QString &side, qint64 id, bool ticket) {
        const bool dashboard = side == QLatin1String("dashboard");
        return Target{
            ticket ? (dashboard ? QStringLiteral("dashboard_ticket") : QStringLiteral("backend_ticket"))
                   : (dashboard ? QStringLiteral("dashboard_customer") : QStringLiteral("backend_user")),
            id, details};
    };
    if (check.startsWith(QLatin1String("unlinked_")))
        return record(example.value(QLatin1String("side")).toString(),
                      example.value(QLatin1String("id")).toInteger(), tickets);
    if (check.startsWith(QLatin1String("drifted_")) ||
        check.endsWith(QLatin1String("_links_to_missing_rows"))) {
        // The side that still has the record; the dashboard's when both do.
        const bool dashboardGone =
            example.value(QLatin1String("missing")).toString() == QLatin1String("dashboard");
        return dashboardGone ? record(QStringLiteral("backend"),
                                      example.value(QLatin1String("backend_id")).toInteger(), tickets)
                             : record(QStringLiteral("dashboard"),
                                      example.value(QLatin1String("dashboard_id")).toInteger(), tickets);
    }
    if (check == QLatin1String("conversation_status_mismatches"))
        return Target{
            QStringLiteral("conversation"), example.value(QLatin1String("conversation_id")).toInteger(), {}};
    if (check == QLatin1String("duplicate_customers"))
        return record(example.value(QLatin1String("side")).toString(),
                      example.value(QLatin1String("ids")).toArray().first().toInteger(), false);
    if (check == QLatin1String("stuck_events") || check == QLatin1String("dead_events")) {
        const QString entity = example.value(QLatin1String("entity")).toString();
        if (entity == QLatin1String("customer") || entity == QLatin1String("ticket"))
            return record(example.value(QLatin1String("side")).toString(),
                          example.value(QLatin1String("entity_id")).toInteger(),
                          entity == QLatin1String("ticket"));
    }
    return {};
}

void ConsistencyReportView::open(const QModelIndex &index)
{
    const QModelIndex first = index.siblingAtColumn(0);
    const QString source = first.data(kSourceRole).toString();
    if (!source.isEmpty())
        Q_EMIT openRecord(source, first.data(kIdRole).toLongLong(), first.data(kDetailsRole).toJsonObject());
}

QString ConsistencyReportView::checkTitle(const QString &check, const QString &fallback)
{
    static const QHash<QString, const char *> titles{
        {QStringLiteral("unlinked_customers"), QT_TR_NOOP("Customers that exist on one side only")},
        {QStringLiteral("unlinked_tickets"), QT_TR_NOOP("Tickets that exist on one side only")},
        {QStringLiteral("drifted_customers"),
         QT_TR_NOOP("Linked customers whose fields differ with no change pending")},
        {QStringLiteral("drifted_tickets"),
         QT_TR_NOOP("Linked tickets whose fields differ with no change pending")},
        {QStringLiteral("customer_links_to_missing_rows"),
         QT_TR_NOOP("Customer links whose record is gone on a side")},
        {QStringLiteral("ticket_links_to_missing_rows"),
         QT_TR_NOOP("Ticket links whose record is gone on a side")},
        {QStringLiteral("conversation_status_mismatches"),
         QT_TR_NOOP("Conversations whose status contradicts their ticket's")},
        {QStringLiteral("duplicate_customers"),
         QT_TR_NOOP("Customers sharing an e-mail address on one side")},
        {QStringLiteral("stuck_events"),
         QT_TR_NOOP("Changes due for more than five minutes and still not applied")},
        {QStringLiteral("dead_events"), QT_TR_NOOP("Dead changes waiting to be retried by hand")},
    };
    const auto it = titles.constFind(check);
    return it == titles.constEnd() ? (fallback.isEmpty() ? check : fallback) : tr(it.value());
}

void ConsistencyReportView::showReport(const QJsonObject &report)
{
    const QLocale locale;
    const qint64 found = report.value(QStringLiteral("issues_found")).toInteger();
    const qint64 repaired = report.value(QStringLiteral("repaired")).toInteger();
    const qint64 remaining = report.value(QStringLiteral("remaining")).toInteger(found - repaired);
    const qint64 elapsed = report.value(QStringLiteral("elapsed_ms")).toInteger();
    if (found == 0)
        m_verdict->setText(
            tr("<b>Both systems are consistent.</b> No issue found (%1 ms).").arg(locale.toString(elapsed)));
    else if (remaining == 0)
        m_verdict->setText(
            tr("<b>%1 issue(s) found, all repaired.</b> The repairs are applied by the sync engine (%2 ms).")
                .arg(locale.toString(found), locale.toString(elapsed)));
    else
        m_verdict->setText(tr("<b>%1 issue(s) found, %2 repaired, %3 need a person.</b> See the checks "
                              "marked below (%4 ms).")
                               .arg(locale.toString(found), locale.toString(repaired),
                                    locale.toString(remaining), locale.toString(elapsed)));

    m_model->clear();
    m_model->setHorizontalHeaderLabels({tr("Check"), tr("Found"), tr("Repaired"), tr("Remaining")});
    // What needs a person first, then what was found and repaired, then the rest in the checker's order.
    const QJsonObject checks = report.value(QStringLiteral("checks")).toObject();
    static const QStringList order{QStringLiteral("unlinked_customers"),
                                   QStringLiteral("unlinked_tickets"),
                                   QStringLiteral("drifted_customers"),
                                   QStringLiteral("drifted_tickets"),
                                   QStringLiteral("customer_links_to_missing_rows"),
                                   QStringLiteral("ticket_links_to_missing_rows"),
                                   QStringLiteral("conversation_status_mismatches"),
                                   QStringLiteral("duplicate_customers"),
                                   QStringLiteral("stuck_events"),
                                   QStringLiteral("dead_events")};
    QStringList names = checks.keys();
    const auto weight = [&](const QString &name) {
        const QJsonObject check = checks.value(name).toObject();
        const qint64 hits = check.value(QLatin1String("found")).toInteger();
        const qint64 left = hits - check.value(QLatin1String("repaired")).toInteger();
        return std::make_tuple(left > 0   ? 0
                               : hits > 0 ? 1
                                          : 2,
                               order.contains(name) ? order.indexOf(name) : order.size(), name);
    };
    std::sort(names.begin(), names.end(),
              [&](const QString &a, const QString &b) { return weight(a) < weight(b); });
    for (const QString &name : std::as_const(names)) {
        const auto it = checks.constFind(name);
        const QJsonObject check = it.value().toObject();
        const qint64 checkFound = check.value(QStringLiteral("found")).toInteger();
        const qint64 checkRepaired = check.value(QStringLiteral("repaired")).toInteger();
        auto *title =
            new QStandardItem(checkTitle(it.key(), check.value(QStringLiteral("description")).toString()));
        title->setToolTip(it.key());
        auto *remainingItem = new QStandardItem(locale.toString(checkFound - checkRepaired));
        if (checkFound - checkRepaired > 0) {
            QFont bold = title->font();
            bold.setBold(true);
            title->setFont(bold);
            remainingItem->setForeground(QColor(0xc6, 0x28, 0x28));
        }
        for (const QJsonValue &example : check.value(QStringLiteral("examples")).toArray()) {
            auto *line = new QStandardItem(exampleText(it.key(), example.toObject()));
            const Target target = exampleTarget(it.key(), example.toObject());
            if (target.id > 0) {
                line->setData(target.source, kSourceRole);
                line->setData(target.id, kIdRole);
                line->setData(target.details, kDetailsRole);
                line->setToolTip(tr("%1\nDouble-click to open it.").arg(line->text()));
            } else {
                line->setToolTip(line->text());
            }
            title->appendRow({line, new QStandardItem, new QStandardItem, new QStandardItem});
        }
        auto *foundItem = new QStandardItem(locale.toString(checkFound));
        auto *repairedItem = new QStandardItem(locale.toString(checkRepaired));
        for (QStandardItem *count : {foundItem, repairedItem, remainingItem})
            count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_model->appendRow({title, foundItem, repairedItem, remainingItem});
    }
    // The counts take what their numbers need; the check's name and its examples the rest.
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int column = 1; column < m_model->columnCount(); ++column)
        m_tree->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    for (int row = 0; row < m_model->rowCount(); ++row) {
        for (int child = 0; child < m_model->item(row)->rowCount(); ++child)
            m_tree->setFirstColumnSpanned(child, m_model->index(row, 0), true);
    }
    m_tree->expandAll();
}

void ConsistencyReportView::showText(const QString &text)
{
    m_verdict->setText(text);
    m_model->clear();
}

QString ConsistencyReportView::verdict() const
{
    return m_verdict->text();
}

} // namespace syncdesk::ui
