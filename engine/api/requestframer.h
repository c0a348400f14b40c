#pragma once

#include "api/apierror.h"

#include <QByteArray>
#include <QByteArrayView>

#include <functional>
#include <optional>

namespace syncdesk::api {

// Finds where each HTTP/1.x request on a connection begins and ends, byte by byte as they arrive,
// before QtHttpServer sees them: QtHttpServer 6.4 keeps a whole request in memory whatever its size,
// and some malformed input leaves its connections open forever. So this is deliberately stricter than
// QtHttpServer's own parser (anything it lets through, QtHttpServer parses the same way): CRLF line
// ends only, no folded headers, one Content-Length, chunked as the only transfer coding, origin-form
// targets of visible ASCII, a Host header on HTTP/1.1, no trailer fields (QtHttpServer 6.4 would run
// the request and then read the trailer as the next one). Over a limit or malformed, it reports an
// ApiError and stays failed; the connection is then answered and closed.
class RequestFramer
{
public:
    struct Limits
    {
        qint64 maxHeaderBytes = 16 * 1024;
        qint64 maxBodyBytes = 1024 * 1024;
    };

    struct Head
    {
        QByteArray method;
        QByteArray target;
        bool http10 = false;
        bool keepAlive = true;
        bool upgrade = false; // a WebSocket handshake: framing stops after it
        bool expectContinue = false;
        bool chunked = false;
        qint64 contentLength = 0;
    };

    explicit RequestFramer(Limits limits);

    // Called when a request's head is complete (before its body) and when its last byte arrived.
    std::function<void(const Head &)> onHead;
    std::function<void(const Head &)> onComplete;

    std::optional<ApiError> feed(QByteArrayView data);

    // Bytes of a request that has not arrived completely are here, the empty lines that may come
    // before a request included (they start its clock like any other byte).
    bool inRequest() const { return m_state != State::Idle || !m_head.isEmpty() || m_leadingBytes > 0 || m_sawCr; }
    // The request being framed: method and target as soon as its request line is complete, the rest
    // once its head is (for refusals that name what was asked).
    const Head &current() const { return m_current; }
    bool upgraded() const { return m_state == State::Upgraded; }
    bool failed() const { return m_state == State::Failed; }

private:
    enum class State
    {
        Idle,      // between requests (empty lines allowed)
        Head,      // request line and headers
        Body,      // Content-Length bytes
        ChunkSize, // chunk-size line
        ChunkData,
        ChunkEnd,  // the CRLF after a chunk's data
        Trailer,   // the empty line after the last chunk (trailer fields are refused)
        Upgraded,
        Failed,
    };

    std::optional<ApiError> fail(ApiError error);
    std::optional<ApiError> parseHead();
    std::optional<ApiError> parseChunkSize();
    void complete();
    void takeRequestLine();

    Limits m_limits;
    State m_state = State::Idle;
    QByteArray m_head;  // the head (or chunk-size line, or trailers) so far
    bool m_sawCr = false;
    qint64 m_remaining = 0;  // body or chunk bytes still to come
    qint64 m_bodyBytes = 0;  // body bytes so far (chunked)
    qint64 m_leadingBytes = 0; // empty lines before the request
    bool m_requestLineSeen = false;
    Head m_current;
};

} // namespace syncdesk::api
