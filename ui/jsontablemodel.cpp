#include "ui/jsontablemodel.h"

#include <QSet>

namespace syncdesk::ui {

JsonTableModel::JsonTableModel(QList<Column> columns, std::function<QString(const QJsonObject &)> id,
                               QObject *parent)
    : QAbstractTableModel(parent)
    , m_columns(std::move(columns))
    , m_id(std::move(id))
{}

std::function<QString(const QJsonObject &)> JsonTableModel::idKey(const QString &key)
{
    return [key](const QJsonObject &row) {
        const QJsonValue value = row.value(key);
        return value.isString() ? value.toString() : QString::number(value.toInteger());
    };
}

void JsonTableModel::setRows(const QJsonArray &rows)
{
    QList<QJsonObject> incoming;
    QStringList incomingIds;
    incoming.reserve(rows.size());
    for (const QJsonValue &value : rows) {
        incoming << value.toObject();
        incomingIds << m_id(incoming.constLast());
    }
    const QSet<QString> incomingSet(incomingIds.cbegin(), incomingIds.cend());

    // 1. Rows that are gone, bottom up so the row numbers above stay valid.
    for (int row = int(m_rows.size()) - 1; row >= 0;) {
        if (incomingSet.contains(m_ids.at(row))) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !incomingSet.contains(m_ids.at(first - 1)))
            --first;
        beginRemoveRows(QModelIndex(), first, row);
        m_rows.remove(first, row - first + 1);
        m_ids.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }

    // 2. The rows that stayed must be in the new order; otherwise (a re-sort) start afresh.
    qsizetype kept = 0;
    for (const QString &id : std::as_const(incomingIds)) {
        if (kept < m_ids.size() && m_ids.at(kept) == id)
            ++kept;
    }
    if (kept != m_ids.size()) {
        beginResetModel();
        m_rows = incoming;
        m_ids = incomingIds;
        endResetModel();
        return;
    }

    // 3. New rows, one insertion per run; rows that stayed take their new content.
    int changedFirst = -1;
    int changedLast = -1;
    for (int row = 0; row < incoming.size();) {
        if (row < m_ids.size() && m_ids.at(row) == incomingIds.at(row)) {
            if (m_rows.at(row) != incoming.at(row)) {
                m_rows[row] = incoming.at(row);
                changedFirst = changedFirst < 0 ? row : changedFirst;
                changedLast = row;
            }
            ++row;
            continue;
        }
        int last = row;
        // The run ends where the next kept row (the one now at `row` in the old list) appears.
        const QString nextKept = row < m_ids.size() ? m_ids.at(row) : QString();
        while (last + 1 < incoming.size() && incomingIds.at(last + 1) != nextKept)
            ++last;
        beginInsertRows(QModelIndex(), row, last);
        for (int i = row; i <= last; ++i) {
            m_rows.insert(i, incoming.at(i));
            m_ids.insert(i, incomingIds.at(i));
        }
        endInsertRows();
        row = last + 1;
    }
    if (changedFirst >= 0)
        Q_EMIT dataChanged(index(changedFirst, 0), index(changedLast, columnCount() - 1));
}

int JsonTableModel::rowOfId(const QString &id) const
{
    return int(m_ids.indexOf(id));
}

QString JsonTableModel::idAt(int row) const
{
    return row >= 0 && row < m_ids.size() ? m_ids.at(row) : QString();
}

int JsonTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int JsonTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant JsonTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size() || index.column() >= m_columns.size())
        return {};
    const QJsonObject &row = m_rows.at(index.row());
    if (role == RowRole)
        return row;
    if (role == IdRole)
        return m_ids.at(index.row());
    const QVariant value = m_columns.at(index.column()).value(row, role);
    if (role == SortRole && !value.isValid())
        return m_columns.at(index.column()).value(row, Qt::DisplayRole);
    return value;
}

QVariant JsonTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section < m_columns.size())
        return m_columns.at(section).header;
    return {};
}

} // namespace syncdesk::ui
