#pragma once

#include "sync/conversationtickets.h"
#include "ui/page.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace syncdesk::ui {

class ConversationDetail;
class JsonTableModel;

// AI conversations with their analysis, filtered by what needs attention ("needs review", "above the
// threshold without a ticket"); the selected one's analysis, signals and transcript; analyse again,
// create a ticket, link a ticket.
class ConversationsPage : public Page
{
    Q_OBJECT

public:
    ConversationsPage(const UiContext &context, BackgroundRunner *runner, QWidget *parent = nullptr);

    QString title() const override { return tr("Conversations"); }
    QString iconName() const override { return QStringLiteral("conversations"); }
    void refresh() override;
    bool focusSearch() override;

    void showConversation(qint64 conversationId);
    void setView(
        const QString &view); // all, needs_review, above_threshold_without_ticket, with_ticket, not_analyzed
    void analyze(qint64 conversationId);
    void createTicket(qint64 conversationId, const syncdesk::TicketDraft &draft);
    void linkTicket(qint64 conversationId, qint64 dashboardTicketId);

    JsonTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    ConversationDetail *detail() const { return m_detail; }

private:
    // The list; with `withDetail` also the conversation shown (a live refresh leaves the transcript alone).
    void load(bool withDetail);
    void loadDetail(qint64 conversationId);
    void afterOperation(const QString &action, qint64 conversationId, const OperationResult &result,
                        const QString &success);

    JsonTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_sorted = nullptr;
    QTableView *m_table = nullptr;
    ConversationDetail *m_detail = nullptr;
    QComboBox *m_view = nullptr;
    QLineEdit *m_text = nullptr;
    QLabel *m_count = nullptr;
    QTimer *m_typing = nullptr;
    QTimer *m_liveRefresh = nullptr;
    qint64 m_shown = 0;
};

} // namespace syncdesk::ui
