#pragma once

#include "api/controllers/controller.h"

namespace syncdesk::api {

// GET (or POST) users/{user_id}/sync: reconciles a product user with its helpdesk customer now.
class UserController final : public Controller
{
public:
    using Controller::Controller;
    void addRoutes(Router &router) override;

private:
    ApiResponse sync(const ApiRequest &request) const;
};

} // namespace syncdesk::api
