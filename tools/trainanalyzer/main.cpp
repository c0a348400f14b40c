// syncdesk-train-analyzer: trains the conversation analyzer's model (resources/analyzer/model.bin)
// from the Bitext utterances and CLINC150 requests in shared/data and the conversations written for
// SyncDesk. See docs/benchmarks.md for the command and the figures it produced.
#include "analyzer/analyzerevaluation.h"
#include "analyzer/conversationanalyzer.h"
#include "analyzer/lexicon.h"
#include "bitextreader.h"
#include "clincreader.h"
#include "modeltrainer.h"
#include "trainingdata.h"
#include "trainingreport.h"

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

// The hyper-parameter grid (l2 1e-3, text dropout 0.3, category text dropout 0.3, customer-only
// weight 1, turn window 2, 12 epochs, no class balance: cross-validation during development found no
// gain elsewhere; see docs/benchmarks.md).
constexpr double kGridConversationWeight[] = {10.0, 20.0};
constexpr double kGridBitextCategoryWeight[] = {0.25, 0.5};
constexpr double kGridClincWeight[] = {0.5, 1.0};
constexpr double kGridTurnShare[] = {0.0, 0.5};
constexpr double kGridPaddedWeight[] = {0.5, 1.0};

// The Bitext dev rows must stay at these (the "keep what works").
constexpr double kBitextDevAuc = 0.99;
constexpr double kBitextDevAccuracy = 0.97;

int fail(const QString &message)
{
    std::fprintf(stderr, "syncdesk-train-analyzer: %s\n", qPrintable(message));
    return 1;
}

// Figures of the examples that are not padded copies.
AnalyzerEvaluation::Report reportOf(const std::vector<TrainingExample> &examples,
                                    const std::vector<Prediction> &predictions, const AnalyzerModel *model,
                                    double threshold)
{
    return ModelTrainer::evaluation(
               examples, predictions, [](const TrainingExample &e) { return !e.padded; }, model)
        .report(threshold);
}

// Writes one-turn conversations in the `syncdesk analyze` format from a Bitext or CLINC150 CSV, for
// --eval on their rows.
int exportJsonl(const QString &csv, const QString &output)
{
    QFile input(csv);
    if (!input.open(QIODevice::ReadOnly | QIODevice::Text))
        return fail(QStringLiteral("cannot read %1: %2").arg(csv, input.errorString()));
    const bool clinc = BitextReader::splitRecord(QString::fromUtf8(input.readLine())).contains(QStringLiteral("domain"));
    input.close();
    const auto rows = clinc ? ClincReader::read(csv) : BitextReader::read(csv);
    if (!rows)
        return fail(rows.error());
    QFile file(output);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(QStringLiteral("cannot write %1: %2").arg(output, file.errorString()));
    for (const LabelledConversation &row : rows.value()) {
        QJsonObject labels = row.labels;
        labels.remove(QStringLiteral("group"));
        labels.insert(QStringLiteral("ticket"), *row.ticket);
        if (row.category)
            labels.insert(QStringLiteral("category"), Analysis::categoryName(*row.category));
        const QJsonObject line{
            {QStringLiteral("id"), row.id},
            {QStringLiteral("messages"),
             QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("customer")},
                                    {QStringLiteral("content"), row.messages.constFirst().content}}}},
            {QStringLiteral("labels"), labels}};
        file.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
    }
    std::printf("wrote %lld conversations to %s\n", qlonglong(rows->size()), qPrintable(output));
    return 0;
}

// One line of --show-errors: the conversation, its labels and what the model said.
void printError(const LabelledConversation &conversation, const TrainingExample &example,
                const Prediction &prediction)
{
    QStringList turns;
    for (const AnalyzedMessage &message : conversation.messages)
        turns << (message.role == AnalyzedMessage::Role::Customer ? QStringLiteral("C: ")
                                                                  : QStringLiteral("A: ")) +
                     message.content;
    const double p = 1.0 / (1.0 + std::exp(-prediction.logit));
    std::printf("%s [%s] ticket %d p=%.2f, %s -> %s | %s\n", qPrintable(conversation.id),
                qPrintable(example.style), example.ticket, p,
                example.category >= 0 ? qPrintable(Analysis::categoryName(TicketCategory(example.category)))
                                      : "-",
                qPrintable(Analysis::categoryName(TicketCategory(prediction.category))),
                qPrintable(turns.join(QStringLiteral(" | ")).left(300)));
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
        else if (key == QLatin1String("clinc_weight"))
            options.clincWeight = value;
        else if (key == QLatin1String("customer_only_weight"))
            options.customerOnlyWeight = value;
        else if (key == QLatin1String("padded_weight"))
            options.paddedWeight = value;
        else if (key == QLatin1String("turn_share"))
            options.turnShare = value;
        else if (key == QLatin1String("turn_window"))
            options.turnWindow = int(value);
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
    return QStringLiteral("l2 %1, conversation weight %2, one-line category weight %3, CLINC150 weight %4, "
                          "customer-only weight %5, turn share %6 (window %7), padded weight %8")
        .arg(options.l2, 0, 'g', 2)
        .arg(options.conversationWeight)
        .arg(options.bitextCategoryWeight)
        .arg(options.clincWeight)
        .arg(options.customerOnlyWeight)
        .arg(options.turnShare)
        .arg(options.turnWindow)
        .arg(options.paddedWeight);
}

QString hex(quint64 value, int digits)
{
    return QStringLiteral("%1").arg(value, digits, 16, QLatin1Char('0'));
}

std::vector<TrainingOptions> grid(const TrainingOptions &defaults)
{
    std::vector<TrainingOptions> points;
    for (double conversationWeight : kGridConversationWeight) {
        for (double bitextCategoryWeight : kGridBitextCategoryWeight) {
            for (double clincWeight : kGridClincWeight) {
                for (double turnShare : kGridTurnShare) {
                    for (double paddedWeight : kGridPaddedWeight) {
                        TrainingOptions options = defaults;
                        options.conversationWeight = conversationWeight;
                        options.bitextCategoryWeight = bitextCategoryWeight;
                        options.clincWeight = clincWeight;
                        options.turnShare = turnShare;
                        options.paddedWeight = paddedWeight;
                        points.push_back(options);
                    }
                }
            }
        }
    }
    return points;
}

// What a grid point is judged by: every written style counts the same (the mean of their
// out-of-fold ticket AUC, and half the mean category accuracy: macro-F1 punishes a style for a
// category it hardly has), CLINC150's dev rows a quarter; the Bitext dev rows only have to stay at
// their targets.
struct Candidate
{
    TrainingOptions options;
    std::vector<Prediction> outOfFold;
    std::vector<TrainingReport::StyleFigures> styles;
    AnalyzerEvaluation::Report dev;
    AnalyzerEvaluation::Report clinc;
    AnalyzerEvaluation::Report tune;
    double score = 0.0;
};

Candidate assess(const TrainingData &data, const std::vector<int> &folds, const TrainingOptions &options)
{
    Candidate candidate;
    candidate.options = options;
    const std::vector<TrainingExample> oneLiners = data.oneLiners();
    candidate.outOfFold = ModelTrainer::crossValidate(oneLiners, data.conversations, folds, options);
    candidate.styles = TrainingReport::byStyle(data, candidate.outOfFold);
    const AnalyzerModel model =
        ModelTrainer::train(ModelTrainer::weighted(oneLiners, data.conversations, options), options);
    candidate.dev = reportOf(data.bitextDev, ModelTrainer::predict(model, data.bitextDev), nullptr, 0.5);
    candidate.clinc = reportOf(data.clincDev, ModelTrainer::predict(model, data.clincDev), nullptr, 0.5);
    candidate.tune = reportOf(data.tune, ModelTrainer::predict(model, data.tune), nullptr, 0.5);
    double auc = 0.0;
    double accuracy = 0.0;
    int categorised = 0;
    for (const TrainingReport::StyleFigures &style : candidate.styles) {
        auc += style.auc;
        if (style.categorySamples > 0) {
            accuracy += style.categoryAccuracy;
            ++categorised;
        }
    }
    auc /= double(std::max<std::size_t>(1, candidate.styles.size()));
    accuracy /= double(std::max(1, categorised));
    const bool eligible = candidate.dev.auc >= kBitextDevAuc && candidate.dev.categoryAccuracy >= kBitextDevAccuracy;
    candidate.score = auc + 0.5 * accuracy + 0.25 * candidate.clinc.auc + (eligible ? 0.0 : -10.0);
    return candidate;
}

// Platt calibration on what the model did not train on. With a calibration set (conversations by
// authors who never saw the analyzer): on it alone, each conversation alike. Without one: the
// out-of-fold logits of the written conversations (each style the same total weight), the Bitext
// and CLINC150 dev rows and the tuning conversations (half a style each).
void calibrate(AnalyzerModel &model, const TrainingData &data, const Candidate &chosen)
{
    std::vector<double> logits;
    std::vector<double> targets;
    std::vector<double> weights;
    if (!data.calibration.empty()) {
        const std::vector<Prediction> predictions = ModelTrainer::predict(model, data.calibration);
        for (std::size_t i = 0; i < data.calibration.size(); ++i) {
            logits.push_back(predictions[i].logit);
            targets.push_back(data.calibration[i].ticket);
            weights.push_back(1.0);
        }
        ModelTrainer::calibrate(model, logits, targets, weights);
        return;
    }
    QHash<QString, int> styleSizes;
    for (const TrainingExample &example : data.conversations) {
        if (example.ticket >= 0 && !example.padded)
            ++styleSizes[example.style];
    }
    for (std::size_t i = 0; i < data.conversations.size(); ++i) {
        const TrainingExample &example = data.conversations[i];
        if (example.ticket < 0 || example.padded)
            continue;
        logits.push_back(chosen.outOfFold[i].logit);
        targets.push_back(example.ticket);
        weights.push_back(1.0 / styleSizes.value(example.style));
    }
    for (const std::vector<TrainingExample> *held : {&data.bitextDev, &data.clincDev, &data.tune}) {
        const std::vector<Prediction> predictions = ModelTrainer::predict(model, *held);
        for (std::size_t i = 0; i < held->size(); ++i) {
            if ((*held)[i].ticket < 0)
                continue;
            logits.push_back(predictions[i].logit);
            targets.push_back((*held)[i].ticket);
            weights.push_back(0.5 / double(held->size()));
        }
    }
    ModelTrainer::calibrate(model, logits, targets, weights);
}

// How well calibration on the other sets carries over to each calibration set: fitted without the
// set, measured on it (the figure a fresh blind set can expect), beside the fit on all of them.
QString calibrationCarryOver(const AnalyzerModel &model, const TrainingData &data)
{
    QStringList sets;
    for (const TrainingExample &example : data.calibration) {
        if (!sets.contains(example.source))
            sets << example.source;
    }
    const std::vector<Prediction> predictions = ModelTrainer::predict(model, data.calibration);
    QString text;
    for (const QString &set : sets) {
        AnalyzerModel others = model;
        std::vector<double> logits, targets, weights;
        std::vector<TrainingExample> held;
        std::vector<Prediction> heldPredictions;
        for (std::size_t i = 0; i < data.calibration.size(); ++i) {
            if (data.calibration[i].source == set) {
                held.push_back(data.calibration[i]);
                heldPredictions.push_back(predictions[i]);
                continue;
            }
            logits.push_back(predictions[i].logit);
            targets.push_back(data.calibration[i].ticket);
            weights.push_back(1.0);
        }
        if (logits.empty())
            continue;
        ModelTrainer::calibrate(others, logits, targets, weights);
        const double carried = reportOf(held, heldPredictions, &others, 0.7).expectedCalibrationError;
        const double fitted = reportOf(held, heldPredictions, &model, 0.7).expectedCalibrationError;
        text += QStringLiteral("  %1 (%2 conversations): ECE %3 fitted without it, %4 with it\n")
                    .arg(set)
                    .arg(held.size())
                    .arg(carried, 0, 'f', 4)
                    .arg(fitted, 0, 'f', 4);
    }
    return text;
}

QJsonArray styleFiguresJson(const std::vector<TrainingReport::StyleFigures> &rows)
{
    QJsonArray array;
    for (const TrainingReport::StyleFigures &row : rows)
        array.append(QJsonObject{{QStringLiteral("style"), row.style},
                                 {QStringLiteral("conversations"), row.conversations},
                                 {QStringLiteral("auc"), row.auc},
                                 {QStringLiteral("category_accuracy"), row.categoryAccuracy},
                                 {QStringLiteral("category_macro_f1"), row.categoryMacroF1}});
    return array;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("syncdesk-train-analyzer"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Trains the SyncDesk conversation analyzer. Each point of a hyper-parameter grid is scored by a "
        "grouped 5-fold cross-validation over the written training conversations, style by style (the "
        "Bitext and CLINC150 training rows are always in training), and by a model trained on all of "
        "them, checked on the Bitext and CLINC150 dev rows; the best one is calibrated (Platt) on "
        "held-out scores and written as the model file."));
    parser.addHelpOption();
    parser.addOption(
        {QStringLiteral("bitext-train"), QStringLiteral("Bitext train.csv."), QStringLiteral("csv")});
    parser.addOption({QStringLiteral("bitext-dev"),
                      QStringLiteral("Bitext dev.csv (checks and calibration)."), QStringLiteral("csv")});
    parser.addOption({QStringLiteral("clinc-train"), QStringLiteral("CLINC150 train.csv."),
                      QStringLiteral("csv")});
    parser.addOption({QStringLiteral("clinc-dev"),
                      QStringLiteral("CLINC150 val.csv (checks and calibration)."), QStringLiteral("csv")});
    parser.addOption({QStringLiteral("conversations"),
                      QStringLiteral("Training conversations (JSON Lines); repeat for several files."),
                      QStringLiteral("jsonl")});
    parser.addOption({QStringLiteral("tune"),
                      QStringLiteral("Tuning conversations (JSON Lines); repeat for several files."),
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
                        "\"l2=1e-3,conversation_weight=10,bitext_category_weight=0.25,clinc_weight=1,"
                        "customer_only_weight=1,text_dropout=0.3,category_text_dropout=0.3,epochs=12\"."),
         QStringLiteral("list")});
    parser.addOption(
        {QStringLiteral("cross-validate"),
         QStringLiteral("Development aid: after choosing the hyper-parameters, print the grouped 5-fold "
                        "cross-validation of the training conversations in full; writes no model.")});
    parser.addOption(
        {QStringLiteral("show-errors"),
         QStringLiteral("Development aid, with --cross-validate: list the conversations the cross-validation "
                        "gets wrong.")});
    parser.addOption(
        {QStringLiteral("transfer"),
         QStringLiteral("Development aid: after choosing the hyper-parameters, train without each source in "
                        "turn (Bitext, CLINC150, each conversations file) and measure on it; writes no model.")});
    parser.addOption({QStringLiteral("probe"),
                      QStringLiteral("Development aid, with --transfer: conversations derived from a source "
                                     "(\"helpline-padded.jsonl\" from \"helpline\"), measured when that source is "
                                     "left out; never trained on."),
                      QStringLiteral("jsonl")});
    parser.addOption(
        {QStringLiteral("calibration"),
         QStringLiteral("Conversations by authors who never saw the analyzer (JSON Lines), never "
                        "trained on: the ticket score is calibrated on them; repeat for several "
                        "files."),
         QStringLiteral("jsonl")});
    parser.addOption({QStringLiteral("drop-signals"),
                      QStringLiteral("Development aid: train and cross-validate as if these signals (names, "
                                     "comma-separated) were always 0."),
                      QStringLiteral("names")});
    parser.addOption(
        {QStringLiteral("export-jsonl"),
         QStringLiteral("Only convert a Bitext or CLINC150 CSV to one-turn conversations for "
                        "`syncdesk analyze --eval`."),
         QStringLiteral("csv")});
    parser.process(application);

    if (parser.isSet(QStringLiteral("export-jsonl"))) {
        if (!parser.isSet(QStringLiteral("output")))
            return fail(QStringLiteral("--export-jsonl needs --output"));
        return exportJsonl(parser.value(QStringLiteral("export-jsonl")),
                           parser.value(QStringLiteral("output")));
    }
    const bool crossValidateOnly = parser.isSet(QStringLiteral("cross-validate"));
    const bool transferOnly = parser.isSet(QStringLiteral("transfer"));
    const bool writesModel = !crossValidateOnly && !transferOnly;
    for (const char *required : {"bitext-train", "bitext-dev", "conversations", "lexicon", "output"}) {
        const bool needed = writesModel || qstrcmp(required, "output") != 0;
        if (needed && !parser.isSet(QLatin1String(required)))
            return fail(QStringLiteral("--%1 is required; see --help").arg(QLatin1String(required)));
    }
    if (parser.isSet(QStringLiteral("clinc-train")) != parser.isSet(QStringLiteral("clinc-dev")))
        return fail(QStringLiteral("--clinc-train and --clinc-dev go together"));
    auto lexicon = Lexicon::load(parser.value(QStringLiteral("lexicon")));
    if (!lexicon)
        return fail(lexicon.error());
    const FeatureExtractor extractor(lexicon.value());
    TrainingData::Paths paths;
    paths.bitextTrain = parser.value(QStringLiteral("bitext-train"));
    paths.bitextDev = parser.value(QStringLiteral("bitext-dev"));
    paths.clincTrain = parser.value(QStringLiteral("clinc-train"));
    paths.clincDev = parser.value(QStringLiteral("clinc-dev"));
    paths.conversations = parser.values(QStringLiteral("conversations"));
    paths.tune = parser.values(QStringLiteral("tune"));
    paths.probes = parser.values(QStringLiteral("probe"));
    paths.calibration = parser.values(QStringLiteral("calibration"));
    const auto loaded = TrainingData::load(paths, extractor);
    if (!loaded)
        return fail(loaded.error());
    const TrainingData &data = loaded.value();
    const quint32 seed = parser.value(QStringLiteral("seed")).toUInt();

    const std::vector<int> folds = ModelTrainer::folds(data.conversations);
    std::array<int, ModelTrainer::kFolds> foldSizes{};
    for (int fold : folds)
        ++foldSizes[std::size_t(fold)];
    std::printf("training: %zu Bitext rows, %zu CLINC150 rows, %zu written conversations with their "
                "customer-only copies (folds of %d, %d, %d, %d, %d); checks: %zu Bitext dev rows, %zu "
                "CLINC150 dev rows, %zu tuning conversations\n",
                data.bitextTrain.size(), data.clincTrain.size(), data.conversations.size(), foldSizes[0],
                foldSizes[1], foldSizes[2], foldSizes[3], foldSizes[4], data.bitextDev.size(),
                data.clincDev.size(), data.tune.size());

    // Hyper-parameters: the grid, or the fixed ones given.
    std::vector<TrainingOptions> points;
    TrainingOptions defaults;
    defaults.seed = seed;
    defaults.l2 = 1e-3;
    defaults.textDropout = 0.3;
    defaults.turnWindow = 2;
    if (parser.isSet(QStringLiteral("hyperparameters"))) {
        auto fixed = parseHyperparameters(parser.value(QStringLiteral("hyperparameters")), defaults);
        if (!fixed)
            return fail(fixed.error());
        if ((!fixed->assistantText || !fixed->cueSignals) && writesModel)
            return fail(QStringLiteral("assistant_text=0 and cue_signals=0 are ablations for --cross-validate"));
        points.push_back(fixed.value());
    } else {
        points = grid(defaults);
    }
    for (const QString &name : parser.value(QStringLiteral("drop-signals")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        int signal = 0;
        while (signal < SignalCatalog::kCount && SignalCatalog::name(signal) != name)
            ++signal;
        if (signal == SignalCatalog::kCount)
            return fail(QStringLiteral("no signal is called '%1'").arg(name));
        for (TrainingOptions &options : points)
            options.droppedSignals.push_back(signal);
    }
    Candidate best;
    best.score = -1e9;
    for (const TrainingOptions &options : points) {
        Candidate candidate = assess(data, folds, options);
        QStringList styles;
        for (const TrainingReport::StyleFigures &style : candidate.styles)
            styles << QStringLiteral("%1 %2/%3").arg(style.style.left(12)).arg(style.auc, 0, 'f', 3).arg(
                          style.categoryAccuracy, 0, 'f', 3);
        std::printf("  %s: %s | dev AUC %.4f acc %.4f | CLINC AUC %.4f acc %.4f | score %.4f\n",
                    qPrintable(describe(options)), qPrintable(styles.join(QStringLiteral(", "))),
                    candidate.dev.auc, candidate.dev.categoryAccuracy, candidate.clinc.auc,
                    candidate.clinc.categoryAccuracy, candidate.score);
        std::fflush(stdout);
        if (candidate.score > best.score + 1e-9)
            best = std::move(candidate);
    }
    std::printf("chosen: %s\n", qPrintable(describe(best.options)));
    const std::vector<TrainingExample> oneLiners = data.oneLiners();

    if (crossValidateOnly) {
        if (parser.isSet(QStringLiteral("show-errors"))) {
            for (std::size_t i = 0; i < data.conversations.size(); ++i) {
                const TrainingExample &example = data.conversations[i];
                const Prediction &prediction = best.outOfFold[i];
                const bool ticketWrong =
                    example.ticket >= 0 && (prediction.logit > 0) != (example.ticket == 1);
                const bool categoryWrong = example.category >= 0 && prediction.category != example.category;
                if (ticketWrong || categoryWrong)
                    printError(data.conversationTexts[qsizetype(i)], example, prediction);
            }
        }
        std::printf("grouped 5-fold cross-validation by style (uncalibrated, out of fold):\n%s",
                    qPrintable(TrainingReport::table(best.styles)));
        std::printf("all %zu written conversations pooled:\n%s", data.conversations.size(),
                    qPrintable(AnalyzerEvaluation::format(reportOf(data.conversations, best.outOfFold, nullptr, 0.5), 0.5)));
        std::printf("model trained on everything: Bitext dev AUC %.4f accuracy %.4f; CLINC150 dev AUC %.4f "
                    "accuracy %.4f; tuning AUC %.4f macro-F1 %.4f\n",
                    best.dev.auc, best.dev.categoryAccuracy, best.clinc.auc, best.clinc.categoryAccuracy,
                    best.tune.auc, best.tune.categoryMacroF1);
        return 0;
    }
    if (transferOnly) {
        std::printf("between sources: trained without the source, measured on it (uncalibrated):\n%s",
                    qPrintable(TrainingReport::table(TrainingReport::transfer(data, best.options))));
        return 0;
    }

    AnalyzerModel model = ModelTrainer::train(ModelTrainer::weighted(oneLiners, data.conversations, best.options),
                                              best.options);
    model.lexiconFingerprint = lexicon->fingerprint();
    calibrate(model, data, best);

    // The shipped weights are 16-bit; report the figures of exactly what is written.
    auto shipped = AnalyzerModel::fromBytes(model.toBytes(1e-4f));
    if (!shipped)
        return fail(shipped.error());
    const AnalyzerEvaluation::Report dev =
        reportOf(data.bitextDev, ModelTrainer::predict(shipped.value(), data.bitextDev), &shipped.value(), 0.7);
    const AnalyzerEvaluation::Report clinc =
        reportOf(data.clincDev, ModelTrainer::predict(shipped.value(), data.clincDev), &shipped.value(), 0.7);
    const AnalyzerEvaluation::Report pooled = reportOf(data.conversations, best.outOfFold, nullptr, 0.5);
    const TrainingOptions &chosen = best.options;
    QJsonObject metadata{
        {QStringLiteral("trained_on"),
         QJsonObject{{QStringLiteral("bitext_rows"), int(data.bitextTrain.size())},
                     {QStringLiteral("clinc150_rows"), int(data.clincTrain.size())},
                     {QStringLiteral("conversations"), int(data.conversations.size())},
                     {QStringLiteral("sources"), QJsonArray::fromStringList(data.sources())}}},
        {QStringLiteral("checked_on"),
         QJsonObject{{QStringLiteral("bitext_dev_rows"), int(data.bitextDev.size())},
                     {QStringLiteral("clinc150_dev_rows"), int(data.clincDev.size())},
                     {QStringLiteral("conversations"), int(data.tune.size())}}},
        {QStringLiteral("hyperparameters"),
         QJsonObject{{QStringLiteral("epochs"), chosen.epochs},
                     {QStringLiteral("learning_rate"), chosen.learningRate},
                     {QStringLiteral("l2"), chosen.l2},
                     {QStringLiteral("conversation_weight"), chosen.conversationWeight},
                     {QStringLiteral("text_dropout"), chosen.textDropout},
                     {QStringLiteral("category_text_dropout"), chosen.categoryTextDropout},
                     {QStringLiteral("bitext_category_weight"), chosen.bitextCategoryWeight},
                     {QStringLiteral("clinc_weight"), chosen.clincWeight},
                     {QStringLiteral("customer_only_weight"), chosen.customerOnlyWeight},
                     {QStringLiteral("padded_weight"), chosen.paddedWeight},
                     {QStringLiteral("class_balance"), chosen.classBalance},
                     {QStringLiteral("turn_share"), chosen.turnShare},
                     {QStringLiteral("turn_window"), chosen.turnWindow},
                     {QStringLiteral("seed"), qint64(seed)},
                     {QStringLiteral("hash_bits"), ConversationFeatures::kHashBits}}},
        {QStringLiteral("calibration"),
         QJsonObject{{QStringLiteral("slope"), model.calibrationSlope},
                     {QStringLiteral("intercept"), model.calibrationIntercept},
                     {QStringLiteral("held_out_conversations"), int(data.calibration.size())}}},
        {QStringLiteral("cross_validation"),
         QJsonObject{{QStringLiteral("folds"), ModelTrainer::kFolds},
                     {QStringLiteral("auc"), pooled.auc},
                     {QStringLiteral("category_accuracy"), pooled.categoryAccuracy},
                     {QStringLiteral("category_macro_f1"), pooled.categoryMacroF1},
                     {QStringLiteral("by_style"), styleFiguresJson(best.styles)}}},
        {QStringLiteral("dev_figures"),
         QJsonObject{{QStringLiteral("bitext_auc"), dev.auc},
                     {QStringLiteral("bitext_category_accuracy"), dev.categoryAccuracy},
                     {QStringLiteral("clinc150_auc"), clinc.auc},
                     {QStringLiteral("clinc150_category_accuracy"), clinc.categoryAccuracy}}},
        {QStringLiteral("data_licences"),
         QStringLiteral("Bitext customer-support intent data (CDLA-Sharing-1.0); CLINC150, Larson et al. "
                        "2019 (CC BY 3.0); conversations written for SyncDesk")},
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
    std::printf("grouped 5-fold cross-validation by style (uncalibrated):\n%s",
                qPrintable(TrainingReport::table(best.styles)));
    std::printf("calibration: slope %.4f intercept %.4f\n", model.calibrationSlope, model.calibrationIntercept);
    if (!data.calibration.empty())
        std::printf("calibrated on %zu held-out conversations; carried over to each set:\n%s",
                    data.calibration.size(), qPrintable(calibrationCarryOver(model, data)));
    std::printf("Bitext dev: AUC %.4f, category accuracy %.4f, ECE %.4f\n", dev.auc, dev.categoryAccuracy,
                dev.expectedCalibrationError);
    std::printf("CLINC150 dev: AUC %.4f, category accuracy %.4f, ECE %.4f\n", clinc.auc,
                clinc.categoryAccuracy, clinc.expectedCalibrationError);
    std::printf("wrote %s (%lld bytes), version %s\n", qPrintable(file.fileName()), qlonglong(bytes.size()),
                qPrintable(final.version));
    return 0;
}
