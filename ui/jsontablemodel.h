#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

#include <functional>

namespace syncdesk::ui {

// A list read from a read model (one JSON object per row) as a table. Refreshing it with the next
// read keeps what it can: rows that stayed are updated in place (one ranged dataChanged), rows that
// are new arrive in one beginInsertRows per run of new rows, rows that are gone are removed, so a
// selection and the scroll position survive a refresh.
class JsonTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role
    {
        RowRole = Qt::UserRole + 1,
        IdRole,
        SortRole
    };

    struct Column
    {
        QString header;
        // The cell for a role (DisplayRole, ToolTipRole, ForegroundRole, SortRole, ...); {} when none.
        std::function<QVariant(const QJsonObject &row, int role)> value;
    };

    // `id` names a row's identity (a key, or a function for composite ids).
    explicit JsonTableModel(QList<Column> columns, std::function<QString(const QJsonObject &)> id,
                            QObject *parent = nullptr);
    static std::function<QString(const QJsonObject &)> idKey(const QString &key);

    void setRows(const QJsonArray &rows);
    const QJsonObject &rowAt(int row) const { return m_rows.at(row); }
    int rowOfId(const QString &id) const;
    QString idAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Column> m_columns;
    std::function<QString(const QJsonObject &)> m_id;
    QList<QJsonObject> m_rows;
    QStringList m_ids;
};

} // namespace syncdesk::ui
