#include "ui/messagebar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLoggingCategory>
#include <QToolButton>

// Every failure a page shows also goes to the log, so "look at the log" finds it.
Q_LOGGING_CATEGORY(lcUiMessages, "syncdesk.ui.messages", QtInfoMsg)

namespace syncdesk::ui {

MessageBar::MessageBar(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("messageBar"));
    setFrameShape(QFrame::StyledPanel);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    m_label = new QLabel(this);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_label, 1);
    m_close = new QToolButton(this);
    m_close->setText(QStringLiteral("×"));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Close this message"));
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &MessageBar::clear);
    m_fade.setSingleShot(true);
    m_fade.setInterval(8000);
    connect(&m_fade, &QTimer::timeout, this, &MessageBar::clear);
    hide();
}

void MessageBar::showMessage(Kind kind, const QString &text)
{
    m_kind = kind;
    m_label->setText(text);
    if (kind == Kind::Error)
        qCWarning(lcUiMessages).noquote() << text;
    const char *style =
        kind == Kind::Error     ? "background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;"
        : kind == Kind::Success ? "background: #edf7ed; color: #1e4620; border: 1px solid #c3e6cb;"
                                : "background: #e8f4fd; color: #0d3c61; border: 1px solid #b8daff;";
    setStyleSheet(
        QStringLiteral(
            "#messageBar { %1 border-radius: 4px; } QLabel { background: transparent; border: none; }")
            .arg(QLatin1String(style)));
    show();
    if (kind == Kind::Error)
        m_fade.stop();
    else
        m_fade.start();
}

void MessageBar::clear()
{
    m_fade.stop();
    m_label->clear();
    hide();
}

QString MessageBar::text() const
{
    return m_label->text();
}

} // namespace syncdesk::ui
