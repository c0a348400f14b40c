#pragma once

class QCommandLineParser;

namespace syncdesk::app {

// `syncdesk analyze --input conversations.jsonl [--output predictions.jsonl] [--eval]`: runs the
// conversation analyzer offline, without a database, one JSON line in and one out per conversation.
// With --eval it prints how the predictions compare with the lines' labels.
class AnalyzeCommand
{
public:
    static void addOptions(QCommandLineParser &parser);
    // Exit codes: 0 the input was read to its end (malformed lines are reported on stderr and
    // skipped), 1 the input, the output or the model could not be used, 2 usage error.
    static int run(const QCommandLineParser &parser, double threshold);
};

} // namespace syncdesk::app
