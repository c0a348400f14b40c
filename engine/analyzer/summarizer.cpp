#include "analyzer/summarizer.h"

#include <algorithm>

namespace syncdesk {

namespace {

QString categoryLabel(TicketCategory category)
{
    switch (category) {
    case TicketCategory::Billing:
        return QStringLiteral("Billing");
    case TicketCategory::Refund:
        return QStringLiteral("Refund");
    case TicketCategory::Order:
        return QStringLiteral("Order");
    case TicketCategory::Account:
        return QStringLiteral("Account");
    case TicketCategory::Technical:
        return QStringLiteral("Technical issue");
    case TicketCategory::Complaint:
        return QStringLiteral("Complaint");
    case TicketCategory::General:
        return QStringLiteral("General");
    }
    return QString();
}

QStringView sentenceText(const QList<AnalyzedMessage> &messages,
                         const ConversationFeatures::Sentence &sentence)
{
    return QStringView(messages[sentence.span.message].content)
        .mid(sentence.span.start, sentence.span.length);
}

// Index of the sentence that best says what the customer needs: the highest weight, earliest first.
int keySentence(const ConversationFeatures &features)
{
    int best = -1;
    for (int i = 0; i < int(features.sentences.size()); ++i) {
        if (best < 0 ||
            features.sentences[std::size_t(i)].weight > features.sentences[std::size_t(best)].weight)
            best = i;
    }
    return best;
}

} // namespace

QString Summarizer::shorten(QStringView text, int maxChars)
{
    QString simplified = text.toString().simplified();
    if (simplified.size() <= maxChars)
        return simplified;
    qsizetype cut = simplified.lastIndexOf(QLatin1Char(' '), maxChars - 1);
    if (cut < maxChars / 2)
        cut = maxChars - 1;
    simplified.truncate(cut);
    while (!simplified.isEmpty() && (simplified.back().isPunct() || simplified.back().isSpace()))
        simplified.chop(1);
    return simplified + QStringLiteral("…");
}

QString Summarizer::subject(const QList<AnalyzedMessage> &messages, const ConversationFeatures &features,
                            TicketCategory category, const QList<ExtractedEntity> &entities)
{
    const QString label = categoryLabel(category);
    const int key = keySentence(features);
    if (key < 0)
        return label;
    QString subject = label + QStringLiteral(": ") +
                      shorten(sentenceText(messages, features.sentences[std::size_t(key)]),
                              kSubjectChars - int(label.size()) - 2);
    for (const ExtractedEntity &entity : entities) {
        if (entity.type == QLatin1String("order_number") &&
            !subject.contains(entity.value, Qt::CaseInsensitive)) {
            subject += QStringLiteral(" (order %1)").arg(entity.value);
            break;
        }
    }
    return subject;
}

QString Summarizer::summary(const QList<AnalyzedMessage> &messages, const ConversationFeatures &features)
{
    const auto &sentences = features.sentences;
    const int key = keySentence(features);
    if (key < 0)
        return QString();
    // The key sentence, the first informative one for context, and the customer's last open question.
    std::vector<int> chosen{key};
    for (int i = 0; i < int(sentences.size()); ++i) {
        if (sentences[std::size_t(i)].weight >= 0.0f) {
            chosen.push_back(i);
            break;
        }
    }
    for (int i = int(sentences.size()) - 1; i >= 0; --i) {
        if (sentences[std::size_t(i)].question) {
            chosen.push_back(i);
            break;
        }
    }
    std::sort(chosen.begin(), chosen.end());
    chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
    QString summary;
    for (int index : chosen) {
        const QString sentence =
            sentenceText(messages, sentences[std::size_t(index)]).toString().simplified();
        if (sentence.isEmpty())
            continue;
        if (!summary.isEmpty())
            summary += QLatin1Char(' ');
        summary += sentence;
        if (summary.size() >= kSummaryChars)
            break;
    }
    return shorten(summary, kSummaryChars);
}

} // namespace syncdesk
