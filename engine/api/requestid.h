#pragma once

#include <QByteArray>

namespace syncdesk::api {

// X-Request-Id: the client's own when it is a sane token (so a caller can follow its request through
// the logs and the audit log), otherwise a fresh random one.
class RequestId
{
public:
    static QByteArray generate();
    static QByteArray fromClient(const QByteArray &header);
};

} // namespace syncdesk::api
