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
    QString channel;          // chat, email, web, app
    QString priority;         // what an agent would give the ticket
    bool needsTicket = false; // the customer was not helped and waits for a person
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
// customer and the AI assistant across the categories a support team sees. Each conversation is one
// story: its subject, the customer's turns and the assistant's replies are about the same thing and
// name the same order, amount, product or error code. About half end with the customer helped (no
// ticket needed), some undecided, the rest wait for a person. Everything is drawn from the generator
// handed in, so a seed reproduces the same data.
class DemoContent
{
public:
    explicit DemoContent(QRandomGenerator &random);

    // The whole conversation with this id, the same every time for the same seed: the seeder writes
    // it at once, the live traffic writes it turn by turn. `customerEmail` is the address the customer
    // mentions (a reset e-mail that does not arrive).
    static DemoConversation conversationFor(quint32 seed, qint64 conversationId,
                                            const QString &customerEmail = {});

    DemoPerson person(int uniqueNumber);
    DemoConversation conversation();
    DemoConversation conversation(const QString &category);
    QString phone(const QString &locale);
    QString company();
    QString agent();
    QString ticketSubject(const QString &category);
    QString note();

    static const QStringList &categories();

private:
    struct Slots;
    QString pick(const QStringList &items);
    Slots drawSlots();

    QRandomGenerator &m_random;
    QString m_customerEmail;
};

} // namespace syncdesk
