// syncdesk-train-analyzer: trains the conversation analyzer's model (resources/analyzer/model.bin)
// from the Bitext utterances in shared/ and the conversations written for SyncDesk. See
// docs/benchmarks.md for the command and the figures it produced.
#include "analyzer/analyzerevaluation.h"
#include "analyzer/conversationanalyzer.h"
#include "analyzer/conversationreader.h"
#include "analyzer/lexicon.h"
#include "bitextreader.h"
#include "modeltrainer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <cstdio>

using namespace syncdesk;
using namespace syncdesk::tools;

namespace {

struct Scorecard
{
    double auc = 0.0;
    double categoryAccuracy = 0.0;
    double categoryMacroF1 = 0.0;
    double ece = 0.0;
    double f1 = 0.0;
};

Scorecard evaluate(const AnalyzerModel &model, const std::vector<TrainingExample> &examples,
                   double threshold = 0.7)
{
    AnalyzerEvaluation evaluation;
    for (const TrainingExample &example : examples) {
        const AnalyzerModel::Scores scores = model.score(ModelTrainer::featuresOf(example));
        const auto top =
            std::max_element(scores.categoryProbabilities.begin(), scores.categoryProbabilities.end());
        evaluation.add(model.probability(scores.ticketLogit),
                       example.ticket >= 0 ? std::optional<bool>(example.ticket == 1) : std::nullopt,
                       TicketCategory(top - scores.categoryProbabilities.begin()),
                       example.category >= 0 ? std::optional<TicketCategory>(TicketCategory(example.category))
                                             : std::nullopt);
    }
    const AnalyzerEvaluation::Report report = evaluation.report(threshold);
    return {report.auc, report.categoryAccuracy, report.categoryMacroF1, report.expectedCalibrationError,
            report.f1};
}

Result<QList<LabelledConversation>> readConversations(const QString &path)
{
    auto content = ConversationReader::readFile(path);
    if (!content)
        return Result<QList<LabelledConversation>>::failure(content.error());
    if (!content->errors.isEmpty())
        return Result<QList<LabelledConversation>>::failure(path + QStringLiteral(": ") +
                                                            content->errors.constFirst());
    return Result<QList<LabelledConversation>>::success(content->conversations);
}

int fail(const QString &message)
{
    std::fprintf(stderr, "syncdesk-train-analyzer: %s\n", qPrintable(message));
    return 1;
}

// Writes one-turn conversations in the `syncdesk analyze` format, for --eval on the Bitext rows.
int exportJsonl(const QString &csv, const QString &output)
{
    const auto rows = BitextReader::read(csv);
    if (!rows)
        return fail(rows.error());
    QFile file(output);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(QStringLiteral("cannot write %1: %2").arg(output, file.errorString()));
    for (const LabelledConversation &row : rows.value()) {
        const QJsonObject line{
            {QStringLiteral("id"), row.id},
            {QStringLiteral("messages"),
             QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("customer")},
                                    {QStringLiteral("content"), row.messages.constFirst().content}}}},
            {QStringLiteral("labels"),
             QJsonObject{{QStringLiteral("ticket"), *row.ticket},
                         {QStringLiteral("category"), Analysis::categoryName(*row.category)},
                         {QStringLiteral("intent"), row.labels.value(QLatin1String("intent"))}}}};
        file.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
    }
    std::printf("wrote %lld conversations to %s\n", qlonglong(rows->size()), qPrintable(output));
    return 0;
}

// Pooled out-of-fold figures over all written conversations (held-out ones are never passed in).
int crossValidate(const std::vector<TrainingExample> &bitext, const std::vector<TrainingExample> &train,
                  const std::vector<TrainingExample> &tune, const TrainingOptions &options)
{
    std::vector<TrainingExample> pool = train;
    pool.insert(pool.end(), tune.begin(), tune.end());
    AnalyzerEvaluation evaluation;
    constexpr int kFolds = 5;
    for (int fold = 0; fold < kFolds; ++fold) {
        std::vector<TrainingExample> examples = bitext;
        for (std::size_t i = 0; i < pool.size(); ++i) {
            if (int(i % kFolds) == fold)
                continue;
            TrainingExample example = pool[i];
            example.weight = float(options.conversationWeight);
            examples.push_back(std::move(example));
        }
        const AnalyzerModel model = ModelTrainer::train(examples, options);
        for (std::size_t i = fold; i < pool.size(); i += kFolds) {
            const AnalyzerModel::Scores scores = model.score(ModelTrainer::featuresOf(pool[i]));
            const auto top =
                std::max_element(scores.categoryProbabilities.begin(), scores.categoryProbabilities.end());
            evaluation.add(1.0 / (1.0 + std::exp(-scores.ticketLogit)), pool[i].ticket == 1,
                           TicketCategory(top - scores.categoryProbabilities.begin()),
                           TicketCategory(pool[i].category));
        }
    }
    std::printf("5-fold cross-validation over %zu conversations (uncalibrated):\n%s", pool.size(),
                qPrintable(AnalyzerEvaluation::format(evaluation.report(0.5), 0.5)));
    return 0;
}

QString hex(quint64 value, int digits)
{
    return QStringLiteral("%1").arg(value, digits, 16, QLatin1Char('0'));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("syncdesk-train-analyzer"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Trains the SyncDesk conversation analyzer: a hyper-parameter grid is trained on the "
                       "Bitext training rows "
                       "and the training conversations, scored on the Bitext dev rows and the tuning "
                       "conversations, the best one "
                       "is calibrated (Platt) on those and written as the model file."));
    parser.addHelpOption();
    parser.addOption(
        {QStringLiteral("bitext-train"), QStringLiteral("Bitext train.csv."), QStringLiteral("csv")});
    parser.addOption({QStringLiteral("bitext-dev"),
                      QStringLiteral("Bitext dev.csv (tuning and calibration)."), QStringLiteral("csv")});
    parser.addOption({QStringLiteral("conversations"), QStringLiteral("Training conversations (JSON Lines)."),
                      QStringLiteral("jsonl")});
    parser.addOption({QStringLiteral("tune"), QStringLiteral("Tuning conversations (JSON Lines)."),
                      QStringLiteral("jsonl")});
    parser.addOption({QStringLiteral("lexicon"), QStringLiteral("The lexicon the model is trained with."),
                      QStringLiteral("json")});
    parser.addOption({QStringLiteral("output"),
                      QStringLiteral("Model file to write (or JSONL with --export-jsonl)."),
                      QStringLiteral("path")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Shuffling seed (default 42)."),
                      QStringLiteral("n"), QStringLiteral("42")});
    parser.addOption(
        {QStringLiteral("cross-validate"),
         QStringLiteral(
             "Development aid: after the grid, 5-fold cross-validation over the training and tuning "
             "conversations (Bitext rows always in training) with the chosen hyper-parameters; "
             "writes no model.")});
    parser.addOption(
        {QStringLiteral("export-jsonl"),
         QStringLiteral("Only convert a Bitext CSV to one-turn conversations for `syncdesk analyze --eval`."),
         QStringLiteral("csv")});
    parser.process(application);

    if (parser.isSet(QStringLiteral("export-jsonl"))) {
        if (!parser.isSet(QStringLiteral("output")))
            return fail(QStringLiteral("--export-jsonl needs --output"));
        return exportJsonl(parser.value(QStringLiteral("export-jsonl")),
                           parser.value(QStringLiteral("output")));
    }
    for (const char *required :
         {"bitext-train", "bitext-dev", "conversations", "tune", "lexicon", "output"}) {
        if (!parser.isSet(QLatin1String(required)))
            return fail(QStringLiteral("--%1 is required; see --help").arg(QLatin1String(required)));
    }
    auto lexicon = Lexicon::load(parser.value(QStringLiteral("lexicon")));
    if (!lexicon)
        return fail(lexicon.error());
    const FeatureExtractor extractor(lexicon.value());
    const auto bitextTrain = BitextReader::read(parser.value(QStringLiteral("bitext-train")));
    const auto bitextDev = BitextReader::read(parser.value(QStringLiteral("bitext-dev")));
    const auto conversations = readConversations(parser.value(QStringLiteral("conversations")));
    const auto tune = readConversations(parser.value(QStringLiteral("tune")));
    for (const QString &error :
         {bitextTrain.error(), bitextDev.error(), conversations.error(), tune.error()}) {
        if (!error.isEmpty())
            return fail(error);
    }
    const quint32 seed = parser.value(QStringLiteral("seed")).toUInt();

    const std::vector<TrainingExample> devExamples =
        ModelTrainer::prepare(bitextDev.value(), extractor, 1.0f);
    const std::vector<TrainingExample> tuneExamples = ModelTrainer::prepare(tune.value(), extractor, 1.0f);
    const std::vector<TrainingExample> bitextExamples =
        ModelTrainer::prepare(bitextTrain.value(), extractor, 1.0f);
    const std::vector<TrainingExample> conversationExamples =
        ModelTrainer::prepare(conversations.value(), extractor, 1.0f);
    std::printf(
        "training: %zu Bitext rows, %zu conversations; tuning: %zu Bitext dev rows, %zu conversations\n",
        bitextExamples.size(), conversationExamples.size(), devExamples.size(), tuneExamples.size());

    // Hyper-parameter grid, scored on the tuning data only (AUC is unaffected by calibration).
    TrainingOptions best;
    double bestScore = -1.0;
    for (double l2 : {1e-5, 1e-4, 1e-3}) {
        for (double conversationWeight : {4.0, 10.0}) {
            for (double dropout : {0.0, 0.3}) {
                TrainingOptions options;
                options.l2 = l2;
                options.conversationWeight = conversationWeight;
                options.textDropout = dropout;
                options.seed = seed;
                std::vector<TrainingExample> examples = bitextExamples;
                for (TrainingExample example : conversationExamples) {
                    example.weight = float(conversationWeight);
                    examples.push_back(std::move(example));
                }
                const AnalyzerModel model = ModelTrainer::train(examples, options);
                const Scorecard dev = evaluate(model, devExamples);
                const Scorecard conv = evaluate(model, tuneExamples);
                const double score = dev.auc + dev.categoryAccuracy + conv.auc + conv.categoryMacroF1;
                std::printf(
                    "  l2 %.0e conversation weight %2.0f text dropout %.1f: dev AUC %.4f accuracy %.4f | "
                    "tune AUC %.4f macro-F1 %.4f | score %.4f\n",
                    l2, conversationWeight, dropout, dev.auc, dev.categoryAccuracy, conv.auc,
                    conv.categoryMacroF1, score);
                if (score > bestScore + 1e-9) {
                    bestScore = score;
                    best = options;
                }
            }
        }
    }
    std::printf("chosen: l2 %.0e conversation weight %.0f text dropout %.1f\n", best.l2,
                best.conversationWeight, best.textDropout);

    if (parser.isSet(QStringLiteral("cross-validate")))
        return crossValidate(bitextExamples, conversationExamples, tuneExamples, best);

    std::vector<TrainingExample> examples = bitextExamples;
    for (TrainingExample example : conversationExamples) {
        example.weight = float(best.conversationWeight);
        examples.push_back(std::move(example));
    }
    AnalyzerModel model = ModelTrainer::train(examples, best);
    model.lexiconFingerprint = lexicon->fingerprint();
    // Calibration: the Bitext dev rows and the tuning conversations count half each.
    std::vector<TrainingExample> calibration;
    for (TrainingExample example : devExamples) {
        example.weight = float(0.5 / double(devExamples.size()));
        calibration.push_back(std::move(example));
    }
    for (TrainingExample example : tuneExamples) {
        example.weight = float(0.5 / double(tuneExamples.size()));
        calibration.push_back(std::move(example));
    }
    ModelTrainer::calibrate(model, calibration);

    // The shipped weights are 16-bit; report the figures of exactly what is written.
    auto shipped = AnalyzerModel::fromBytes(model.toBytes(1e-4f));
    if (!shipped)
        return fail(shipped.error());
    const Scorecard dev = evaluate(shipped.value(), devExamples);
    const Scorecard conv = evaluate(shipped.value(), tuneExamples);
    QJsonObject metadata{{QStringLiteral("trained_on"),
                          QJsonObject{{QStringLiteral("bitext_rows"), int(bitextExamples.size())},
                                      {QStringLiteral("conversations"), int(conversationExamples.size())}}},
                         {QStringLiteral("tuned_on"),
                          QJsonObject{{QStringLiteral("bitext_dev_rows"), int(devExamples.size())},
                                      {QStringLiteral("conversations"), int(tuneExamples.size())}}},
                         {QStringLiteral("hyperparameters"),
                          QJsonObject{{QStringLiteral("epochs"), best.epochs},
                                      {QStringLiteral("learning_rate"), best.learningRate},
                                      {QStringLiteral("l2"), best.l2},
                                      {QStringLiteral("conversation_weight"), best.conversationWeight},
                                      {QStringLiteral("text_dropout"), best.textDropout},
                                      {QStringLiteral("category_text_dropout"), best.categoryTextDropout},
                                      {QStringLiteral("seed"), qint64(seed)},
                                      {QStringLiteral("hash_bits"), ConversationFeatures::kHashBits}}},
                         {QStringLiteral("calibration"),
                          QJsonObject{{QStringLiteral("slope"), model.calibrationSlope},
                                      {QStringLiteral("intercept"), model.calibrationIntercept}}},
                         {QStringLiteral("tuning_figures"),
                          QJsonObject{{QStringLiteral("dev_auc"), dev.auc},
                                      {QStringLiteral("dev_category_accuracy"), dev.categoryAccuracy},
                                      {QStringLiteral("tune_auc"), conv.auc},
                                      {QStringLiteral("tune_category_macro_f1"), conv.categoryMacroF1}}},
                         {QStringLiteral("lexicon"), lexicon->version()}};
    AnalyzerModel final = std::move(shipped).value();
    final.metadata = QString::fromUtf8(QJsonDocument(metadata).toJson(QJsonDocument::Compact));
    // The version names the weights: same data and seed, same version.
    quint64 digest = Tokenizer::kFnvBasis;
    for (char c : final.toBytes(1e-4f))
        digest = (digest ^ quint8(c)) * Tokenizer::kFnvPrime;
    final.version = QStringLiteral("model-%1").arg(hex(digest, 16).left(10));
    const QByteArray bytes = final.toBytes(1e-4f);
    QFile file(parser.value(QStringLiteral("output")));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
        return fail(QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
    std::printf("calibration: slope %.4f intercept %.4f\n", model.calibrationSlope,
                model.calibrationIntercept);
    std::printf("dev.csv: AUC %.4f, category accuracy %.4f, ECE %.4f\n", dev.auc, dev.categoryAccuracy,
                dev.ece);
    std::printf("tuning conversations: AUC %.4f, category macro-F1 %.4f, ECE %.4f\n", conv.auc,
                conv.categoryMacroF1, conv.ece);
    std::printf("wrote %s (%lld bytes), version %s\n", qPrintable(file.fileName()), qlonglong(bytes.size()),
                qPrintable(final.version));
    return 0;
}
