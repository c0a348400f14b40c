// The REST API's request bodies and query strings, through the real routes and handlers
// (engine/api/controllers). The first input byte picks the route; the rest is its JSON body (POST) or
// its query string (GET). There is no engine and no reachable database here: a request that passes
// its handler's checks ends in 503 at the engine or the database, which is fine. A request may end in
// any ApiError; anything else escaping a handler (or a crash) is a bug.
#include "api/apiconfig.h"
#include "api/apicontext.h"
#include "api/apimetrics.h"
#include "api/apirequest.h"
#include "api/apiserver.h"
#include "api/auditlog.h"
#include "auth/apiaccess.h"
#include "auth/apikeystore.h"
#include "database/connectionprovider.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QRegularExpression>

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <memory>

using namespace syncdesk;
using namespace syncdesk::api;

namespace {

ApiServer &server()
{
    static int argc = 1;
    static char name[] = "fuzz_requestbodies";
    static char *argv[] = {name, nullptr};
    static QCoreApplication application(argc, argv);
    static ApiServer *instance = [] {
        QLoggingCategory::setFilterRules(QStringLiteral("*=false"));
        // A database that is not there: a socket folder that does not exist fails at once.
        const auto url = DatabaseUrl::forSocket(QStringLiteral("/nonexistent/syncdesk-fuzz"), 5432, QStringLiteral("fuzz"),
                                                QStringLiteral("fuzz"));
        ApiContext context;
        context.backend = std::make_shared<ConnectionProvider>(url, QStringLiteral("fuzz"));
        context.bookkeeping = context.backend;
        context.keys = std::make_shared<ApiKeyStore>(context.backend);
        context.access = std::make_shared<ApiAccess>(context.backend);
        context.audit = std::make_shared<AuditLog>(context.backend);
        context.metrics = std::make_shared<ApiMetrics>();
        return new ApiServer(context);
    }();
    return *instance;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QList<Route> &routes = server().router().routes();
    const Route &route = routes.at(data[0] % routes.size());
    const QByteArray input(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    ApiRequest request;
    request.method = route.method;
    request.route = &route;
    request.principal = Principal{Principal::Kind::Token, QStringLiteral("fuzz"), Role::Admin, 0};
    request.client = QStringLiteral("127.0.0.1");
    static const QRegularExpression parameter(QStringLiteral("\\{([a-z_]+)\\}"));
    for (auto match = parameter.globalMatch(route.pattern); match.hasNext();)
        request.ids.insert(match.next().captured(1), 1);
    if (route.method == "GET") {
        const auto query = ApiRequest::decodeQuery(input);
        if (!query)
            return 0;
        request.query = *query;
    } else {
        request.body = input;
    }
    try {
        (void)route.handler(request);
    } catch (const ApiError &) {
        // Every way a request can fail is an ApiError.
    } catch (const std::exception &) {
        std::abort();
    }
    return 0;
}
