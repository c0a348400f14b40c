#pragma once

#include <QStyledItemDelegate>

namespace syncdesk::ui {

// Draws a search result's source as a coloured badge ("Backend user", "Dashboard ticket", ...).
class SourceBadgeDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    static QColor colorFor(const QString &source);
};

} // namespace syncdesk::ui
