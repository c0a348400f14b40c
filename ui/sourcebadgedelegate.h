#pragma once

#include <QJsonObject>
#include <QStyledItemDelegate>

namespace syncdesk::ui {

// Draws a search result's type as a coloured badge ("Customer", "Ticket", ...): slate for a record on
// both sides, blue for the backend's only, green for the helpdesk's only, purple for conversations.
class SourceBadgeDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    static QColor colorFor(const QJsonObject &result);
};

} // namespace syncdesk::ui
