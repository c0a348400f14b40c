#include "analyzer/signalcatalog.h"

#include <array>

namespace syncdesk {

namespace {

struct Entry
{
    const char *name;
    const char *description;
};

constexpr std::array<Entry, SignalCatalog::kCount> kEntries{{
    {"human_request", "customer asked for a person"},
    {"negative_sentiment", "negative sentiment"},
    {"frustration", "frustration: capitals, repeated punctuation, insults or exasperation"},
    {"repeated_question", "customer repeated the question or pushed back on the answer"},
    {"assistant_apologised", "the assistant apologised"},
    {"assistant_cannot_help", "the assistant said it cannot help"},
    {"assistant_failed_twice", "the assistant failed twice (apologies or cannot-help replies)"},
    {"refund_request", "refund request"},
    {"cancellation", "cancellation request"},
    {"charge_dispute", "disputed or unexpected charge"},
    {"account_closure", "account closure or data deletion"},
    {"security_fraud", "security or fraud concern"},
    {"legal_threat", "legal threat or regulator complaint"},
    {"urgency", "urgency words"},
    {"unanswered_last_turn", "the customer's last message is unanswered"},
    {"informational_question", "informational question"},
    {"informational_answered", "informational question that the assistant answered"},
    {"thanks_resolved", "customer said it is resolved or answered"},
    {"problem_report", "customer reports something broken, missing or failed"},
    {"third_party_anger", "negative words aimed at a third party, not at us"},
    {"assistant_handoff", "the assistant or an agent already handed over or promised a person"},
    {"order_change", "change to an order or its delivery"},
    {"payment_problem", "payment, charge or invoice wording"},
    {"account_access", "login, password or registration wording"},
    {"technical_problem", "app, website or device wording"},
    {"complaint_words", "complaint wording"},
    {"delivery_words", "parcel, delivery or stock wording"},
    {"account_words", "account, profile or sign-in wording"},
    {"asks_why", "customer asks why something happened"},
    {"unmet_expectation",
     "something the customer expected did not happen (\"never arrived\", \"not credited\")"},
    {"praise_with_problem",
     "praise next to a problem in one message, often sarcasm (\"great job, third outage this week\")"},
    {"billing_cues", "the customer writes about charges, bills, prices or payments"},
    {"refund_cues", "the customer writes about refunds or returns"},
    {"order_cues", "the customer writes about an order, booking or delivery"},
    {"account_cues", "the customer writes about their account, login or personal data"},
    {"technical_cues", "the customer writes about an app, device or connection"},
    {"complaint_cues", "the customer is unhappy with the service or the staff"},
    {"general_cues", "the customer asks about opening hours, places, features or gives feedback"},
    {"assistant_billing_cues", "the assistant's replies are about charges, bills or payments"},
    {"assistant_refund_cues", "the assistant's replies are about refunds or returns"},
    {"assistant_order_cues", "the assistant's replies are about an order, booking or delivery"},
    {"assistant_account_cues", "the assistant's replies are about the account or login"},
    {"assistant_technical_cues", "the assistant's replies are about an app, device or connection"},
    {"assistant_complaint_cues", "the assistant's replies respond to a complaint"},
    {"assistant_general_cues", "the assistant's replies are general information"},
    {"assistant_completed", "the assistant did what was asked, and nothing was left open after it"},
}};

} // namespace

QString SignalCatalog::name(int signal)
{
    return signal >= 0 && signal < kCount ? QLatin1String(kEntries[std::size_t(signal)].name) : QString();
}

QString SignalCatalog::description(int signal)
{
    return signal >= 0 && signal < kCount ? QLatin1String(kEntries[std::size_t(signal)].description)
                                          : QString();
}

} // namespace syncdesk
