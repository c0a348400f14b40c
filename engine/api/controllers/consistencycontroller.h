#pragma once

#include "api/controllers/controller.h"

namespace syncdesk::api {

// POST consistency-check starts a run on the engine's task thread (202 with its id); GET
// consistency-check/{run_id} shows its progress and, when done, its report.
class ConsistencyController final : public Controller
{
public:
    using Controller::Controller;
    void addRoutes(Router &router) override;

private:
    ApiResponse start(const ApiRequest &request) const;
    ApiResponse run(const ApiRequest &request) const;
};

} // namespace syncdesk::api
