#include "apicommands.h"

#include "api/jwtcodec.h"
#include "auth/apikeystore.h"
#include "database/connectionprovider.h"
#include "schema/databasebootstrap.h"

#include <QCommandLineParser>
#include <QDateTime>

#include <cstdio>
#include <unistd.h>

namespace syncdesk::app {

namespace {

enum ExitCode { Success = 0, Failure = 1, UsageError = 2 };

constexpr qint64 kMaxTokenTtl = 366LL * 24 * 3600;

void printError(const QString &message)
{
    std::fprintf(stderr, "syncdesk: %s\n", qPrintable(message));
}

QString who()
{
    const QByteArray user = qgetenv("USER");
    return QStringLiteral("cli:%1").arg(user.isEmpty() ? QString::number(::getuid()) : QString::fromLocal8Bit(user));
}

QString shown(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QStringLiteral("-");
}

} // namespace

void ApiCommands::addOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("name"), QStringLiteral("api-key create: the key's name (unique)."), QStringLiteral("name")});
    parser.addOption({QStringLiteral("role"), QStringLiteral("api-key create, token: viewer, agent or admin."), QStringLiteral("role")});
    parser.addOption({QStringLiteral("subject"), QStringLiteral("token: who the token stands for (its sub claim)."),
                      QStringLiteral("subject")});
    parser.addOption({QStringLiteral("ttl"), QStringLiteral("token: seconds the token is valid (default 3600)."),
                      QStringLiteral("seconds")});
}

int ApiCommands::runApiKey(const QCommandLineParser &parser, const QStringList &arguments, const SyncSettings &settings)
{
    const QString action = arguments.value(0);
    if (action != QLatin1String("create") && action != QLatin1String("list") && action != QLatin1String("revoke")) {
        printError(QStringLiteral("api-key needs create, list or revoke (e.g. syncdesk api-key create --name ci --role viewer)"));
        return UsageError;
    }
    std::optional<Role> role;
    if (action == QLatin1String("create")) {
        role = roleFromName(parser.value(QStringLiteral("role")));
        if (!parser.isSet(QStringLiteral("name")) || !role) {
            printError(QStringLiteral("api-key create needs --name NAME and --role viewer|agent|admin"));
            return UsageError;
        }
    }
    if (action == QLatin1String("revoke") && arguments.size() != 2) {
        printError(QStringLiteral("api-key revoke needs the key's id or name"));
        return UsageError;
    }
    if (arguments.size() > (action == QLatin1String("revoke") ? 2 : 1)) {
        printError(QStringLiteral("unexpected arguments: %1").arg(arguments.mid(1).join(QLatin1Char(' '))));
        return UsageError;
    }

    DatabaseBootstrap bootstrap(settings);
    if (Status started = bootstrap.start(); !started) {
        printError(started.error());
        return Failure;
    }
    int code = Success;
    {
        ApiKeyStore store(std::make_shared<ConnectionProvider>(bootstrap.backendUrl(), QStringLiteral("api-key")));
        if (action == QLatin1String("create")) {
            auto created = store.create(parser.value(QStringLiteral("name")), *role, who());
            if (!created) {
                printError(created.error());
                code = Failure;
            } else {
                // The key alone on stdout (scripts capture it); the words around it on stderr.
                std::fprintf(stderr, "API key '%s' (%s, id %lld) created. It is shown this once; store it now:\n",
                             qPrintable(created->info.name), qPrintable(roleName(created->info.role)), created->info.id);
                std::printf("%s\n", qPrintable(created->key));
            }
        } else if (action == QLatin1String("list")) {
            auto keys = store.list();
            if (!keys) {
                printError(keys.error());
                code = Failure;
            } else {
                std::printf("%-6s %-24s %-14s %-7s %-17s %-17s %s\n", "ID", "NAME", "PREFIX", "ROLE", "CREATED", "LAST USED", "REVOKED");
                for (const ApiKeyInfo &key : keys.value())
                    std::printf("%-6lld %-24s %-14s %-7s %-17s %-17s %s\n", key.id, qPrintable(key.name), qPrintable(key.prefix + QStringLiteral("…")),
                                qPrintable(roleName(key.role)), qPrintable(shown(key.createdAt)), qPrintable(shown(key.lastUsedAt)),
                                qPrintable(shown(key.revokedAt)));
            }
        } else {
            auto revoked = store.revoke(arguments.at(1));
            if (!revoked) {
                printError(revoked.error());
                code = Failure;
            } else {
                std::printf("API key '%s' (id %lld) revoked.\n", qPrintable(revoked->name), revoked->id);
            }
        }
    }
    bootstrap.stop();
    return code;
}

int ApiCommands::runToken(const QCommandLineParser &parser, const SyncSettings &settings)
{
    const QString subject = parser.value(QStringLiteral("subject")).trimmed();
    const auto role = roleFromName(parser.value(QStringLiteral("role")));
    if (subject.isEmpty() || subject.size() > 200 || !role) {
        printError(QStringLiteral("token needs --subject NAME and --role viewer|agent|admin"));
        return UsageError;
    }
    qint64 ttl = 3600;
    if (parser.isSet(QStringLiteral("ttl"))) {
        bool ok = false;
        ttl = parser.value(QStringLiteral("ttl")).toLongLong(&ok);
        if (!ok || ttl < 1 || ttl > kMaxTokenTtl) {
            printError(QStringLiteral("--ttl '%1' is not a number of seconds from 1 to %2").arg(parser.value(QStringLiteral("ttl"))).arg(kMaxTokenTtl));
            return UsageError;
        }
    }
    api::JwtCodec codec({settings.jwtSecret, settings.jwtIssuer, settings.jwtAudience, settings.jwtLeewaySeconds});
    auto token = codec.sign(subject, *role, ttl, QDateTime::currentSecsSinceEpoch());
    if (!token) {
        printError(token.error());
        return Failure;
    }
    std::printf("%s\n", token->constData());
    return Success;
}

} // namespace syncdesk::app
