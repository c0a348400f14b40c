#include "ui/liveeventdetail.h"

#include "ui/comparisonmodel.h"
#include "ui/fieldcomparison.h"
#include "ui/tableviews.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace syncdesk::ui {

namespace {

QStringList strings(const QJsonValue &array)
{
    QStringList list;
    for (const QJsonValue &value : array.toArray())
        list << value.toString();
    return list;
}

} // namespace

LiveEventDetail::LiveEventDetail(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("liveEventDetail"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    layout->addWidget(m_title);
    m_comparison = new ComparisonModel({tr("Field"), tr("Before"), tr("After")}, this);
    m_table = new QTableView(this);
    m_table->setModel(m_comparison);
    TableViews::setUp(m_table);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    layout->addWidget(m_table, 1);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_text);
    auto *buttons = new QHBoxLayout;
    m_retry = new QPushButton(tr("Retry this change"), this);
    m_conflicts = new QPushButton(tr("Review in Conflicts"), this);
    buttons->addWidget(m_retry);
    buttons->addWidget(m_conflicts);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(m_retry, &QPushButton::clicked, this, [this]() { Q_EMIT retryRequested(m_row.eventId); });
    connect(m_conflicts, &QPushButton::clicked, this, &LiveEventDetail::openConflicts);
    clear();
}

void LiveEventDetail::clear()
{
    m_row = LiveEventRow();
    m_title->setText(tr("Select an event to see what changed."));
    m_text->clear();
    m_comparison->setRows({});
    m_retry->hide();
    m_conflicts->hide();
}

void LiveEventDetail::showRow(const LiveEventRow &row)
{
    m_row = row;
    m_title->setText(QStringLiteral("%1 · %2 · %3")
                         .arg(LiveEventRow::kindTitle(row.kind),
                              row.at.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz")),
                              row.record.isEmpty() ? LiveEventRow::entityTitle(row.entity) : row.record));
    m_text->setText(row.summary);
    m_retry->setVisible(row.status == QLatin1String("dead") && row.eventId);
    m_conflicts->setVisible(row.kind == LiveEventKind::Conflict && row.status == QLatin1String("conflict"));
    const QJsonObject &p = row.payload;
    if (row.kind == LiveEventKind::RecordSynced) {
        m_comparison->setHeaders({tr("Field"), tr("Before"), tr("After")});
        QStringList changed =
            strings(p.value(QLatin1String("to_backend"))) + strings(p.value(QLatin1String("to_dashboard")));
        m_comparison->setRows(FieldComparison::beforeAfter(p.value(QLatin1String("before")).toObject(),
                                                           p.value(QLatin1String("after")).toObject(),
                                                           changed));
        QStringList ids;
        for (const QJsonValue &id : p.value(QLatin1String("event_ids")).toArray())
            ids << QString::number(id.toInteger());
        if (!ids.isEmpty())
            m_text->setText(row.summary + QLatin1Char('\n') +
                            tr("Captured changes: %1").arg(ids.join(QStringLiteral(", "))));
    } else if (row.eventId) {
        m_comparison->setHeaders({tr("Field"), tr("Before"), tr("After")});
        m_comparison->setRows({});
        Q_EMIT outboxEventWanted(row.eventId);
    } else {
        // Events without images: their payload, field by field.
        m_comparison->setHeaders({tr("Field"), tr("Value")});
        QList<ComparisonRow> rows;
        for (auto it = p.constBegin(); it != p.constEnd(); ++it)
            rows.append({it.key(), {FieldComparison::display(it.value())}, {false}, false});
        m_comparison->setRows(rows);
    }
}

void LiveEventDetail::showOutboxEvent(qint64 eventId, const QJsonObject &event)
{
    if (eventId != m_row.eventId)
        return; // another row was selected meanwhile
    m_comparison->setHeaders({tr("Field"), tr("Before"), tr("After")});
    m_comparison->setRows(FieldComparison::beforeAfter(
        event.value(QLatin1String("before")).toObject(), event.value(QLatin1String("after")).toObject(),
        strings(event.value(QLatin1String("changed_columns")))));
    QString text = tr("%1 of %2 %3 in the %4, attempt %5, status %6.")
                       .arg(event.value(QLatin1String("operation")).toString(),
                            LiveEventRow::entityTitle(event.value(QLatin1String("entity")).toString()),
                            QString::number(event.value(QLatin1String("entity_id")).toInteger()),
                            LiveEventRow::sideTitle(event.value(QLatin1String("side")).toString()),
                            QString::number(event.value(QLatin1String("attempts")).toInt()),
                            event.value(QLatin1String("status")).toString());
    const QString error = event.value(QLatin1String("last_error")).toString();
    if (!error.isEmpty())
        text += QLatin1Char('\n') + tr("Error: %1").arg(error);
    m_text->setText(text);
}

void LiveEventDetail::showLoadError(const QString &message)
{
    m_text->setText(message);
}

} // namespace syncdesk::ui
