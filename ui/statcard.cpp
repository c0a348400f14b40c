#include "ui/statcard.h"

#include <QLabel>
#include <QMouseEvent>
#include <QVBoxLayout>

namespace syncdesk::ui {

StatCard::StatCard(const QString &title, QWidget *parent)
    : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    setObjectName(QStringLiteral("statCard"));
    setStyleSheet(QStringLiteral(
        "#statCard { background: palette(base); border: 1px solid palette(mid); border-radius: 6px; }"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 8);
    m_title = new QLabel(title, this);
    m_title->setStyleSheet(QStringLiteral("color: palette(dark); font-weight: 600;"));
    m_value = new QLabel(QStringLiteral("–"), this);
    QFont big = m_value->font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    big.setBold(true);
    m_value->setFont(big);
    m_detail = new QLabel(this);
    m_detail->setWordWrap(true);
    m_detail->setStyleSheet(QStringLiteral("color: palette(dark);"));
    layout->addWidget(m_title);
    layout->addWidget(m_value);
    layout->addWidget(m_detail);
    layout->addStretch(1);
    setMinimumWidth(170);
}

void StatCard::setValue(const QString &value, const QString &detail)
{
    m_value->setText(value);
    m_detail->setText(detail);
}

void StatCard::setTone(Tone tone)
{
    const char *color = tone == Tone::Bad       ? "#c62828"
                        : tone == Tone::Warning ? "#ef6c00"
                        : tone == Tone::Good    ? "#2e7d32"
                                                : "";
    m_value->setStyleSheet(*color ? QStringLiteral("color: %1;").arg(QLatin1String(color)) : QString());
}

QString StatCard::value() const
{
    return m_value->text();
}

QString StatCard::detail() const
{
    return m_detail->text();
}

void StatCard::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && rect().contains(event->position().toPoint()))
        Q_EMIT clicked();
    QFrame::mouseReleaseEvent(event);
}

} // namespace syncdesk::ui
