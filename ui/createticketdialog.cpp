#include "ui/createticketdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace syncdesk::ui {

CreateTicketDialog::CreateTicketDialog(const QJsonObject &conversation, QWidget *parent)
    : QDialog(parent)
    , m_conversationId(conversation.value(QLatin1String("id")).toInteger())
{
    setObjectName(QStringLiteral("createTicketDialog"));
    setWindowTitle(tr("Create a ticket from conversation %1").arg(m_conversationId));
    setAttribute(Qt::WA_DeleteOnClose);
    const QJsonObject analysis = conversation.value(QLatin1String("analysis")).toObject();
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    const QString suggested = analysis.value(QLatin1String("subject")).toString();
    m_subject = new QLineEdit(
        suggested.isEmpty() ? conversation.value(QLatin1String("subject")).toString() : suggested, this);
    m_priority = new QComboBox(this);
    for (const QString &priority :
         {QStringLiteral("low"), QStringLiteral("normal"), QStringLiteral("high"), QStringLiteral("urgent")})
        m_priority->addItem(priority, priority);
    m_priority->setCurrentIndex(std::max(
        0,
        m_priority->findData(analysis.value(QLatin1String("priority")).toString(QStringLiteral("normal")))));
    m_category = new QComboBox(this);
    m_category->setEditable(true);
    for (const QString &category :
         {QStringLiteral("billing"), QStringLiteral("refund"), QStringLiteral("order"),
          QStringLiteral("account"), QStringLiteral("technical"), QStringLiteral("complaint"),
          QStringLiteral("general")})
        m_category->addItem(category);
    m_category->setCurrentText(analysis.value(QLatin1String("category")).toString(QStringLiteral("general")));
    m_description = new QPlainTextEdit(analysis.value(QLatin1String("summary")).toString(), this);
    m_description->setPlaceholderText(tr("Empty: SyncDesk writes a summary of the conversation"));
    form->addRow(tr("Subject"), m_subject);
    form->addRow(tr("Priority"), m_priority);
    form->addRow(tr("Category"), m_category);
    form->addRow(tr("Description"), m_description);
    layout->addLayout(form);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Create ticket on both sides"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, this, [this]() {
        Q_EMIT draftChosen(m_conversationId, draft());
        accept();
    });
    resize(520, 360);
}

TicketDraft CreateTicketDialog::draft() const
{
    return TicketDraft{m_subject->text().trimmed(), m_description->toPlainText().trimmed(),
                       m_priority->currentData().toString(), m_category->currentText().trimmed()};
}

} // namespace syncdesk::ui
