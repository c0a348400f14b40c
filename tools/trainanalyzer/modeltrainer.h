#pragma once

#include "analyzer/analyzermodel.h"
#include "analyzer/conversationfeatures.h"
#include "analyzer/conversationreader.h"
#include "analyzer/featureextractor.h"

#include <QList>

#include <vector>

namespace syncdesk::tools {

// One training or tuning example: its features (computed once) and labels.
struct TrainingExample
{
    std::vector<quint32> wordBuckets;
    std::vector<quint32> charBuckets;
    float wordScale = 0.0f;
    float charScale = 0.0f;
    std::array<float, SignalCatalog::kCount> signalValues{};
    int ticket = -1;   // 1, 0, or -1 when not labelled
    int category = -1; // TicketCategory, or -1
    float weight = 1.0f;
};

struct TrainingOptions
{
    int epochs = 12;
    double learningRate = 0.2;
    double l2 = 1e-5;
    double conversationWeight = 4.0; // weight of a written conversation relative to a one-line utterance
    // Share of updates that see only the signal features, so their weights can decide on their own
    // when the wording is unlike anything in training.
    double textDropout = 0.0;
    // Further share of updates in which the category head alone does without the words: topic words
    // differ between businesses more than the signal wording does.
    double categoryTextDropout = 0.3;
    quint32 seed = 42;
};

// Regularised logistic regression (ticket) and multinomial logistic regression (category) trained
// jointly by AdaGrad over shuffled examples. Single-threaded with a fixed seed and a portable
// shuffle, so the same data gives the same weights, byte for byte.
class ModelTrainer
{
public:
    static std::vector<TrainingExample> prepare(const QList<LabelledConversation> &conversations,
                                                const FeatureExtractor &extractor, float weight);

    static AnalyzerModel train(const std::vector<TrainingExample> &examples, const TrainingOptions &options);

    // Platt scaling: fits probability = sigmoid(a * logit + b) on weighted examples.
    static void calibrate(AnalyzerModel &model, const std::vector<TrainingExample> &examples);

    static ConversationFeatures featuresOf(const TrainingExample &example);
};

} // namespace syncdesk::tools
