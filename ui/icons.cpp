#include "ui/icons.h"

#include <QHash>

namespace syncdesk::ui {

QIcon Icons::get(const QString &name)
{
    // Rendering an SVG icon is not free: each is built once and shared.
    static QHash<QString, QIcon> cache;
    auto it = cache.find(name);
    if (it == cache.end())
        it = cache.insert(name, QIcon(QStringLiteral(":/icons/%1.svg").arg(name)));
    return it.value();
}

} // namespace syncdesk::ui
