#pragma once

#include "core/result.h"
#include "model/mapping.h"

#include <QSqlDatabase>

namespace syncdesk {

// Reads the lookup tables a mapping names (Zammad's ticket_states) into the values of the fields
// that use them, so that the engine translates them as it translates values a side spells its own
// way. Read once at start-up: a state added later is known from the next start on (until then its
// id passes as it is).
class MappingLookups
{
public:
    static Result<Mapping> resolve(const Mapping &mapping, QSqlDatabase backend, QSqlDatabase dashboard);
};

} // namespace syncdesk
