#pragma once

#include "core/result.h"

#include <QString>

namespace syncdesk::ui {

// What the window needs from whoever runs the REST API (the application), so the Settings page can
// switch it on and off and move it without a restart. The tests implement it too.
class ApiServerControl
{
public:
    virtual ~ApiServerControl() = default;

    // Stops, starts or moves the API. On failure the API keeps running as before (or stays off) and
    // the error says why (for example: the port is taken).
    virtual Status applyApiSettings(bool enabled, const QString &bind, int port) = 0;
    // Where the API is served now ("http://127.0.0.1:8000"), or empty when it is off.
    virtual QString apiAddress() const = 0;
};

} // namespace syncdesk::ui
