#include "api/apiserverhost.h"

#include "api/apiconfig.h"
#include "api/httpapi.h"

#include <QLoggingCategory>

namespace syncdesk::api {

namespace {
Q_LOGGING_CATEGORY(lcHost, "syncdesk.api.host")
} // namespace

ApiServerHost::ApiServerHost(DataSyncService *engine, std::shared_ptr<ConnectionProvider> backend, SyncSettings settings)
    : m_engine(engine)
    , m_backend(std::move(backend))
    , m_settings(std::move(settings))
{
}

ApiServerHost::~ApiServerHost() = default;

Status ApiServerHost::start()
{
    if (!m_settings.httpEnabled || m_api)
        return Status::success();
    return serve(m_settings);
}

Status ApiServerHost::serve(const SyncSettings &settings)
{
    auto config = ApiConfig::from(settings);
    if (!config)
        return Status::failure(config.error());
    auto server = std::make_unique<HttpApi>(config.value(), m_engine, m_backend);
    if (Status started = server->start(); !started)
        return started;
    m_api = std::move(server);
    return Status::success();
}

Status ApiServerHost::apply(bool enabled, const QString &bind, int port)
{
    SyncSettings wanted = m_settings;
    wanted.httpEnabled = enabled;
    wanted.httpBind = bind.trimmed();
    wanted.httpPort = port;
    if (enabled) {
        // Checked before the running API is touched.
        if (auto config = ApiConfig::from(wanted); !config)
            return Status::failure(config.error());
        if (m_api && wanted.httpBind == m_settings.httpBind && port == m_settings.httpPort) {
            m_settings = wanted;
            return Status::success(); // serving there already
        }
    }
    const bool wasServing = m_api != nullptr;
    m_api.reset(); // frees the port, should the new address reuse it
    if (enabled) {
        if (Status started = serve(wanted); !started) {
            if (wasServing && !serve(m_settings))
                qCWarning(lcHost) << "the REST API could not be restarted at its old address either";
            return started;
        }
        qCInfo(lcHost).noquote() << "the REST API now serves" << m_api->url();
    } else if (wasServing) {
        qCInfo(lcHost) << "the REST API was switched off";
    }
    m_settings = wanted;
    return Status::success();
}

void ApiServerHost::stop()
{
    m_api.reset();
}

QString ApiServerHost::url() const
{
    return m_api ? m_api->url() : QString();
}

} // namespace syncdesk::api
