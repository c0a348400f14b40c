#pragma once

#include "sync/conversationtickets.h"

#include <QDialog>
#include <QJsonObject>

class QComboBox;
class QLineEdit;
class QPlainTextEdit;

namespace syncdesk::ui {

// "Create ticket" from a conversation: the analysis's suggested subject, priority, category and
// summary, for the person to adjust. Thin: the page makes the ticket through the engine.
class CreateTicketDialog : public QDialog
{
    Q_OBJECT

public:
    // `conversation` as ConversationQueries::get().
    CreateTicketDialog(const QJsonObject &conversation, QWidget *parent = nullptr);

    TicketDraft draft() const;
    QLineEdit *subjectEdit() const { return m_subject; }

Q_SIGNALS:
    void draftChosen(qint64 conversationId, const syncdesk::TicketDraft &draft);

private:
    qint64 m_conversationId;
    QLineEdit *m_subject = nullptr;
    QComboBox *m_priority = nullptr;
    QComboBox *m_category = nullptr;
    QPlainTextEdit *m_description = nullptr;
};

} // namespace syncdesk::ui
