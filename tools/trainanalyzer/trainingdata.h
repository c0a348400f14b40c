#pragma once

#include "modeltrainer.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace syncdesk::tools {

// Everything the training tool reads, as prepared examples. Each example knows its source (the data
// set or file it came from) and its style (how it is written: one-line e-commerce requests, CLINC150
// assistant requests, multi-turn chats, tweets, ...), so figures can be reported per source and style
// and a source can be left out of training to see how the model does on text it never saw.
struct TrainingData
{
    struct Paths
    {
        QString bitextTrain;
        QString bitextDev;
        QString clincTrain;
        QString clincDev;
        QStringList conversations; // written training conversations
        QStringList tune;          // written tuning conversations
        QStringList probes;        // development aid: never trained on, see `probes` below
        QStringList calibration;   // held-out conversations by other authors, see `calibration` below
    };

    std::vector<TrainingExample> bitextTrain;
    std::vector<TrainingExample> bitextDev;
    std::vector<TrainingExample> clincTrain;
    std::vector<TrainingExample> clincDev;
    std::vector<TrainingExample> conversations; // including their customer-only copies
    std::vector<TrainingExample> tune;          // including their customer-only copies
    // Development aid: conversations derived from a source (file "helpline-padded.jsonl" from source
    // "helpline"), measured only when --transfer leaves that source out.
    std::vector<TrainingExample> probes;
    // Conversations by authors who never saw the analyzer, never trained on: when given, the ticket
    // score is calibrated on them alone, as they are the closest to text by real customers.
    std::vector<TrainingExample> calibration;
    // The texts behind `conversations` and `tune` (copies included), for --show-errors.
    QList<LabelledConversation> conversationTexts;
    QList<LabelledConversation> tuneTexts;

    static Result<TrainingData> load(const Paths &paths, const FeatureExtractor &extractor);

    // One-line examples that are always in training (Bitext and CLINC150 training rows).
    std::vector<TrainingExample> oneLiners() const;
    // Sources in the order reported: bitext, clinc150, then each conversations file.
    QStringList sources() const;
    QStringList styles() const;
};

} // namespace syncdesk::tools
