#include "core/logging.h"

Q_LOGGING_CATEGORY(lcConfig, "syncdesk.engine.config", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCluster, "syncdesk.engine.cluster", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDatabase, "syncdesk.engine.database", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSchema, "syncdesk.engine.schema", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDemo, "syncdesk.engine.demo", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSync, "syncdesk.engine.processor", QtInfoMsg)
Q_LOGGING_CATEGORY(lcService, "syncdesk.engine.service", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTasks, "syncdesk.engine.tasks", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAnalyzer, "syncdesk.engine.analyzer", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelay, "syncdesk.engine.relay", QtInfoMsg)
