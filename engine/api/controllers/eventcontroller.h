#pragma once

#include "api/controllers/controller.h"

namespace syncdesk::api {

// Captured changes: the most recent ones (filtered), a dead one retried, all dead ones retried. The
// live stream (events/stream) is a WebSocket route of the same resource; a plain GET is told so.
class EventController final : public Controller
{
public:
    using Controller::Controller;
    void addRoutes(Router &router) override;

private:
    ApiResponse recent(const ApiRequest &request) const;
    ApiResponse retry(const ApiRequest &request) const;
    ApiResponse retryDead(const ApiRequest &request) const;
};

} // namespace syncdesk::api
