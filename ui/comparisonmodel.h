#pragma once

#include "ui/fieldcomparison.h"

#include <QAbstractTableModel>

namespace syncdesk::ui {

// A field-by-field comparison as a table: the field, then one column per version; cells that
// differ are highlighted, the line that matters most is bold.
class ComparisonModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role
    {
        ChangedRole = Qt::UserRole + 1
    };

    // `headers`: the field column's title, then one per version ("Before", "After").
    explicit ComparisonModel(QStringList headers, QObject *parent = nullptr);

    void setHeaders(QStringList headers);
    void setRows(QList<ComparisonRow> rows);
    const QList<ComparisonRow> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QStringList m_headers;
    QList<ComparisonRow> m_rows;
};

} // namespace syncdesk::ui
