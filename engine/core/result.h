#pragma once

#include <QString>
#include <QtGlobal>

#include <optional>
#include <utility>

namespace syncdesk {

// A value or a one-line, user-facing error message. Errors in SyncDesk are messages meant for a
// person (an admin reading stderr, a message box), so the error side is deliberately just text.
template<typename T>
class Result
{
public:
    static Result success(T value) { return Result(std::move(value), QString()); }
    static Result failure(QString message) { return Result(std::nullopt, std::move(message)); }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    // Reading the value of a failure is a programming error: stop loudly instead of reading garbage.
    const T &value() const &
    {
        check();
        return *m_value;
    }
    T &value() &
    {
        check();
        return *m_value;
    }
    T &&value() &&
    {
        check();
        return std::move(*m_value);
    }
    const T *operator->() const
    {
        check();
        return &*m_value;
    }
    const QString &error() const { return m_error; }

private:
    void check() const
    {
        if (!m_value)
            qFatal("Result::value() called on a failure: %s", qPrintable(m_error));
    }

    Result(std::optional<T> value, QString error)
        : m_value(std::move(value))
        , m_error(std::move(error))
    {}

    std::optional<T> m_value;
    QString m_error;
};

// Result<void>: success or an error message.
template<>
class Result<void>
{
public:
    static Result success() { return Result(QString(), true); }
    static Result failure(QString message) { return Result(std::move(message), false); }

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const QString &error() const { return m_error; }

private:
    Result(QString error, bool ok)
        : m_error(std::move(error))
        , m_ok(ok)
    {}

    QString m_error;
    bool m_ok;
};

using Status = Result<void>;

} // namespace syncdesk
