#pragma once

#include <QByteArray>

namespace syncdesk::api {

// X-Request-Id: every response carries the server's own fresh id (so two unrelated requests never
// share one in the logs or the audit log); a client's own X-Request-Id, when it is a sane token, is
// kept beside it so a caller can still find its request.
class RequestId
{
public:
    static QByteArray generate();
    // The client's id when it is 1 to 64 letters, digits, '-', '_' or '.'; empty otherwise.
    static QByteArray fromClient(const QByteArray &header);
};

} // namespace syncdesk::api
