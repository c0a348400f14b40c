#include "launcher.h"

int main(int argc, char *argv[])
{
    return syncdesk::app::Launcher::run(argc, argv);
}
