#include "ui/consistencyreportview.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QStandardItemModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace syncdesk::ui {

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
    layout->addWidget(m_tree, 1);
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
    const QJsonObject checks = report.value(QStringLiteral("checks")).toObject();
    for (auto it = checks.constBegin(); it != checks.constEnd(); ++it) {
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
            auto *line = new QStandardItem(
                QString::fromUtf8(QJsonDocument(example.toObject()).toJson(QJsonDocument::Compact)));
            title->appendRow({line, new QStandardItem, new QStandardItem, new QStandardItem});
        }
        m_model->appendRow({title, new QStandardItem(locale.toString(checkFound)),
                            new QStandardItem(locale.toString(checkRepaired)), remainingItem});
    }
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setStretchLastSection(false);
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
