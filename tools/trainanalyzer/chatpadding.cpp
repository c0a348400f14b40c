#include "chatpadding.h"

#include <QStringList>

namespace syncdesk::tools {

namespace {

const QStringList kOpenings{
    QStringLiteral("hey hi"),          QStringLiteral("hello good day"), QStringLiteral("hi, anybody?"),
    QStringLiteral("greetings"),       QStringLiteral("hi good evening"), QStringLiteral("yo"),
    QStringLiteral("hello team"),      QStringLiteral("hi support"),      QStringLiteral("hello, can you help"),
    QStringLiteral("hi, i need help"), QStringLiteral("good day to you"), QStringLiteral("heyy")};
const QStringList kNames{QStringLiteral("Dana Frost"),   QStringLiteral("Kemi Ade"),   QStringLiteral("R. Patel"),
                         QStringLiteral("Lucas Moreau"), QStringLiteral("Yuki Sato"),  QStringLiteral("Ben Carter"),
                         QStringLiteral("Ngozi Eze"),    QStringLiteral("Arjun Rao"),  QStringLiteral("Fiona Walsh")};
const QStringList kIdentity{
    QStringLiteral("name: %1"),          QStringLiteral("it's %1"),          QStringLiteral("%1 here"),
    QStringLiteral("born %3 march 19%2"), QStringLiteral("d.o.b %3-0%3-%2"), QStringLiteral("a/c 00%4"),
    QStringLiteral("card ends in %5"),   QStringLiteral("member no. %4"),    QStringLiteral("ref %4"),
    QStringLiteral("phone 07%4"),        QStringLiteral("postcode SW1A 1AA"), QStringLiteral("policy no %4"),
    QStringLiteral("customer id %4"),    QStringLiteral("user id is %1"),    QStringLiteral("the email is on file")};
const QStringList kAcknowledgements{
    QStringLiteral("okay"),         QStringLiteral("ok cool"),     QStringLiteral("alright then"),
    QStringLiteral("yes correct"),  QStringLiteral("that's right"), QStringLiteral("correct"),
    QStringLiteral("yeah"),         QStringLiteral("uh huh"),      QStringLiteral("sure thing"),
    QStringLiteral("one moment please"), QStringLiteral("brb"),    QStringLiteral("give me a sec"),
    QStringLiteral("waiting"),      QStringLiteral("are you there"), QStringLiteral("sorry typo"),
    QStringLiteral("i see"),        QStringLiteral("oh ok"),       QStringLiteral("noted"),
    QStringLiteral("yes that is me"), QStringLiteral("no"),        QStringLiteral("hmm ok")};
const QStringList kClosings{
    QStringLiteral("thank you very much"), QStringLiteral("thanks a lot"), QStringLiteral("great thanks"),
    QStringLiteral("bye bye"),             QStringLiteral("have a good day"), QStringLiteral("that's everything"),
    QStringLiteral("nothing else"),        QStringLiteral("ok thank you bye"), QStringLiteral("many thanks")};

const QString &pick(const QStringList &list, std::mt19937 &random)
{
    return list[qsizetype(random() % quint32(list.size()))];
}

QString identity(std::mt19937 &random)
{
    QString text = pick(kIdentity, random);
    text.replace(QLatin1String("%1"), pick(kNames, random));
    text.replace(QLatin1String("%2"), QString::number(50 + random() % 50));
    text.replace(QLatin1String("%3"), QString::number(1 + random() % 9));
    text.replace(QLatin1String("%4"), QString::number(100000 + random() % 900000));
    text.replace(QLatin1String("%5"), QString::number(1000 + random() % 9000));
    return text;
}

AnalyzedMessage customer(const QString &text)
{
    return {AnalyzedMessage::Role::Customer, text, QDateTime()};
}

} // namespace

LabelledConversation ChatPadding::padded(const LabelledConversation &conversation, std::mt19937 &random)
{
    LabelledConversation copy = conversation;
    copy.id += QStringLiteral("/padded");
    copy.messages.clear();
    copy.messages.append(customer(pick(kOpenings, random)));
    for (quint32 i = 0, n = 1 + random() % 3; i < n; ++i)
        copy.messages.append(customer(identity(random)));
    for (const AnalyzedMessage &message : conversation.messages) {
        if (message.role != AnalyzedMessage::Role::Customer)
            continue;
        copy.messages.append(message);
        if (random() % 2 == 0)
            copy.messages.append(customer(pick(kAcknowledgements, random)));
    }
    for (quint32 i = 0, n = random() % 3; i < n; ++i)
        copy.messages.append(customer(pick(kAcknowledgements, random)));
    copy.messages.append(customer(pick(kClosings, random)));
    return copy;
}

} // namespace syncdesk::tools
