#include "ui/errortext.h"

namespace syncdesk::ui {

QString ErrorText::forOperation(const QString &action, const OperationResult &result)
{
    using Failure = OperationResult::Failure;
    switch (result.failure) {
    case Failure::NotFound:
        return tr("%1 failed: %2. The record may have been deleted meanwhile; press F5 to refresh the list.")
            .arg(action, result.error);
    case Failure::Conflict:
        return tr("%1 failed: %2. Someone or something changed it first; press F5 to see its current state.")
            .arg(action, result.error);
    case Failure::InvalidInput:
        return tr("%1 was refused: %2. Correct the value and try again.").arg(action, result.error);
    case Failure::Unavailable:
        return tr("%1 failed because the database cannot be reached (%2). Check that PostgreSQL is running; "
                  "SyncDesk reconnects by itself, then try again.")
            .arg(action, result.error);
    case Failure::None:
    case Failure::Failed:
        break;
    }
    return tr("%1 failed: %2. Try again; if it keeps failing, look at the log (category syncdesk) and report "
              "it.")
        .arg(action, result.error.isEmpty() ? tr("unknown error") : result.error);
}

QString ErrorText::forQuery(const QString &what, const QString &error)
{
    return tr("Cannot load %1: %2. Check the database connection (status bar) and press F5 to try again.")
        .arg(what, error);
}

QString ErrorText::engineStopped()
{
    return tr(
        "The sync engine is not running. Restart SyncDesk; if it does not start, the message at start-up "
        "says why.");
}

} // namespace syncdesk::ui
