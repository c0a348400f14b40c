// The CTest fixture of the event relay's tests: `start <state-file>` starts one private NATS server
// with JetStream on a free port for the whole test run; `stop <state-file>` stops it and removes its
// store.
#include "natsserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>

#include <cstdio>

using namespace syncdesk;

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "syncdesk-test-nats: %s\n", qPrintable(message));
    return 1;
}

int start(const QString &stateFile)
{
    // A run that was interrupted left its server behind; stop it first.
    if (Status stopped = test::NatsServer::stopFromState(stateFile); !stopped)
        return fail(stopped.error());
    QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/syncdesk-nats-XXXXXX"));
    if (!dir.isValid())
        return fail(QStringLiteral("cannot create a temporary folder: %1").arg(dir.errorString()));
    dir.setAutoRemove(false);
    test::NatsServer server;
    if (Status started = server.start(dir.path()); !started)
        return fail(started.error());
    if (Status written = server.writeState(stateFile); !written)
        return fail(written.error());
    server.detach();
    std::printf("NATS server with JetStream at %s (pid %lld)\n", qPrintable(server.url()), server.pid());
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    if (arguments.size() != 3 ||
        (arguments.at(1) != QLatin1String("start") && arguments.at(1) != QLatin1String("stop")))
        return fail(QStringLiteral("usage: syncdesk-test-nats start|stop <state-file>"));
    if (arguments.at(1) == QLatin1String("start"))
        return start(arguments.at(2));
    if (Status stopped = test::NatsServer::stopFromState(arguments.at(2)); !stopped)
        return fail(stopped.error());
    std::printf("NATS server stopped\n");
    return 0;
}
