#pragma once

#include "ui/backgroundrunner.h"
#include "ui/uicontext.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace syncdesk::ui {

class JsonTableModel;

// The REST API's keys: list, create (the key is shown once, then only its hash is kept), revoke.
// Works through the engine's ApiKeyStore on the window's workers.
class ApiKeysPanel : public QWidget
{
    Q_OBJECT

public:
    ApiKeysPanel(const UiContext &context, BackgroundRunner *runner, QWidget *parent = nullptr);

    void reload();
    void create(const QString &name, const QString &role);
    void revoke(qint64 id);
    JsonTableModel *model() const { return m_model; }

Q_SIGNALS:
    void created(const QString &name, const QString &key);
    void failed(const QString &message);
    void changed(const QString &message);

private:
    UiContext m_context;
    BackgroundRunner *m_runner;
    JsonTableModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_role = nullptr;
    QPushButton *m_create = nullptr;
    QPushButton *m_revoke = nullptr;
};

} // namespace syncdesk::ui
