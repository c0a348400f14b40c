#pragma once

#include "api/apiresponse.h"
#include "api/permissions.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>

namespace syncdesk::api {

struct ApiRequest;

// One endpoint: method and path pattern ({name} segments are positive integer ids), what it needs,
// how it is run, and its handler.
struct Route
{
    QByteArray method;
    QString pattern;          // /api/sync/conversations/{conversation_id}/analyze
    QString action;           // conversations.analyze: metrics label and audit action
    Permission permission = Permission::Read;
    bool audited = false;     // changes something: written to sync.audit_log
    bool onHttpThread = false; // answers from memory (status, health, metrics): no worker thread needed
    QStringList queryParameters;
    std::function<ApiResponse(const ApiRequest &)> handler;

    QStringList segments() const;
    QString label() const { return QString::fromLatin1(method) + QLatin1Char(' ') + pattern; }
};

// The REST API's routes and how a path and method find one: literal segments beat parameters (so
// conflicts/resolve is not a conflict id), an existing path with the wrong method is 405 with Allow.
class Router
{
public:
    void add(Route route);
    const QList<Route> &routes() const { return m_routes; }

    struct Match
    {
        enum class Kind { Found, NotFound, MethodNotAllowed };
        Kind kind = Kind::NotFound;
        const Route *route = nullptr;
        QStringList allowed;            // methods of the path
        QMap<QString, QString> params;  // raw parameter segments
        bool publicPath = false;        // a route of this path needs no credentials
    };
    Match match(const QByteArray &method, const QStringList &segments) const;

private:
    QList<Route> m_routes;
    QList<QStringList> m_segments;
};

} // namespace syncdesk::api
