#pragma once

#include "ui/liveeventrow.h"

#include <QAbstractTableModel>
#include <QList>
#include <QSet>

namespace syncdesk::ui {

// The latest events, newest first, in a ring of fixed capacity: memory stays flat however long the
// window runs. A batch is one beginInsertRows at the top (and, once full, one beginRemoveRows at
// the bottom), so thousands of events a second cost the view a handful of notifications.
class LiveEventModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Time,
        Kind,
        Side,
        Entity,
        Record,
        Status,
        Summary,
        ColumnCount
    };
    enum Role
    {
        EventIdRole = Qt::UserRole + 1,
        StatusRole,
        KindRole
    };

    explicit LiveEventModel(int capacity = 50000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // `batch` in the order it happened (oldest first); the newest ends up in row 0.
    void append(QList<LiveEventRow> batch);
    void clear();
    // Marks the rows of these captured changes as retried (one ranged dataChanged).
    void markRetried(const QSet<qint64> &eventIds);
    // Captured changes of all dead rows (for "retry all").
    QList<qint64> deadEventIds() const;

    const LiveEventRow &rowAt(int row) const;
    int capacity() const { return m_capacity; }
    qint64 received() const { return m_received; }

private:
    int slot(int row) const { return (m_head + m_count - 1 - row) % m_capacity; }

    int m_capacity;
    QList<LiveEventRow> m_ring;
    int m_head = 0; // slot of the oldest row
    int m_count = 0;
    qint64 m_received = 0;
};

} // namespace syncdesk::ui
