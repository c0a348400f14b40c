#include "api/router.h"

namespace syncdesk::api {

QStringList Route::segments() const
{
    return pattern.split(QLatin1Char('/')).mid(1);
}

void Router::add(Route route)
{
    m_segments << route.segments();
    m_routes << std::move(route);
}

Router::Match Router::match(const QByteArray &method, const QStringList &segments) const
{
    Match result;
    int bestLiterals = -1;
    QList<qsizetype> candidates;
    for (qsizetype i = 0; i < m_routes.size(); ++i) {
        const QStringList &pattern = m_segments.at(i);
        if (pattern.size() != segments.size())
            continue;
        int literals = 0;
        bool fits = true;
        for (qsizetype s = 0; s < pattern.size() && fits; ++s) {
            const QString &part = pattern.at(s);
            if (part.startsWith(QLatin1Char('{')))
                fits = !segments.at(s).isEmpty();
            else if (part == segments.at(s))
                ++literals;
            else
                fits = false;
        }
        if (!fits || literals < bestLiterals)
            continue;
        if (literals > bestLiterals) {
            bestLiterals = literals;
            candidates.clear();
        }
        candidates << i;
    }
    if (candidates.isEmpty())
        return result;
    for (qsizetype i : std::as_const(candidates)) {
        const Route &route = m_routes.at(i);
        if (!result.allowed.contains(QString::fromLatin1(route.method)))
            result.allowed << QString::fromLatin1(route.method);
        result.publicPath = result.publicPath || route.permission == Permission::Public;
        if (route.method != method)
            continue;
        result.kind = Match::Kind::Found;
        result.route = &route;
        const QStringList &pattern = m_segments.at(i);
        for (qsizetype s = 0; s < pattern.size(); ++s) {
            if (pattern.at(s).startsWith(QLatin1Char('{')))
                result.params.insert(pattern.at(s).mid(1, pattern.at(s).size() - 2), segments.at(s));
        }
    }
    if (!result.route)
        result.kind = Match::Kind::MethodNotAllowed;
    return result;
}

} // namespace syncdesk::api
