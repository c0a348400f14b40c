#pragma once

#include "analyzer/analysis.h"

#include <QList>
#include <QString>

namespace syncdesk {

// Finds what a person handling the ticket needs in the customer's text: order numbers, e-mail
// addresses, phone numbers, amounts with their currency and error codes. Patterns are precompiled
// and only run on text that has a digit or an '@'.
class EntityExtractor
{
public:
    // Appends the entities of `text` that are not in `entities` yet.
    static void extract(const QString &text, QList<ExtractedEntity> &entities);
    static QList<ExtractedEntity> extract(const QString &text);
};

} // namespace syncdesk
