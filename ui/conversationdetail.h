#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace syncdesk::ui {

class JsonTableModel;

// One AI conversation: its analysis (confidence bar, result, category, priority, sentiment, the
// suggested subject and summary), the signals that explain the score, the transcript, and what can be
// done with it: analyse again, make a ticket, link a ticket.
class ConversationDetail : public QWidget
{
    Q_OBJECT

public:
    ConversationDetail(double threshold, QWidget *parent = nullptr);

    // ConversationQueries::get().
    void showConversation(const QJsonObject &conversation);
    void clear();
    void setBusy(bool busy);
    qint64 conversationId() const { return m_conversation.value(QLatin1String("id")).toInteger(); }
    const QJsonObject &conversation() const { return m_conversation; }
    QPushButton *analyzeButton() const { return m_analyze; }
    QPushButton *createButton() const { return m_create; }
    QPushButton *linkButton() const { return m_link; }
    QString ticketText() const;
    static QString resultTitle(const QString &result);

Q_SIGNALS:
    void analyzeRequested(qint64 conversationId);
    void createTicketRequested(qint64 conversationId);
    void linkTicketRequested(qint64 conversationId);
    void openTicket(qint64 dashboardTicketId);

private:
    void updateButtons();

    double m_threshold;
    QJsonObject m_conversation;
    bool m_busy = false;
    QLabel *m_title = nullptr;
    QProgressBar *m_confidence = nullptr;
    QLabel *m_analysis = nullptr;
    QLabel *m_ticket = nullptr;
    QTableView *m_signals = nullptr;
    JsonTableModel *m_signalModel = nullptr;
    QTextBrowser *m_transcript = nullptr;
    QPushButton *m_analyze = nullptr;
    QPushButton *m_create = nullptr;
    QPushButton *m_link = nullptr;
};

} // namespace syncdesk::ui
