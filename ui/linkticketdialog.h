#pragma once

#include "ui/backgroundrunner.h"
#include "ui/uicontext.h"

#include <QDialog>
#include <QJsonObject>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace syncdesk::ui {

class JsonTableModel;

// "Link to ticket": the open tickets of the conversation's customer first, then any other ticket the
// search finds. Reads through TicketQueries on the window's workers; the page does the linking.
class LinkTicketDialog : public QDialog
{
    Q_OBJECT

public:
    LinkTicketDialog(const UiContext &context, BackgroundRunner *runner, const QJsonObject &conversation,
                     QWidget *parent = nullptr);

    void search();
    JsonTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    qint64 chosenTicket() const;

Q_SIGNALS:
    void ticketChosen(qint64 conversationId, qint64 dashboardTicketId);
    void searched();

private:
    UiContext m_context;
    BackgroundRunner *m_runner;
    qint64 m_conversationId;
    qint64 m_userId;
    QLineEdit *m_text = nullptr;
    QCheckBox *m_all = nullptr;
    QTableView *m_table = nullptr;
    JsonTableModel *m_model = nullptr;
    QLabel *m_state = nullptr;
    QPushButton *m_ok = nullptr;
    QTimer *m_typing = nullptr;
};

} // namespace syncdesk::ui
