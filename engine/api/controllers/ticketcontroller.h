#pragma once

#include "api/controllers/controller.h"

namespace syncdesk::api {

// POST tickets/{ticket_id}/status: a helpdesk ticket's new status, applied to both sides, the linked
// conversations, the activity log and the customer's notifications in one transaction.
class TicketController final : public Controller
{
public:
    using Controller::Controller;
    void addRoutes(Router &router) override;

private:
    ApiResponse changeStatus(const ApiRequest &request) const;
};

} // namespace syncdesk::api
