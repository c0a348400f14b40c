#pragma once

#include <QStyledItemDelegate>

namespace syncdesk::ui {

// Draws a confidence (0..1) as a bar with its value; at or above the auto-ticket threshold the bar
// is the colour of "this becomes a ticket".
class ConfidenceDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    ConfidenceDelegate(double threshold, QObject *parent = nullptr);

    // The value is read from `role` (a double, or invalid when there is none).
    void setValueRole(int role) { m_role = role; }
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    double m_threshold;
    int m_role = Qt::UserRole;
};

} // namespace syncdesk::ui
