#pragma once

#include <QIcon>
#include <QString>

namespace syncdesk::ui {

// The window's SVG icons, compiled in as resources (:/icons/<name>.svg).
class Icons
{
public:
    static QIcon get(const QString &name);
};

} // namespace syncdesk::ui
