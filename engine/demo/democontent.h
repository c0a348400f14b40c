#pragma once

#include <QList>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>

namespace syncdesk {

struct DemoMessage
{
    QString role; // customer, assistant, agent, system
    QString content;
};

struct DemoConversation
{
    QString category; // billing, refund, order, account, technical, complaint, general
    QString subject;
    QString channel;  // chat, email, web, app
    QString priority; // what an agent would give the ticket
    bool needsTicket = false;
    QList<DemoMessage> messages;
};

struct DemoPerson
{
    QString fullName;
    QString email;
    QString phone;
    QString company;
    QString locale;
    QStringList tags;
};

// Believable support data made from templates: people, and multi-turn conversations between a
// customer and the AI assistant across the categories a support team sees. Everything is drawn from
// the generator handed in, so a seed reproduces the same data.
class DemoContent
{
public:
    explicit DemoContent(QRandomGenerator &random);

    DemoPerson person(int uniqueNumber);
    DemoConversation conversation();
    DemoConversation conversation(const QString &category);
    // A follow-up line from the customer in an ongoing conversation.
    QString customerFollowUp(const QString &category);
    QString phone(const QString &locale);
    QString company();
    QString agent();
    QString ticketSubject(const QString &category);
    QString note();

    static const QStringList &categories();

private:
    QString pick(const QStringList &items);
    QString fill(QString text);

    QRandomGenerator &m_random;
};

} // namespace syncdesk
