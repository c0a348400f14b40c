#include "logformat.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace syncdesk::app {

namespace {

bool g_json = false;

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "error";
    case QtFatalMsg:
        return "fatal";
    }
    return "info";
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    // QtHttpServer 6.4 warns for every WebSocket handshake the API refuses (401, 404, ...): a client
    // could fill the log with them. The API logs its own refusals (syncdesk.api.access).
    if (context.category && qstrcmp(context.category, "qt.httpserver") == 0
        && message.startsWith(QLatin1String("WebSocket received but no slots connected")))
        return;
    const QString time = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    const QString category = context.category && qstrcmp(context.category, "default") != 0 ? QString::fromUtf8(context.category)
                                                                                           : QStringLiteral("syncdesk");
    QByteArray line;
    if (g_json) {
        line = QJsonDocument(QJsonObject{{QStringLiteral("time"), time},
                                         {QStringLiteral("level"), QLatin1String(levelName(type))},
                                         {QStringLiteral("category"), category},
                                         {QStringLiteral("message"), message}})
                   .toJson(QJsonDocument::Compact);
    } else {
        line = QStringLiteral("%1 %2 %3: %4").arg(time, QLatin1String(levelName(type)), category, message).toUtf8();
    }
    line += '\n';
    // One write per line, so lines of different threads do not interleave.
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
    if (type == QtFatalMsg)
        std::abort();
}

} // namespace

void LogFormat::install(const QString &format)
{
    g_json = format == QLatin1String("json");
    qInstallMessageHandler(handler);
}

} // namespace syncdesk::app
