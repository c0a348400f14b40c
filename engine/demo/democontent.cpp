#include "demo/democontent.h"

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

// One kind of conversation a support inbox sees, all its lines about the same thing. A line may name
// the conversation's {order}, {amount}, {plan}, {product}, {error} or {email}: one value each per
// conversation, so every turn (and the ticket made of it) names the same order.
struct Story
{
    QString category;
    double ticketRate; // how often the customer is not helped and needs a person
    QStringList priorities;
    QStringList subjects;
    QStringList openings;    // the customer's first message
    QStringList answers;     // the assistant's answer to it
    QStringList escalations; // the customer is not helped; each says why, about the same thing
    QStringList replies;     // the assistant acknowledging an escalation before the next one
    QStringList thanks;      // the customer is helped
    QStringList undecided;   // the customer will try it and may come back (borderline for the analyzer)
};

const QString kHandover = QStringLiteral(
    "I understand. I'm handing this over to a member of our support team, who will get back to you shortly.");
const QString kWelcome = QStringLiteral("You're welcome! Is there anything else I can help with?");
const QString kComeBack = QStringLiteral("Of course. Just write here again if it still happens.");

QList<Story> makeStories()
{
    const auto l = [](std::initializer_list<const char *> lines) {
        QStringList list;
        for (const char *line : lines)
            list << QString::fromUtf8(line);
        return list;
    };
    return {
        // Billing
        {QStringLiteral("billing"),
         0.7,
         l({"normal", "high"}),
         l({"Charged twice for the {plan}", "Double payment of {amount}"}),
         l({"Hi, I was charged {amount} twice this month for my {plan}. Can you check?",
            "There are two payments of {amount} for the {plan} on my card this month. Why?"}),
         l({"I can see two payments of {amount}. The second one is the authorisation of a failed attempt; "
            "your bank releases it within 3-5 business days."}),
         l({"It's not pending, both payments of {amount} are booked on my statement. I want the second one "
            "refunded.",
            "I already waited a week and the second {amount} is still gone from my account. Please have "
            "billing reverse it.",
            "This is the third time I'm asking about this double charge. Can a person from billing look at "
            "it?"}),
         l({"I'm sorry. I've noted that both payments of {amount} for the {plan} were booked."}),
         l({"Ah, that explains it. I'll wait for my bank then, thanks!",
            "OK, good to know it's only a hold. Thank you."}),
         {}},
        {QStringLiteral("billing"),
         0.05,
         l({"low", "normal"}),
         l({"Where to download invoices", "Invoice for the {plan}"}),
         l({"Where can I download the invoice for my last payment?",
            "I need a PDF invoice for the {plan} for my accountant. Where do I find it?"}),
         l({"Invoices are under Settings → Billing → Invoices. Each one can be downloaded as a PDF."}),
         l({"There is no Invoices section in my Settings, only Payment methods. I still need the invoice for "
            "the {plan}."}),
         l({"Sorry about that. I've noted that the Invoices section is missing in your account."}),
         l({"Found the invoice, thanks!", "Got the PDF, that's all I needed. Thanks."}),
         {}},
        {QStringLiteral("billing"),
         0.25,
         l({"normal"}),
         l({"Invoice amount does not match the {plan}", "Question about my {plan} invoice"}),
         l({"My invoice shows {amount} but I switched to the {plan} last week. Why the difference?"}),
         l({"Plan changes are prorated: the days on your old plan are billed at the old price, and the "
            "difference is credited on your next invoice."}),
         l({"The credit wasn't on my next invoice either, I paid {amount} again. Please correct it.",
            "That doesn't add up, the {plan} costs much less than {amount}. Please have someone from billing "
            "correct the invoice."}),
         l({"I see. I've noted that the {amount} invoice doesn't show the credit for your switch to the "
            "{plan}."}),
         l({"Ah, so the old plan's days are billed first. Makes sense now, thank you.",
            "OK, so the difference comes back next month. Thanks for explaining."}),
         {}},
        {QStringLiteral("billing"), 0.45, l({"normal", "high"}),
         l({"Card declined on renewal of the {plan}"}),
         l({"My card was declined when renewing the {plan}, but the bank says everything is fine."}),
         l({"Renewals sometimes fail when the card's billing address doesn't match. Please check the address "
            "under Settings → Billing and try the payment again."}),
         l({"The address is correct and it's still declined. My {plan} runs out tomorrow, I need this "
            "sorted.",
            "I tried three times now, still declined. My team can't work without the {plan}."}),
         l({"I'm sorry. I've noted that the renewal of your {plan} keeps being declined."}),
         l({"The address was old. Updated it and the payment went through, thanks!",
            "That was it, the renewal worked. Thank you."}),
         l({"I'll try the payment later, let's see."})},
        // Refunds
        {QStringLiteral("refund"),
         0.9,
         l({"normal", "high", "high"}),
         l({"Refund for order {order}", "Refund for the broken {product}"}),
         l({"I want a refund for the {product} from order {order}. It broke after two days."}),
         l({"I'm sorry the {product} let you down. You can start a return for order {order} under Orders → "
            "Return; the refund follows when the return arrives at our warehouse."}),
         l({"I started the return for order {order} a week ago and the label never came. I want my {amount} "
            "back, please escalate this.",
            "I don't want to send it back at my cost, the {product} was broken on arrival. I need a person "
            "to approve the refund.",
            "If I don't get my {amount} back for order {order} I will dispute the charge with my bank."}),
         l({"I understand. I've noted that order {order} needs a refund of {amount}."}),
         l({"OK, I'll start the return for order {order} then. Thanks."}),
         {}},
        {QStringLiteral("refund"),
         0.2,
         l({"normal"}),
         l({"Return of the broken {product}", "Returning order {order}"}),
         l({"The {product} from order {order} broke after two days. How do I return it?"}),
         l({"I'm sorry the {product} let you down. You can start a return for order {order} under Orders → "
            "Return; you get the {amount} back when the return arrives at our warehouse."}),
         l({"I started the return for order {order} a week ago and the label never came. Please send it, I "
            "want my {amount} back.",
            "The Return button says the return window is closed, but I only got it ten days ago. I need "
            "someone to sort this out."}),
         l({"I understand. I've noted that the return of order {order} is stuck."}),
         l({"Found the return button, thanks!", "OK, the return for order {order} is on its way. Thanks!"}),
         {}},
        {QStringLiteral("refund"),
         0.55,
         l({"normal", "high"}),
         l({"Refund not received for order {order}", "Status of my refund for the {product}"}),
         l({"How long does a refund take? I sent back order {order} last week.",
            "Please check my refund for order {order}, I returned the {product} ten days ago."}),
         l({"Refunds are processed within 5-7 business days after the return arrives. The return for order "
            "{order} arrived at our warehouse on Monday, so the {amount} should reach you by the end of next "
            "week."}),
         l({"It's been more than two weeks now and the {amount} for order {order} is still not on my "
            "account. Please escalate this.",
            "The tracking says the parcel for order {order} was delivered to you three weeks ago. Where is "
            "my money?"}),
         l({"I'm sorry for the wait. I've noted that the refund of {amount} for order {order} has not "
            "arrived."}),
         l({"OK, I'll wait for the refund then. Thanks.",
            "Great, I see the refund is on its way. Thank you."}),
         {}},
        // Orders
        {QStringLiteral("order"),
         0.3,
         l({"normal", "high"}),
         l({"Where is order {order}?", "Tracking for order {order} not updating"}),
         l({"Where is my order {order}? Tracking hasn't updated in four days."}),
         l({"Order {order} left our warehouse on Monday; carriers sometimes update the tracking only when "
            "the parcel reaches the local depot. It should arrive within two days."}),
         l({"It's been a week now and order {order} still hasn't arrived. The carrier says they don't have "
            "it.",
            "The tracking for order {order} now says delivered, but nothing came. I need a replacement."}),
         l({"I'm sorry. I've noted that order {order} hasn't reached you."}),
         l({"It just arrived, thank you!", "OK, I'll wait two more days for the parcel then. Thanks."}),
         {}},
        {QStringLiteral("order"),
         0.9,
         l({"normal", "high"}),
         l({"Wrong item in order {order}"}),
         l({"I received the wrong item in order {order}: I ordered the {product} and got something else."}),
         l({"I'm sorry about the mix-up. You can report a wrong item under Orders → {order} → Report a "
            "problem, with a photo of what arrived; the right {product} is then sent at no cost."}),
         l({"I reported it two days ago and nobody answered. Please have someone send the right {product}, I "
            "need it by Friday.",
            "The form doesn't work for order {order}, it says the return window is closed. I still have the "
            "wrong item here."}),
         l({"I understand. I've noted that order {order} contained the wrong item instead of the "
            "{product}."}),
         l({"OK, I'll use that form. Thank you."}),
         {}},
        {QStringLiteral("order"),
         0.35,
         l({"normal"}),
         l({"Change delivery address for order {order}"}),
         l({"Can I still change the delivery address for order {order}? I'm moving next week."}),
         l({"Address changes are possible until the order ships. Order {order} hasn't shipped yet, so you "
            "can change it under Orders → {order} → Delivery."}),
         l({"The page says order {order} already shipped, to my old address. What now?",
            "There's no Delivery option for order {order}. Please change the address for me before it "
            "ships."}),
         l({"I see. I've noted that order {order} must go to your new address."}),
         l({"Changed the address, thanks for the quick help.", "Perfect, the new address is saved. Thanks."}),
         {}},
        {QStringLiteral("order"),
         0.3,
         l({"normal"}),
         l({"Cancel order {order}"}),
         l({"I ordered the {product} twice by mistake. Can I still undo order {order}?"}),
         l({"Orders can be changed until they ship. Order {order} is still being packed, so you can remove "
            "it under Orders → {order} → Withdraw; the {amount} goes back to your card."}),
         l({"The Withdraw button is greyed out for order {order}. Please cancel it for me, I don't want two "
            "of them.",
            "I withdrew order {order} yesterday but the {amount} hasn't come back and the order still shows "
            "as packed."}),
         l({"I understand. I've noted that order {order} should be cancelled."}),
         l({"Found it, order {order} is withdrawn. Thanks!", "Done, the extra order is gone. Thanks!"}),
         {}},
        // Accounts
        {QStringLiteral("account"), 0.35, l({"normal", "high"}),
         l({"Password reset e-mail not arriving", "Can't log in to my account"}),
         l({"I can't log in, the password reset e-mail never arrives at {email}."}),
         l({"Reset e-mails can take a few minutes. Please also check your spam folder, and make sure {email} "
            "is the address on your account."}),
         l({"Still nothing after an hour, not in spam either. I'm locked out and need access today.",
            "I requested the reset five times now. I need someone to unlock my account."}),
         l({"I'm sorry. I've noted that the reset e-mails don't reach {email}."}),
         l({"It was in spam. I'm back in, thanks!",
            "Got the reset e-mail now, it just took a while. Thank you."}),
         l({"OK, I'll look for the reset e-mail tonight."})},
        {QStringLiteral("account"), 0.1, l({"low", "normal"}),
         l({"Change the e-mail address of my account", "How to update my e-mail address"}),
         l({"How do I change the e-mail address on my account? I have a new one since I changed jobs."}),
         l({"You can change your e-mail under Profile → Account. We'll send a confirmation link to the new "
            "address."}),
         l({"The confirmation link for my new address says it has expired, every time. Please change the "
            "address for me."}),
         l({"Sorry about that. I've noted that the confirmation link for your new address expires."}),
         l({"Done, confirmed the new address. Thanks!", "Easy, the new e-mail address works. Thank you."}),
         l({"Alright, I'll give the e-mail change a try later."})},
        {QStringLiteral("account"),
         0.95,
         l({"normal", "high"}),
         l({"Account closure request", "Delete my account and data"}),
         l({"Please close my account and delete my data.",
            "I want my account and all my personal data deleted."}),
         l({"I'm sorry to see you go. You can delete your account under Profile → Privacy → Delete account; "
            "your data is removed within 30 days."}),
         l({"I asked for deletion under GDPR, please confirm in writing that all my data is removed.",
            "The delete button asks for a password I no longer have. Please close the account for me."}),
         l({"Understood. I've noted your request to close the account and delete your data."}),
         l({"Found it, the account is deleted. Thanks.", "OK, I've deleted the account. Thank you."}),
         {}},
        {QStringLiteral("account"),
         0.9,
         l({"high", "urgent"}),
         l({"Suspicious login on my account", "Someone logged into my account"}),
         l({"I got an e-mail about a login from another country that wasn't me.",
            "I think someone else logged into my account, I see orders I didn't make!"}),
         l({"Please change your password now and turn on two-step verification under Profile → Security. "
            "This signs out every other session."}),
         l({"I changed the password, but there's still order {order} I didn't make. I need someone to cancel "
            "it and check my account.",
            "Someone changed my e-mail address, I can't even change the password anymore. Please lock the "
            "account!"}),
         l({"That's serious. I've noted the unauthorised access to your account."}),
         l({"Changed the password and turned on two-step verification. Thanks.",
            "OK, the password is changed. Thanks for the quick answer."}),
         {}},
        // Technical
        {QStringLiteral("technical"),
         0.6,
         l({"normal", "high", "urgent"}),
         l({"Upload fails with {error}", "App crashes on upload, error {error}"}),
         l({"The app crashes with error {error} every time I upload a file."}),
         l({"Sorry about that. Please update the app to the latest version; {error} on upload was fixed in "
            "the last release."}),
         l({"I'm on the latest version and still get {error} on every upload. My whole team is blocked.",
            "Updated and reinstalled, same {error}. I need an engineer to look at it."}),
         l({"I'm sorry. I've noted that uploads still fail with {error} on the latest version."}),
         l({"Updating fixed it, thanks.", "Works now after the update. Thank you!"}),
         {}},
        {QStringLiteral("technical"),
         0.55,
         l({"normal", "high"}),
         l({"Sync broken: {error}", "Sync stopped working"}),
         l({"Sync stopped working since yesterday, I get {error}."}),
         l({"Error {error} usually means a temporary connection problem. Please sign out and in again, then "
            "start the sync once more."}),
         l({"Signed out and in, still {error}. This is the third day without sync.",
            "Same {error} again on all my devices. It's still broken, please get someone to look at it."}),
         l({"I understand. I've noted that the sync keeps failing with {error}."}),
         l({"That did it, the sync works again. Thanks!", "The sync works again, thanks."}),
         {}},
        {QStringLiteral("technical"),
         0.3,
         l({"normal"}),
         l({"CSV export is empty"}),
         l({"The export to CSV is empty even though I have data."}),
         l({"Please check that the date filter of the export includes your data; by default it exports only "
            "the current month."}),
         l({"The filter is set to all time and the CSV export is still empty. I need the data for a report "
            "today."}),
         l({"I'm sorry. I've noted that the CSV export stays empty with the filter on all time."}),
         l({"Works now, the filter was the problem.", "That was it, the export has data now. Thanks!"}),
         {}},
        {QStringLiteral("technical"),
         0.15,
         l({"low", "normal"}),
         l({"Not getting notifications"}),
         l({"I don't get any notifications on my phone anymore."}),
         l({"Please check that notifications are allowed for the app in your phone's settings, and under "
            "Profile → Notifications in the app."}),
         l({"Both are switched on and I still get no notifications at all. I'm missing important messages."}),
         l({"I see. I've noted that notifications don't arrive although they're switched on."}),
         l({"Notifications were off in the phone settings. Fixed, thanks!",
            "Thanks, the notifications arrive again."}),
         {}},
        // Complaints
        {QStringLiteral("complaint"),
         0.85,
         l({"high", "urgent", "normal"}),
         l({"Complaint about delivery", "{product} left in the rain"}),
         l({"Your delivery driver left my {product} in the rain. The box was soaked. Completely "
            "unacceptable."}),
         l({"I'm really sorry to hear that. Please check whether the {product} is damaged; if it is, we'll "
            "replace it."}),
         l({"It's soaked through and ruined. I want a replacement {product} and a word with the courier.",
            "Sorry isn't enough. The {product} is ruined and I want to talk to a manager."}),
         l({"I understand, and I'm sorry. I've noted that your {product} arrived damaged."}),
         l({"It's dry and fine, luckily. Thanks for listening.", "OK, it dried and seems fine. Thanks."}),
         {}},
        {QStringLiteral("complaint"),
         0.75,
         l({"high", "normal"}),
         l({"Unhappy with support response time"}),
         l({"Nobody answered my e-mails for a week. Very disappointed.",
            "I've been a customer for years and this is the worst service I've had."}),
         l({"I apologise for the delay. I'd like to help right away: what was your question about?"}),
         l({"I WANT THIS FIXED NOW!!! I'm considering cancelling.",
            "I'll leave a bad review unless someone calls me back today.",
            "I've explained it three times already. I want a person to call me."}),
         l({"I'm sorry. I've noted that you've been waiting a week for an answer."}),
         l({"Thanks, that answers my question. All good now.",
            "OK, you've answered it now, that's all I needed. Thanks."}),
         {}},
        // General questions
        {QStringLiteral("general"),
         0.03,
         l({"low"}),
         l({"Question about opening hours", "Support hours on weekends"}),
         l({"What are your opening hours on weekends?", "Is your support open on Sundays?"}),
         l({"Our support team is available Monday to Saturday, 8:00-20:00 CET. On Sundays this chat answers, "
            "and the team replies on Monday."}),
         l({"That's not what your website says, it says 24/7. Can someone confirm?"}),
         l({"Thanks for pointing that out. I've noted that the website shows other opening hours."}),
         l({"Thanks, good to know the hours!", "Great, I'll write on Monday then. Thank you.",
            "Perfect, Saturday works for me. Have a nice day."}),
         {}},
        {QStringLiteral("general"),
         0.03,
         l({"low"}),
         l({"Shipping to Canada"}),
         l({"Do you ship to Canada?"}),
         l({"Yes, we ship to Canada; delivery takes 5-8 business days and customs fees are included."}),
         l({"Your checkout doesn't offer Canada as a country. Can someone check?"}),
         l({"Thanks. I've noted that Canada is missing at checkout."}),
         l({"Great, then I'll order to Canada. Thank you.", "Perfect, I'll order today. Thanks!"}),
         {}},
        {QStringLiteral("general"),
         0.05,
         l({"low"}),
         l({"Student discount on the {plan}"}),
         l({"Is there a student discount on the {plan}?"}),
         l({"Students get 30% off the {plan} with a valid student e-mail address."}),
         l({"My university address isn't accepted for the student discount. Please have someone check my "
            "account."}),
         l({"Sorry about that. I've noted that your student address isn't accepted."}),
         l({"Great, I'll sign up with my university address. Thanks!",
            "Thanks, 30% student discount sounds good!"}),
         {}},
        {QStringLiteral("general"),
         0.03,
         l({"low"}),
         l({"Payment methods"}),
         l({"Which payment methods do you accept?"}),
         l({"We accept cards, PayPal and bank transfer."}),
         l({"PayPal isn't shown when I pay, and my card was declined twice. I need someone to look at "
            "this."}),
         l({"Thanks. I've noted that PayPal is missing when you pay."}),
         l({"Thanks, I'll pay with PayPal then.", "Great, card it is. Thank you."}),
         {}},
        {QStringLiteral("general"),
         0.05,
         l({"low"}),
         l({"Warranty for the {product}"}),
         l({"Does the {product} come with a warranty?"}),
         l({"Yes, the {product} comes with a two-year warranty; keep your order confirmation as proof of "
            "purchase."}),
         l({"My order confirmation doesn't mention any warranty for the {product}. Can someone confirm in "
            "writing?"}),
         l({"Of course. I've noted that you'd like the warranty confirmed in writing."}),
         l({"Perfect, two years of warranty is fine. Thanks!",
            "Good to know about the warranty, thank you."}),
         {}},
    };
}

const QList<Story> &stories()
{
    static const QList<Story> all = makeStories();
    return all;
}

// One of the category's kinds of request, each as likely.
const Story &storyOf(const QString &category, QRandomGenerator &random)
{
    QList<const Story *> candidates;
    for (const Story &story : stories()) {
        if (story.category == category)
            candidates << &story;
    }
    return *candidates.at(int(random.bounded(quint32(candidates.size()))));
}

// Subjects start with a capital, also when they start with a product ("Standing desk left in the rain").
QString capitalized(QString text)
{
    if (!text.isEmpty())
        text[0] = text.at(0).toUpper();
    return text;
}

} // namespace

DemoContent::DemoContent(QRandomGenerator &random)
    : m_random(random)
{}

struct DemoContent::Slots
{
    QString order, amount, plan, product, error, email;

    QString fill(QString text) const
    {
        return text.replace(QLatin1String("{order}"), order)
            .replace(QLatin1String("{amount}"), amount)
            .replace(QLatin1String("{plan}"), plan)
            .replace(QLatin1String("{product}"), product)
            .replace(QLatin1String("{error}"), error)
            .replace(QLatin1String("{email}"), email);
    }
};

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

DemoContent::Slots DemoContent::drawSlots()
{
    Slots values;
    values.order = QStringLiteral("#%1-%2").arg(m_random.bounded(10000, 99999)).arg(m_random.bounded(10, 99));
    const bool euro = m_random.bounded(3) == 0;
    values.amount = QStringLiteral("%1%2.%3")
                        .arg(euro ? QStringLiteral("€") : QStringLiteral("$"))
                        .arg(m_random.bounded(9, 400))
                        .arg(m_random.bounded(0, 99), 2, 10, QLatin1Char('0'));
    values.plan = pick(kPlans);
    values.product = pick(kProducts);
    values.error = pick(kErrors);
    values.email = QStringLiteral("%1@%2").arg(pick(kFirstNames).toLower(), pick(kDomains));
    if (!m_customerEmail.isEmpty())
        values.email = m_customerEmail;
    return values;
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
    const Story &story = storyOf(category, m_random);
    return capitalized(drawSlots().fill(pick(story.subjects)));
}

DemoConversation DemoContent::conversationFor(quint32 seed, qint64 conversationId,
                                              const QString &customerEmail)
{
    // Its own generator, seeded by the conversation: the same conversation whoever asks and when.
    const quint64 mixed =
        quint64(seed) * 0x9e3779b97f4a7c15ULL ^ quint64(conversationId) * 0xc2b2ae3d27d4eb4fULL;
    QRandomGenerator random(quint32(mixed ^ (mixed >> 32)));
    DemoContent content(random);
    content.m_customerEmail = customerEmail;
    return content.conversation();
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
    const Story &story = storyOf(category, m_random);
    const Slots values = drawSlots();
    DemoConversation result;
    result.category = category;
    result.subject = capitalized(values.fill(pick(story.subjects)));
    result.channel = pick({QStringLiteral("chat"), QStringLiteral("chat"), QStringLiteral("app"),
                           QStringLiteral("web"), QStringLiteral("email")});
    result.priority = pick(story.priorities);
    result.needsTicket = m_random.generateDouble() < story.ticketRate;
    const auto say = [&](const char *role, const QString &line) {
        result.messages.append({QLatin1String(role), values.fill(line)});
    };

    say("customer", pick(story.openings));
    say("assistant", pick(story.answers));
    if (result.needsTicket) {
        // One to three rounds, each a different reason the answer did not help and a different
        // acknowledgement between them, then the handover.
        QStringList reasons = story.escalations;
        QStringList replies = story.replies;
        const qsizetype most = qMin<qsizetype>(3, qMin(reasons.size(), replies.size() + 1));
        const int rounds = 1 + int(m_random.bounded(quint32(most)));
        for (int i = 0; i < rounds; ++i) {
            say("customer", reasons.takeAt(int(m_random.bounded(quint32(reasons.size())))));
            say("assistant",
                i + 1 < rounds ? replies.takeAt(int(m_random.bounded(quint32(replies.size())))) : kHandover);
        }
    } else if (!story.undecided.isEmpty() && m_random.bounded(4) == 0) {
        say("customer", pick(story.undecided));
        say("assistant", kComeBack);
    } else {
        say("customer", pick(story.thanks));
        if (m_random.bounded(2) == 0)
            say("assistant", kWelcome);
    }
    return result;
}

} // namespace syncdesk
