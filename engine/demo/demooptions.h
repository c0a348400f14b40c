#pragma once

#include <QtGlobal>

namespace syncdesk {

struct DemoOptions
{
    quint32 seed = 42;    // --seed: the same seed gives the same data and the same traffic
    int customers = 300;  // customers to seed
    double rate = 2.0;    // --demo-rate: live changes per second (0: seed only)
    bool history = false; // also the day before (DemoHistory): what `syncdesk --demo` shows from the start
};

} // namespace syncdesk
