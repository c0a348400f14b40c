#include "ui/liveeventmodel.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

namespace syncdesk::ui {

LiveEventModel::LiveEventModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(std::max(1, capacity))
{}

int LiveEventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_count;
}

int LiveEventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const LiveEventRow &LiveEventModel::rowAt(int row) const
{
    return m_ring.at(slot(row));
}

QVariant LiveEventModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_count)
        return {};
    const LiveEventRow &row = rowAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return row.at.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
        case Kind:
            return LiveEventRow::kindTitle(row.kind);
        case Side:
            return LiveEventRow::sideTitle(row.side);
        case Entity:
            return LiveEventRow::entityTitle(row.entity);
        case Record:
            return row.record;
        case Status:
            return LiveEventRow::statusTitle(row.status);
        case Summary:
            return row.summary;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return index.column() == Summary ? QVariant(row.summary) : QVariant();
    case Qt::ForegroundRole:
        if (index.column() != Status && index.column() != Kind)
            return {};
        if (row.status == QLatin1String("dead"))
            return QBrush(QColor(0xc6, 0x28, 0x28));
        if (row.status == QLatin1String("failed"))
            return QBrush(QColor(0xef, 0x6c, 0x00));
        if (row.status == QLatin1String("conflict"))
            return QBrush(QColor(0x6a, 0x1b, 0x9a));
        if (row.status == QLatin1String("retried"))
            return QBrush(QColor(0x15, 0x65, 0xc0));
        return {};
    case EventIdRole:
        return row.eventId;
    case StatusRole:
        return row.status;
    case KindRole:
        return row.kind;
    default:
        return {};
    }
}

QVariant LiveEventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Kind:
        return tr("Event");
    case Side:
        return tr("From");
    case Entity:
        return tr("Entity");
    case Record:
        return tr("Record");
    case Status:
        return tr("Status");
    case Summary:
        return tr("What happened");
    default:
        return {};
    }
}

void LiveEventModel::append(QList<LiveEventRow> batch)
{
    if (batch.isEmpty())
        return;
    m_received += batch.size();
    if (batch.size() > m_capacity)
        batch.remove(0, batch.size() - m_capacity);
    const int incoming = int(batch.size());
    const int overflow = m_count + incoming - m_capacity;
    if (overflow > 0) {
        // The oldest rows are the bottom rows.
        beginRemoveRows(QModelIndex(), m_count - overflow, m_count - 1);
        m_head = (m_head + overflow) % m_capacity;
        m_count -= overflow;
        endRemoveRows();
    }
    beginInsertRows(QModelIndex(), 0, incoming - 1);
    for (LiveEventRow &row : batch) {
        const int target = (m_head + m_count) % m_capacity;
        if (target < m_ring.size())
            m_ring[target] = std::move(row);
        else
            m_ring.append(std::move(row));
        ++m_count;
    }
    endInsertRows();
}

void LiveEventModel::clear()
{
    beginResetModel();
    m_ring.clear();
    m_head = 0;
    m_count = 0;
    endResetModel();
}

void LiveEventModel::markRetried(const QSet<qint64> &eventIds)
{
    int first = -1;
    int last = -1;
    for (int row = 0; row < m_count; ++row) {
        LiveEventRow &event = m_ring[slot(row)];
        if (event.eventId == 0 || event.status != QLatin1String("dead") || !eventIds.contains(event.eventId))
            continue;
        event.status = QStringLiteral("retried");
        first = first < 0 ? row : first;
        last = row;
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1),
                           {Qt::DisplayRole, Qt::ForegroundRole, StatusRole});
}

QList<qint64> LiveEventModel::deadEventIds() const
{
    QList<qint64> ids;
    QSet<qint64> seen;
    for (int row = 0; row < m_count; ++row) {
        const LiveEventRow &event = m_ring.at(slot(row));
        if (event.status == QLatin1String("dead") && event.eventId && !seen.contains(event.eventId)) {
            seen.insert(event.eventId);
            ids << event.eventId;
        }
    }
    return ids;
}

} // namespace syncdesk::ui
