#include "analyzer/signalbuilder.h"

#include "analyzer/analysis.h"

#include <algorithm>
#include <cmath>

namespace syncdesk {

namespace {

using Role = AnalyzedMessage::Role;
using G = Lexicon::Group;

void set(ConversationFeatures &features, SignalId id, double value)
{
    features.signalValues[std::size_t(id)] = float(std::clamp(value, 0.0, 1.0));
}

bool anyOf(const MessageScan &scan, std::initializer_list<G> groups)
{
    for (G group : groups) {
        if (scan.has(group))
            return true;
    }
    return false;
}

// The need groups: a message with any of these asks for something beyond information.
constexpr std::initializer_list<G> kActionGroups{
    G::HumanRequest,  G::RefundRequest, G::Cancellation,  G::ChargeDispute, G::AccountClosure,
    G::SecurityFraud, G::LegalThreat,   G::ProblemReport, G::Complaint,     G::Frustration};
// Topics a customer may just ask about ("what is your refund policy?").
constexpr std::initializer_list<G> kAskableGroups{G::RefundRequest, G::Cancellation, G::AccountClosure};
// The rest always mean the customer needs something done.
constexpr std::initializer_list<G> kNeedGroups{G::HumanRequest, G::ChargeDispute, G::SecurityFraud,
                                               G::LegalThreat,  G::ProblemReport, G::Complaint,
                                               G::Frustration};

// A customer turn of this many words or more can be a request; shorter ones are greetings, names,
// numbers and "ok"s.
constexpr int kRequestTokens = 4;

// Capitals, "?!" runs, insults and exasperated phrases in one message.
double frustrationOf(const MessageScan &scan)
{
    return (scan.capsWords >= 2 ? 0.4 : scan.capsWords == 1 ? 0.15 : 0.0) + 0.3 * scan.punctuationRuns +
           0.5 * scan.insults + 0.4 * scan.groups[std::size_t(G::Frustration)];
}

} // namespace

double SignalBuilder::overlap(const std::vector<quint64> &a, const std::vector<quint64> &b)
{
    if (a.empty() || b.empty())
        return 0.0;
    std::size_t shared = 0;
    auto i = a.begin();
    auto j = b.begin();
    while (i != a.end() && j != b.end()) {
        if (*i < *j)
            ++i;
        else if (*j < *i)
            ++j;
        else {
            ++shared;
            ++i;
            ++j;
        }
    }
    if (shared < 2)
        return 0.0;
    return double(shared) / double(a.size() + b.size() - shared);
}

void SignalBuilder::build(const std::vector<MessageScan> &scans, ConversationFeatures &features)
{
    const auto &groups = features.customerGroups;
    auto customerHas = [&groups](G group) { return groups[std::size_t(group)] > 0; };

    double sentimentSum = 0.0;
    double sentimentWeight = 0.0;
    double worst = 1.0;
    int customerIndex = 0;
    double frustration = 0.0; // of the most exasperated customer turn, not the sum: a long chat is not angrier
    bool thirdPartyAnger = false;
    int apologyTurns = 0;
    int cannotHelpTurns = 0;
    int failedTurns = 0;
    bool handoff = false;
    bool substantiveAnswer = false;
    bool seenCustomer = false;
    double repeated = 0.0;
    // Pushback counts only in a reply: "I tried that", "still" after the assistant's suggestion.
    int pushbackReplies = 0;
    bool assistantSpoke = false;
    std::array<int, kTicketCategoryCount> assistantCues{};
    const MessageScan *firstCustomer = nullptr;
    const MessageScan *lastCustomer = nullptr;
    std::vector<const MessageScan *> customers;
    // Per customer turn: whether the matter had been handed on before it ("how long" after "I've
    // raised a request with our finance team" asks about the hand-over, not for information).
    std::vector<bool> afterHandoff;
    bool handedOnSoFar = false;
    for (const MessageScan &scan : scans) {
        if (scan.role == Role::Customer) {
            afterHandoff.push_back(handedOnSoFar);
            // Later messages weigh more: how the customer feels now matters most.
            const double weight = 1.0 + customerIndex++;
            sentimentSum += weight * scan.sentiment;
            sentimentWeight += weight;
            worst = std::min(worst, double(scan.sentiment));
            frustration = std::max(frustration, frustrationOf(scan));
            thirdPartyAnger = thirdPartyAnger || scan.thirdPartyAnger;
            for (const MessageScan *earlier : customers)
                repeated =
                    std::max(repeated, overlap(earlier->contentWords, scan.contentWords) >= 0.5 ? 1.0 : 0.0);
            if (assistantSpoke && scan.has(G::Pushback))
                ++pushbackReplies;
            customers.push_back(&scan);
            if (!firstCustomer)
                firstCustomer = &scan;
            lastCustomer = &scan;
            seenCustomer = true;
            continue;
        }
        // Assistant or human agent.
        assistantSpoke = true;
        for (int c = 0; c < kTicketCategoryCount; ++c)
            assistantCues[std::size_t(c)] += scan.groups[std::size_t(Lexicon::kFirstCueGroup + c)];
        const bool apology = scan.has(G::Apology);
        const bool cannot = scan.has(G::CannotHelp);
        apologyTurns += apology ? 1 : 0;
        cannotHelpTurns += cannot ? 1 : 0;
        failedTurns += (apology || cannot) ? 1 : 0;
        handoff = handoff || scan.has(G::Handoff) || scan.role == Role::Agent;
        handedOnSoFar = handedOnSoFar || handoff || cannot;
        if (seenCustomer && !apology && !cannot && scan.tokenCount >= 12)
            substantiveAnswer = true;
    }
    if (!firstCustomer)
        return;

    features.assistantMessages = int(scans.size()) - int(customers.size());
    const double mean = sentimentWeight > 0 ? sentimentSum / sentimentWeight : 0.0;
    features.sentiment = std::clamp(0.7 * mean + 0.3 * worst, -1.0, 1.0);

    set(features, SignalId::HumanRequest, customerHas(G::HumanRequest) ? 1.0 : 0.0);
    // The most negative turn: "ok", "thanks" and identity checks around a complaint do not soften it.
    set(features, SignalId::NegativeSentiment, -std::min(worst, 0.7 * mean + 0.3 * worst));
    set(features, SignalId::Frustration, frustration);
    set(features, SignalId::RepeatedQuestion, repeated + 0.5 * pushbackReplies);
    set(features, SignalId::AssistantApologised, apologyTurns / 2.0);
    set(features, SignalId::AssistantCannotHelp, cannotHelpTurns / 2.0);
    set(features, SignalId::AssistantFailedTwice, failedTurns >= 2 ? 1.0 : 0.0);
    set(features, SignalId::RefundRequest, customerHas(G::RefundRequest) ? 1.0 : 0.0);
    set(features, SignalId::Cancellation, customerHas(G::Cancellation) ? 1.0 : 0.0);
    set(features, SignalId::ChargeDispute, customerHas(G::ChargeDispute) ? 1.0 : 0.0);
    set(features, SignalId::AccountClosure, customerHas(G::AccountClosure) ? 1.0 : 0.0);
    set(features, SignalId::SecurityFraud, customerHas(G::SecurityFraud) ? 1.0 : 0.0);
    set(features, SignalId::LegalThreat, customerHas(G::LegalThreat) ? 1.0 : 0.0);
    set(features, SignalId::Urgency, customerHas(G::Urgency) ? 1.0 : 0.0);

    const auto isClosing = [](const MessageScan &scan) {
        return !anyOf(scan, {G::ProblemReport, G::Frustration, G::Complaint}) && !scan.contrastAfterSettling &&
               scan.tokenCount <= 30;
    };
    const bool lastIsClosing = isClosing(*lastCustomer);
    // "ok got it" after "I've passed this to our team" acknowledges a hand-over; it settles nothing.
    features.openTurn = 0;
    int turn = -1;
    bool handedOn = false;
    bool lastAfterHandoff = false;
    for (const MessageScan &scan : scans) {
        if (scan.role != Role::Customer) {
            handedOn = handedOn || scan.has(G::Handoff) || scan.has(G::CannotHelp);
            continue;
        }
        ++turn;
        if (isClosing(scan) && scan.has(G::Resolved) && !handedOn)
            features.openTurn = turn;
        lastAfterHandoff = handedOn;
        handedOn = false;
    }
    bool completed = false;
    for (const MessageScan &scan : scans) {
        if (scan.role == Role::Customer) {
            if (anyOf(scan, {G::ProblemReport, G::Frustration, G::Complaint, G::Pushback}))
                completed = false;
        } else if (scan.has(G::Handoff) || scan.has(G::CannotHelp)) {
            completed = false;
        } else if (scan.has(G::AssistantDone)) {
            completed = true;
        }
    }
    set(features, SignalId::AssistantCompleted, completed ? 1.0 : 0.0);
    const bool lastIsThanks = lastIsClosing && anyOf(*lastCustomer, {G::Thanks, G::Resolved});
    // Thanks alone ends unresolved chats as often as resolved ones: the customer has to say it is
    // settled ("that worked", "found it").
    const bool lastIsResolved = lastIsClosing && lastCustomer->has(G::Resolved) && !lastAfterHandoff;
    const bool customerSpokeLast = scans.back().role == Role::Customer;
    const bool lastAsks = lastCustomer->question || anyOf(*lastCustomer, kActionGroups) ||
                          anyOf(*lastCustomer, {G::OrderChange, G::AccountAccess, G::PaymentProblem});
    set(features, SignalId::UnansweredLastTurn, customerSpokeLast && !lastIsThanks && lastAsks ? 1.0 : 0.0);

    bool actionAsked = pushbackReplies > 0;
    bool informational = false;
    for (std::size_t i = 0; i < customers.size(); ++i) {
        const MessageScan *scan = customers[i];
        actionAsked = actionAsked || anyOf(*scan, kNeedGroups) ||
                      (anyOf(*scan, kAskableGroups) && !scan->informationalLead);
        informational = informational || (scan->has(G::Informational) && !afterHandoff[i]);
    }
    const bool informationalQuestion = informational && !actionAsked;
    set(features, SignalId::InformationalQuestion, informationalQuestion ? 1.0 : 0.0);
    set(features, SignalId::InformationalAnswered,
        informationalQuestion && substantiveAnswer && failedTurns == 0 ? 1.0 : 0.0);
    set(features, SignalId::ThanksResolved, lastIsResolved ? 1.0 : 0.0);
    set(features, SignalId::ProblemReport, customerHas(G::ProblemReport) ? 1.0 : 0.0);
    set(features, SignalId::ThirdPartyAnger, thirdPartyAnger ? 1.0 : 0.0);
    set(features, SignalId::AssistantHandoff, handoff ? 1.0 : 0.0);
    // Topic wording counts by how often it comes up in one turn (not over the whole chat: a long
    // chat is not more of anything), the customer's opening request twice. The opening request is the
    // first customer turn of a few words, not the "hi" or the name before it.
    const MessageScan *lead = firstCustomer;
    for (const MessageScan *scan : customers) {
        if (scan->tokenCount >= kRequestTokens) {
            lead = scan;
            break;
        }
    }
    std::array<int, Lexicon::kGroupCount> turnMost{};
    for (const MessageScan *scan : customers) {
        for (int g = 0; g < Lexicon::kGroupCount; ++g)
            turnMost[std::size_t(g)] = std::max<int>(turnMost[std::size_t(g)], scan->groups[std::size_t(g)]);
    }
    auto graded = [&](G group) {
        return (turnMost[std::size_t(group)] + lead->groups[std::size_t(group)]) / 3.0;
    };
    set(features, SignalId::OrderChange, graded(G::OrderChange));
    set(features, SignalId::PaymentProblem, graded(G::PaymentProblem));
    set(features, SignalId::AccountAccess, graded(G::AccountAccess));
    set(features, SignalId::TechnicalProblem, graded(G::TechnicalProblem));
    set(features, SignalId::ComplaintWords, graded(G::Complaint));
    set(features, SignalId::DeliveryWords, graded(G::Delivery));
    set(features, SignalId::AccountWords, graded(G::AccountWords));
    bool asksWhy = false;
    bool unmetExpectation = false;
    bool praiseWithProblem = false;
    for (const MessageScan *scan : customers) {
        asksWhy = asksWhy || scan->asksWhy;
        unmetExpectation = unmetExpectation || scan->unmetExpectation;
        praiseWithProblem = praiseWithProblem || scan->praiseWithProblem;
    }
    set(features, SignalId::AsksWhy, asksWhy ? 1.0 : 0.0);
    set(features, SignalId::UnmetExpectation, unmetExpectation ? 1.0 : 0.0);
    set(features, SignalId::PraiseWithProblem, praiseWithProblem ? 1.0 : 0.0);
    // Cue words saturate: the third billing word says less than the first. The opening request
    // counts twice, as for the topic signals above.
    for (int c = 0; c < kTicketCategoryCount; ++c) {
        const G group = G(Lexicon::kFirstCueGroup + c);
        const double customer = groups[std::size_t(group)] + lead->groups[std::size_t(group)];
        set(features, SignalId(int(SignalId::BillingCues) + c), 1.0 - std::exp(-customer / 3.0));
        set(features, SignalId(int(SignalId::AssistantBillingCues) + c),
            1.0 - std::exp(-assistantCues[std::size_t(c)] / 3.0));
    }
}

} // namespace syncdesk
