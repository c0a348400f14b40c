#pragma once

#include <QLoggingCategory>

// The REST API's log categories: syncdesk.api (start, stop, failures) and syncdesk.api.access (one
// debug line per request or refused connection; QT_LOGGING_RULES="syncdesk.api.access.debug=true").
Q_DECLARE_LOGGING_CATEGORY(lcApi)
Q_DECLARE_LOGGING_CATEGORY(lcApiAccess)
