#pragma once

#include "analyzer/analysis.h"
#include "analyzer/conversationfeatures.h"
#include "core/result.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <vector>

namespace syncdesk {

// The learned weights: one logistic regression for "a ticket is needed" and one multinomial
// logistic regression for the category, over the same hashed n-grams and signal features, plus the
// Platt calibration of the ticket score. Written by syncdesk-train-analyzer, shipped as
// resources/analyzer/model.bin (sparse: only buckets that training touched, 16-bit weights).
struct AnalyzerModel
{
    static constexpr int kOutputs = 1 + kTicketCategoryCount; // 0: ticket, 1..7: categories
    // 2: category cue signals and the assistant's words (44 signals).
    // 3: the ticket head reads the strongest customer turn (turn share and window).
    // 4: 46 signals (assistant_completed).
    static constexpr quint32 kFormatVersion = 4;

    struct Scores
    {
        double ticketLogit = 0.0;
        double textContribution = 0.0; // part of ticketLogit from the n-grams and the assistant's words
        std::array<double, SignalCatalog::kCount> signalContributions{};
        std::array<double, kTicketCategoryCount> categoryProbabilities{};
        // The customer turns (message indices) whose words weighed most, when the model reads turns.
        int focusFirstMessage = -1;
        int focusLastMessage = -1;
    };

    // The customer turns that score highest for a ticket on their words alone, in windows of
    // `window` consecutive customer turns, each window scaled to unit length like a whole text.
    struct TurnFocus
    {
        double text = 0.0; // the window's word and character n-gram contribution to the ticket logit
        int firstTurn = -1;
        int lastTurn = -1;
        float wordScale = 0.0f;
        float charScale = 0.0f;
    };
    // `ticketWeights` is hashedWeights with a stride of kOutputs (the ticket head is output 0).
    static TurnFocus strongestTurns(const float *ticketWeights, const std::vector<quint32> &wordBuckets,
                                    const std::vector<quint32> &charBuckets,
                                    const std::vector<ConversationFeatures::Turn> &turns, int window,
                                    int openTurn = 0);

    QString version;  // e.g. "model-2026.11-3f2a9c1d"
    QString metadata; // JSON: training data, hyper-parameters and held-out figures
    quint64 lexiconFingerprint = 0;
    double calibrationSlope = 1.0;
    double calibrationIntercept = 0.0;
    // How the ticket head reads the customer's words: 0 scores all of them as one text, 1 only the
    // strongest window of `turnWindow` consecutive customer turns; in between a blend of the two.
    float turnShare = 0.0f;
    quint32 turnWindow = 1;
    std::array<float, kOutputs> bias{};
    std::vector<float> signalWeights =
        std::vector<float>(std::size_t(SignalCatalog::kCount * kOutputs), 0.0f);
    std::vector<float> hashedWeights =
        std::vector<float>(std::size_t(ConversationFeatures::kBuckets) * kOutputs, 0.0f);

    Scores score(const ConversationFeatures &features) const;
    double probability(double logit) const; // calibrated

    // Sparse, quantised form; buckets whose weights are all below `prune` in magnitude are dropped.
    QByteArray toBytes(float prune = 0.0f) const;
    static Result<AnalyzerModel> fromBytes(const QByteArray &bytes);
};

} // namespace syncdesk
