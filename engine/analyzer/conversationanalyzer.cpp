#include "analyzer/conversationanalyzer.h"

#include "analyzer/entityextractor.h"
#include "analyzer/summarizer.h"
#include "analyzer/ticketmatcher.h"
#include "core/logging.h"

#include <QFile>

#include <algorithm>
#include <cmath>

namespace syncdesk {

namespace {

// Signals below this contribution (log-odds) did not move the score enough to be worth showing.
constexpr double kShownContribution = 0.05;
constexpr int kNamedWords = 3;

Result<QByteArray> readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<QByteArray>::failure(
            QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    return Result<QByteArray>::success(file.readAll());
}

double signal(const ConversationFeatures &features, SignalId id)
{
    return features.signalValues[std::size_t(id)];
}

TicketPriority priorityOf(const ConversationFeatures &features, AnalysisResult result)
{
    if (result == AnalysisResult::NoAction)
        return TicketPriority::Low;
    const double sentiment = features.sentiment;
    if (signal(features, SignalId::SecurityFraud) > 0 || signal(features, SignalId::LegalThreat) > 0 ||
        (signal(features, SignalId::Urgency) > 0 && sentiment <= -0.4))
        return TicketPriority::Urgent;
    if (signal(features, SignalId::Urgency) > 0 || signal(features, SignalId::ChargeDispute) > 0 ||
        sentiment <= -0.5 || signal(features, SignalId::AssistantFailedTwice) > 0 ||
        (signal(features, SignalId::HumanRequest) > 0 && sentiment < -0.2))
        return TicketPriority::High;
    return TicketPriority::Normal;
}

} // namespace

QString ConversationAnalyzer::codeVersion()
{
    // 1.1: category cue signals and the assistant's words as features (model format 2, lexicon-2).
    // 1.2: the strongest customer turns, length-independent signals, question-versus-problem cues,
    //      negated words, emoji and @handle tokens (model format 3, lexicon-3).
    // 1.3: a problem the customer says is settled no longer decides the strongest turns (lexicon-4).
    // 1.4: questions after a hand-over are about the hand-over, not for information; the assistant
    //      saying it did what was asked (model format 4: 46 signals, lexicon-6).
    return QStringLiteral("1.4");
}

QString ConversationAnalyzer::defaultModelPath()
{
    return QStringLiteral(":/analyzer/model.bin");
}

QString ConversationAnalyzer::defaultLexiconPath()
{
    return QStringLiteral(":/analyzer/lexicon.json");
}

ConversationAnalyzer::ConversationAnalyzer(std::shared_ptr<const Lexicon> lexicon,
                                           std::shared_ptr<const AnalyzerModel> model)
    : m_lexicon(std::move(lexicon))
    , m_model(std::move(model))
    , m_extractor(std::make_shared<FeatureExtractor>(*m_lexicon))
{}

Result<ConversationAnalyzer> ConversationAnalyzer::load()
{
    return load(defaultModelPath(), defaultLexiconPath());
}

Result<ConversationAnalyzer> ConversationAnalyzer::load(const QString &modelPath, const QString &lexiconPath)
{
    using R = Result<ConversationAnalyzer>;
    const auto lexiconBytes = readFile(lexiconPath);
    if (!lexiconBytes)
        return R::failure(lexiconBytes.error());
    auto lexicon = Lexicon::fromJson(lexiconBytes.value());
    if (!lexicon)
        return R::failure(lexicon.error());
    const auto modelBytes = readFile(modelPath);
    if (!modelBytes)
        return R::failure(modelBytes.error());
    auto model = AnalyzerModel::fromBytes(modelBytes.value());
    if (!model) {
        qCWarning(lcAnalyzer) << "cannot use the analyzer model" << modelPath << model.error();
        return R::failure(QStringLiteral("%1: %2").arg(modelPath, model.error()));
    }
    return create(std::move(lexicon).value(), std::move(model).value());
}

Result<ConversationAnalyzer> ConversationAnalyzer::create(Lexicon lexicon, AnalyzerModel model)
{
    if (model.lexiconFingerprint != lexicon.fingerprint())
        return Result<ConversationAnalyzer>::failure(
            QStringLiteral("analyzer model %1 was trained with another lexicon than %2; retrain it with "
                           "syncdesk-train-analyzer")
                .arg(model.version, lexicon.version()));
    return Result<ConversationAnalyzer>::success(
        ConversationAnalyzer(std::make_shared<const Lexicon>(std::move(lexicon)),
                             std::make_shared<const AnalyzerModel>(std::move(model))));
}

QString ConversationAnalyzer::analyzerVersion() const
{
    return QStringLiteral("syncdesk-analyzer/%1 %2 %3")
        .arg(codeVersion(), m_model->version, m_lexicon->version());
}

Analysis ConversationAnalyzer::analyze(const QList<AnalyzedMessage> &messages,
                                       const AnalysisContext &context) const
{
    Analysis analysis;
    analysis.analyzerVersion = analyzerVersion();
    analysis.messageCount = int(messages.size());
    ConversationFeatures features;
    m_extractor->extract(messages, features);
    analysis.language = features.language;
    if (features.customerMessages == 0) {
        // Nothing the customer said: nothing to decide.
        const bool empty = std::all_of(messages.begin(), messages.end(), [](const AnalyzedMessage &m) {
            return m.content.trimmed().isEmpty();
        });
        analysis.language.clear();
        analysis.subject = QStringLiteral("General");
        analysis.signalList.append(
            empty ? AnalysisSignal{QStringLiteral("empty_conversation"),
                                   QStringLiteral("the conversation has no text"), 0.0}
                  : AnalysisSignal{QStringLiteral("no_customer_message"),
                                   QStringLiteral("only assistant, agent or system messages"), 0.0});
        return analysis;
    }

    const AnalyzerModel::Scores scores = m_model->score(features);
    analysis.confidence = m_model->probability(scores.ticketLogit);
    const auto topCategory =
        std::max_element(scores.categoryProbabilities.begin(), scores.categoryProbabilities.end());
    analysis.category = TicketCategory(topCategory - scores.categoryProbabilities.begin());
    analysis.categoryConfidence = *topCategory;
    analysis.sentiment = features.sentiment;

    for (const AnalyzedMessage &message : messages) {
        if (message.role != AnalyzedMessage::Role::Customer)
            continue;
        if (message.content.size() > FeatureExtractor::kMaxAnalysedChars)
            EntityExtractor::extract(message.content.left(FeatureExtractor::kMaxAnalysedChars),
                                     analysis.entities);
        else
            EntityExtractor::extract(message.content, analysis.entities);
    }

    if (analysis.confidence >= context.threshold)
        analysis.result = AnalysisResult::CreateTicket;
    else if (analysis.confidence >= context.threshold - context.reviewBand)
        analysis.result = AnalysisResult::NeedsReview;
    else
        analysis.result = AnalysisResult::NoAction;

    explain(messages, features, scores, analysis);

    // The model reads English; anything else, or text that is not text, goes to a person.
    if (features.unreadable) {
        analysis.result = AnalysisResult::NeedsReview;
        analysis.signalList.prepend({QStringLiteral("unreadable_text"),
                                     QStringLiteral("mostly control or replacement characters"), 0.0});
    } else if (features.language != QLatin1String("en")) {
        analysis.result = AnalysisResult::NeedsReview;
        analysis.signalList.prepend(
            {QStringLiteral("non_english"),
             QStringLiteral("written in '%1'; the analyzer reads English").arg(features.language), 0.0});
    }
    if (features.truncated) {
        analysis.signalList.append(
            {QStringLiteral("message_truncated"),
             QStringLiteral("only the first %1 characters of long messages were analysed")
                 .arg(FeatureExtractor::kMaxAnalysedChars),
             0.0});
    }

    if (analysis.result == AnalysisResult::CreateTicket && !context.openTickets.isEmpty()) {
        const auto linked = TicketMatcher::match(context.openTickets, features, analysis.category,
                                                 analysis.entities, *m_lexicon);
        if (linked) {
            analysis.result = AnalysisResult::LinkTicket;
            analysis.linkedTicketId = linked->ticketId;
            analysis.signalList.append({QStringLiteral("open_ticket_match"), linked->reason, 0.0});
        }
    }
    analysis.priority = priorityOf(features, analysis.result);
    analysis.subject = Summarizer::subject(messages, features, analysis.category, analysis.entities);
    analysis.summary = Summarizer::summary(messages, features);
    return analysis;
}

void ConversationAnalyzer::explain(const QList<AnalyzedMessage> &messages,
                                   const ConversationFeatures &features, const AnalyzerModel::Scores &scores,
                                   Analysis &analysis) const
{
    QList<AnalysisSignal> shown;
    for (int s = 0; s < SignalCatalog::kCount; ++s) {
        const double contribution = scores.signalContributions[std::size_t(s)];
        if (std::fabs(contribution) >= kShownContribution)
            shown.append({SignalCatalog::name(s), SignalCatalog::description(s), contribution});
    }
    if (std::fabs(scores.textContribution) >= kShownContribution) {
        // Name the customer's words that pushed hardest in the same direction as the wording overall.
        const bool towardsTicket = scores.textContribution > 0;
        struct Named
        {
            double weight;
            QString word;
        };
        std::vector<Named> named;
        // When the model read the strongest turns, their words are the ones that decided.
        const bool focused = scores.focusFirstMessage >= 0;
        for (const ConversationFeatures::Word &word : features.words) {
            if (focused && (word.span.message < scores.focusFirstMessage ||
                            word.span.message > scores.focusLastMessage))
                continue;
            const double weight = m_model->hashedWeights[std::size_t(word.bucket) * AnalyzerModel::kOutputs];
            if ((weight > 0) != towardsTicket || weight == 0.0)
                continue;
            const QString text = QStringView(messages[word.span.message].content)
                                     .mid(word.span.start, word.span.length)
                                     .toString()
                                     .toLower();
            auto same =
                std::find_if(named.begin(), named.end(), [&text](const Named &n) { return n.word == text; });
            if (same == named.end())
                named.push_back({std::fabs(weight), text});
        }
        std::stable_sort(named.begin(), named.end(),
                         [](const Named &a, const Named &b) { return a.weight > b.weight; });
        QStringList words;
        for (std::size_t i = 0; i < named.size() && i < std::size_t(kNamedWords); ++i)
            words << QLatin1Char('"') + named[i].word + QLatin1Char('"');
        const QString detail = towardsTicket
                                   ? QStringLiteral("wording like requests that need a person")
                                   : QStringLiteral("wording like questions the assistant can answer");
        shown.append(
            {QStringLiteral("wording"),
             words.isEmpty() ? detail : detail + QStringLiteral(": ") + words.join(QStringLiteral(", ")),
             scores.textContribution});
    }
    std::stable_sort(shown.begin(), shown.end(), [](const AnalysisSignal &a, const AnalysisSignal &b) {
        return std::fabs(a.weight) > std::fabs(b.weight);
    });
    analysis.signalList = shown;
}

} // namespace syncdesk
