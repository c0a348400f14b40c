#include "analyzer/sentimentscorer.h"

#include <cmath>

namespace syncdesk {

bool SentimentScorer::negated(const Input &input, int index, int window)
{
    const auto &infos = *input.infos;
    const auto &sentenceOf = *input.sentenceOf;
    for (int k = index - 1; k >= 0 && k >= index - window; --k) {
        if (sentenceOf[std::size_t(k)] != sentenceOf[std::size_t(index)] ||
            ((*input.tokens)[std::size_t(k)].flags & Token::ClauseEnd))
            break;
        const Lexicon::WordInfo *info = infos[std::size_t(k)];
        if (info && (info->flags & Lexicon::Negator))
            return true;
    }
    return false;
}

SentimentScorer::Output SentimentScorer::score(const Input &input)
{
    const auto &tokens = *input.tokens;
    const auto &infos = *input.infos;
    const auto &sentenceOf = *input.sentenceOf;
    Output output;
    double sum = 0.0;
    std::vector<double> thirdPartyNegative; // per sentence, only when there is a third party
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Lexicon::WordInfo *info = infos[i];
        if (!info || (info->sentiment == 0.0f && !(info->flags & Lexicon::Expectation)))
            continue;
        double value = info->sentiment;
        const bool isNegated = negated(input, int(i), 3);
        if (info->flags & Lexicon::Expectation) {
            // "never arrived", "still hasn't been refunded": an unmet expectation is a complaint.
            if (isNegated) {
                value = -0.6;
                output.unmetExpectation = true;
            }
        } else if (isNegated && !(info->flags & Lexicon::Negator)) {
            value = value > 0 ? -0.7 * value : 0.3 * -value;
        }
        if (value >= 0.3)
            ++output.praise;
        else if (value <= -0.3)
            ++output.complaints;
        if (i > 0 && infos[i - 1] && infos[i - 1]->intensity > 0.0f)
            value *= 1.0 + infos[i - 1]->intensity;
        if ((tokens[i].flags & Token::AllCaps) && tokens[i].letters >= 3)
            value *= 1.3;
        const int sentence = sentenceOf[i];
        if (value < 0 && (*input.thirdParty)[std::size_t(sentence)] &&
            !(*input.secondPerson)[std::size_t(sentence)]) {
            value *= 0.3;
            output.thirdPartyAnger = true;
        }
        sum += value;
    }
    sum -= 0.5 * input.frustrationPhrases;
    int exclamations = 0;
    for (QChar c : input.text) {
        if (c == QLatin1Char('!') && ++exclamations >= 4)
            break;
    }
    if (sum != 0.0)
        sum += (sum > 0 ? 0.1 : -0.15) * exclamations;
    // VADER-style squashing into -1..1.
    output.score = float(sum / std::sqrt(sum * sum + 4.0));
    return output;
}

} // namespace syncdesk
