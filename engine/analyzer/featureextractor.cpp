#include "analyzer/featureextractor.h"

#include "analyzer/languagedetector.h"
#include "analyzer/sentimentscorer.h"
#include "analyzer/signalbuilder.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace syncdesk {

namespace {

constexpr quint64 kUnigramSeed = 0x5bd1e9955bd1e995ULL;
constexpr quint64 kBigramSeed = 0x27d4eb2f165667c5ULL;
constexpr quint64 kCharSeed = 0x165667b19e3779f9ULL;
constexpr quint64 kAssistantSeed = 0x94d049bb133111ebULL;
constexpr quint64 kNegatedSeed = 0x2545f4914f6cdd1dULL;
constexpr int kNegationScope = 3;
// The assistant's words are weak evidence of the topic ("your refund", "restart the router"): they
// count half as much as the customer's.
constexpr float kAssistantTextWeight = 0.5f;
constexpr int kMaxCharGramWord = 24; // longer "words" are URLs, hashes or junk

// Groups whose phrases say what the customer needs, and the ones a plain "no"/"not" before the
// phrase cancels ("no problem", "not a complaint").
bool isNeedGroup(int group)
{
    return group <= Lexicon::ProblemReport || group == Lexicon::Complaint || group == Lexicon::OrderChange ||
           group == Lexicon::PaymentProblem || group == Lexicon::AccountAccess ||
           group == Lexicon::TechnicalProblem;
}

// "Not a complaint, just feedback": complaint cues are denied like the need groups.
bool isDeniable(int group)
{
    return isNeedGroup(group) || group == Lexicon::ComplaintCues;
}

// "That sorted it, but now ...": what follows the settlement is the news.
bool isContrast(quint64 hash)
{
    static const std::array<quint64, 5> contrasts{Tokenizer::hashWord(u"but"), Tokenizer::hashWord(u"however"),
                                                  Tokenizer::hashWord(u"though"), Tokenizer::hashWord(u"although"),
                                                  Tokenizer::hashWord(u"except")};
    return std::find(contrasts.begin(), contrasts.end(), hash) != contrasts.end();
}

bool isDenial(quint64 hash)
{
    static const std::array<quint64, 7> denials{
        Tokenizer::hashWord(u"no"),    Tokenizer::hashWord(u"not"),  Tokenizer::hashWord(u"never"),
        Tokenizer::hashWord(u"don't"), Tokenizer::hashWord(u"dont"), Tokenizer::hashWord(u"without"),
        Tokenizer::hashWord(u"nor")};
    return std::find(denials.begin(), denials.end(), hash) != denials.end();
}

// Scratch buffers reused across calls on one thread, so analysing does not allocate per message.
struct Scratch
{
    std::vector<Token> tokens;
    std::vector<const Lexicon::WordInfo *> infos;
    std::vector<Lexicon::Match> matches;
    std::vector<int> sentenceOf;
    std::vector<quint8> thirdParty;
    std::vector<quint8> secondPerson;
    std::vector<float> sentenceWeight;
    std::vector<MessageScan> scans;
    std::vector<int> analysed;
};

Scratch &scratch()
{
    thread_local Scratch buffers;
    return buffers;
}

} // namespace

FeatureExtractor::FeatureExtractor(const Lexicon &lexicon)
    : m_lexicon(lexicon)
{}

quint32 FeatureExtractor::bucketOf(quint64 hash)
{
    hash ^= hash >> 33;
    hash *= 0xff51afd7ed558ccdULL;
    hash ^= hash >> 33;
    return quint32(hash >> (64 - ConversationFeatures::kHashBits));
}

void FeatureExtractor::extract(const QList<AnalyzedMessage> &messages, ConversationFeatures &features) const
{
    features = ConversationFeatures();
    features.messageCount = int(messages.size());
    Scratch &buffers = scratch();
    std::vector<int> &analysed = buffers.analysed;
    analysed.clear();
    const int total = int(messages.size());
    for (int i = 0; i < total; ++i) {
        if (total <= kMaxAnalysedMessages || i < kHeadMessages ||
            i >= total - (kMaxAnalysedMessages - kHeadMessages))
            analysed.push_back(i);
    }
    std::vector<MessageScan> scans; // not the scratch one: scanMessage uses the scratch buffers
    scans.reserve(analysed.size());
    for (int index : analysed) {
        const AnalyzedMessage &message = messages[index];
        if (message.role == AnalyzedMessage::Role::System || message.content.trimmed().isEmpty())
            continue;
        MessageScan scan;
        scanMessage(index, message, features, scan);
        if (scan.role == AnalyzedMessage::Role::Customer)
            features.contentWords.insert(features.contentWords.end(), scan.contentWords.begin(),
                                         scan.contentWords.end());
        scans.push_back(std::move(scan));
    }
    std::sort(features.contentWords.begin(), features.contentWords.end());
    features.contentWords.erase(std::unique(features.contentWords.begin(), features.contentWords.end()),
                                features.contentWords.end());
    features.wordScale =
        features.wordBuckets.empty() ? 0.0f : float(1.0 / std::sqrt(double(features.wordBuckets.size())));
    features.charScale =
        features.charBuckets.empty() ? 0.0f : float(1.0 / std::sqrt(double(features.charBuckets.size())));
    features.assistantScale =
        features.assistantBuckets.empty()
            ? 0.0f
            : kAssistantTextWeight / float(std::sqrt(double(features.assistantBuckets.size())));
    const LanguageDetector::Verdict language = LanguageDetector::detect(messages, analysed, m_lexicon);
    features.language = language.language;
    features.unreadable = language.unreadable;
    SignalBuilder::build(scans, features);
}

void FeatureExtractor::scanMessage(int index, const AnalyzedMessage &message, ConversationFeatures &features,
                                   MessageScan &scan) const
{
    Scratch &s = scratch();
    QStringView text(message.content);
    if (text.size() > kMaxAnalysedChars) {
        text = text.left(kMaxAnalysedChars);
        features.truncated = true;
    }
    s.tokens.clear();
    Tokenizer::tokenize(text, s.tokens);
    const int count = int(s.tokens.size());
    s.infos.resize(std::size_t(count));
    s.sentenceOf.resize(std::size_t(count));
    int sentences = 0;
    for (int i = 0; i < count; ++i) {
        s.infos[std::size_t(i)] = m_lexicon.find(s.tokens[std::size_t(i)].hash);
        s.sentenceOf[std::size_t(i)] = sentences;
        if (s.tokens[std::size_t(i)].flags & Token::SentenceEnd)
            ++sentences;
    }
    const int sentenceCount = sentences + 1;
    s.matches.clear();
    m_lexicon.matchPhrases(s.tokens.data(), s.infos.data(), count, s.matches);

    scan.role = message.role;
    scan.tokenCount = count;
    const bool customer = message.role == AnalyzedMessage::Role::Customer;
    s.thirdParty.assign(std::size_t(sentenceCount), 0);
    s.secondPerson.assign(std::size_t(sentenceCount), 0);
    s.sentenceWeight.assign(std::size_t(sentenceCount), 0.0f);
    SentimentScorer::Input input{text, &s.tokens, &s.infos, &s.sentenceOf, &s.thirdParty, &s.secondPerson, 0};
    for (int i = 0; i < count; ++i) {
        const Lexicon::WordInfo *info = s.infos[std::size_t(i)];
        if (info && (info->flags & Lexicon::SecondPerson))
            s.secondPerson[std::size_t(s.sentenceOf[std::size_t(i)])] = 1;
    }
    for (const Lexicon::Match &match : s.matches) {
        if (match.group == Lexicon::ThirdParty)
            s.thirdParty[std::size_t(s.sentenceOf[std::size_t(match.first)])] = 1;
    }
    int firstInformational = -1;
    int firstNeed = -1;
    // "The filter was the problem": a word inside a resolution is no report of one.
    const auto insideResolution = [&s](const Lexicon::Match &match) {
        return std::any_of(s.matches.cbegin(), s.matches.cend(), [&match](const Lexicon::Match &other) {
            return other.group == Lexicon::Resolved && other.first <= match.first && other.last >= match.last &&
                   other.last - other.first > match.last - match.first;
        });
    };
    for (const Lexicon::Match &match : s.matches) {
        const int sentence = s.sentenceOf[std::size_t(match.first)];
        if (match.group == Lexicon::ThirdParty)
            continue;
        if (match.group != Lexicon::Resolved && insideResolution(match))
            continue;
        // "The courier was so rude": anger at someone else is not a complaint about us.
        if ((match.group == Lexicon::Complaint || match.group == Lexicon::Frustration ||
             match.group == Lexicon::ComplaintCues) &&
            s.thirdParty[std::size_t(sentence)] && !s.secondPerson[std::size_t(sentence)])
            continue;
        // "I don't want a refund", "no need to cancel", "no problem": the need is denied.
        bool denied = false;
        if (isDeniable(match.group)) {
            for (int k = match.first - 1; k >= 0 && k >= match.first - 3 && !denied; --k) {
                const Lexicon::WordInfo *info = s.infos[std::size_t(k)];
                if (!info || !(info->flags & Lexicon::Negator) || s.sentenceOf[std::size_t(k)] != sentence)
                    continue;
                const Lexicon::WordInfo *next = s.infos[std::size_t(k + 1)];
                // A close "no"/"not" denies; "can't" right before ("I can't cancel") is a problem, not a
                // denial.
                denied = (next && (next->flags & Lexicon::WantVerb)) ||
                         (k >= match.first - 2 && isDenial(s.tokens[std::size_t(k)].hash));
            }
        }
        if (denied)
            continue;
        if (match.group == Lexicon::Informational && firstNeed < 0 && firstInformational < 0)
            firstInformational = match.first;
        if (isNeedGroup(match.group) && match.group != Lexicon::PaymentProblem && firstNeed < 0)
            firstNeed = match.first;
        if (match.group == Lexicon::Frustration)
            ++input.frustrationPhrases;
        quint8 &hits = scan.groups[std::size_t(match.group)];
        hits = quint8(qMin(255, hits + 1));
        if (customer && isNeedGroup(match.group))
            s.sentenceWeight[std::size_t(sentence)] += 1.0f;
    }
    scan.informationalLead = firstInformational >= 0 && (firstNeed < 0 || firstInformational < firstNeed);
    if (scan.has(Lexicon::Resolved)) {
        int settled = count;
        for (const Lexicon::Match &match : s.matches)
            settled = match.group == Lexicon::Resolved ? std::min(settled, match.last) : settled;
        for (int i = settled + 1; i < count && !scan.contrastAfterSettling; ++i)
            scan.contrastAfterSettling = isContrast(s.tokens[std::size_t(i)].hash);
    }
    for (int i = 0; i < count; ++i) {
        const Token &token = s.tokens[std::size_t(i)];
        const Lexicon::WordInfo *info = s.infos[std::size_t(i)];
        if (info && (info->flags & Lexicon::Insult))
            ++scan.insults;
        if ((token.flags & Token::AllCaps) && token.letters >= 3)
            ++scan.capsWords;
        if ((token.flags & Token::HasDigit) && token.length >= 4)
            scan.accountReference = true;
    }
    for (int i = 1; i < text.size(); ++i) {
        const QChar a = text[i - 1];
        const QChar b = text[i];
        if ((a == QLatin1Char('!') || a == QLatin1Char('?')) &&
            (b == QLatin1Char('!') || b == QLatin1Char('?'))) {
            ++scan.punctuationRuns;
            while (i < text.size() && (text[i] == QLatin1Char('!') || text[i] == QLatin1Char('?')))
                ++i;
        }
    }
    scan.question = text.contains(QLatin1Char('?'));
    // An e-mail address is a reference to the customer's account; a tweet's @handle is not.
    for (qsizetype at = text.indexOf(QLatin1Char('@')); at > 0 && at + 1 < text.size();
         at = text.indexOf(QLatin1Char('@'), at + 1)) {
        if (text[at - 1].isLetterOrNumber() && text[at + 1].isLetterOrNumber())
            scan.accountReference = true;
    }
    if (!customer) {
        // Content words only: the assistant's stock phrases ("I'm sorry", "please try") say little
        // about the topic.
        for (int i = 0; i < count; ++i) {
            const Lexicon::WordInfo *info = s.infos[std::size_t(i)];
            if (s.tokens[std::size_t(i)].letters >= 3 && !(info && (info->flags & Lexicon::EnglishStopword)))
                features.assistantBuckets.push_back(bucketOf(s.tokens[std::size_t(i)].hash ^ kAssistantSeed));
        }
        return;
    }

    const SentimentScorer::Output sentiment = SentimentScorer::score(input);
    scan.sentiment = sentiment.score;
    scan.thirdPartyAnger = sentiment.thirdPartyAnger;
    scan.unmetExpectation = sentiment.unmetExpectation;
    scan.praiseWithProblem = sentiment.praise > 0 &&
                             (sentiment.complaints > 0 || sentiment.unmetExpectation || scan.has(Lexicon::ProblemReport) ||
                              scan.has(Lexicon::Frustration));
    static const quint64 kWhy = Tokenizer::hashWord(u"why");
    static const quint64 kWhyy = Tokenizer::hashWord(u"y");
    for (int i = 0; i < count && !scan.asksWhy; ++i) {
        // "why" asks about something that happened; "y" only at the start of a message ("y is my bill so high").
        const quint64 hash = s.tokens[std::size_t(i)].hash;
        scan.asksWhy = hash == kWhy || (i == 0 && hash == kWhyy && count > 3);
    }
    ++features.customerMessages;
    for (int i = 0; i < count; ++i) {
        const Token &token = s.tokens[std::size_t(i)];
        const Lexicon::WordInfo *info = s.infos[std::size_t(i)];
        if (token.letters >= 3 && !(info && (info->flags & Lexicon::EnglishStopword)))
            scan.contentWords.push_back(token.hash);
    }
    std::sort(scan.contentWords.begin(), scan.contentWords.end());
    scan.contentWords.erase(std::unique(scan.contentWords.begin(), scan.contentWords.end()),
                            scan.contentWords.end());
    for (int g = 0; g < Lexicon::kGroupCount; ++g)
        features.customerGroups[std::size_t(g)] += scan.groups[std::size_t(g)];

    // Sentences, for the subject and the summary.
    int first = 0;
    for (int i = 0; i < count; ++i) {
        if (i + 1 < count && s.sentenceOf[std::size_t(i + 1)] == s.sentenceOf[std::size_t(i)])
            continue;
        const Token &begin = s.tokens[std::size_t(first)];
        const Token &end = s.tokens[std::size_t(i)];
        int stop = end.start + end.length;
        const int limit = i + 1 < count ? s.tokens[std::size_t(i + 1)].start : int(text.size());
        bool question = false;
        while (stop < limit && !text[stop].isSpace()) {
            question = question || text[stop] == QLatin1Char('?');
            ++stop;
        }
        const int sentence = s.sentenceOf[std::size_t(i)];
        float weight = s.sentenceWeight[std::size_t(sentence)] + (question ? 0.5f : 0.0f);
        if (i - first + 1 < 3)
            weight -= 0.5f;
        features.sentences.push_back({{index, begin.start, stop - begin.start}, weight, question});
        first = i + 1;
    }
    addTextFeatures(index, text, s.tokens, s.infos, features);
    features.turns.push_back(
        {quint32(features.wordBuckets.size()), quint32(features.charBuckets.size()), index});
}

void FeatureExtractor::addTextFeatures(int index, QStringView text, const std::vector<Token> &tokens,
                                       const std::vector<const Lexicon::WordInfo *> &infos,
                                       ConversationFeatures &features) const
{
    char16_t buffer[kMaxCharGramWord + 2];
    const char16_t *data = text.utf16();
    quint64 previous = 0;
    int negatedLeft = 0; // words still in the scope of a "not", "never", "didn't"
    for (std::size_t t = 0; t < tokens.size(); ++t) {
        const Token &token = tokens[t];
        const quint32 unigram = bucketOf(token.hash ^ kUnigramSeed);
        features.wordBuckets.push_back(unigram);
        features.words.push_back({{index, token.start, token.length}, unigram});
        // "not received" and "received" are different evidence: words after a negator also count
        // as negated words, up to the end of the clause.
        if (infos[t] && (infos[t]->flags & Lexicon::Negator))
            negatedLeft = kNegationScope;
        else if (negatedLeft > 0) {
            features.wordBuckets.push_back(bucketOf(token.hash ^ kNegatedSeed));
            --negatedLeft;
        }
        if (token.flags & (Token::ClauseEnd | Token::SentenceEnd))
            negatedLeft = 0;
        if (previous)
            features.wordBuckets.push_back(bucketOf(Tokenizer::combine(previous, token.hash) ^ kBigramSeed));
        previous = token.hash;
        if (token.letters == 0 || token.length > kMaxCharGramWord)
            continue;
        // Character n-grams carry typos ("refnud") and word forms the training data did not have.
        const int length = token.length + 2;
        buffer[0] = 0x02;
        for (int k = 0; k < token.length; ++k)
            buffer[k + 1] = Tokenizer::fold(data[token.start + k]);
        buffer[length - 1] = 0x03;
        for (int start = 0; start + 3 <= length; ++start) {
            quint64 hash = kCharSeed;
            for (int k = 0; k < 5 && start + k < length; ++k) {
                hash = Tokenizer::mix(hash, buffer[start + k]);
                if (k >= 2)
                    features.charBuckets.push_back(bucketOf(hash));
            }
        }
    }
}

} // namespace syncdesk
