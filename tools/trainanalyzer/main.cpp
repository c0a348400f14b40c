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

// The hyper-parameter grid (text dropout stays at 0.3, 12 epochs: cross-validation during
// development found no gain elsewhere; see docs/benchmarks.md).
constexpr double kGridL2[] = {1e-4, 1e-3};
constexpr double kGridConversationWeight[] = {10.0, 20.0};
constexpr double kGridCategoryTextDropout[] = {0.3, 0.5};
constexpr double kGridBitextCategoryWeight[] = {0.25, 0.5, 1.0};
constexpr double kGridClassBalance[] = {0.0, 0.5};

struct Scorecard
{
    double auc = 0.0;
    double categoryAccuracy = 0.0;
    double categoryMacroF1 = 0.0;
    double ece = 0.0;
    double f1 = 0.0;
};

AnalyzerEvaluation evaluationOf(const AnalyzerModel &model, const std::vector<TrainingExample> &examples)
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
    return evaluation;
}

Scorecard evaluate(const AnalyzerModel &model, const std::vector<TrainingExample> &examples,
                   double threshold = 0.7)
{
    const AnalyzerEvaluation::Report report = evaluationOf(model, examples).report(threshold);
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

// Reads every --conversations file, in order.
Result<QList<LabelledConversation>> readAllConversations(const QStringList &paths)
{
    QList<LabelledConversation> all;
    for (const QString &path : paths) {
        auto conversations = readConversations(path);
        if (!conversations)
            return conversations;
        all += conversations.value();
    }
    return Result<QList<LabelledConversation>>::success(all);
}

// One line of --show-errors: the conversation, its label and what the model said.
void printError(const char *prefix, const LabelledConversation &conversation, int label, int predicted)
{
    QStringList turns;
    for (const AnalyzedMessage &message : conversation.messages)
        turns << (message.role == AnalyzedMessage::Role::Customer ? QStringLiteral("C: ")
                                                                  : QStringLiteral("A: ")) +
                     message.content;
    std::printf("%s%s: %s -> %s | %s\n", prefix, qPrintable(conversation.id),
                qPrintable(Analysis::categoryName(TicketCategory(label))),
                qPrintable(Analysis::categoryName(TicketCategory(predicted))),
                qPrintable(turns.join(QStringLiteral(" | ")).left(400)));
}

// "l2=1e-4,conversation_weight=10,...": fixed hyper-parameters instead of the grid.
Result<TrainingOptions> parseHyperparameters(const QString &text, TrainingOptions options)
{
    for (const QString &pair : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString key = pair.section(QLatin1Char('='), 0, 0).trimmed();
        bool ok = false;
        const double value = pair.section(QLatin1Char('='), 1).trimmed().toDouble(&ok);
        if (!ok)
            return Result<TrainingOptions>::failure(QStringLiteral("bad hyper-parameter '%1'").arg(pair));
        if (key == QLatin1String("l2"))
            options.l2 = value;
        else if (key == QLatin1String("conversation_weight"))
            options.conversationWeight = value;
        else if (key == QLatin1String("text_dropout"))
            options.textDropout = value;
        else if (key == QLatin1String("category_text_dropout"))
            options.categoryTextDropout = value;
        else if (key == QLatin1String("bitext_category_weight"))
            options.bitextCategoryWeight = value;
        else if (key == QLatin1String("class_balance"))
            options.classBalance = value;
        else if (key == QLatin1String("epochs"))
            options.epochs = int(value);
        else if (key == QLatin1String("assistant_text"))
            options.assistantText = value != 0.0;
        else if (key == QLatin1String("cue_signals"))
            options.cueSignals = value != 0.0;
        else
            return Result<TrainingOptions>::failure(QStringLiteral("unknown hyper-parameter '%1'").arg(key));
    }
    return Result<TrainingOptions>::success(options);
}

QString describe(const TrainingOptions &options)
{
    return QStringLiteral("l2 %1, conversation weight %2, text dropout %3, category text dropout %4, "
                          "Bitext category weight %5, class balance %6")
        .arg(options.l2, 0, 'g', 2)
        .arg(options.conversationWeight)
        .arg(options.textDropout)
        .arg(options.categoryTextDropout)
        .arg(options.bitextCategoryWeight)
        .arg(options.classBalance);
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
    parser.setApplicationDescription(QStringLiteral(
        "Trains the SyncDesk conversation analyzer. Each point of a hyper-parameter grid is scored by a "
        "grouped 5-fold cross-validation over the training conversations (the Bitext training rows are "
        "always in training) and by a model trained on all of them, checked on the Bitext dev rows and "
        "the tuning conversations; the best one is calibrated (Platt) on those and written as the model "
        "file."));
    parser.addHelpOption();
    parser.addOption(
        {QStringLiteral("bitext-train"), QStringLiteral("Bitext train.csv."), QStringLiteral("csv")});
    parser.addOption({QStringLiteral("bitext-dev"),
                      QStringLiteral("Bitext dev.csv (tuning and calibration)."), QStringLiteral("csv")});
    parser.addOption({QStringLiteral("conversations"),
                      QStringLiteral("Training conversations (JSON Lines); repeat for several files."),
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
        {QStringLiteral("hyperparameters"),
         QStringLiteral("Development aid: fixed hyper-parameters instead of the grid, e.g. "
                        "\"l2=1e-4,conversation_weight=10,text_dropout=0.3,category_text_dropout=0.3,"
                        "bitext_category_weight=0.5,class_balance=0.5,epochs=12\"."),
         QStringLiteral("list")});
    parser.addOption(
        {QStringLiteral("cross-validate"),
         QStringLiteral("Development aid: after choosing the hyper-parameters, print the grouped 5-fold "
                        "cross-validation of the training conversations in full; writes no model.")});
    parser.addOption(
        {QStringLiteral("show-errors"),
         QStringLiteral("Development aid, with --cross-validate: list the conversations the cross-validation "
                        "and the model on the tuning conversations get wrong.")});
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
    const bool crossValidateOnly = parser.isSet(QStringLiteral("cross-validate"));
    for (const char *required :
         {"bitext-train", "bitext-dev", "conversations", "tune", "lexicon", "output"}) {
        const bool needed = !(crossValidateOnly && qstrcmp(required, "output") == 0);
        if (needed && !parser.isSet(QLatin1String(required)))
            return fail(QStringLiteral("--%1 is required; see --help").arg(QLatin1String(required)));
    }
    auto lexicon = Lexicon::load(parser.value(QStringLiteral("lexicon")));
    if (!lexicon)
        return fail(lexicon.error());
    const FeatureExtractor extractor(lexicon.value());
    const auto bitextTrain = BitextReader::read(parser.value(QStringLiteral("bitext-train")));
    const auto bitextDev = BitextReader::read(parser.value(QStringLiteral("bitext-dev")));
    const auto conversations = readAllConversations(parser.values(QStringLiteral("conversations")));
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
    const std::vector<int> folds = ModelTrainer::folds(conversationExamples);
    std::array<int, ModelTrainer::kFolds> foldSizes{};
    for (int fold : folds)
        ++foldSizes[std::size_t(fold)];
    std::printf(
        "training: %zu Bitext rows, %zu conversations (folds of %d, %d, %d, %d, %d); tuning: %zu Bitext dev "
        "rows, %zu conversations\n",
        bitextExamples.size(), conversationExamples.size(), foldSizes[0], foldSizes[1], foldSizes[2],
        foldSizes[3], foldSizes[4], devExamples.size(), tuneExamples.size());

    // Hyper-parameters: the grid, or the fixed ones given.
    std::vector<TrainingOptions> grid;
    TrainingOptions defaults;
    defaults.seed = seed;
    if (parser.isSet(QStringLiteral("hyperparameters"))) {
        auto fixed = parseHyperparameters(parser.value(QStringLiteral("hyperparameters")), defaults);
        if (!fixed)
            return fail(fixed.error());
        if ((!fixed->assistantText || !fixed->cueSignals) && !crossValidateOnly)
            return fail(
                QStringLiteral("assistant_text=0 and cue_signals=0 are ablations for --cross-validate"));
        grid.push_back(fixed.value());
    } else {
        defaults.textDropout = 0.3;
        for (double l2 : kGridL2) {
            for (double conversationWeight : kGridConversationWeight) {
                for (double categoryTextDropout : kGridCategoryTextDropout) {
                    for (double bitextCategoryWeight : kGridBitextCategoryWeight) {
                        for (double classBalance : kGridClassBalance) {
                            TrainingOptions options = defaults;
                            options.l2 = l2;
                            options.conversationWeight = conversationWeight;
                            options.categoryTextDropout = categoryTextDropout;
                            options.bitextCategoryWeight = bitextCategoryWeight;
                            options.classBalance = classBalance;
                            grid.push_back(options);
                        }
                    }
                }
            }
        }
    }
    // Scored on data the candidate did not train on: out-of-fold conversations first (they are many
    // and from many businesses), the tuning conversations second. The Bitext dev rows only have to
    // stay clear of their targets (AUC 0.97, accuracy 0.95) with a margin.
    TrainingOptions best = grid.front();
    AnalyzerEvaluation::Report bestCv;
    double bestScore = -1.0;
    for (const TrainingOptions &options : grid) {
        const AnalyzerEvaluation::Report cv =
            ModelTrainer::crossValidate(bitextExamples, conversationExamples, folds, options).report(0.5);
        const AnalyzerModel model = ModelTrainer::train(
            ModelTrainer::weighted(bitextExamples, conversationExamples, options), options);
        const Scorecard dev = evaluate(model, devExamples);
        const Scorecard conv = evaluate(model, tuneExamples);
        const bool eligible = dev.auc >= 0.98 && dev.categoryAccuracy >= 0.97;
        const double score = cv.categoryMacroF1 + 0.5 * cv.auc + 0.25 * (conv.categoryMacroF1 + conv.auc) +
                             (eligible ? 0.0 : -10.0);
        std::printf("  %s: CV AUC %.4f macro-F1 %.4f | dev AUC %.4f accuracy %.4f | tune AUC %.4f macro-F1 "
                    "%.4f | score %.4f\n",
                    qPrintable(describe(options)), cv.auc, cv.categoryMacroF1, dev.auc, dev.categoryAccuracy,
                    conv.auc, conv.categoryMacroF1, score);
        std::fflush(stdout);
        if (score > bestScore + 1e-9) {
            bestScore = score;
            best = options;
            bestCv = cv;
        }
    }
    std::printf("chosen: %s\n", qPrintable(describe(best)));

    if (crossValidateOnly) {
        const bool showErrors = parser.isSet(QStringLiteral("show-errors"));
        if (showErrors) {
            // Development aid: the conversations the cross-validation got wrong.
            std::vector<int> predicted;
            ModelTrainer::crossValidate(bitextExamples, conversationExamples, folds, best, &predicted);
            for (std::size_t i = 0; i < predicted.size(); ++i) {
                const int label = conversationExamples[i].category;
                if (label >= 0 && predicted[i] != label)
                    printError("", conversations.value()[qsizetype(i)], label, predicted[i]);
            }
        }
        std::printf("grouped 5-fold cross-validation over %zu training conversations (uncalibrated):\n%s",
                    conversationExamples.size(), qPrintable(AnalyzerEvaluation::format(bestCv, 0.5)));
        const AnalyzerModel model =
            ModelTrainer::train(ModelTrainer::weighted(bitextExamples, conversationExamples, best), best);
        if (showErrors) {
            for (std::size_t i = 0; i < tuneExamples.size(); ++i) {
                const AnalyzerModel::Scores scores = model.score(ModelTrainer::featuresOf(tuneExamples[i]));
                const int top = int(std::max_element(scores.categoryProbabilities.begin(),
                                                     scores.categoryProbabilities.end()) -
                                    scores.categoryProbabilities.begin());
                const int label = tuneExamples[i].category;
                if (label >= 0 && top != label)
                    printError("tune ", tune.value()[qsizetype(i)], label, top);
            }
        }
        std::printf(
            "tuning conversations, model trained on all training data (uncalibrated):\n%s",
            qPrintable(AnalyzerEvaluation::format(evaluationOf(model, tuneExamples).report(0.5), 0.5)));
        return 0;
    }

    AnalyzerModel model =
        ModelTrainer::train(ModelTrainer::weighted(bitextExamples, conversationExamples, best), best);
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
                                      {QStringLiteral("bitext_category_weight"), best.bitextCategoryWeight},
                                      {QStringLiteral("class_balance"), best.classBalance},
                                      {QStringLiteral("seed"), qint64(seed)},
                                      {QStringLiteral("hash_bits"), ConversationFeatures::kHashBits}}},
                         {QStringLiteral("calibration"),
                          QJsonObject{{QStringLiteral("slope"), model.calibrationSlope},
                                      {QStringLiteral("intercept"), model.calibrationIntercept}}},
                         {QStringLiteral("cross_validation"),
                          QJsonObject{{QStringLiteral("folds"), ModelTrainer::kFolds},
                                      {QStringLiteral("auc"), bestCv.auc},
                                      {QStringLiteral("category_accuracy"), bestCv.categoryAccuracy},
                                      {QStringLiteral("category_macro_f1"), bestCv.categoryMacroF1}}},
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
    std::printf("grouped 5-fold cross-validation: AUC %.4f, category accuracy %.4f, macro-F1 %.4f\n",
                bestCv.auc, bestCv.categoryAccuracy, bestCv.categoryMacroF1);
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
