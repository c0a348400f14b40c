#pragma once

#include "analyzer/analyzerevaluation.h"
#include "analyzer/analyzermodel.h"
#include "analyzer/conversationfeatures.h"
#include "analyzer/conversationreader.h"
#include "analyzer/featureextractor.h"

#include <QList>
#include <QString>

#include <vector>

namespace syncdesk::tools {

// One training or tuning example: its features (computed once) and labels.
struct TrainingExample
{
    std::vector<quint32> wordBuckets;
    std::vector<quint32> charBuckets;
    std::vector<quint32> assistantBuckets;
    float wordScale = 0.0f;
    float charScale = 0.0f;
    float assistantScale = 0.0f;
    std::vector<ConversationFeatures::Turn> turns;
    int openTurn = 0;
    std::array<float, SignalCatalog::kCount> signalValues{};
    int ticket = -1;   // 1, 0, or -1 when not labelled
    int category = -1; // TicketCategory, or -1
    float weight = 1.0f;
    // Further factor on the category head only: class balance and the share of the Bitext rows.
    float categoryWeight = 1.0f;
    // Conversations with the same group (labels.group, e.g. the business they were written for)
    // stay in one cross-validation fold, so the folds measure businesses the model has not seen.
    QString group;
    std::vector<quint64> contentWords; // the customer's content words, to find near-duplicates
    QString source; // "bitext", "clinc150" or the file a written conversation came from
    QString style;  // how it is written, e.g. "tweet", "chat (customer turns)"
    bool customerOnlyCopy = false; // a written conversation without its assistant or agent turns
    bool padded = false;           // a ChatPadding copy: trained on, never measured
};

// One out-of-fold prediction: the uncalibrated ticket logit and the top category.
struct Prediction
{
    double logit = 0.0;
    int category = -1;
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
    // Weight of a one-line row (Bitext, CLINC150) in the category head (its ticket weight stays 1):
    // thousands of one-line utterances otherwise decide the categories of multi-turn conversations.
    double bitextCategoryWeight = 1.0;
    // How the ticket head reads the words (AnalyzerModel::turnShare and turnWindow).
    double turnShare = 0.0;
    int turnWindow = 1;
    // Weight of a CLINC150 row relative to a Bitext row (both heads).
    double clincWeight = 1.0;
    // Weight of the customer-only copy of a written conversation relative to the original.
    double customerOnlyWeight = 1.0;
    // Weight of the padded copy (ChatPadding) of a written conversation; 0 leaves them out.
    double paddedWeight = 0.0;
    // 0 keeps the categories' weights as the data has them; 1 gives every category the same total
    // weight in the category head (complaint and general are rare in the Bitext rows).
    double classBalance = 0.0;
    // Ablations for cross-validation only (a model trained without them would still be given these
    // features at run time): drop the assistant's words, drop the category cue signals.
    bool assistantText = true;
    bool cueSignals = true;
    std::vector<int> droppedSignals; // further ablations: these signals are always 0
    quint32 seed = 42;
};

// Regularised logistic regression (ticket) and multinomial logistic regression (category) trained
// jointly by AdaGrad over shuffled examples. Single-threaded with a fixed seed and a portable
// shuffle, so the same data gives the same weights, byte for byte.
class ModelTrainer
{
public:
    static constexpr int kFolds = 5;

    static std::vector<TrainingExample> prepare(const QList<LabelledConversation> &conversations,
                                                const FeatureExtractor &extractor, float weight);

    // The training set for `options`: one-line rows and written conversations with their weights.
    static std::vector<TrainingExample> weighted(const std::vector<TrainingExample> &oneLiners,
                                                 const std::vector<TrainingExample> &conversations,
                                                 const TrainingOptions &options);

    static AnalyzerModel train(const std::vector<TrainingExample> &examples, const TrainingOptions &options);

    // Fold (0..kFolds-1) of each conversation: conversations of one group, and near-duplicates
    // (half their content words shared), always share a fold; folds have about the same size.
    static std::vector<int> folds(const std::vector<TrainingExample> &conversations);

    // Out-of-fold predictions for `conversations`; the one-line rows are always in training.
    static std::vector<Prediction> crossValidate(const std::vector<TrainingExample> &oneLiners,
                                                 const std::vector<TrainingExample> &conversations,
                                                 const std::vector<int> &folds, const TrainingOptions &options);
    static std::vector<Prediction> predict(const AnalyzerModel &model,
                                           const std::vector<TrainingExample> &examples);

    // Figures of the predictions whose example passes `keep` (uncalibrated unless `model` is given).
    template<typename Keep>
    static AnalyzerEvaluation evaluation(const std::vector<TrainingExample> &examples,
                                         const std::vector<Prediction> &predictions, Keep keep,
                                         const AnalyzerModel *model = nullptr)
    {
        AnalyzerEvaluation result;
        for (std::size_t i = 0; i < examples.size(); ++i) {
            if (keep(examples[i]))
                addTo(result, examples[i], predictions[i], model);
        }
        return result;
    }
    static void addTo(AnalyzerEvaluation &evaluation, const TrainingExample &example,
                      const Prediction &prediction, const AnalyzerModel *model);

    // Platt scaling: fits probability = sigmoid(a * logit + b) on weighted logits.
    static void calibrate(AnalyzerModel &model, const std::vector<double> &logits,
                          const std::vector<double> &targets, const std::vector<double> &weights);

    static ConversationFeatures featuresOf(const TrainingExample &example);
};

} // namespace syncdesk::tools
