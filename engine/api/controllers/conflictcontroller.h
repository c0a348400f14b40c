#pragma once

#include "api/controllers/controller.h"

namespace syncdesk::api {

// Conflicts the engine left to a person: list (filtered, paged, with the total), one, settle one,
// settle all that match a rule.
class ConflictController final : public Controller
{
public:
    using Controller::Controller;
    void addRoutes(Router &router) override;

private:
    ApiResponse list(const ApiRequest &request) const;
    ApiResponse get(const ApiRequest &request) const;
    ApiResponse resolve(const ApiRequest &request) const;
    ApiResponse resolveAll(const ApiRequest &request) const;
};

} // namespace syncdesk::api
