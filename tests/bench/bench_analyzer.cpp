// Conversation analyzer throughput: six-message conversations per second on one core, and the time
// to load the model shipped in the binary. Prints figures; not a pass/fail test.
//
//   bench_analyzer [seconds]   (default 3)
#include "analyzer/conversationanalyzer.h"
#include "analyzer/conversationreader.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>
#include <ctime>

using namespace syncdesk;

namespace {

// CPU time of this thread: on a shared machine wall time also counts the other engineers' work.
double threadSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

// Six messages, customer and assistant alternating, built from the written conversations so the
// text is realistic; short ones are extended with their own turns.
QList<QList<AnalyzedMessage>> sixMessageConversations(const QString &path)
{
    QList<QList<AnalyzedMessage>> result;
    const auto content = ConversationReader::readFile(path);
    if (!content)
        return result;
    for (const LabelledConversation &conversation : content->conversations) {
        QList<AnalyzedMessage> customer;
        QList<AnalyzedMessage> assistant;
        for (const AnalyzedMessage &message : conversation.messages)
            (message.role == AnalyzedMessage::Role::Customer ? customer : assistant).append(message);
        if (customer.isEmpty() || assistant.isEmpty())
            continue;
        QList<AnalyzedMessage> six;
        for (int i = 0; i < 3; ++i) {
            six.append(customer[i % customer.size()]);
            six.append(assistant[i % assistant.size()]);
        }
        result.append(six);
    }
    return result;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    const double seconds = argc > 1 ? QString::fromLocal8Bit(argv[1]).toDouble() : 3.0;

    QElapsedTimer timer;
    timer.start();
    const double loadStart = threadSeconds();
    const auto analyzer = ConversationAnalyzer::load();
    const double loadMs = double(timer.nsecsElapsed()) / 1e6;
    const double loadCpuMs = (threadSeconds() - loadStart) * 1e3;
    if (!analyzer) {
        std::fprintf(stderr, "bench_analyzer: %s\n", qPrintable(analyzer.error()));
        return 1;
    }
    QList<QList<AnalyzedMessage>> conversations;
    for (const char *file : {"train.jsonl", "train2.jsonl", "train3.jsonl", "tune.jsonl"})
        conversations +=
            sixMessageConversations(QStringLiteral(SYNCDESK_CONVERSATIONS_DIR "/") + QLatin1String(file));
    if (conversations.isEmpty()) {
        std::fprintf(stderr, "bench_analyzer: no conversations under %s\n", SYNCDESK_CONVERSATIONS_DIR);
        return 1;
    }
    qint64 characters = 0;
    for (const auto &conversation : conversations) {
        for (const AnalyzedMessage &message : conversation)
            characters += message.content.size();
    }

    // Warm-up, then as many passes as fit in the time given.
    double checksum = 0.0;
    for (const auto &conversation : conversations)
        checksum += analyzer->analyze(conversation).confidence;
    qint64 analysed = 0;
    timer.restart();
    const double cpuStart = threadSeconds();
    while (double(timer.nsecsElapsed()) < seconds * 1e9) {
        for (const auto &conversation : conversations)
            checksum += analyzer->analyze(conversation).confidence;
        analysed += conversations.size();
    }
    const double elapsed = double(timer.nsecsElapsed()) / 1e9;
    const double cpu = threadSeconds() - cpuStart;
    std::printf("model load: %.1f ms (%.1f ms of CPU time) (%s)\n", loadMs, loadCpuMs,
                qPrintable(analyzer->analyzerVersion()));
    std::printf(
        "analyse: %lld six-message conversations (%.0f characters on average) in %.2f s on one thread: "
        "%.0f conversations/s, %.1f us each (checksum %.3f)\n",
        analysed, double(characters) / double(conversations.size()), elapsed, double(analysed) / elapsed,
        elapsed * 1e6 / double(analysed), checksum);
    std::printf("per second of the thread's CPU time: %.0f conversations/s (%.2f s of CPU in %.2f s)\n",
                double(analysed) / cpu, cpu, elapsed);
    return 0;
}
