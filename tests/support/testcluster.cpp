#include "testcluster.h"

#include <QFileInfo>
#include <QSettings>

namespace syncdesk::test {

Result<TestCluster> TestCluster::fromEnvironment()
{
    const QString stateFile = qEnvironmentVariable(stateVariable);
    if (stateFile.isEmpty())
        return Result<TestCluster>::failure(
            QStringLiteral(
                "%1 is not set: run the tests through ctest, whose fixture starts the test cluster")
                .arg(QLatin1String(stateVariable)));
    return read(stateFile);
}

Result<TestCluster> TestCluster::read(const QString &stateFile)
{
    if (!QFileInfo::exists(stateFile))
        return Result<TestCluster>::failure(
            QStringLiteral("no test cluster state in %1 (did the cluster fixture run?)").arg(stateFile));
    QSettings state(stateFile, QSettings::IniFormat);
    TestCluster cluster;
    cluster.dataDir = state.value(QStringLiteral("dataDir")).toString();
    cluster.templateDatabase = state.value(QStringLiteral("templateDatabase")).toString();
    auto url = DatabaseUrl::parse(state.value(QStringLiteral("adminUrl")).toString());
    if (!url)
        return Result<TestCluster>::failure(url.error());
    cluster.adminUrl = url.value();
    return Result<TestCluster>::success(cluster);
}

Status TestCluster::write(const QString &stateFile) const
{
    QSettings state(stateFile, QSettings::IniFormat);
    state.setValue(QStringLiteral("dataDir"), dataDir);
    state.setValue(QStringLiteral("templateDatabase"), templateDatabase);
    state.setValue(QStringLiteral("adminUrl"), adminUrl.toString());
    state.sync();
    return state.status() == QSettings::NoError
               ? Status::success()
               : Status::failure(QStringLiteral("cannot write %1").arg(stateFile));
}

} // namespace syncdesk::test
