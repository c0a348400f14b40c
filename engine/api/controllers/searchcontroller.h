#pragma once

#include "api/controllers/controller.h"

namespace syncdesk::api {

// GET search?q=: one ranked search over customers of both sides, tickets, conversations and messages.
class SearchController final : public Controller
{
public:
    using Controller::Controller;
    void addRoutes(Router &router) override;

private:
    ApiResponse search(const ApiRequest &request) const;
};

} // namespace syncdesk::api
