#pragma once

#include "core/result.h"
#include "demo/democontent.h"
#include "demo/demooptions.h"

#include <QObject>
#include <QRandomGenerator>
#include <QSqlDatabase>

#include <memory>

class QTimer;

namespace syncdesk {

class ConnectionProvider;

// Live demo traffic: what the two systems' own users do all day. Customers edit their profiles in
// the product, agents edit customers and move tickets in the helpdesk, new AI conversations arrive,
// and now and then the same field is edited on both sides moments apart (a conflict in the making).
// Plain captured writes, exactly as the real applications would make them.
// Lives on its own thread (moveToThread); start() and stop() run there.
class DemoTraffic : public QObject
{
    Q_OBJECT

public:
    DemoTraffic(std::shared_ptr<ConnectionProvider> backend, std::shared_ptr<ConnectionProvider> dashboard,
                DemoOptions options, QObject *parent = nullptr);
    ~DemoTraffic() override;

    // Performs one random action now (the timer calls this; tests call it directly).
    Status step();
    qint64 actionsPerformed() const { return m_actions; }

public Q_SLOTS:
    void start();
    void stop();

Q_SIGNALS:
    void actionFailed(const QString &message);

private:
    Status editBackendProfile(QSqlDatabase &backend);
    Status editDashboardCustomer(QSqlDatabase &dashboard);
    Status changeTicketStatus(QSqlDatabase &dashboard);
    Status startConversation(QSqlDatabase &backend);
    // The next turn of an active conversation's story; a finished one is resolved or left waiting.
    Status continueConversation(QSqlDatabase &backend);
    Status addTurns(QSqlDatabase &backend, qint64 conversationId, const DemoConversation &conversation,
                    int first, int count);
    Status editSameFieldOnBothSides(QSqlDatabase &backend, QSqlDatabase &dashboard);
    Status signUpCustomer(QSqlDatabase &backend);
    Status createAgentTicket(QSqlDatabase &dashboard);
    // A random existing id of `table` (0 when empty), optionally among rows matching `where`.
    Result<qint64> randomId(QSqlDatabase &db, const QString &table, const QString &where = {});

    std::shared_ptr<ConnectionProvider> m_backend;
    std::shared_ptr<ConnectionProvider> m_dashboard;
    DemoOptions m_options;
    QRandomGenerator m_random;
    DemoContent m_content;
    QTimer *m_timer = nullptr;
    qint64 m_actions = 0;
    int m_failuresInRow = 0;
};

} // namespace syncdesk
