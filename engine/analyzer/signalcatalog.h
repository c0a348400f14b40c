#pragma once

#include <QString>

namespace syncdesk {

// The signal features: hand-defined reasons support teams use (a request for a person, a refund,
// the assistant failing twice, ...). Each is a number in 0..1 that the model weighs like its word
// features; the order is part of the model file format.
enum class SignalId : int
{
    HumanRequest,
    NegativeSentiment,
    Frustration,
    RepeatedQuestion,
    AssistantApologised,
    AssistantCannotHelp,
    AssistantFailedTwice,
    RefundRequest,
    Cancellation,
    ChargeDispute,
    AccountClosure,
    SecurityFraud,
    LegalThreat,
    Urgency,
    UnansweredLastTurn,
    InformationalQuestion,
    InformationalAnswered,
    ThanksResolved,
    ProblemReport,
    ThirdPartyAnger,
    AssistantHandoff,
    OrderChange,
    PaymentProblem,
    AccountAccess,
    TechnicalProblem,
    ComplaintWords,
    DeliveryWords,
    AccountWords,
    // Question or problem: "why was I charged" and "it never arrived" report that something went
    // wrong; "how do I" and "what is" ask for information.
    AsksWhy,
    UnmetExpectation,
    PraiseWithProblem,
    // What the conversation is about, from the category cue words (TicketCategory's order): the
    // customer's turns, then the assistant's as weaker evidence. They mostly inform the category.
    BillingCues,
    RefundCues,
    OrderCues,
    AccountCues,
    TechnicalCues,
    ComplaintCues,
    GeneralCues,
    AssistantBillingCues,
    AssistantRefundCues,
    AssistantOrderCues,
    AssistantAccountCues,
    AssistantTechnicalCues,
    AssistantComplaintCues,
    AssistantGeneralCues,
    // The assistant says it did what was asked, nothing was handed on or refused after it, and the
    // customer raised no new problem: a chat can end solved without the customer saying so.
    AssistantCompleted
};

class SignalCatalog
{
public:
    static constexpr int kCount = 46;
    static QString name(int signal);        // e.g. "human_request"
    static QString description(int signal); // e.g. "customer asked for a person"
};

} // namespace syncdesk
