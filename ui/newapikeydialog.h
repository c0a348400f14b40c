#pragma once

#include <QDialog>

namespace syncdesk::ui {

// Shows a new API key once: SyncDesk keeps only its hash, so this is the only time anyone sees it.
class NewApiKeyDialog : public QDialog
{
    Q_OBJECT

public:
    NewApiKeyDialog(const QString &name, const QString &key, QWidget *parent = nullptr);
};

} // namespace syncdesk::ui
