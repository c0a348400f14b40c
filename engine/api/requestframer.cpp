#include "api/requestframer.h"

#include <QList>

namespace syncdesk::api {

namespace {

constexpr qsizetype kMaxChunkLine = 4096;

bool isTokenChar(char c)
{
    // RFC 9110 tchar.
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-': case '.':
    case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

bool isFieldValueByte(char c)
{
    const auto byte = static_cast<unsigned char>(c);
    return byte == '\t' || (byte >= 0x20 && byte != 0x7F); // obs-text (0x80-0xFF) included
}

bool isHostChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("-._~%!$&'()*+,;=:[]").contains(c);
}

QByteArray trimmedOws(QByteArrayView value)
{
    qsizetype begin = 0, end = value.size();
    while (begin < end && (value[begin] == ' ' || value[begin] == '\t'))
        ++begin;
    while (end > begin && (value[end - 1] == ' ' || value[end - 1] == '\t'))
        --end;
    return value.sliced(begin, end - begin).toByteArray();
}

ApiError malformed(const QString &what)
{
    return ApiError::badRequest(QStringLiteral("malformed HTTP request: %1").arg(what), QStringLiteral("malformed_request"));
}

} // namespace

RequestFramer::RequestFramer(Limits limits)
    : m_limits(limits)
{
}

std::optional<ApiError> RequestFramer::fail(ApiError error)
{
    m_state = State::Failed;
    m_head.clear();
    return error;
}

std::optional<ApiError> RequestFramer::feed(QByteArrayView data)
{
    qsizetype i = 0;
    const qsizetype n = data.size();
    while (i < n) {
        switch (m_state) {
        case State::Failed:
            return malformed(QStringLiteral("data after an error"));
        case State::Upgraded:
            return std::nullopt; // WebSocket frames from here on: not HTTP
        case State::Body:
        case State::ChunkData: {
            const qint64 take = std::min<qint64>(m_remaining, n - i);
            i += take;
            m_remaining -= take;
            if (m_remaining == 0) {
                if (m_state == State::Body)
                    complete();
                else
                    m_state = State::ChunkEnd;
            }
            break;
        }
        case State::ChunkEnd: {
            const char c = data[i++];
            if (!m_sawCr && c == '\r') {
                m_sawCr = true;
            } else if (m_sawCr && c == '\n') {
                m_sawCr = false;
                m_state = State::ChunkSize;
            } else {
                return fail(malformed(QStringLiteral("chunk data not followed by CRLF")));
            }
            break;
        }
        case State::Idle: {
            // Empty lines before a request are allowed (RFC 9112 section 2.2); they count towards the head.
            const char c = data[i];
            if (c != '\r' && c != '\n') {
                if (m_sawCr)
                    return fail(malformed(QStringLiteral("a bare CR")));
                m_state = State::Head;
                m_current = Head{};
                m_head.clear();
                m_requestLineSeen = false;
                break;
            }
            ++i;
            if (++m_leadingBytes > m_limits.maxHeaderBytes)
                return fail(ApiError::payloadTooLarge(QStringLiteral("too many empty lines"), QStringLiteral("headers_too_large")));
            if (c == '\r' && !m_sawCr)
                m_sawCr = true;
            else if (c == '\n' && m_sawCr)
                m_sawCr = false;
            else
                return fail(malformed(QStringLiteral("a bare CR or LF")));
            break;
        }
        case State::Head:
        case State::ChunkSize:
        case State::Trailer: {
            // Line-oriented: runs of ordinary bytes are taken at once, CR LF pairs checked one by one.
            const qint64 limit = m_state == State::ChunkSize ? kMaxChunkLine : m_limits.maxHeaderBytes;
            qsizetype j = i;
            while (j < n && data[j] != '\r' && data[j] != '\n')
                ++j;
            if (j > i) {
                if (m_sawCr)
                    return fail(malformed(QStringLiteral("a bare CR")));
                // Refused at its first byte: QtHttpServer 6.4 would already run the request on seeing it.
                if (m_state == State::Trailer)
                    return fail(malformed(QStringLiteral("trailer fields after a chunked body are not accepted")));
                // Control characters are never part of a head: binary data, TLS, garbage end here at once.
                // Looked for only up to the first byte over the limit, so that the answer is the same
                // however the bytes were split into packets (the fuzzer found 400 or 413 by split).
                const qsizetype room = std::max<qsizetype>(0, limit - m_head.size());
                for (qsizetype k = i; k < j && k - i <= room; ++k) {
                    if (!isFieldValueByte(data[k]))
                        return fail(malformed(QStringLiteral("control characters in the request head")));
                }
                if (j - i > room) {
                    if (m_state == State::ChunkSize)
                        return fail(malformed(QStringLiteral("a chunk-size line is too long")));
                    return fail(ApiError::payloadTooLarge(
                        QStringLiteral("the request line and headers exceed %1 bytes").arg(m_limits.maxHeaderBytes),
                        QStringLiteral("headers_too_large")));
                }
                m_head.append(data.sliced(i, j - i));
                i = j;
                break;
            }
            const char c = data[i++];
            if (c == '\r' && !m_sawCr) {
                m_sawCr = true;
                break;
            }
            if (c != '\n' || !m_sawCr)
                return fail(malformed(QStringLiteral("a bare CR or LF")));
            m_sawCr = false;
            if (m_head.size() + 2 > limit)
                return fail(ApiError::payloadTooLarge(
                    QStringLiteral("the request line and headers exceed %1 bytes").arg(m_limits.maxHeaderBytes),
                    QStringLiteral("headers_too_large")));
            if (m_state == State::ChunkSize) {
                if (auto problem = parseChunkSize())
                    return problem;
            } else if (m_state == State::Trailer) {
                complete(); // the empty line that ends a chunked body
            } else if (m_head.endsWith("\r\n")) {
                // An empty line after the headers: the head is complete.
                if (auto problem = parseHead())
                    return problem;
            } else {
                if (!m_requestLineSeen)
                    takeRequestLine();
                m_head.append("\r\n");
            }
            break;
        }
        }
    }
    return std::nullopt;
}

void RequestFramer::takeRequestLine()
{
    // Unchecked here (parseHead checks it): only what a refusal of this request reports.
    m_requestLineSeen = true;
    const QList<QByteArray> parts = m_head.split(' ');
    m_current.method = parts.value(0).left(16);
    m_current.target = parts.value(1).left(2048);
}

std::optional<ApiError> RequestFramer::parseHead()
{
    QList<QByteArray> lines = m_head.split('\n');
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    while (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    if (lines.isEmpty())
        return fail(malformed(QStringLiteral("no request line")));

    const QList<QByteArray> parts = lines.constFirst().split(' ');
    if (parts.size() != 3 || parts.at(0).isEmpty() || parts.at(1).isEmpty())
        return fail(malformed(QStringLiteral("the request line is not METHOD TARGET HTTP/1.1")));
    Head head;
    head.method = parts.at(0);
    head.target = parts.at(1);
    if (!std::all_of(head.method.cbegin(), head.method.cend(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        return fail(malformed(QStringLiteral("the method is not an upper-case word")));
    static const QList<QByteArray> methods{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    if (!methods.contains(head.method))
        return fail(ApiError::methodNotAllowed({QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("OPTIONS")}));
    if (!head.target.startsWith('/')
        || !std::all_of(head.target.cbegin(), head.target.cend(), [](char c) { return c > 0x20 && c < 0x7F; }))
        return fail(malformed(QStringLiteral("the target is not a path of visible ASCII characters")));
    for (qsizetype i = 0; i < head.target.size(); ++i) {
        const auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
        if (head.target.at(i) == '%' && (i + 2 >= head.target.size() || !hex(head.target.at(i + 1)) || !hex(head.target.at(i + 2))))
            return fail(malformed(QStringLiteral("a '%' in the target is not followed by two hex digits")));
    }
    if (parts.at(2) == "HTTP/1.0")
        head.http10 = true;
    else if (parts.at(2) != "HTTP/1.1")
        return fail(ApiError::badRequest(QStringLiteral("only HTTP/1.1 and HTTP/1.0 are served"), QStringLiteral("http_version_not_supported")));

    bool hasLength = false, hasHost = false, hasUpgrade = false;
    QByteArray upgradeValue;
    QList<QByteArray> connectionTokens;
    for (qsizetype index = 1; index < lines.size(); ++index) {
        const QByteArray &line = lines.at(index);
        if (line.startsWith(' ') || line.startsWith('\t'))
            return fail(malformed(QStringLiteral("folded header lines are not accepted")));
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !std::all_of(line.cbegin(), line.cbegin() + colon, isTokenChar))
            return fail(malformed(QStringLiteral("a header line is not name: value")));
        if (!std::all_of(line.cbegin() + colon + 1, line.cend(), isFieldValueByte))
            return fail(malformed(QStringLiteral("a header value holds control characters")));
        const QByteArray name = line.left(colon).toLower();
        const QByteArray value = trimmedOws(QByteArrayView(line).sliced(colon + 1));
        if (name == "content-length") {
            if (hasLength || head.chunked)
                return fail(malformed(QStringLiteral("more than one body length")));
            bool ok = false;
            head.contentLength = value.toLongLong(&ok);
            if (!ok || value.isEmpty() || value.size() > 15
                || !std::all_of(value.cbegin(), value.cend(), [](char c) { return c >= '0' && c <= '9'; }))
                return fail(malformed(QStringLiteral("Content-Length is not a number")));
            hasLength = true;
        } else if (name == "transfer-encoding") {
            if (hasLength || head.chunked || head.http10)
                return fail(malformed(QStringLiteral("more than one body length")));
            if (value.toLower() != "chunked")
                return fail(malformed(QStringLiteral("chunked is the only transfer coding accepted")));
            head.chunked = true;
        } else if (name == "connection") {
            for (const QByteArray &token : value.split(','))
                connectionTokens << trimmedOws(token).toLower();
        } else if (name == "upgrade") {
            if (hasUpgrade)
                return fail(malformed(QStringLiteral("more than one Upgrade header")));
            hasUpgrade = true;
            upgradeValue = value.toLower();
        } else if (name == "host") {
            if (hasHost || !std::all_of(value.cbegin(), value.cend(), isHostChar))
                return fail(malformed(QStringLiteral("the Host header is repeated or invalid")));
            hasHost = true;
        } else if (name == "expect") {
            if (value.toLower() != "100-continue")
                return fail(malformed(QStringLiteral("only Expect: 100-continue is understood")));
            head.expectContinue = true;
        }
    }
    if (!head.http10 && !hasHost)
        return fail(malformed(QStringLiteral("HTTP/1.1 requests need a Host header")));
    head.keepAlive = head.http10 ? connectionTokens.contains("keep-alive") : !connectionTokens.contains("close");
    head.upgrade = hasUpgrade && connectionTokens.contains("upgrade");
    if (head.upgrade && (upgradeValue != "websocket" || head.method != "GET" || head.contentLength > 0 || head.chunked))
        return fail(malformed(QStringLiteral("only GET upgrades to websocket without a body are accepted")));
    if (head.contentLength > m_limits.maxBodyBytes)
        return fail(ApiError::payloadTooLarge(QStringLiteral("the body of %1 bytes exceeds %2 bytes")
                                                  .arg(head.contentLength)
                                                  .arg(m_limits.maxBodyBytes),
                                              QStringLiteral("body_too_large")));
    m_current = head;
    m_head.clear();
    if (onHead)
        onHead(m_current);
    if (head.upgrade) {
        if (onComplete)
            onComplete(m_current);
        m_state = State::Upgraded;
    } else if (head.chunked) {
        m_state = State::ChunkSize;
        m_bodyBytes = 0;
    } else if (head.contentLength > 0) {
        m_state = State::Body;
        m_remaining = head.contentLength;
    } else {
        complete();
    }
    return std::nullopt;
}

std::optional<ApiError> RequestFramer::parseChunkSize()
{
    // chunk-size [ ; chunk-ext ]
    const qsizetype semicolon = m_head.indexOf(';');
    const QByteArray digits = trimmedOws(QByteArrayView(m_head).first(semicolon < 0 ? m_head.size() : semicolon));
    const bool hex = !digits.isEmpty() && digits.size() <= 15 && std::all_of(digits.cbegin(), digits.cend(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
    if (!hex || !std::all_of(m_head.cbegin(), m_head.cend(), isFieldValueByte))
        return fail(malformed(QStringLiteral("an invalid chunk size")));
    const qint64 size = digits.toLongLong(nullptr, 16);
    m_head.clear();
    if (size == 0) {
        m_state = State::Trailer;
        return std::nullopt;
    }
    m_bodyBytes += size;
    if (m_bodyBytes > m_limits.maxBodyBytes)
        return fail(ApiError::payloadTooLarge(QStringLiteral("the body exceeds %1 bytes").arg(m_limits.maxBodyBytes),
                                              QStringLiteral("body_too_large")));
    m_state = State::ChunkData;
    m_remaining = size;
    return std::nullopt;
}

void RequestFramer::complete()
{
    m_state = State::Idle;
    m_head.clear();
    m_sawCr = false;
    m_remaining = 0;
    m_bodyBytes = 0;
    m_leadingBytes = 0;
    if (onComplete)
        onComplete(m_current);
}

} // namespace syncdesk::api
