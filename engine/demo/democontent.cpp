#include "demo/democontent.h"

#include <QMap>

namespace syncdesk {

namespace {

const QStringList kFirstNames{
    QStringLiteral("Emma"),   QStringLiteral("Liam"),   QStringLiteral("Olivia"), QStringLiteral("Noah"),
    QStringLiteral("Ava"),    QStringLiteral("Lucas"),  QStringLiteral("Mia"),    QStringLiteral("Ethan"),
    QStringLiteral("Sofia"),  QStringLiteral("Mateo"),  QStringLiteral("Hannah"), QStringLiteral("Jonas"),
    QStringLiteral("Lea"),    QStringLiteral("Felix"),  QStringLiteral("Chloe"),  QStringLiteral("Hugo"),
    QStringLiteral("Amelia"), QStringLiteral("Oscar"),  QStringLiteral("Isla"),   QStringLiteral("Leo"),
    QStringLiteral("Priya"),  QStringLiteral("Arjun"),  QStringLiteral("Yuki"),   QStringLiteral("Kenji"),
    QStringLiteral("Fatima"), QStringLiteral("Omar"),   QStringLiteral("Chiara"), QStringLiteral("Marco"),
    QStringLiteral("Ingrid"), QStringLiteral("Lars"),   QStringLiteral("Aisha"),  QStringLiteral("Daniel"),
    QStringLiteral("Grace"),  QStringLiteral("Samuel"), QStringLiteral("Zoe"),    QStringLiteral("Victor"),
    QStringLiteral("Nora"),   QStringLiteral("Elias"),  QStringLiteral("Maya"),   QStringLiteral("Tomás"),
};

const QStringList kLastNames{
    QStringLiteral("Smith"),   QStringLiteral("Müller"),    QStringLiteral("Garcia"),
    QStringLiteral("Johnson"), QStringLiteral("Schmidt"),   QStringLiteral("Martin"),
    QStringLiteral("Rossi"),   QStringLiteral("Brown"),     QStringLiteral("Dubois"),
    QStringLiteral("Nguyen"),  QStringLiteral("Kowalski"),  QStringLiteral("Jensen"),
    QStringLiteral("Patel"),   QStringLiteral("Tanaka"),    QStringLiteral("Okafor"),
    QStringLiteral("Silva"),   QStringLiteral("Fischer"),   QStringLiteral("Wilson"),
    QStringLiteral("Moreau"),  QStringLiteral("Andersen"),  QStringLiteral("Khan"),
    QStringLiteral("Lopez"),   QStringLiteral("Weber"),     QStringLiteral("Taylor"),
    QStringLiteral("Novak"),   QStringLiteral("Costa"),     QStringLiteral("Hughes"),
    QStringLiteral("Becker"),  QStringLiteral("Yamamoto"),  QStringLiteral("O'Brien"),
    QStringLiteral("Haddad"),  QStringLiteral("Lindqvist"),
};

const QStringList kCompanies{
    QStringLiteral("Northwind Traders"),  QStringLiteral("Blue Harbor Studio"),
    QStringLiteral("Keller & Sons"),      QStringLiteral("Brightpath Labs"),
    QStringLiteral("Alder Logistics"),    QStringLiteral("Café Lumière"),
    QStringLiteral("Quantum Dental"),     QStringLiteral("Redwood Analytics"),
    QStringLiteral("Sunny Side Bakery"),  QStringLiteral("Helix Robotics"),
    QStringLiteral("Green Valley Farms"), QStringLiteral("Pixel Forge"),
    QStringLiteral("Nordlicht GmbH"),     QStringLiteral("Atlas Legal"),
    QStringLiteral("Maple Fitness"),      QStringLiteral("Orbit Travel"),
    QStringLiteral("Silverline Media"),   QStringLiteral("Tidewater Marine"),
};

const QStringList kDomains{QStringLiteral("example.com"), QStringLiteral("mail.example.org"),
                           QStringLiteral("inbox.example.net"), QStringLiteral("corp.example.com")};

const QStringList kLocales{QStringLiteral("en"),    QStringLiteral("en"), QStringLiteral("en"),
                           QStringLiteral("en-GB"), QStringLiteral("de"), QStringLiteral("fr"),
                           QStringLiteral("es"),    QStringLiteral("nl")};

const QStringList kTags{QStringLiteral("vip"),   QStringLiteral("trial"),      QStringLiteral("enterprise"),
                        QStringLiteral("beta"),  QStringLiteral("churn-risk"), QStringLiteral("newsletter"),
                        QStringLiteral("annual")};

const QStringList kAgents{QStringLiteral("anna.k"), QStringLiteral("ben.t"), QStringLiteral("carla.m"),
                          QStringLiteral("dev.r"), QStringLiteral("elena.s")};

const QStringList kProducts{QStringLiteral("wireless headphones"), QStringLiteral("standing desk"),
                            QStringLiteral("espresso machine"),    QStringLiteral("running shoes"),
                            QStringLiteral("4K monitor"),          QStringLiteral("backpack"),
                            QStringLiteral("smart thermostat"),    QStringLiteral("office chair")};

const QStringList kPlans{QStringLiteral("Pro plan"), QStringLiteral("Team plan"),
                         QStringLiteral("Starter plan"), QStringLiteral("Business plan")};

const QStringList kErrors{
    QStringLiteral("E-4012"),   QStringLiteral("ERR_SYNC_TIMEOUT"), QStringLiteral("E-503"),
    QStringLiteral("AUTH-401"), QStringLiteral("ERR_UPLOAD_LIMIT"), QStringLiteral("E-2207")};

const QStringList kNotes{QStringLiteral("Prefers e-mail over phone."),
                         QStringLiteral("Called twice about invoices last quarter."),
                         QStringLiteral("Key account: escalate quickly."),
                         QStringLiteral("Asked for a product demo for their team."),
                         QStringLiteral("Timezone: Central European."),
                         QStringLiteral("Happy customer, gave a 5-star review.")};

struct Script
{
    QStringList openings;
    QStringList assistantAnswers;
    QStringList escalations; // the customer is not helped
    QStringList resolutions; // the customer is helped
    QStringList subjects;
    double ticketRate;
    QStringList priorities;
};

const QMap<QString, Script> &scripts()
{
    static const QMap<QString, Script> table{
        {QStringLiteral("billing"),
         {{QStringLiteral("Hi, I was charged {amount} twice this month for my {plan}. Can you check?"),
           QStringLiteral(
               "My invoice shows {amount} but I switched to the {plan} last week. Why the difference?"),
           QStringLiteral("Where can I download the invoice for my last payment?"),
           QStringLiteral(
               "My card was declined when renewing the {plan}, but the bank says everything is fine.")},
          {QStringLiteral(
               "I'm sorry about that. I can see two payments of {amount} on your account. Refunds of "
               "duplicate charges are handled by our billing team."),
           QStringLiteral(
               "Invoices are under Settings → Billing → Invoices. Each one can be downloaded as a PDF."),
           QStringLiteral("Plan changes are prorated: the difference is credited on your next invoice.")},
          {QStringLiteral(
               "That doesn't answer my question. I need the duplicate charge reversed, please get a person "
               "to look at it."),
           QStringLiteral("I already tried that twice. Can I talk to someone from billing?"),
           QStringLiteral("This is really frustrating, I've been charged again today!")},
          {QStringLiteral("Found it, thanks!"), QStringLiteral("Ah, that makes sense now. Thank you."),
           QStringLiteral("Great, that's all I needed.")},
          {QStringLiteral("Charged twice for {plan}"), QStringLiteral("Invoice amount does not match plan"),
           QStringLiteral("Card declined on renewal")},
          0.6,
          {QStringLiteral("normal"), QStringLiteral("high")}}},
        {QStringLiteral("refund"),
         {{QStringLiteral(
               "I want a refund for the {product} from order {order}. It stopped working after two days."),
           QStringLiteral(
               "Please refund order {order}, I returned the {product} a week ago and haven't heard back."),
           QStringLiteral("How long does a refund take? I sent back order {order}.")},
          {QStringLiteral(
               "I'm sorry the {product} let you down. Refunds are usually processed within 5-7 business "
               "days after the return arrives at our warehouse."),
           QStringLiteral(
               "I can see the return for order {order} is registered. A colleague needs to approve the "
               "refund of {amount}.")},
          {QStringLiteral("It's been more than two weeks. I want my {amount} back, please escalate this."),
           QStringLiteral("Not acceptable. I want to speak to a human about this refund."),
           QStringLiteral("If I don't get my money back I will dispute the charge with my bank.")},
          {QStringLiteral("OK, I'll wait for the refund then. Thanks."),
           QStringLiteral("Thanks, I see it's already on its way.")},
          {QStringLiteral("Refund for order {order}"),
           QStringLiteral("Refund not received for returned {product}")},
          0.8,
          {QStringLiteral("normal"), QStringLiteral("high"), QStringLiteral("high")}}},
        {QStringLiteral("order"),
         {{QStringLiteral("Where is my order {order}? Tracking hasn't updated in four days."),
           QStringLiteral("I received the wrong item in order {order}: I ordered a {product}."),
           QStringLiteral("Can I still change the delivery address for order {order}?")},
          {QStringLiteral(
               "Order {order} left our warehouse on Monday; carriers sometimes update tracking late."),
           QStringLiteral(
               "I'm sorry about the mix-up. I've noted that order {order} contained the wrong item."),
           QStringLiteral("Address changes are possible until the order ships.")},
          {QStringLiteral("It never arrived and the carrier says it was delivered. I need a replacement."),
           QStringLiteral("Please have someone send the right {product}, I need it by Friday."),
           QStringLiteral("It already shipped to my old address, what now?")},
          {QStringLiteral("It just arrived, thank you!"),
           QStringLiteral("Perfect, thanks for the quick help.")},
          {QStringLiteral("Order {order} not delivered"), QStringLiteral("Wrong item in order {order}"),
           QStringLiteral("Change delivery address for {order}")},
          0.5,
          {QStringLiteral("normal"), QStringLiteral("high")}}},
        {QStringLiteral("account"),
         {{QStringLiteral("I can't log in, the password reset e-mail never arrives at {email}."),
           QStringLiteral("Please close my account and delete my data."),
           QStringLiteral("How do I change the e-mail address on my account?")},
          {QStringLiteral("Reset e-mails can take a few minutes; please also check your spam folder."),
           QStringLiteral(
               "You can change your e-mail under Profile → Account. You'll get a confirmation link."),
           QStringLiteral("Account closure requests are handled by our team to protect your data.")},
          {QStringLiteral("Still nothing after an hour. I'm locked out and need access today."),
           QStringLiteral("I think someone else logged into my account, I see orders I didn't make!"),
           QStringLiteral("I asked for deletion under GDPR, please confirm in writing.")},
          {QStringLiteral("It worked, I'm back in. Thanks!"), QStringLiteral("Done, thank you.")},
          {QStringLiteral("Password reset e-mail not arriving"), QStringLiteral("Account closure request"),
           QStringLiteral("Suspicious login on account")},
          0.5,
          {QStringLiteral("normal"), QStringLiteral("high"), QStringLiteral("urgent")}}},
        {QStringLiteral("technical"),
         {{QStringLiteral("The app crashes with error {error} every time I upload a file."),
           QStringLiteral("Sync stopped working since yesterday, I get {error}."),
           QStringLiteral("The export to CSV is empty even though I have data.")},
          {QStringLiteral(
               "Sorry about that. Could you try signing out and in again, and updating to the latest "
               "version?"),
           QStringLiteral(
               "Error {error} usually means a temporary connection problem. Please try again in a few "
               "minutes."),
           QStringLiteral("Please check that the date filter of the export includes your data.")},
          {QStringLiteral("I did all that, still {error}. My whole team is blocked."),
           QStringLiteral("Same error again. This is the third time I'm asking."),
           QStringLiteral("It's still broken, I need an engineer to look at it.")},
          {QStringLiteral("Updating fixed it, thanks."),
           QStringLiteral("Works now, the filter was the problem.")},
          {QStringLiteral("Upload fails with {error}"), QStringLiteral("Sync broken: {error}"),
           QStringLiteral("CSV export is empty")},
          0.6,
          {QStringLiteral("normal"), QStringLiteral("high"), QStringLiteral("urgent")}}},
        {QStringLiteral("complaint"),
         {{QStringLiteral("Your delivery driver left my {product} in the rain. Completely unacceptable."),
           QStringLiteral("I've been a customer for years and this is the worst service I've had."),
           QStringLiteral("Nobody answered my e-mails for a week. Very disappointed.")},
          {QStringLiteral("I'm really sorry to hear that. That's not the experience we want you to have."),
           QStringLiteral("I apologise for the delay. I'd like to make this right.")},
          {QStringLiteral("Sorry isn't enough. I want to talk to a manager."),
           QStringLiteral("I WANT THIS FIXED NOW!!! I'm considering cancelling."),
           QStringLiteral("I'll leave a bad review unless someone calls me back today.")},
          {QStringLiteral("OK, thanks for listening."), QStringLiteral("Alright, I appreciate the apology.")},
          {QStringLiteral("Complaint about delivery"), QStringLiteral("Unhappy with support response time")},
          0.8,
          {QStringLiteral("high"), QStringLiteral("urgent"), QStringLiteral("normal")}}},
        {QStringLiteral("general"),
         {{QStringLiteral("What are your opening hours on weekends?"),
           QStringLiteral("Do you ship to Canada?"),
           QStringLiteral("Is there a student discount on the {plan}?"),
           QStringLiteral("Which payment methods do you accept?")},
          {QStringLiteral("Our support team is available Monday to Saturday, 8:00-20:00 CET."),
           QStringLiteral("Yes, we ship to Canada; delivery takes 5-8 business days."),
           QStringLiteral("Students get 30% off the {plan} with a valid student e-mail."),
           QStringLiteral("We accept cards, PayPal and bank transfer.")},
          {QStringLiteral("That's not what your website says. Can someone confirm?")},
          {QStringLiteral("Thanks, that's helpful!"), QStringLiteral("Great, thank you."),
           QStringLiteral("Perfect, have a nice day.")},
          {QStringLiteral("Question about opening hours"), QStringLiteral("Shipping question")},
          0.1,
          {QStringLiteral("low"), QStringLiteral("normal")}}},
    };
    return table;
}

} // namespace

DemoContent::DemoContent(QRandomGenerator &random)
    : m_random(random)
{}

const QStringList &DemoContent::categories()
{
    static const QStringList names{QStringLiteral("billing"),   QStringLiteral("refund"),
                                   QStringLiteral("order"),     QStringLiteral("account"),
                                   QStringLiteral("technical"), QStringLiteral("complaint"),
                                   QStringLiteral("general")};
    return names;
}

QString DemoContent::pick(const QStringList &items)
{
    return items.at(int(m_random.bounded(quint32(items.size()))));
}

QString DemoContent::fill(QString text)
{
    const auto replace = [&](const char *slot, const QString &value) {
        text.replace(QLatin1String(slot), value);
    };
    replace("{order}",
            QStringLiteral("#%1-%2").arg(m_random.bounded(10000, 99999)).arg(m_random.bounded(10, 99)));
    const bool euro = m_random.bounded(3) == 0;
    replace("{amount}", QStringLiteral("%1%2.%3")
                            .arg(euro ? QStringLiteral("€") : QStringLiteral("$"))
                            .arg(m_random.bounded(9, 400))
                            .arg(m_random.bounded(0, 99), 2, 10, QLatin1Char('0')));
    replace("{plan}", pick(kPlans));
    replace("{product}", pick(kProducts));
    replace("{error}", pick(kErrors));
    replace("{email}", QStringLiteral("%1@%2").arg(pick(kFirstNames).toLower(), pick(kDomains)));
    return text;
}

DemoPerson DemoContent::person(int uniqueNumber)
{
    DemoPerson person;
    const QString first = pick(kFirstNames);
    const QString last = pick(kLastNames);
    person.fullName = first + QLatin1Char(' ') + last;
    QString local = (first + QLatin1Char('.') + last).toLower();
    local.remove(QLatin1Char('\''))
        .replace(QStringLiteral("ü"), QStringLiteral("ue"))
        .replace(QStringLiteral("á"), QStringLiteral("a"));
    person.email = QStringLiteral("%1%2@%3").arg(local).arg(uniqueNumber).arg(pick(kDomains));
    person.locale = pick(kLocales);
    person.phone = phone(person.locale);
    person.company = m_random.bounded(3) == 0 ? QString() : company();
    for (const QString &tag : kTags) {
        if (m_random.bounded(6) == 0)
            person.tags << tag;
    }
    return person;
}

QString DemoContent::phone(const QString &locale)
{
    const int a = m_random.bounded(100, 999);
    const int b = m_random.bounded(1000, 9999);
    if (locale == QLatin1String("de"))
        return QStringLiteral("+49 30 %1%2").arg(a).arg(b);
    if (locale == QLatin1String("en-GB"))
        return QStringLiteral("+44 20 %1 %2").arg(a * 10 + m_random.bounded(10)).arg(b);
    if (locale == QLatin1String("fr"))
        return QStringLiteral("+33 1 %1 %2").arg(a).arg(b);
    return QStringLiteral("+1 555 %1 %2").arg(a).arg(b);
}

QString DemoContent::company()
{
    return pick(kCompanies);
}

QString DemoContent::agent()
{
    return pick(kAgents);
}

QString DemoContent::note()
{
    return pick(kNotes);
}

QString DemoContent::ticketSubject(const QString &category)
{
    return fill(pick(scripts().value(category).subjects));
}

QString DemoContent::customerFollowUp(const QString &category)
{
    const Script &script = scripts().value(category);
    return fill(pick(m_random.bounded(2) == 0 ? script.escalations : script.resolutions));
}

DemoConversation DemoContent::conversation()
{
    // Roughly what a support inbox sees: orders and billing lead, general questions are common.
    static const QList<QPair<QString, int>> weights{
        {QStringLiteral("order"), 22},     {QStringLiteral("billing"), 18}, {QStringLiteral("general"), 17},
        {QStringLiteral("technical"), 15}, {QStringLiteral("account"), 11}, {QStringLiteral("refund"), 10},
        {QStringLiteral("complaint"), 7}};
    int roll = m_random.bounded(100);
    for (const auto &[category, weight] : weights) {
        if (roll < weight)
            return conversation(category);
        roll -= weight;
    }
    return conversation(QStringLiteral("general"));
}

DemoConversation DemoContent::conversation(const QString &category)
{
    const Script &script = scripts().value(category);
    DemoConversation result;
    result.category = category;
    result.subject = fill(pick(script.subjects));
    result.channel = pick({QStringLiteral("chat"), QStringLiteral("chat"), QStringLiteral("app"),
                           QStringLiteral("web"), QStringLiteral("email")});
    result.priority = pick(script.priorities);
    result.needsTicket = m_random.generateDouble() < script.ticketRate;

    result.messages.append({QStringLiteral("customer"), fill(pick(script.openings))});
    result.messages.append({QStringLiteral("assistant"), fill(pick(script.assistantAnswers))});
    if (result.needsTicket) {
        const int rounds = 1 + int(m_random.bounded(3));
        for (int i = 0; i < rounds; ++i) {
            result.messages.append({QStringLiteral("customer"), fill(pick(script.escalations))});
            if (i + 1 < rounds)
                result.messages.append({QStringLiteral("assistant"), fill(pick(script.assistantAnswers))});
        }
        result.messages.append(
            {QStringLiteral("assistant"),
             QStringLiteral("I understand. I'm handing this over to a member of our support team, "
                            "who will get back to you shortly.")});
    } else {
        result.messages.append({QStringLiteral("customer"), fill(pick(script.resolutions))});
        if (m_random.bounded(2) == 0)
            result.messages.append(
                {QStringLiteral("assistant"),
                 QStringLiteral("You're welcome! Is there anything else I can help with?")});
    }
    return result;
}

} // namespace syncdesk
