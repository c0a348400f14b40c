#pragma once

#include "config/syncsettings.h"
#include "model/conflictpolicy.h"
#include "sync/conversationanalysishandler.h"

#include <QStringList>

namespace syncdesk {

// The part of the configuration the sync engine itself runs on.
struct EngineOptions
{
    int workers = 2;
    int batchSize = 1000;
    int maxAttempts = 8;
    int pollIntervalMs = 5000;
    int leaseSeconds = 60;
    int healthIntervalMs = 2000;
    DeletePolicy deletes = DeletePolicy::Review;
    QStringList conflictRules;
    double consistencyCheckIntervalHours = 1.0;
    double eventCleanupIntervalHours = 6.0;
    int retentionDays = 7;
    int auditRetentionDays = 90;
    bool backgroundTasks = true;
    bool analyzeConversations = true;
    // Plain one-sided field edits of linked customers applied in SQL (PlainChangeCopier); off only
    // to compare with the full reconciliation (tests, benchmarks).
    bool copyPlainChangesInSql = true;
    AutoTicketing autoTicketing;
    RelaySettings relay; // the event relay to NATS JetStream; off without a URL
    std::shared_ptr<const Mapping> mapping = Mapping::builtInShared(); // the tables and fields kept in sync

    static EngineOptions from(const SyncSettings &settings)
    {
        EngineOptions options;
        options.workers = settings.workers;
        options.batchSize = settings.batchSize;
        options.maxAttempts = settings.maxAttempts;
        options.pollIntervalMs = int(settings.pollIntervalSeconds * 1000);
        options.leaseSeconds = settings.leaseSeconds;
        options.deletes = settings.propagateDeletes ? DeletePolicy::Propagate : DeletePolicy::Review;
        options.conflictRules = settings.conflictRules;
        options.consistencyCheckIntervalHours = settings.consistencyCheckIntervalHours;
        options.eventCleanupIntervalHours = settings.eventCleanupIntervalHours;
        options.retentionDays = settings.retentionDays;
        options.auditRetentionDays = settings.auditRetentionDays;
        options.autoTicketing.threshold = settings.autoTicketThreshold;
        options.autoTicketing.createTickets = settings.autoCreateTickets;
        options.autoTicketing.debounceMs = int(settings.analysisDebounceSeconds * 1000);
        options.relay = settings.relay;
        options.mapping = settings.mapping;
        return options;
    }
};

} // namespace syncdesk
