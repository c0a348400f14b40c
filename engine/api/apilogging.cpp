#include "api/apilogging.h"

Q_LOGGING_CATEGORY(lcApi, "syncdesk.api", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApiAccess, "syncdesk.api.access", QtInfoMsg)
