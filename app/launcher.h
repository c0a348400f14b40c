#pragma once

namespace syncdesk::app {

// The composition root: reads the command line and configuration, then runs the window, the
// headless service or an admin command. One binary; headless is a run-time choice.
class Launcher
{
public:
    static int run(int argc, char *argv[]);
};

} // namespace syncdesk::app
