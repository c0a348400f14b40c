#pragma once

#include "api/controllers/controller.h"

namespace syncdesk::api {

// API keys for admins: list them (never the keys), create one (the key is in this one response
// only), revoke one. The same store backs `syncdesk api-key`.
class ApiKeyController final : public Controller
{
public:
    using Controller::Controller;
    void addRoutes(Router &router) override;

private:
    ApiResponse list(const ApiRequest &request) const;
    ApiResponse create(const ApiRequest &request) const;
    ApiResponse revoke(const ApiRequest &request) const;
};

} // namespace syncdesk::api
