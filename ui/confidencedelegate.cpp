#include "ui/confidencedelegate.h"

#include <QApplication>
#include <QPainter>

namespace syncdesk::ui {

ConfidenceDelegate::ConfidenceDelegate(double threshold, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_threshold(threshold)
{}

void ConfidenceDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &background, painter, background.widget);
    const QVariant value = index.data(m_role);
    if (!value.isValid())
        return;
    const double confidence = std::clamp(value.toDouble(), 0.0, 1.0);
    const QRect bar = option.rect.adjusted(4, 4, -4, -4);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(0xe0, 0xe0, 0xe0));
    painter->drawRoundedRect(bar, 3, 3);
    QRect filled = bar;
    filled.setWidth(int(bar.width() * confidence));
    painter->setBrush(confidence >= m_threshold ? QColor(0x2f, 0x6f, 0xde) : QColor(0x90, 0xa4, 0xae));
    painter->drawRoundedRect(filled, 3, 3);
    painter->setPen(confidence >= 0.55 ? Qt::white : option.palette.color(QPalette::Text));
    painter->drawText(bar.adjusted(4, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft,
                      QStringLiteral("%1 %").arg(int(confidence * 100.0 + 0.5)));
    painter->restore();
}

QSize ConfidenceDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(std::max(size.width(), 90));
    return size;
}

} // namespace syncdesk::ui
