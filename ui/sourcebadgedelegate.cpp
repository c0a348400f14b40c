#include "ui/sourcebadgedelegate.h"

#include "ui/jsontablemodel.h"

#include <QApplication>
#include <QPainter>

namespace syncdesk::ui {

QColor SourceBadgeDelegate::colorFor(const QJsonObject &result)
{
    const QString type = result.value(QLatin1String("type")).toString();
    if (type == QLatin1String("conversation") || type == QLatin1String("message"))
        return QColor(0x8e, 0x24, 0xaa);
    const QString source = result.value(QLatin1String("source")).toString();
    if (source == QLatin1String("backend"))
        return QColor(0x2f, 0x6f, 0xde);
    if (source == QLatin1String("dashboard"))
        return QColor(0x18, 0xa3, 0x6b);
    return QColor(0x45, 0x5a, 0x64); // on both sides
}

void SourceBadgeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index) const
{
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    const QString text = background.text;
    background.text.clear();
    QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &background, painter, background.widget);
    const QFontMetrics metrics(option.font);
    QRect badge(option.rect.left() + 4, option.rect.top() + 3, metrics.horizontalAdvance(text) + 14,
                option.rect.height() - 6);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(colorFor(index.data(JsonTableModel::RowRole).toJsonObject()));
    painter->drawRoundedRect(badge, badge.height() / 2.0, badge.height() / 2.0);
    painter->setPen(Qt::white);
    painter->drawText(badge, Qt::AlignCenter, text);
    painter->restore();
}

QSize SourceBadgeDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(size.width() + 22);
    return size;
}

} // namespace syncdesk::ui
