#include "analyzecommand.h"

#include "analyzer/analyzerevaluation.h"
#include "analyzer/conversationanalyzer.h"
#include "analyzer/conversationreader.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace syncdesk::app {

namespace {

enum ExitCode
{
    Success = 0,
    Failure = 1,
    UsageError = 2
};

void printError(const QString &message)
{
    std::fprintf(stderr, "syncdesk: %s\n", qPrintable(message));
}

// The analysis as one JSON line, with the conversation's id first so a reader can match lines up.
QByteArray predictionLine(const QString &id, const Analysis &analysis)
{
    const QByteArray body = QJsonDocument(analysis.toJson()).toJson(QJsonDocument::Compact);
    const QByteArray idJson =
        QJsonDocument(QJsonObject{{QStringLiteral("id"), id}}).toJson(QJsonDocument::Compact);
    return idJson.chopped(1) + ',' + body.mid(1) + '\n';
}

} // namespace

void AnalyzeCommand::addOptions(QCommandLineParser &parser)
{
    parser.addOption(
        {QStringLiteral("input"),
         QStringLiteral("analyze: conversations as JSON Lines ({\"id\", \"messages\": [{\"role\", "
                        "\"content\"}]}); '-' reads standard input."),
         QStringLiteral("file")});
    parser.addOption(
        {QStringLiteral("output"),
         QStringLiteral("analyze: write one prediction per line here (default: standard output)."),
         QStringLiteral("file")});
    parser.addOption(
        {QStringLiteral("eval"),
         QStringLiteral("analyze: compare with the lines' \"labels\" ({\"ticket\": bool, \"category\"}) "
                        "and print ROC AUC, precision, recall, F1, category accuracy, macro-F1, a "
                        "confusion matrix and a calibration table.")});
}

int AnalyzeCommand::run(const QCommandLineParser &parser, double threshold)
{
    if (!parser.isSet(QStringLiteral("input"))) {
        printError(QStringLiteral("analyze needs --input <file> (JSON Lines; '-' for standard input)"));
        return UsageError;
    }
    const bool evaluate = parser.isSet(QStringLiteral("eval"));
    const QString inputPath = parser.value(QStringLiteral("input"));
    QFile input;
    const bool opened = inputPath == QLatin1String("-")
                            ? input.open(stdin, QIODevice::ReadOnly)
                            : (input.setFileName(inputPath), input.open(QIODevice::ReadOnly));
    if (!opened) {
        printError(QStringLiteral("cannot read %1: %2").arg(inputPath, input.errorString()));
        return Failure;
    }
    QFile output;
    bool writePredictions = true;
    if (parser.isSet(QStringLiteral("output"))) {
        output.setFileName(parser.value(QStringLiteral("output")));
        if (!output.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            printError(QStringLiteral("cannot write %1: %2").arg(output.fileName(), output.errorString()));
            return Failure;
        }
    } else if (evaluate) {
        writePredictions = false; // the figures go to standard output instead
    } else if (!output.open(stdout, QIODevice::WriteOnly)) {
        printError(QStringLiteral("cannot write to standard output"));
        return Failure;
    }

    QElapsedTimer loading;
    loading.start();
    const auto analyzer = ConversationAnalyzer::load();
    if (!analyzer) {
        printError(QStringLiteral("cannot load the analyzer: ") + analyzer.error());
        return Failure;
    }
    AnalysisContext context;
    context.threshold = threshold;

    AnalyzerEvaluation evaluation;
    int analysed = 0;
    int skipped = 0;
    int lineNumber = 0;
    while (!input.atEnd()) {
        const QByteArray line = input.readLine();
        ++lineNumber;
        if (line.trimmed().isEmpty())
            continue;
        const auto conversation = ConversationReader::parseLine(line);
        if (!conversation) {
            printError(QStringLiteral("%1 line %2: %3; skipped")
                           .arg(inputPath)
                           .arg(lineNumber)
                           .arg(conversation.error()));
            ++skipped;
            continue;
        }
        const Analysis analysis = analyzer->analyze(conversation->messages, context);
        if (writePredictions)
            output.write(predictionLine(conversation->id, analysis));
        if (evaluate)
            evaluation.add(analysis.confidence, conversation->ticket, analysis.category,
                           conversation->category);
        ++analysed;
    }
    if (writePredictions && !output.flush()) {
        printError(QStringLiteral("cannot write %1: %2").arg(output.fileName(), output.errorString()));
        return Failure;
    }
    if (evaluate) {
        std::printf("%s (threshold %.2f, %s)\n", qPrintable(inputPath), threshold,
                    qPrintable(analyzer->analyzerVersion()));
        std::fputs(qPrintable(AnalyzerEvaluation::format(evaluation.report(threshold), threshold)), stdout);
    }
    std::fprintf(stderr, "syncdesk: analysed %d conversations, skipped %d malformed lines\n", analysed,
                 skipped);
    return Success;
}

} // namespace syncdesk::app
