#include "analyzer/analyzerevaluation.h"
#include "analyzer/conversationanalyzer.h"
#include "analyzer/conversationreader.h"
#include "analyzer/entityextractor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <optional>

using namespace syncdesk;

namespace {

using Role = AnalyzedMessage::Role;

// "C: text|A: text|G: text|S: text": customer, assistant, agent and system turns, for compact rows.
QList<AnalyzedMessage> conversation(const QString &script)
{
    QList<AnalyzedMessage> messages;
    for (const QString &turn : script.split(QLatin1Char('|'))) {
        const QString role = turn.left(2);
        const Role r = role == "A:"   ? Role::Assistant
                       : role == "G:" ? Role::Agent
                       : role == "S:" ? Role::System
                                      : Role::Customer;
        messages.append({r, turn.mid(3), QDateTime()});
    }
    return messages;
}

QString signalNames(const Analysis &analysis)
{
    QStringList names;
    for (const AnalysisSignal &signal : analysis.signalList)
        names << QStringLiteral("%1(%2)").arg(signal.name).arg(signal.weight, 0, 'f', 2);
    return names.join(QLatin1Char(' '));
}

struct LabelledScript
{
    bool ticket;
    const char *script;
    const char *category;
};

// Conversations written for this test only, never given to the training tool: businesses and
// phrasings the training conversations do not have (dentist, e-bikes, museum, campsite, ...).
const std::vector<LabelledScript> &unseenConversations()
{
    static const std::vector<LabelledScript> rows{
        {true,
         "C: The dentist charged my card £120 for a check-up that my plan is supposed to cover.|A: "
         "Your plan covers two check-ups a year. This was your third.|C: It was my second, the first "
         "was in March and I have the receipt. Please correct the charge.",
         "billing"},
        {false,
         "C: can I pay my phone repair in two parts?|A: Yes, repairs over £100 can be split into two "
         "payments, one when you drop the phone off and one when you collect it.|C: great, thanks",
         "billing"},
        {true,
         "C: my e-bike subscription went from £29 to £39 without any email about it|A: Prices changed "
         "on 1 June for all new and existing members.|C: I never got any notice. I want the old price "
         "until you've actually told me, like the contract says.",
         "billing"},
        {false,
         "C: what's included in the premium tier of the podcast app?|A: Premium is £4.99 a month and "
         "removes ads, unlocks bonus episodes and lets you download unlimited shows.|C: ok thanks, "
         "I'll try it",
         "billing"},
        {true,
         "C: I was charged the late fee on my library membership even though I paid on time through "
         "the app.|A: Payments made after 5pm are processed the next working day.|C: I paid at 9am. I "
         "have the confirmation. Please take the late fee off.",
         "billing"},
        {true,
         "C: The wedding venue cancelled our date because of a double booking and still hasn't "
         "returned our £1,500 deposit.|A: I'm so sorry about the double booking.|C: It was their "
         "mistake, not ours. It's been a month. I want the deposit paid back this week.",
         "refund"},
        {false,
         "C: if my kid doesn't like the toy can I send it back for the money?|A: Yes, unopened toys "
         "can be returned within 60 days for a full refund, and opened ones within 14 days if they're "
         "not used.|C: perfect, thanks",
         "refund"},
        {true,
         "C: The zoo was closed when we arrived because of a storm, and our tickets were for that day "
         "only.|A: I'm sorry your visit was affected by the weather.|C: We paid £84 for a family "
         "ticket. I'd like that money back, we can't come another day.",
         "refund"},
        {true,
         "C: I returned the tent 3 weeks ago, it was delivered to your warehouse on the 4th, and I "
         "still haven't been paid back.|A: Returns take up to 14 days to process.|C: It's been 21 "
         "days. Order CG-3391. Please chase it.",
         "refund"},
        {false,
         "C: do I get my money back if the concert is moved to another date?|A: If an event is "
         "rescheduled you can keep your tickets for the new date or ask for a refund within 14 days of "
         "the announcement.|C: ok good, thanks for explaining",
         "refund"},
        {true,
         "C: The birthday cake I ordered for collection at 3pm wasn't ready and the shop said they had "
         "no record of it.|A: I'm sorry. Can you share your order number?|C: BK-2219. The party starts "
         "in an hour. Can you find out what happened?",
         "order"},
        {false,
         "C: can I change the delivery day for my sofa?|A: Yes, up to 3 days before delivery in My "
         "orders > Change date. After that please contact us and we'll try to move it.|C: great, moved "
         "it, thanks",
         "order"},
        {true,
         "C: The printer ink I bought arrived but it's the wrong model, I ordered the 302XL and got "
         "the 305.|A: Sorry about that! Can you send a photo of the label?|C: Sent. I need the right "
         "ink for my daughter's homework this week.",
         "order"},
        {true,
         "C: My laundry pickup was booked for 8am today, nobody came and the app still shows \"driver "
         "on the way\".|A: I'm sorry for the delay, drivers can run late in the morning.|C: It's 11. I "
         "have to go to work. Please either send someone now or rebook for tomorrow morning.",
         "order"},
        {false,
         "C: how long does delivery to the Isle of Wight take?|A: Deliveries to the Isle of Wight take "
         "3 to 5 working days, and there's no extra charge.|C: perfect, ordering now",
         "order"},
        {true,
         "C: Someone logged into my fitness tracker account and deleted two years of runs. I got an "
         "email about a login from another country.|A: I'm sorry. Please change your password and turn "
         "on two-step verification.|C: Done. Can you restore my data and tell me how they got in?",
         "account"},
        {false,
         "C: how do I change the email I use to log in?|A: Go to Settings > Account > Email, type the "
         "new address and confirm it with the link we send there.|C: done, thanks",
         "account"},
        {true,
         "C: The bookshop app says my account is \"under review\" and I can't see my ebooks anymore.|A: "
         "Accounts are reviewed automatically if unusual activity is detected.|C: I haven't done "
         "anything unusual. I have 200 books on there. I need access back.",
         "account"},
        {true,
         "C: I want all the personal data your dental practice holds on me, including x-ray notes, and "
         "then my account deleted.|A: You can download some of your records from the patient "
         "portal.|C: That's not everything. I'm making a formal data request. Please pass it to "
         "whoever deals with data protection.",
         "account"},
        {false,
         "C: can I have a separate login for my teenage son on our family plan?|A: Yes, add him under "
         "Family > Members. He gets his own login and you can set limits on what he can see.|C: "
         "perfect",
         "account"},
        {true,
         "C: The podcast app won't download any episodes, it gets to 99% and fails.|A: Please check "
         "you have enough storage on your phone.|C: I have 40GB free. Tried wifi and mobile data. "
         "Started after the update on Monday.",
         "technical"},
        {true,
         "C: the e-bike display shows error E07 and the motor won't assist|A: Please turn the bike "
         "off, remove the battery for 30 seconds and put it back.|C: Did that three times. Still E07. "
         "I use it to get to work, please send someone.",
         "technical"},
        {false,
         "C: the fitness tracker stopped counting my steps|A: Make sure it's paired in the app and "
         "that step counting is on under Settings > Activity. If you recently changed phones, pair it "
         "again.|C: it was unpaired after my phone update. working now, thanks",
         "technical"},
        {true,
         "C: Our booking system for the campsite crashes every time a customer tries to pay by card. "
         "Started this morning.|A: I'm sorry for the trouble. Please clear the browser cache.|C: It's "
         "happening for every customer on every device. We're losing bookings. Please escalate.",
         "technical"},
        {false,
         "C: the museum audio guide app isn't playing sound|A: Check that your phone isn't on silent "
         "and that the app has permission to use Bluetooth if you're using headphones. You can also "
         "plug in wired headphones at the desk.|C: it was on silent, oops. thanks!",
         "technical"},
        {true,
         "C: The receptionist at your clinic was rude to me and laughed when I asked about a "
         "cancellation.|A: I'm sorry you were treated that way.|C: It was humiliating. I want it "
         "recorded and I want the practice manager to contact me.",
         "complaint"},
        {true,
         "C: Five weeks, four emails, zero answers. Your customer support is the worst I've dealt "
         "with.|A: I'm sorry for the delay. What do you need help with?|C: At this point I want "
         "someone senior to look at how my case has been ignored.",
         "complaint"},
        {false,
         "C: The staff at the bakery were a bit grumpy this morning. No big deal, just thought you'd "
         "want to know.|A: Thanks for letting us know, and sorry about that. I'll mention it to the "
         "shop manager.",
         "complaint"},
        {true,
         "C: The mechanic who came to fix my boiler left a mess and told me to \"stop complaining\" when "
         "I asked him to tidy up.|A: I'm very sorry about the engineer's behaviour.|C: I want this "
         "raised with your service manager. That's no way to speak to a customer.",
         "complaint"},
        {true,
         "C: I've been a loyal member for years and the way your branch treated me today was "
         "disgraceful. Nobody would help me and one member of staff told me to go away.|A: I'm so "
         "sorry to hear about your visit today.|C: I expect an apology and an explanation from the "
         "branch manager.",
         "complaint"},
        {false,
         "C: is the museum open on Mondays?|A: We're open Tuesday to Sunday, 10am to 5pm. We're closed "
         "on Mondays except bank holidays.|C: ok, Tuesday then. thanks",
         "general"},
        {true,
         "C: I run a school and want to arrange a group visit for 90 pupils. Can someone from your "
         "education team contact me?|A: You can find group information on our website.|C: I need to "
         "discuss dates and a guided tour, please have someone call me on 0113 496 0500.",
         "general"},
        {false,
         "C: just wanted to say your driver today was lovely, helped my nan carry everything in. thank "
         "you!|A: That's so kind of you, thank you! We'll pass it on to the driver.",
         "general"},
        {false,
         "C: does the fitness tracker work with Strava?|A: Yes, connect Strava in the app under "
         "Settings > Connected apps and your workouts sync automatically.|C: nice, connecting it now",
         "general"},
        {true,
         "C: can I speak to a real person please|A: I'm the virtual assistant. What can I help "
         "with?|C: I'd prefer a human, it's a personal matter.",
         "general"},
    };
    return rows;
}

QString describe(const Analysis &analysis)
{
    return QStringLiteral("result %1, confidence %2, category %3, signals: %4")
        .arg(Analysis::resultName(analysis.result))
        .arg(analysis.confidence, 0, 'f', 3)
        .arg(Analysis::categoryName(analysis.category), signalNames(analysis));
}

} // namespace

// The analyzer as the engine and the CLI use it: real model, real lexicon, stories from support.
class TestConversationAnalyzer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void unseenConversationsMeetTheTargets();
    void shippedModelRecordsItsCrossValidation();
    void tuningConversationsMeetTheTargets();
    void learnedItsTrainingConversations();
    void decidesTicketsAndCategories_data();
    void decidesTicketsAndCategories();
    void detectsSignals_data();
    void detectsSignals();
    void reportsTheSignalsThatMovedTheScore();
    void greetingsIdentityChecksAndOksDoNotMakeATicket_data();
    void greetingsIdentityChecksAndOksDoNotMakeATicket();
    void aProblemSolvedInTheChatNeedsNoTicket_data();
    void aProblemSolvedInTheChatNeedsNoTicket();
    void aHandOverIsNotASettlement();
    void namesTheWordsOfTheRequestNotOfTheGreeting();
    void readsTweetsWhateverTheHandleOrLink();
    void splitsEmojiIntoTokensOfTheirOwn();
    void expectedSignalsOfTheWrittenConversationsAreReported();
    void handlesNegationInSentiment_data();
    void handlesNegationInSentiment();
    void extractsEntities_data();
    void extractsEntities();
    void sendsOtherLanguagesToReview_data();
    void sendsOtherLanguagesToReview();
    void survivesBadInput_data();
    void survivesBadInput();
    void linksAnOpenTicketAboutTheSameThing();
    void appliesTheThresholdAndReviewBand();
    void isDeterministicAndVersioned();
    void serialisesToTheAnalysesColumns();
    void writesSubjectAndSummaryFromTheCustomersWords();
    void refusesBrokenModelsAndForeignLexicons();
    void computesEvaluationFigures();
    void readsConversationLinesAndReportsBadOnes();

private:
    std::optional<ConversationAnalyzer> m_analyzer;
};

void TestConversationAnalyzer::initTestCase()
{
    auto analyzer = ConversationAnalyzer::load();
    QVERIFY2(analyzer, qPrintable(analyzer.error()));
    m_analyzer.emplace(std::move(analyzer).value());
}

namespace {

AnalyzerEvaluation::Report evaluateFile(const ConversationAnalyzer &analyzer, const QString &name)
{
    const QString path = QFINDTESTDATA(QStringLiteral("../data/conversations/") + name);
    const auto content = ConversationReader::readFile(path);
    if (!content || !content->errors.isEmpty() || content->conversations.isEmpty())
        return {};
    AnalyzerEvaluation evaluation;
    for (const LabelledConversation &c : content->conversations) {
        const Analysis analysis = analyzer.analyze(c.messages);
        evaluation.add(analysis.confidence, c.ticket, analysis.category, c.category);
    }
    return evaluation.report(0.7);
}

} // namespace

// The issue's targets (ticket AUC 0.90, category macro-F1 0.85) on conversations the model never
// saw. They were written by the author of most training conversations, so they are easier than
// conversations from elsewhere (docs/benchmarks.md has the cross-validation and the blind figures).
void TestConversationAnalyzer::unseenConversationsMeetTheTargets()
{
    AnalyzerEvaluation evaluation;
    QStringList wrong;
    for (const LabelledScript &row : unseenConversations()) {
        const Analysis analysis = m_analyzer->analyze(conversation(QString::fromUtf8(row.script)));
        const auto category = Analysis::categoryFromName(QString::fromUtf8(row.category));
        QVERIFY2(category, row.category);
        evaluation.add(analysis.confidence, row.ticket, analysis.category, category);
        if (analysis.category != *category)
            wrong << QStringLiteral("%1 -> %2: %3")
                         .arg(QLatin1String(row.category), Analysis::categoryName(analysis.category),
                              QString::fromUtf8(row.script).left(60));
    }
    const auto report = evaluation.report(0.7);
    qInfo("unseen: %d conversations, ticket AUC %.4f, category accuracy %.4f, macro-F1 %.4f",
          report.ticketSamples, report.auc, report.categoryAccuracy, report.categoryMacroF1);
    for (const QString &line : wrong)
        qInfo("  %s", qPrintable(line));
    QCOMPARE(report.categorySamples, 35);
    QVERIFY2(report.auc >= 0.90, qPrintable(QStringLiteral("ticket AUC %1 < 0.90").arg(report.auc)));
    QVERIFY2(report.categoryMacroF1 >= 0.85,
             qPrintable(QStringLiteral("category macro-F1 %1 < 0.85").arg(report.categoryMacroF1)));
}

// The grouped cross-validation the training tool ran for the shipped weights (conversations of one
// business in one fold), style by style, as recorded in the model file: a retrained model that
// generalises worse fails here. The category targets of the issues are measured on blind data
// (docs/benchmarks.md); these floors only catch a regression.
void TestConversationAnalyzer::shippedModelRecordsItsCrossValidation()
{
    const QJsonObject metadata = QJsonDocument::fromJson(m_analyzer->model().metadata.toUtf8()).object();
    const QJsonObject cv = metadata.value(QLatin1String("cross_validation")).toObject();
    QCOMPARE(cv.value(QLatin1String("folds")).toInt(), 5);
    const QJsonArray styles = cv.value(QLatin1String("by_style")).toArray();
    QStringList seen;
    for (const QJsonValue &value : styles) {
        const QJsonObject style = value.toObject();
        const QString name = style.value(QLatin1String("style")).toString();
        const double auc = style.value(QLatin1String("auc")).toDouble();
        const double accuracy = style.value(QLatin1String("category_accuracy")).toDouble();
        const double macroF1 = style.value(QLatin1String("category_macro_f1")).toDouble();
        qInfo("cross-validation, %s: ticket AUC %.4f, category accuracy %.4f, macro-F1 %.4f", qPrintable(name), auc,
              accuracy, macroF1);
        seen << name;
        if (name.startsWith(QLatin1String("resolved"))) {
            // Pairs written to open alike and differ only in how the chat ends (solved or handed on), and
            // without the assistant's turns only in the customer's last words: hard by design. 30 extra
            // chats are too few for a category floor.
            QVERIFY2(auc >= 0.75, qPrintable(name + QStringLiteral(": ticket AUC %1 < 0.75").arg(auc)));
            continue;
        }
        if (name.startsWith(QLatin1String("multiturn_terse")) || name == QLatin1String("banking_oneturn") ||
            name == QLatin1String("ecommerce_oneturn")) {
            // Blind set 4 by outside authors, learnt since its evaluation: other people's words, harder
            // than ours (their chats without the assistant's turns hardest of all).
            QVERIFY2(auc >= 0.80, qPrintable(name + QStringLiteral(": ticket AUC %1 < 0.80").arg(auc)));
            QVERIFY2(accuracy >= 0.60,
                     qPrintable(name + QStringLiteral(": accuracy %1 < 0.60").arg(accuracy)));
            continue;
        }
        QVERIFY2(auc >= 0.90, qPrintable(name + QStringLiteral(": ticket AUC %1 < 0.90").arg(auc)));
        if (name.startsWith(QLatin1String("chat")))
            QVERIFY2(macroF1 >= 0.85, qPrintable(name + QStringLiteral(": macro-F1 %1 < 0.85").arg(macroF1)));
        else if (!name.startsWith(QLatin1String("tweet")))
            QVERIFY2(accuracy >= 0.70, qPrintable(name + QStringLiteral(": accuracy %1 < 0.70").arg(accuracy)));
    }
    for (const char *style : {"chat", "chat (customer turns)", "banking_one_turn", "helpline_chat",
                              "helpline_chat (customer turns)", "tweet", "resolved_pair",
                              "resolved_pair (customer turns)", "multiturn_terse", "banking_oneturn"})
        QVERIFY2(seen.contains(QLatin1String(style)), style);
    const QJsonObject trained = metadata.value(QLatin1String("trained_on")).toObject();
    QVERIFY(trained.value(QLatin1String("conversations")).toInt() >= 1500);
    QVERIFY(trained.value(QLatin1String("clinc150_rows")).toInt() >= 15000);
}

// The tuning conversations chose the hyper-parameters and calibrated the score, so these figures
// are optimistic; they catch a model or lexicon that does not belong to this code.
void TestConversationAnalyzer::tuningConversationsMeetTheTargets()
{
    const auto report = evaluateFile(*m_analyzer, QStringLiteral("tune.jsonl"));
    qInfo("tuning: %d conversations, ticket AUC %.4f, category macro-F1 %.4f", report.ticketSamples,
          report.auc, report.categoryMacroF1);
    QVERIFY(report.ticketSamples >= 38);
    QVERIFY2(report.auc >= 0.95, qPrintable(QStringLiteral("ticket AUC %1 < 0.95").arg(report.auc)));
    QVERIFY2(report.categoryMacroF1 >= 0.85,
             qPrintable(QStringLiteral("category macro-F1 %1 < 0.85").arg(report.categoryMacroF1)));
}

// Not a measure of generalisation: the shipped weights must fit the conversations they were trained on.
void TestConversationAnalyzer::learnedItsTrainingConversations()
{
    for (const char *file : {"train.jsonl", "train2.jsonl", "train3.jsonl"}) {
        const auto report = evaluateFile(*m_analyzer, QLatin1String(file));
        qInfo("%s: %d conversations, ticket AUC %.4f, category accuracy %.4f", file, report.ticketSamples,
              report.auc, report.categoryAccuracy);
        QVERIFY2(report.ticketSamples > 50, file);
        QVERIFY2(report.auc >= 0.97, file);
        QVERIFY2(report.categoryAccuracy >= 0.97, file);
    }
}

void TestConversationAnalyzer::decidesTicketsAndCategories_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<bool>("ticket");
    QTest::addColumn<QString>("category");

    QTest::newRow("double charge, assistant cannot reverse")
        << "C: You charged my card twice for the same order, $59.90 each time.|A: I'm sorry about that. I'm "
           "not able "
           "to reverse charges.|C: Then please get someone who can reverse the duplicate charge."
        << true << "billing";
    QTest::newRow("refund for a broken item")
        << "C: The blender broke after two days, I want my money back please." << true << "refund";
    QTest::newRow("parcel marked delivered but missing")
        << "C: Tracking says delivered yesterday but the parcel is not here, order 448812.|A: Sometimes "
           "parcels "
           "are marked delivered early.|C: It's been a day. Please open a claim with the courier."
        << true << "order";
    QTest::newRow("hacked account") << "C: Someone hacked my account and changed the email, I'm locked out."
                                    << true << "account";
    QTest::newRow("app crash after update") << "C: The app crashes on startup since the latest update.|A: "
                                               "Please reinstall the app.|C: I reinstalled "
                                               "it twice, it still crashes immediately."
                                            << true << "technical";
    QTest::newRow("complaint about staff")
        << "C: I want to file a complaint, the staff at your store were rude to me." << true << "complaint";
    QTest::newRow("asks for a person") << "C: Can I talk to a real person please?" << true << "general";
    QTest::newRow("opening hours, answered")
        << "C: What time does your store open on Saturday?|A: Our stores open at 9am on Saturdays.|C: Thanks!"
        << false << "general";
    QTest::newRow("shipping time, answered") << "C: How long does delivery to Ireland take?|A: Delivery to "
                                                "Ireland takes 3 to 5 business days.|C: Great, "
                                                "thank you."
                                             << false << "order";
    QTest::newRow("angry at the courier, happy with us")
        << "C: The courier was an idiot and threw the box over my fence. But the shoes are perfect, "
           "thanks!|A: Sorry "
           "about the courier, glad you like the shoes!|C: cheers"
        << false << "order";
    QTest::newRow("polite thanks")
        << "C: Just wanted to say thank you, your team has been wonderful this year." << false << "general";
}

void TestConversationAnalyzer::decidesTicketsAndCategories()
{
    QFETCH(QString, script);
    QFETCH(bool, ticket);
    QFETCH(QString, category);
    const Analysis analysis = m_analyzer->analyze(conversation(script));
    QVERIFY2((analysis.confidence >= 0.5) == ticket, qPrintable(describe(analysis)));
    QVERIFY2(ticket ? analysis.result == AnalysisResult::CreateTicket ||
                          analysis.result == AnalysisResult::NeedsReview
                    : analysis.result == AnalysisResult::NoAction,
             qPrintable(describe(analysis)));
    QCOMPARE(Analysis::categoryName(analysis.category), category);
}

void TestConversationAnalyzer::detectsSignals_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("signal");

    QTest::newRow("human request") << "C: I want to speak to a human agent now"
                                   << int(SignalId::HumanRequest);
    QTest::newRow("refund") << "C: please refund my last payment" << int(SignalId::RefundRequest);
    QTest::newRow("cancellation") << "C: cancel my subscription" << int(SignalId::Cancellation);
    QTest::newRow("charge dispute") << "C: I was double charged this month" << int(SignalId::ChargeDispute);
    QTest::newRow("account closure") << "C: delete my account and my data" << int(SignalId::AccountClosure);
    QTest::newRow("fraud") << "C: there are fraudulent orders on my card" << int(SignalId::SecurityFraud);
    QTest::newRow("legal") << "C: I will contact my lawyer about this" << int(SignalId::LegalThreat);
    QTest::newRow("urgency") << "C: I need this fixed asap, it's urgent" << int(SignalId::Urgency);
    QTest::newRow("negative sentiment")
        << "C: This is terrible, I am so disappointed and angry" << int(SignalId::NegativeSentiment);
    QTest::newRow("capitals and punctuation")
        << "C: WHERE IS MY ORDER?!?! THIS IS A JOKE!!!" << int(SignalId::Frustration);
    QTest::newRow("insult") << "C: you useless idiots" << int(SignalId::Frustration);
    QTest::newRow("same question again") << "C: how do I change my delivery address for order 5512|A: You "
                                            "can manage addresses in your account.|C: how "
                                            "do I change the delivery address for order 5512?"
                                         << int(SignalId::RepeatedQuestion);
    QTest::newRow("assistant failed twice") << "C: my voucher code doesn't work|A: Sorry, I don't "
                                               "understand.|C: the voucher code WELCOME10 fails|A: I'm "
                                               "sorry, I can't help with that."
                                            << int(SignalId::AssistantFailedTwice);
    QTest::newRow("unanswered last turn") << "C: Hi|A: Hello! How can I help?|C: Why was my order cancelled?"
                                          << int(SignalId::UnansweredLastTurn);
    QTest::newRow("informational answered") << "C: Do you ship to Norway?|A: Yes, we ship to Norway with "
                                               "delivery in 4 to 6 business days and tracking "
                                               "included.|C: thanks"
                                            << int(SignalId::InformationalAnswered);
    QTest::newRow("resolved") << "C: found it, that worked, thanks a lot" << int(SignalId::ThanksResolved);
    QTest::newRow("asks why") << "C: why was i charged a fee for my transfer" << int(SignalId::AsksWhy);
    QTest::newRow("unmet expectation") << "C: my salary still hasn't been credited"
                                       << int(SignalId::UnmetExpectation);
    QTest::newRow("sarcastic praise") << "C: great job @SkyNet, third outage this week 🙄"
                                      << int(SignalId::PraiseWithProblem);
    QTest::newRow("third party anger")
        << "C: the postman is an idiot, he left it in the rain" << int(SignalId::ThirdPartyAnger);
    QTest::newRow("agent already in the conversation")
        << "C: hello|G: Hi, this is Maria from support." << int(SignalId::AssistantHandoff);
}

void TestConversationAnalyzer::detectsSignals()
{
    QFETCH(QString, script);
    QFETCH(int, signal);
    ConversationFeatures features;
    m_analyzer->extractor().extract(conversation(script), features);
    QVERIFY2(features.signalValues[std::size_t(signal)] > 0.0f, qPrintable(SignalCatalog::name(signal)));
}

void TestConversationAnalyzer::reportsTheSignalsThatMovedTheScore()
{
    const Analysis analysis = m_analyzer->analyze(conversation(
        "C: I want a refund for order 77120, it never arrived!!|A: I'm sorry, I can't issue refunds.|C: Then "
        "let me talk to a human. This is urgent."));
    QVERIFY2(analysis.confidence >= 0.7, qPrintable(describe(analysis)));
    for (const char *name : {"refund_request", "human_request", "urgency", "wording"})
        QVERIFY2(analysis.hasSignal(QLatin1String(name)),
                 qPrintable(QLatin1String(name) + QLatin1Char(' ') + describe(analysis)));
    // Sorted by how much they moved the score, each with its weight.
    for (qsizetype i = 1; i < analysis.signalList.size(); ++i)
        QVERIFY(std::fabs(analysis.signalList[i - 1].weight) >= std::fabs(analysis.signalList[i].weight));
    for (const AnalysisSignal &signal : analysis.signalList)
        QVERIFY2(!signal.detail.isEmpty(), qPrintable(signal.name));
}

namespace {

// A help-line chat as customers write it: a greeting, an identity check and "ok"s around the request
// (these turns are in no training file).
QString helpLine(const QString &request)
{
    return QStringLiteral("C: hello there|C: its about my account|C: name is Olu Bankole|C: born 14 feb 1987|"
                          "C: last four 6630|C: %1|C: alright|C: mm ok|C: one minute|C: yes|C: thanks, bye")
        .arg(request);
}

} // namespace

// A long chat is not a reason for a ticket: what the customer asks for decides.
void TestConversationAnalyzer::greetingsIdentityChecksAndOksDoNotMakeATicket_data()
{
    QTest::addColumn<QString>("request");
    QTest::addColumn<bool>("ticket");

    QTest::newRow("routing number") << "what is the routing number for my checking" << false;
    QTest::newRow("opening hours") << "is the branch on king street open on saturday" << false;
    QTest::newRow("fee question") << "how much do you charge to send money abroad" << false;
    QTest::newRow("card eaten") << "the atm ate my card this morning and gave me no cash" << true;
    QTest::newRow("unknown charge") << "there is a payment of 240 dollars i never made" << true;
    QTest::newRow("transfer missing") << "sent 500 to my brother on monday, left my account but he never got it"
                                      << true;
}

void TestConversationAnalyzer::greetingsIdentityChecksAndOksDoNotMakeATicket()
{
    QFETCH(QString, request);
    QFETCH(bool, ticket);
    const Analysis alone = m_analyzer->analyze(conversation(QStringLiteral("C: ") + request));
    const Analysis chat = m_analyzer->analyze(conversation(helpLine(request)));
    QVERIFY2((alone.confidence >= 0.5) == ticket, qPrintable(describe(alone)));
    QVERIFY2((chat.confidence >= 0.5) == ticket, qPrintable(describe(chat)));
    // Ten turns more do not move the score by much either way.
    QVERIFY2(std::fabs(chat.confidence - alone.confidence) < 0.3,
             qPrintable(QStringLiteral("%1 alone, %2 in a chat").arg(alone.confidence).arg(chat.confidence)));
}

void TestConversationAnalyzer::aProblemSolvedInTheChatNeedsNoTicket_data()
{
    // One problem, one suggestion, and how the customer's last turn ends it. Written for this test
    // (not in the training data): the problem is the same in every row of a kind.
    QTest::addColumn<QString>("problem");
    QTest::addColumn<QString>("suggestion");
    QTest::addColumn<QString>("ending");
    QTest::addColumn<bool>("ticket");

    const QString upload = QStringLiteral("the desktop app freezes every time i attach a pdf, error DX-207");
    const QString clearCache =
        QStringLiteral("Sorry about that. Please clear the app cache under Settings > Storage and restart it.");
    QTest::newRow("fix confirmed") << upload << clearCache << "cleared it and restarted, no more freezing. thanks!"
                                   << false;
    QTest::newRow("fix confirmed, tersely") << upload << clearCache << "ok works now ty" << false;
    QTest::newRow("fix failed") << upload << clearCache
                                << "did that twice, still DX-207 on every pdf. i need someone to fix this" << true;
    QTest::newRow("fixed, then another problem")
        << upload << clearCache << "that sorted the freezing, but now my invoices from last week are gone" << true;

    const QString card = QStringLiteral("my card keeps getting declined online even though i have money");
    const QString toggle = QStringLiteral(
        "Online payments may be switched off for your card. Turn them on under Cards > Controls and try again.");
    QTest::newRow("card: setting was it") << card << toggle << "oh that was the problem, it went through this time"
                                          << false;
    QTest::newRow("card: will try") << card << toggle << "ok i'll try that now, thanks" << false;
    QTest::newRow("card: still declined") << card << toggle
                                          << "it was already on and its still declined. please get someone to check my card"
                                          << true;
}

void TestConversationAnalyzer::aProblemSolvedInTheChatNeedsNoTicket()
{
    QFETCH(QString, problem);
    QFETCH(QString, suggestion);
    QFETCH(QString, ending);
    QFETCH(bool, ticket);
    const Analysis analysis = m_analyzer->analyze(
        conversation(QStringLiteral("C: %1|A: %2|C: %3").arg(problem, suggestion, ending)));
    QVERIFY2((analysis.confidence >= 0.5) == ticket, qPrintable(describe(analysis)));
}

void TestConversationAnalyzer::aHandOverIsNotASettlement()
{
    // "ok got it" after the assistant passed the matter on acknowledges the hand-over; it does not say
    // the problem is solved, so the problem still decides.
    const Analysis handedOn = m_analyzer->analyze(conversation(
        QStringLiteral("C: i was charged twice for my march plan, 29.99 both times|A: I can't refund charges "
                       "here, so I've passed this to our billing team; they'll contact you within two days.|C: "
                       "ok got it thanks")));
    QVERIFY2(handedOn.confidence >= 0.5, qPrintable(describe(handedOn)));
    QVERIFY2(!signalNames(handedOn).contains(QLatin1String("thanks_resolved")), qPrintable(describe(handedOn)));
}

void TestConversationAnalyzer::namesTheWordsOfTheRequestNotOfTheGreeting()
{
    const Analysis analysis =
        m_analyzer->analyze(conversation(helpLine(QStringLiteral("my card was declined twice today"))));
    const auto wording = std::find_if(analysis.signalList.begin(), analysis.signalList.end(),
                                      [](const AnalysisSignal &s) { return s.name == QLatin1String("wording"); });
    QVERIFY2(wording != analysis.signalList.end(), qPrintable(describe(analysis)));
    QVERIFY2(wording->detail.contains(QLatin1String("declined")) || wording->detail.contains(QLatin1String("card")) ||
                 wording->detail.contains(QLatin1String("twice")),
             qPrintable(wording->detail));
    for (const char *filler : {"\"hello\"", "\"bankole\"", "\"alright\"", "\"bye\""})
        QVERIFY2(!wording->detail.contains(QLatin1String(filler)), qPrintable(wording->detail));
}

// Which company a tweet is addressed to, or which page it links, says nothing about the need.
void TestConversationAnalyzer::readsTweetsWhateverTheHandleOrLink()
{
    const QString tweet = QStringLiteral("C: %1 my parcel says delivered but it is not here %2 #fail");
    const Analysis first = m_analyzer->analyze(
        conversation(tweet.arg(QStringLiteral("@ParcelCoHelp"), QStringLiteral("https://t.co/Ab12Cd"))));
    const Analysis second = m_analyzer->analyze(
        conversation(tweet.arg(QStringLiteral("@Other_Courier99"), QStringLiteral("http://example.com/x?y=1"))));
    QCOMPARE(second.confidence, first.confidence);
    QCOMPARE(second.category, first.category);
    QVERIFY2(first.confidence >= 0.5, qPrintable(describe(first)));
    // A handle is not an account reference; an e-mail address is.
    std::vector<Token> tokens;
    Tokenizer::tokenize(u"@AcmeHelp write to me at jo@example.com", tokens);
    QCOMPARE(tokens.front().flags & Token::Placeholder, int(Token::Placeholder));
    QCOMPARE(tokens.front().hash, Tokenizer::hashWord(u"@SomeoneElse"));
    QVERIFY(std::none_of(tokens.begin() + 1, tokens.end(),
                         [](const Token &t) { return t.flags & Token::Placeholder; }));
}

void TestConversationAnalyzer::splitsEmojiIntoTokensOfTheirOwn()
{
    std::vector<Token> tokens;
    Tokenizer::tokenize(u"late again🙄 👏👏👏 ✈", tokens);
    QCOMPARE(int(tokens.size()), 7);
    QCOMPARE(tokens[1].length, 5); // "again", without the emoji
    QCOMPARE(tokens[2].flags & Token::Symbol, int(Token::Symbol));
    QCOMPARE(tokens[3].hash, tokens[4].hash);
    QCOMPARE(tokens[6].flags & Token::Symbol, int(Token::Symbol));
    // An angry emoji is negative sentiment, a grateful one is not.
    QVERIFY(m_analyzer->analyze(conversation("C: my refund 😡😡")).sentiment < 0.0);
    QVERIFY(m_analyzer->analyze(conversation("C: got my refund 🙏😊")).sentiment > 0.0);
}

// The labels of the written conversations name the signals a support lead expects to see.
void TestConversationAnalyzer::expectedSignalsOfTheWrittenConversationsAreReported()
{
    int expected = 0;
    int reported = 0;
    QStringList missing;
    for (const char *file : {"train.jsonl", "train2.jsonl", "train3.jsonl", "tune.jsonl"}) {
        const QString path = QFINDTESTDATA(QStringLiteral("../data/conversations/") + QLatin1String(file));
        const auto content = ConversationReader::readFile(path);
        QVERIFY2(content, qPrintable(content.error()));
        for (const LabelledConversation &c : content->conversations) {
            const Analysis analysis = m_analyzer->analyze(c.messages);
            for (const QString &signal : c.expectedSignals) {
                ++expected;
                if (analysis.hasSignal(signal))
                    ++reported;
                else
                    missing << c.id + QLatin1Char(':') + signal;
            }
        }
    }
    const double share = double(reported) / expected;
    qInfo("expected signals reported: %d of %d (%.1f %%)", reported, expected, 100.0 * share);
    QVERIFY2(expected > 150, "the written conversations should name their signals");
    QVERIFY2(share >= 0.75, qPrintable(missing.join(QLatin1Char(' '))));
}

void TestConversationAnalyzer::handlesNegationInSentiment_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("minimum");
    QTest::addColumn<double>("maximum");

    QTest::newRow("happy") << "I am very happy with the service" << 0.3 << 1.0;
    QTest::newRow("not happy") << "I am not happy with the service" << -1.0 << -0.1;
    QTest::newRow("never arrived") << "my parcel never arrived" << -1.0 << -0.1;
    QTest::newRow("still hasn't been refunded") << "the money still hasn't been refunded" << -1.0 << -0.1;
    QTest::newRow("not bad") << "honestly not bad at all" << -0.05 << 1.0;
    QTest::newRow("no problem") << "no problem, thanks" << 0.0 << 1.0;
    QTest::newRow("shouting") << "THIS IS TERRIBLE!!!" << -1.0 << -0.6;
    QTest::newRow("neutral") << "my order number is 12345" << -0.05 << 0.05;
}

void TestConversationAnalyzer::handlesNegationInSentiment()
{
    QFETCH(QString, text);
    QFETCH(double, minimum);
    QFETCH(double, maximum);
    const Analysis analysis = m_analyzer->analyze({{Role::Customer, text, QDateTime()}});
    QVERIFY2(analysis.sentiment >= minimum && analysis.sentiment <= maximum,
             qPrintable(QStringLiteral("sentiment %1").arg(analysis.sentiment)));
    QVERIFY(analysis.sentiment >= -1.0 && analysis.sentiment <= 1.0);
}

void TestConversationAnalyzer::extractsEntities_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected"); // "type=value[ currency]"

    QTest::newRow("order number after 'order'")
        << "where is my order 113542617735902?" << QStringList{"order_number=113542617735902"};
    QTest::newRow("order number with hash")
        << "Order #4471 arrived broken" << QStringList{"order_number=4471"};
    QTest::newRow("order number is") << "my order number is ORD-55120"
                                     << QStringList{"order_number=ORD-55120"};
    QTest::newRow("e-mail") << "reach me at Jane.Doe+shop@Example.co.uk please"
                            << QStringList{"email=jane.doe+shop@example.co.uk"};
    QTest::newRow("phone with country code")
        << "call me on +44 7700 900123" << QStringList{"phone=+447700900123"};
    QTest::newRow("phone with separators")
        << "my number is (020) 7946-0958" << QStringList{"phone=02079460958"};
    QTest::newRow("dollars") << "you charged me $1,299.00 twice" << QStringList{"amount=1299.00 USD"};
    QTest::newRow("euros with comma decimals") << "it cost 49,99 EUR" << QStringList{"amount=49.99 EUR"};
    QTest::newRow("pounds word") << "I paid 40 pounds for shipping" << QStringList{"amount=40 GBP"};
    QTest::newRow("error code after 'error'")
        << "I get error 503 at checkout" << QStringList{"error_code=503"};
    QTest::newRow("windows error") << "install fails with 0x80070005" << QStringList{"error_code=0X80070005"};
    QTest::newRow("app error code") << "it says something went wrong, code E1042"
                                    << QStringList{"error_code=E1042"};
    QTest::newRow("several") << "Order #88213: I paid €89.50, email me at a@b.io, error ERR_AUTH_TOKEN"
                             << QStringList{"email=a@b.io", "order_number=88213", "error_code=ERR_AUTH_TOKEN",
                                            "amount=89.50 EUR"};
    QTest::newRow("bare long number is not a phone")
        << "I was charged on 12 March for 3 items" << QStringList{};
    QTest::newRow("date is not a phone") << "it was delivered on 2024-03-12" << QStringList{};
}

void TestConversationAnalyzer::extractsEntities()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QStringList found;
    for (const ExtractedEntity &entity : EntityExtractor::extract(text))
        found << entity.type + QLatin1Char('=') + entity.value +
                     (entity.currency.isEmpty() ? QString() : QLatin1Char(' ') + entity.currency);
    QCOMPARE(found, expected);
    // And the analyzer reports them.
    const Analysis analysis = m_analyzer->analyze({{Role::Customer, text, QDateTime()}});
    QCOMPARE(analysis.entities.size(), expected.size());
}

void TestConversationAnalyzer::sendsOtherLanguagesToReview_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("language");

    QTest::newRow("spanish") << "C: Hola, mi pedido todavía no ha llegado y quiero un reembolso por favor"
                             << "es";
    QTest::newRow("french")
        << "C: Bonjour, je n'ai pas reçu ma commande, pouvez-vous m'aider s'il vous plaît ?"
        << "fr";
    QTest::newRow("german") << "C: Hallo, meine Bestellung ist noch nicht da und ich möchte mein Geld zurück"
                            << "de";
    QTest::newRow("russian") << "C: Здравствуйте, мой заказ не пришел, верните деньги"
                             << "und-Cyrl";
    QTest::newRow("chinese") << "C: 你好，我的订单还没有到，我要退款"
                             << "und-Hani";
    QTest::newRow("mixed scripts") << "C: my order 4471 не пришел, где мой заказ???"
                                   << "und-Cyrl";
}

void TestConversationAnalyzer::sendsOtherLanguagesToReview()
{
    QFETCH(QString, script);
    QFETCH(QString, language);
    const Analysis analysis = m_analyzer->analyze(conversation(script));
    QCOMPARE(analysis.language, language);
    QCOMPARE(analysis.result, AnalysisResult::NeedsReview);
    QCOMPARE(analysis.signalList.value(0).name, QStringLiteral("non_english"));

    const Analysis english =
        m_analyzer->analyze(conversation("C: Hello, my order has not arrived yet and I want a refund"));
    QCOMPARE(english.language, QStringLiteral("en"));
    QVERIFY(!english.hasSignal("non_english"));
}

void TestConversationAnalyzer::survivesBadInput_data()
{
    QTest::addColumn<QList<AnalyzedMessage>>("messages");
    QTest::addColumn<QString>("result");
    QTest::addColumn<QString>("signal");

    QTest::newRow("no messages") << QList<AnalyzedMessage>{} << "no_action"
                                 << "empty_conversation";
    QTest::newRow("blank messages") << conversation("C:  |A: \n\t") << "no_action"
                                    << "empty_conversation";
    QTest::newRow("only the assistant")
        << conversation("A: Hello! How can I help?|A: Are you still there?") << "no_action"
        << "no_customer_message";
    QTest::newRow("only system messages")
        << conversation("S: conversation started|S: customer left") << "no_action"
        << "no_customer_message";

    QString megabyte;
    megabyte.reserve(1 << 20);
    megabyte += QStringLiteral("My order never arrived and I want a refund. Here is the log: ");
    while (megabyte.size() < (1 << 20))
        megabyte += QStringLiteral("ERROR timeout at step 42; retrying connection to the warehouse api. ");
    QTest::newRow("megabyte message") << QList<AnalyzedMessage>{{Role::Customer, megabyte, QDateTime()}} << ""
                                      << "message_truncated";

    QByteArray junk;
    quint32 state = 12345;
    for (int i = 0; i < 4096; ++i) {
        state = state * 1103515245u + 12345u;
        junk.append(char(state >> 24));
    }
    QTest::newRow("binary junk as latin-1")
        << QList<AnalyzedMessage>{{Role::Customer, QString::fromLatin1(junk), QDateTime()}} << "needs_review"
        << "unreadable_text";
    QTest::newRow("binary junk as utf-8")
        << QList<AnalyzedMessage>{{Role::Customer, QString::fromUtf8(junk), QDateTime()}} << "needs_review"
        << "unreadable_text";
    QTest::newRow("mixed scripts") << conversation("C: Заказ 4471 не пришел 你好 where is it?")
                                   << "needs_review"
                                   << "non_english";
    QTest::newRow("emoji only") << conversation("C: 😡😡😡😡") << ""
                                << "";

    QList<AnalyzedMessage> many;
    for (int i = 0; i < 5000; ++i)
        many.append({i % 2 ? Role::Assistant : Role::Customer,
                     QStringLiteral("message %1 about my order").arg(i), QDateTime()});
    QTest::newRow("five thousand messages") << many << ""
                                            << "";
}

void TestConversationAnalyzer::survivesBadInput()
{
    QFETCH(QList<AnalyzedMessage>, messages);
    QFETCH(QString, result);
    QFETCH(QString, signal);
    const Analysis analysis = m_analyzer->analyze(messages);
    if (!result.isEmpty())
        QCOMPARE(Analysis::resultName(analysis.result), result);
    if (!signal.isEmpty())
        QVERIFY2(analysis.hasSignal(signal), qPrintable(describe(analysis)));
    QCOMPARE(analysis.messageCount, int(messages.size()));
    QVERIFY(analysis.confidence >= 0.0 && analysis.confidence <= 1.0);
    QVERIFY(analysis.sentiment >= -1.0 && analysis.sentiment <= 1.0);
    QVERIFY(analysis.subject.size() <= 120);
    QVERIFY(analysis.summary.size() <= 400);
    QVERIFY(!QJsonDocument(analysis.toJson()).toJson().isEmpty());
}

void TestConversationAnalyzer::linksAnOpenTicketAboutTheSameThing()
{
    const QList<AnalyzedMessage> messages =
        conversation("C: My parcel for order 77120 still hasn't arrived, it's been two weeks.|A: I'm sorry, "
                     "I can't see the courier "
                     "status.|C: Please have someone chase the courier, I need it.");
    AnalysisContext context;
    context.openTickets = {
        {501, QStringLiteral("Password reset e-mail not arriving"), QStringLiteral("account"),
         QDateTime::currentDateTimeUtc()},
        {502, QStringLiteral("Late delivery of order 77120"), QStringLiteral("order"),
         QDateTime::currentDateTimeUtc()},
    };
    const Analysis linked = m_analyzer->analyze(messages, context);
    QVERIFY2(linked.result == AnalysisResult::LinkTicket, qPrintable(describe(linked)));
    QCOMPARE(linked.linkedTicketId, std::optional<qint64>(502));
    QVERIFY(linked.hasSignal("open_ticket_match"));

    // Same words, no shared number: the subject of an open ticket in the same category is enough.
    context.openTickets = {
        {601, QStringLiteral("Parcel has not arrived"), QStringLiteral("order"), QDateTime()}};
    const Analysis bySubject = m_analyzer->analyze(
        conversation(
            "C: My parcel has not arrived and it's been two weeks.|A: Sorry about the wait.|C: Please chase "
            "the courier, I need it."),
        context);
    QVERIFY2(bySubject.result == AnalysisResult::LinkTicket, qPrintable(describe(bySubject)));
    QCOMPARE(bySubject.linkedTicketId, std::optional<qint64>(601));

    // An unrelated open ticket: a new ticket.
    context.openTickets = {
        {501, QStringLiteral("Password reset e-mail not arriving"), QStringLiteral("account"), QDateTime()}};
    const Analysis created = m_analyzer->analyze(messages, context);
    QVERIFY2(created.result == AnalysisResult::CreateTicket, qPrintable(describe(created)));
    QVERIFY(!created.linkedTicketId);
}

void TestConversationAnalyzer::appliesTheThresholdAndReviewBand()
{
    const QList<AnalyzedMessage> messages =
        conversation("C: I want a refund for order 5512, it arrived broken.");
    AnalysisContext context;
    const Analysis base = m_analyzer->analyze(messages, context);
    QVERIFY2(base.confidence > 0.5, qPrintable(describe(base)));

    // At or above the threshold: a ticket; in the band just below it: review; further below: nothing.
    context.threshold = base.confidence;
    context.reviewBand = 0.05;
    QCOMPARE(m_analyzer->analyze(messages, context).result, AnalysisResult::CreateTicket);
    context.threshold = base.confidence + 0.02;
    QCOMPARE(m_analyzer->analyze(messages, context).result, AnalysisResult::NeedsReview);
    context.threshold = base.confidence + 0.1;
    QCOMPARE(m_analyzer->analyze(messages, context).result, AnalysisResult::NoAction);
    context.reviewBand = 0.2;
    QCOMPARE(m_analyzer->analyze(messages, context).result, AnalysisResult::NeedsReview);
}

void TestConversationAnalyzer::isDeterministicAndVersioned()
{
    const QList<AnalyzedMessage> messages =
        conversation("C: I was charged twice!! Order #9912, $24.99 each.|A: Sorry, I can't reverse "
                     "charges.|C: Get me a human.");
    const QByteArray first =
        QJsonDocument(m_analyzer->analyze(messages).toJson()).toJson(QJsonDocument::Compact);
    auto another = ConversationAnalyzer::load();
    QVERIFY(another);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(QJsonDocument(m_analyzer->analyze(messages).toJson()).toJson(QJsonDocument::Compact), first);
        QCOMPARE(QJsonDocument(another->analyze(messages).toJson()).toJson(QJsonDocument::Compact), first);
    }
    const Analysis analysis = m_analyzer->analyze(messages);
    QVERIFY2(analysis.analyzerVersion.startsWith(QStringLiteral("syncdesk-analyzer/") +
                                                 ConversationAnalyzer::codeVersion()),
             qPrintable(analysis.analyzerVersion));
    QVERIFY(analysis.analyzerVersion.contains(m_analyzer->model().version));
    QVERIFY(m_analyzer->model().version.startsWith(QLatin1String("model-")));
    QVERIFY(!m_analyzer->model().metadata.isEmpty());
}

void TestConversationAnalyzer::serialisesToTheAnalysesColumns()
{
    AnalysisContext context;
    context.openTickets = {
        {77, QStringLiteral("Refund for order 31190"), QStringLiteral("refund"), QDateTime()}};
    const Analysis analysis = m_analyzer->analyze(
        conversation(
            "C: Where is my refund for order 31190? It's been a month.|A: Refunds take 10 days.|C: It has "
            "been 30 days. Please check."),
        context);
    const QJsonObject json = analysis.toJson();
    for (const char *column :
         {"analyzer_version", "message_count", "confidence", "result", "category", "priority", "sentiment",
          "entities", "subject", "summary", "signals", "linked_ticket_id"})
        QVERIFY2(json.contains(QLatin1String(column)), column);
    QCOMPARE(json.value(QLatin1String("message_count")).toInt(), 3);
    QCOMPARE(json.value(QLatin1String("result")).toString(), QStringLiteral("link_ticket"));
    QCOMPARE(json.value(QLatin1String("linked_ticket_id")).toInteger(), 77);

    const auto back = Analysis::fromJson(json);
    QVERIFY2(back, qPrintable(back.error()));
    QCOMPARE(back->result, analysis.result);
    QCOMPARE(back->category, analysis.category);
    QCOMPARE(back->priority, analysis.priority);
    QCOMPARE(back->entities, analysis.entities);
    QCOMPARE(back->signalList.size(), analysis.signalList.size());
    QCOMPARE(back->linkedTicketId, analysis.linkedTicketId);
    QCOMPARE(back->subject, analysis.subject);
    QVERIFY(!Analysis::fromJson(QJsonObject{{QStringLiteral("result"), QStringLiteral("maybe")}}));
}

void TestConversationAnalyzer::writesSubjectAndSummaryFromTheCustomersWords()
{
    const Analysis analysis = m_analyzer->analyze(conversation(
        "C: Hi there.|A: Hello! How can I help?|C: I returned the jacket two weeks ago and I still haven't "
        "got my refund for order 558120. Can you check it?|A: Refunds take 5 to 7 days.|C: It has been 14 "
        "days. Please escalate."));
    QVERIFY2(analysis.subject.startsWith(QLatin1String("Refund: ")), qPrintable(analysis.subject));
    QVERIFY2(analysis.subject.contains(QLatin1String("558120")), qPrintable(analysis.subject));
    QVERIFY2(analysis.subject.size() <= 100, qPrintable(analysis.subject));
    QVERIFY2(analysis.summary.contains(QLatin1String("returned the jacket")), qPrintable(analysis.summary));
    QVERIFY2(!analysis.summary.contains(QLatin1String("Refunds take")), qPrintable(analysis.summary));
    QVERIFY(analysis.priority == TicketPriority::Normal || analysis.priority == TicketPriority::High);

    const Analysis fraud =
        m_analyzer->analyze(conversation("C: Someone hacked my account and placed orders!"));
    QCOMPARE(fraud.priority, TicketPriority::Urgent);
    const Analysis question = m_analyzer->analyze(
        conversation("C: Do you sell gift cards?|A: Yes, from £10 to £200 on our website.|C: thanks"));
    QCOMPARE(question.priority, TicketPriority::Low);
}

void TestConversationAnalyzer::refusesBrokenModelsAndForeignLexicons()
{
    QVERIFY(!AnalyzerModel::fromBytes(QByteArray("not a model")));
    QByteArray bytes = m_analyzer->model().toBytes();
    QVERIFY(AnalyzerModel::fromBytes(bytes));
    QVERIFY(!AnalyzerModel::fromBytes(bytes.left(bytes.size() / 2)));
    AnalyzerModel corrupt = m_analyzer->model();
    corrupt.turnShare = 7.0f; // outside 0..1
    QVERIFY(!AnalyzerModel::fromBytes(corrupt.toBytes()));

    auto lexicon = Lexicon::fromJson(R"({"version": "other", "phrases": {"refund_request": ["refund"]}})");
    QVERIFY2(lexicon, qPrintable(lexicon.error()));
    const auto mismatched = ConversationAnalyzer::create(std::move(lexicon).value(), m_analyzer->model());
    QVERIFY(!mismatched);
    QVERIFY2(mismatched.error().contains(QLatin1String("another lexicon")), qPrintable(mismatched.error()));
    QVERIFY(!Lexicon::fromJson(R"({"phrases": {"no_such_group": ["x"]}})"));
    QVERIFY(!ConversationAnalyzer::load(QStringLiteral("/nonexistent/model.bin"),
                                        ConversationAnalyzer::defaultLexiconPath()));
}

void TestConversationAnalyzer::computesEvaluationFigures()
{
    QCOMPARE(AnalyzerEvaluation::rocAuc({0.1, 0.4, 0.35, 0.8}, {false, false, true, true}), 0.75);
    QCOMPARE(AnalyzerEvaluation::rocAuc({0.5, 0.5}, {false, true}), 0.5);
    AnalyzerEvaluation evaluation;
    evaluation.add(0.9, true, TicketCategory::Refund, TicketCategory::Refund);
    evaluation.add(0.8, false, TicketCategory::Order, TicketCategory::Billing);
    evaluation.add(0.2, false, TicketCategory::General, TicketCategory::General);
    evaluation.add(0.6, true, TicketCategory::Order, TicketCategory::Order);
    const auto report = evaluation.report(0.7);
    QCOMPARE(report.ticketSamples, 4);
    QCOMPARE(report.auc, 0.75);
    QCOMPARE(report.precision, 0.5);
    QCOMPARE(report.recall, 0.5);
    QCOMPARE(report.categoryAccuracy, 0.75);
    QCOMPARE(report.confusion[std::size_t(TicketCategory::Billing)][std::size_t(TicketCategory::Order)], 1);
    // refund 1.0, order 2/3, general 1.0, billing 0.
    QVERIFY(std::fabs(report.categoryMacroF1 - (1.0 + 2.0 / 3.0 + 1.0 + 0.0) / 4.0) < 1e-9);
    QCOMPARE(report.calibration[9].count, 1); // 0.9
    QCOMPARE(report.calibration[8].count, 1); // 0.8
    QCOMPARE(report.calibration[9].observedRate, 1.0);
    QCOMPARE(report.calibration[8].observedRate, 0.0);
    const QString text = AnalyzerEvaluation::format(report, 0.7);
    for (const char *expected :
         {"ROC AUC", "precision", "recall", "F1", "accuracy", "macro-F1", "confusion", "calibration"})
        QVERIFY2(text.contains(QLatin1String(expected)), expected);
}

void TestConversationAnalyzer::readsConversationLinesAndReportsBadOnes()
{
    const auto good = ConversationReader::parseLine(
        R"({"id": 7, "extra": 1, "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}], "labels": {"ticket": false, "category": "general", "signals": ["thanks_resolved"]}})");
    QVERIFY2(good, qPrintable(good.error()));
    QCOMPARE(good->id, QStringLiteral("7"));
    QCOMPARE(good->messages.size(), 2);
    QCOMPARE(good->messages[0].role, Role::Customer);
    QCOMPARE(good->ticket, std::optional<bool>(false));
    QCOMPARE(good->category, std::optional<TicketCategory>(TicketCategory::General));
    QCOMPARE(good->expectedSignals, QStringList{"thanks_resolved"});

    for (const char *bad :
         {"{not json", "[1, 2]", R"({"id": "x"})", R"({"messages": [{"role": "robot", "content": "x"}]})",
          R"({"messages": [{"role": "customer", "content": 5}]})",
          R"({"messages": [], "labels": {"category": "weather"}})"}) {
        const auto parsed = ConversationReader::parseLine(bad);
        QVERIFY2(!parsed, bad);
        QVERIFY(!parsed.error().isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestConversationAnalyzer)
#include "tst_conversationanalyzer.moc"
