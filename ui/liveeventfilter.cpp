#include "ui/liveeventfilter.h"

#include "ui/liveeventmodel.h"

namespace syncdesk::ui {

LiveEventFilter::LiveEventFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    // Rows change state (a dead event retried) without moving; the filter re-tests only those rows.
    setDynamicSortFilter(true);
}

void LiveEventFilter::setSourceModel(QAbstractItemModel *model)
{
    m_events = qobject_cast<LiveEventModel *>(model);
    QSortFilterProxyModel::setSourceModel(model);
}

void LiveEventFilter::setSide(const QString &side)
{
    if (side == m_side)
        return;
    m_side = side;
    invalidateRowsFilter();
}

void LiveEventFilter::setEntity(const QString &entity)
{
    if (entity == m_entity)
        return;
    m_entity = entity;
    invalidateRowsFilter();
}

void LiveEventFilter::setStatus(const QString &status)
{
    if (status == m_status)
        return;
    m_status = status;
    invalidateRowsFilter();
}

void LiveEventFilter::setText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    invalidateRowsFilter();
}

bool LiveEventFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_events || sourceParent.isValid())
        return true;
    const LiveEventRow &row = m_events->rowAt(sourceRow);
    // A change from both sides shows under either side.
    if (!m_side.isEmpty() && row.side != m_side && row.side != QLatin1String("both"))
        return false;
    if (!m_entity.isEmpty() && row.entity != m_entity)
        return false;
    if (!m_status.isEmpty() && row.status != m_status)
        return false;
    return m_text.isEmpty() || row.matches(m_text);
}

} // namespace syncdesk::ui
