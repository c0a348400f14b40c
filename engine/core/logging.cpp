#include "core/logging.h"

Q_LOGGING_CATEGORY(lcConfig, "syncdesk.engine.config")
Q_LOGGING_CATEGORY(lcCluster, "syncdesk.engine.cluster")
Q_LOGGING_CATEGORY(lcDatabase, "syncdesk.engine.database")
Q_LOGGING_CATEGORY(lcSchema, "syncdesk.engine.schema")
Q_LOGGING_CATEGORY(lcDemo, "syncdesk.engine.demo")
Q_LOGGING_CATEGORY(lcSync, "syncdesk.engine.processor")
Q_LOGGING_CATEGORY(lcService, "syncdesk.engine.service")
Q_LOGGING_CATEGORY(lcTasks, "syncdesk.engine.tasks")
Q_LOGGING_CATEGORY(lcAnalyzer, "syncdesk.engine.analyzer")
