#pragma once

#include "config/databaseurl.h"
#include "core/result.h"

#include <QString>

namespace syncdesk::test {

// The throw-away PostgreSQL cluster of one test run, started by the CTest fixture
// (syncdesk-test-cluster start) and described by a small state file whose path the tests get in
// SYNCDESK_TEST_STATE.
struct TestCluster
{
    QString dataDir;
    DatabaseUrl adminUrl;     // the "postgres" database, for CREATE/DROP DATABASE
    QString templateDatabase; // migrated; each test case gets a copy

    static constexpr const char *stateVariable = "SYNCDESK_TEST_STATE";
    static Result<TestCluster> fromEnvironment();
    static Result<TestCluster> read(const QString &stateFile);
    Status write(const QString &stateFile) const;
};

} // namespace syncdesk::test
