#pragma once

#include <QLoggingCategory>

// One category per engine module, so an operator can turn on exactly the part they are debugging
// (QT_LOGGING_RULES="syncdesk.engine.cluster.debug=true").
Q_DECLARE_LOGGING_CATEGORY(lcConfig)
Q_DECLARE_LOGGING_CATEGORY(lcCluster)
Q_DECLARE_LOGGING_CATEGORY(lcDatabase)
Q_DECLARE_LOGGING_CATEGORY(lcSchema)
Q_DECLARE_LOGGING_CATEGORY(lcDemo)
Q_DECLARE_LOGGING_CATEGORY(lcSync)
Q_DECLARE_LOGGING_CATEGORY(lcService)
Q_DECLARE_LOGGING_CATEGORY(lcTasks)
Q_DECLARE_LOGGING_CATEGORY(lcAnalyzer)
Q_DECLARE_LOGGING_CATEGORY(lcRelay)
