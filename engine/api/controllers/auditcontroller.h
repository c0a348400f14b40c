#pragma once

#include "api/controllers/controller.h"

namespace syncdesk::api {

// GET audit: who changed what through the API, newest first, filtered and paged (admins only).
class AuditController final : public Controller
{
public:
    using Controller::Controller;
    void addRoutes(Router &router) override;

private:
    ApiResponse list(const ApiRequest &request) const;
};

} // namespace syncdesk::api
