#include "ui/comparisonmodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace syncdesk::ui {

ComparisonModel::ComparisonModel(QStringList headers, QObject *parent)
    : QAbstractTableModel(parent)
    , m_headers(std::move(headers))
{}

void ComparisonModel::setHeaders(QStringList headers)
{
    m_headers = std::move(headers);
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, int(m_headers.size()) - 1);
}

void ComparisonModel::setRows(QList<ComparisonRow> rows)
{
    // Same fields in the same order (the same record refreshed): update in place, one ranged signal.
    bool sameShape = rows.size() == m_rows.size();
    for (qsizetype i = 0; sameShape && i < rows.size(); ++i)
        sameShape =
            rows.at(i).field == m_rows.at(i).field && rows.at(i).values.size() == m_rows.at(i).values.size();
    if (sameShape && !rows.isEmpty()) {
        m_rows = std::move(rows);
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, columnCount() - 1));
        return;
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int ComparisonModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ComparisonModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

QVariant ComparisonModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const ComparisonRow &row = m_rows.at(index.row());
    const int value = index.column() - 1;
    const bool changed = value >= 0 && value < row.changed.size() && row.changed.at(value);
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        if (index.column() == 0)
            return row.field;
        return value < row.values.size() ? row.values.at(value) : QString();
    case Qt::BackgroundRole:
        if (changed)
            return QBrush(QColor(0xff, 0xf3, 0xc4));
        if (row.emphasized)
            return QBrush(QColor(0xf3, 0xe5, 0xf5));
        return {};
    case Qt::FontRole:
        if (row.emphasized || changed) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case ChangedRole:
        return changed;
    default:
        return {};
    }
}

QVariant ComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section < m_headers.size())
        return m_headers.at(section);
    return {};
}

} // namespace syncdesk::ui
