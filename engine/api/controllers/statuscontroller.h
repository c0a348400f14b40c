#pragma once

#include "api/controllers/controller.h"

namespace syncdesk::api {

// GET status, health and metrics: answered from the engine's state on the HTTP thread, no query.
class StatusController final : public Controller
{
public:
    using Controller::Controller;
    void addRoutes(Router &router) override;

private:
    ApiResponse status(const ApiRequest &request) const;
    ApiResponse health(const ApiRequest &request) const;
    ApiResponse metrics(const ApiRequest &request) const;
};

} // namespace syncdesk::api
