#pragma once

#include "sync/operationresult.h"

#include <QCoreApplication>
#include <QString>

namespace syncdesk::ui {

// Turns a failure into a message that says what happened and what the person can do about it.
class ErrorText
{
    Q_DECLARE_TR_FUNCTIONS(syncdesk::ui::ErrorText)

public:
    // `action` names what was tried ("Resolving the conflict").
    static QString forOperation(const QString &action, const OperationResult &result);
    // A list or detail could not be read; `what` names it ("the conflicts").
    static QString forQuery(const QString &what, const QString &error);
    // The engine is not running (it failed to start or was stopped).
    static QString engineStopped();
};

} // namespace syncdesk::ui
