#include "modeltrainer.h"

#include "analyzer/signalbuilder.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>

namespace syncdesk::tools {

namespace {

constexpr int kOutputs = AnalyzerModel::kOutputs;

bool isCueSignal(int signal)
{
    return signal >= int(SignalId::BillingCues) && signal <= int(SignalId::AssistantGeneralCues);
}

double sigmoid(double x)
{
    return 1.0 / (1.0 + std::exp(-x));
}

} // namespace

std::vector<TrainingExample> ModelTrainer::prepare(const QList<LabelledConversation> &conversations,
                                                   const FeatureExtractor &extractor, float weight)
{
    std::vector<TrainingExample> examples;
    examples.reserve(std::size_t(conversations.size()));
    ConversationFeatures features;
    for (const LabelledConversation &conversation : conversations) {
        extractor.extract(conversation.messages, features);
        TrainingExample example;
        example.wordBuckets = features.wordBuckets;
        example.charBuckets = features.charBuckets;
        example.assistantBuckets = features.assistantBuckets;
        example.wordScale = features.wordScale;
        example.charScale = features.charScale;
        example.assistantScale = features.assistantScale;
        example.turns = features.turns;
        example.openTurn = features.openTurn;
        example.signalValues = features.signalValues;
        example.ticket = conversation.ticket ? (*conversation.ticket ? 1 : 0) : -1;
        example.category = conversation.category ? int(*conversation.category) : -1;
        example.weight = weight;
        const QString group = conversation.labels.value(QLatin1String("group")).toString();
        // A copy ("id/customer-only", "id/padded") stays in its original's fold.
        example.group = group.isEmpty() ? conversation.id.section(QLatin1Char('/'), 0, 0)
                                        : QStringLiteral("group:") + group;
        example.contentWords = features.contentWords;
        examples.push_back(std::move(example));
    }
    return examples;
}

std::vector<TrainingExample> ModelTrainer::weighted(const std::vector<TrainingExample> &oneLiners,
                                                    const std::vector<TrainingExample> &conversations,
                                                    const TrainingOptions &options)
{
    std::vector<TrainingExample> examples;
    examples.reserve(oneLiners.size() + conversations.size());
    for (const TrainingExample &row : oneLiners) {
        examples.push_back(row);
        examples.back().weight = row.source == QLatin1String("clinc150") ? float(options.clincWeight) : 1.0f;
        examples.back().categoryWeight = float(options.bitextCategoryWeight);
    }
    for (const TrainingExample &conversation : conversations) {
        examples.push_back(conversation);
        examples.back().weight =
            float(options.conversationWeight * (conversation.customerOnlyCopy ? options.customerOnlyWeight : 1.0) *
                  (conversation.padded ? options.paddedWeight : 1.0));
        examples.back().categoryWeight = 1.0f;
    }
    for (TrainingExample &example : examples) {
        if (!options.assistantText) {
            example.assistantBuckets.clear();
            example.assistantScale = 0.0f;
        }
        if (!options.cueSignals) {
            for (int s = int(SignalId::BillingCues); s <= int(SignalId::AssistantGeneralCues); ++s)
                example.signalValues[std::size_t(s)] = 0.0f;
        }
        for (int s : options.droppedSignals)
            example.signalValues[std::size_t(s)] = 0.0f;
    }
    if (options.classBalance > 0.0) {
        std::array<double, kTicketCategoryCount> totals{};
        for (const TrainingExample &example : examples) {
            if (example.category >= 0)
                totals[std::size_t(example.category)] += double(example.weight) * example.categoryWeight;
        }
        double sum = 0.0;
        int present = 0;
        for (double total : totals) {
            sum += total;
            present += total > 0 ? 1 : 0;
        }
        for (TrainingExample &example : examples) {
            if (example.category < 0)
                continue;
            const double total = totals[std::size_t(example.category)];
            example.categoryWeight *= float(std::pow(sum / present / total, options.classBalance));
        }
    }
    return examples;
}

ConversationFeatures ModelTrainer::featuresOf(const TrainingExample &example)
{
    ConversationFeatures features;
    features.wordBuckets = example.wordBuckets;
    features.charBuckets = example.charBuckets;
    features.assistantBuckets = example.assistantBuckets;
    features.wordScale = example.wordScale;
    features.charScale = example.charScale;
    features.assistantScale = example.assistantScale;
    features.turns = example.turns;
    features.openTurn = example.openTurn;
    features.signalValues = example.signalValues;
    return features;
}

AnalyzerModel ModelTrainer::train(const std::vector<TrainingExample> &examples,
                                  const TrainingOptions &options)
{
    AnalyzerModel model;
    model.turnShare = float(options.turnShare);
    model.turnWindow = quint32(options.turnWindow);
    const double turnShare = model.turnShare;
    std::vector<float> &hashed = model.hashedWeights;
    std::vector<float> &signalWeights = model.signalWeights;
    // AdaGrad accumulators.
    std::vector<float> hashedSquares(hashed.size(), 0.0f);
    std::vector<float> signalSquares(signalWeights.size(), 0.0f);
    std::array<double, kOutputs> biasSquares{};
    std::array<double, kOutputs> bias{};
    const double eps = 1e-6;
    const double rate = options.learningRate;

    std::mt19937 random(options.seed);
    std::vector<std::size_t> order(examples.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;

    std::array<double, kOutputs> logits{};
    std::array<double, kOutputs> gradient{};
    for (int epoch = 0; epoch < options.epochs; ++epoch) {
        // Fisher-Yates with mt19937's raw output: std::shuffle's use of the engine is implementation-defined.
        for (std::size_t i = order.size(); i > 1; --i)
            std::swap(order[i - 1], order[std::size_t(random()) % i]);
        for (std::size_t index : order) {
            const TrainingExample &example = examples[index];
            const bool withText = double(random() % 1000u) >= options.textDropout * 1000.0;
            const bool categoryText = double(random() % 1000u) >= options.categoryTextDropout * 1000.0;
            for (int k = 0; k < kOutputs; ++k)
                logits[std::size_t(k)] = bias[std::size_t(k)];
            // The ticket head reads the whole text and, with turnShare, the strongest turns (whose
            // n-grams then get that share of the gradient at the window's own scale).
            AnalyzerModel::TurnFocus focus;
            if (withText && turnShare > 0.0 && !example.turns.empty())
                focus = AnalyzerModel::strongestTurns(hashed.data(), example.wordBuckets, example.charBuckets,
                                                      example.turns, options.turnWindow, example.openTurn);
            const bool focused = focus.firstTurn >= 0;
            const double wholeShare = focused ? 1.0 - turnShare : 1.0;
            const quint32 focusWordBegin =
                focused && focus.firstTurn > 0 ? example.turns[std::size_t(focus.firstTurn - 1)].wordEnd : 0;
            const quint32 focusWordEnd = focused ? example.turns[std::size_t(focus.lastTurn)].wordEnd : 0;
            const quint32 focusCharBegin =
                focused && focus.firstTurn > 0 ? example.turns[std::size_t(focus.firstTurn - 1)].charEnd : 0;
            const quint32 focusCharEnd = focused ? example.turns[std::size_t(focus.lastTurn)].charEnd : 0;
            auto add = [&](const std::vector<quint32> &buckets, float scale, double ticketShare) {
                for (quint32 bucket : buckets) {
                    const float *row = hashed.data() + std::size_t(bucket) * kOutputs;
                    logits[0] += double(row[0]) * scale * ticketShare;
                    if (categoryText) {
                        for (int k = 1; k < kOutputs; ++k)
                            logits[std::size_t(k)] += double(row[k]) * scale;
                    }
                }
            };
            if (withText) {
                add(example.wordBuckets, example.wordScale, wholeShare);
                add(example.charBuckets, example.charScale, wholeShare);
                add(example.assistantBuckets, example.assistantScale, 1.0);
                if (focused)
                    logits[0] += turnShare * focus.text;
            }
            for (int s = 0; s < SignalCatalog::kCount; ++s) {
                const float value = example.signalValues[std::size_t(s)];
                if (value == 0.0f)
                    continue;
                for (int k = 0; k < kOutputs; ++k)
                    logits[std::size_t(k)] += double(value) * signalWeights[std::size_t(s * kOutputs + k)];
            }
            gradient.fill(0.0);
            if (example.ticket >= 0)
                gradient[0] = (sigmoid(logits[0]) - example.ticket) * example.weight;
            if (example.category >= 0) {
                double maxLogit = logits[1];
                for (int k = 2; k < kOutputs; ++k)
                    maxLogit = std::max(maxLogit, logits[std::size_t(k)]);
                double total = 0.0;
                for (int k = 1; k < kOutputs; ++k)
                    total += std::exp(logits[std::size_t(k)] - maxLogit);
                const double categoryWeight = double(example.weight) * example.categoryWeight;
                for (int k = 1; k < kOutputs; ++k) {
                    const double p = std::exp(logits[std::size_t(k)] - maxLogit) / total;
                    gradient[std::size_t(k)] = (p - (k - 1 == example.category ? 1.0 : 0.0)) * categoryWeight;
                }
            }
            auto step = [&](float &weight, float &square, double g) {
                g += options.l2 * weight;
                square += float(g * g);
                weight -= float(rate * g / std::sqrt(double(square) + eps));
            };
            // `focusBegin`..`focusEnd`: the buckets of the focused turns, which also carry the turn share.
            auto update = [&](const std::vector<quint32> &buckets, float scale, double ticketShare,
                              quint32 focusBegin, quint32 focusEnd, float focusScale) {
                for (quint32 i = 0; i < quint32(buckets.size()); ++i) {
                    const std::size_t base = std::size_t(buckets[i]) * kOutputs;
                    double ticketScale = scale * ticketShare;
                    if (i >= focusBegin && i < focusEnd)
                        ticketScale += turnShare * focusScale;
                    if (gradient[0] != 0.0 && ticketScale != 0.0)
                        step(hashed[base], hashedSquares[base], gradient[0] * ticketScale);
                    if (!categoryText)
                        continue;
                    for (int k = 1; k < kOutputs; ++k) {
                        if (gradient[std::size_t(k)] != 0.0)
                            step(hashed[base + std::size_t(k)], hashedSquares[base + std::size_t(k)],
                                 gradient[std::size_t(k)] * scale);
                    }
                }
            };
            if (withText) {
                update(example.wordBuckets, example.wordScale, wholeShare, focusWordBegin, focusWordEnd,
                       focus.wordScale);
                update(example.charBuckets, example.charScale, wholeShare, focusCharBegin, focusCharEnd,
                       focus.charScale);
                update(example.assistantBuckets, example.assistantScale, 1.0, 0, 0, 0.0f);
            }
            for (int s = 0; s < SignalCatalog::kCount; ++s) {
                const float value = example.signalValues[std::size_t(s)];
                if (value == 0.0f)
                    continue;
                // The cue signals say what a conversation is about, not whether it needs a person: they
                // only inform the category head.
                const int first = isCueSignal(s) ? 1 : 0;
                for (int k = first; k < kOutputs; ++k) {
                    if (gradient[std::size_t(k)] != 0.0)
                        step(signalWeights[std::size_t(s * kOutputs + k)],
                             signalSquares[std::size_t(s * kOutputs + k)], gradient[std::size_t(k)] * value);
                }
            }
            for (int k = 0; k < kOutputs; ++k) {
                const double g = gradient[std::size_t(k)];
                biasSquares[std::size_t(k)] += g * g;
                bias[std::size_t(k)] -= rate * g / std::sqrt(biasSquares[std::size_t(k)] + eps);
            }
        }
    }
    for (int k = 0; k < kOutputs; ++k)
        model.bias[std::size_t(k)] = float(bias[std::size_t(k)]);
    return model;
}

std::vector<int> ModelTrainer::folds(const std::vector<TrainingExample> &conversations)
{
    const std::size_t count = conversations.size();
    // Union-find over the conversations: same group, or near-duplicate wording.
    std::vector<std::size_t> parent(count);
    std::iota(parent.begin(), parent.end(), std::size_t(0));
    auto root = [&parent](std::size_t i) {
        while (parent[i] != i)
            i = parent[i] = parent[parent[i]];
        return i;
    };
    auto join = [&](std::size_t a, std::size_t b) {
        a = root(a);
        b = root(b);
        if (a != b)
            parent[std::max(a, b)] = std::min(a, b);
    };
    std::map<QString, std::size_t> firstOfGroup;
    for (std::size_t i = 0; i < count; ++i) {
        const auto [it, inserted] = firstOfGroup.emplace(conversations[i].group, i);
        if (!inserted)
            join(it->second, i);
    }
    for (std::size_t i = 0; i < count; ++i) {
        for (std::size_t j = i + 1; j < count; ++j) {
            if (SignalBuilder::overlap(conversations[i].contentWords, conversations[j].contentWords) >= 0.5)
                join(i, j);
        }
    }
    // Largest clusters first (ties by a hash of the first member's group, so the order does not
    // follow the file order), each into the fold with the fewest conversations so far.
    std::map<std::size_t, std::vector<std::size_t>> clusters;
    for (std::size_t i = 0; i < count; ++i)
        clusters[root(i)].push_back(i);
    std::vector<const std::vector<std::size_t> *> order;
    for (const auto &[first, members] : clusters)
        order.push_back(&members);
    auto hashOf = [&conversations](const std::vector<std::size_t> &members) {
        quint64 hash = Tokenizer::kFnvBasis;
        for (QChar c : conversations[members.front()].group)
            hash = Tokenizer::mix(hash, c.unicode());
        return hash;
    };
    std::stable_sort(order.begin(), order.end(), [&](const auto *a, const auto *b) {
        if (a->size() != b->size())
            return a->size() > b->size();
        return hashOf(*a) < hashOf(*b);
    });
    std::vector<int> fold(count, 0);
    std::array<std::size_t, kFolds> sizes{};
    for (const std::vector<std::size_t> *members : order) {
        const int target = int(std::min_element(sizes.begin(), sizes.end()) - sizes.begin());
        for (std::size_t i : *members)
            fold[i] = target;
        sizes[std::size_t(target)] += members->size();
    }
    return fold;
}

std::vector<Prediction> ModelTrainer::predict(const AnalyzerModel &model,
                                              const std::vector<TrainingExample> &examples)
{
    std::vector<Prediction> predictions;
    predictions.reserve(examples.size());
    for (const TrainingExample &example : examples) {
        const AnalyzerModel::Scores scores = model.score(featuresOf(example));
        const int top = int(std::max_element(scores.categoryProbabilities.begin(),
                                             scores.categoryProbabilities.end()) -
                            scores.categoryProbabilities.begin());
        predictions.push_back({scores.ticketLogit, top});
    }
    return predictions;
}

std::vector<Prediction> ModelTrainer::crossValidate(const std::vector<TrainingExample> &oneLiners,
                                                    const std::vector<TrainingExample> &conversations,
                                                    const std::vector<int> &folds,
                                                    const TrainingOptions &options)
{
    std::vector<Prediction> predictions(conversations.size());
    for (int fold = 0; fold < kFolds; ++fold) {
        std::vector<TrainingExample> training;
        std::vector<TrainingExample> held;
        std::vector<std::size_t> heldIndex;
        for (std::size_t i = 0; i < conversations.size(); ++i) {
            if (folds[i] == fold) {
                held.push_back(conversations[i]);
                heldIndex.push_back(i);
            } else {
                training.push_back(conversations[i]);
            }
        }
        const AnalyzerModel model = train(weighted(oneLiners, training, options), options);
        held = weighted({}, held, options); // the same ablations as in training
        const std::vector<Prediction> heldPredictions = predict(model, held);
        for (std::size_t h = 0; h < held.size(); ++h)
            predictions[heldIndex[h]] = heldPredictions[h];
    }
    return predictions;
}

void ModelTrainer::addTo(AnalyzerEvaluation &evaluation, const TrainingExample &example,
                         const Prediction &prediction, const AnalyzerModel *model)
{
    const double probability =
        model ? model->probability(prediction.logit) : 1.0 / (1.0 + std::exp(-prediction.logit));
    evaluation.add(probability, example.ticket >= 0 ? std::optional<bool>(example.ticket == 1) : std::nullopt,
                   TicketCategory(std::max(0, prediction.category)),
                   example.category >= 0 ? std::optional<TicketCategory>(TicketCategory(example.category))
                                         : std::nullopt);
}

void ModelTrainer::calibrate(AnalyzerModel &model, const std::vector<double> &logits,
                             const std::vector<double> &targets, const std::vector<double> &weights)
{
    // Newton's method with step halving on the weighted log loss of sigmoid(a * logit + b), with
    // Platt's smoothed targets and a weak pull towards (1, 0): the Bitext rows are almost separable,
    // which alone would drive the slope to infinity.
    double positives = 0.0;
    double negatives = 0.0;
    for (double target : targets)
        (target > 0.5 ? positives : negatives) += 1.0;
    const double high = (positives + 1.0) / (positives + 2.0);
    const double low = 1.0 / (negatives + 2.0);
    double totalWeight = 0.0;
    for (double weight : weights)
        totalWeight += weight;
    const double prior = 1e-3 * totalWeight;
    auto loss = [&](double a, double b) {
        double sum = prior * ((a - 1.0) * (a - 1.0) + b * b);
        for (std::size_t i = 0; i < logits.size(); ++i) {
            const double t = targets[i] > 0.5 ? high : low;
            const double z = a * logits[i] + b;
            // log(1 + exp(z)) - t * z, computed without overflow
            const double softplus = z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
            sum += weights[i] * (softplus - t * z);
        }
        return sum;
    };
    double a = 1.0;
    double b = 0.0;
    double current = loss(a, b);
    for (int iteration = 0; iteration < 200; ++iteration) {
        double ga = 2 * prior * (a - 1.0), gb = 2 * prior * b, haa = 2 * prior, hab = 0.0, hbb = 2 * prior;
        for (std::size_t i = 0; i < logits.size(); ++i) {
            const double t = targets[i] > 0.5 ? high : low;
            const double p = sigmoid(a * logits[i] + b);
            const double d = (p - t) * weights[i];
            const double h = p * (1.0 - p) * weights[i];
            ga += d * logits[i];
            gb += d;
            haa += h * logits[i] * logits[i];
            hab += h * logits[i];
            hbb += h;
        }
        const double determinant = haa * hbb - hab * hab;
        if (determinant <= 0)
            break;
        const double da = (hbb * ga - hab * gb) / determinant;
        const double db = (haa * gb - hab * ga) / determinant;
        double step = 1.0;
        while (step > 1e-6 && loss(a - step * da, b - step * db) > current)
            step /= 2;
        if (step <= 1e-6)
            break;
        a -= step * da;
        b -= step * db;
        current = loss(a, b);
        if (std::fabs(step * da) < 1e-10 && std::fabs(step * db) < 1e-10)
            break;
    }
    model.calibrationSlope = a;
    model.calibrationIntercept = b;
}

} // namespace syncdesk::tools
