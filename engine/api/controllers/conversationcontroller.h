#pragma once

#include "api/controllers/controller.h"

namespace syncdesk::api {

// The product's AI conversations (ids of the backend): analyse one, make a ticket of it, link it to
// a helpdesk ticket (ids of the dashboard). Responses carry both sides' ticket ids.
class ConversationController final : public Controller
{
public:
    using Controller::Controller;
    void addRoutes(Router &router) override;

private:
    ApiResponse analyze(const ApiRequest &request) const;
    ApiResponse createTicket(const ApiRequest &request) const;
    ApiResponse linkTicket(const ApiRequest &request) const;
};

} // namespace syncdesk::api
