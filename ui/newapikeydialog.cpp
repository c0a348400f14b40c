#include "ui/newapikeydialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace syncdesk::ui {

NewApiKeyDialog::NewApiKeyDialog(const QString &name, const QString &key, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("newApiKeyDialog"));
    setWindowTitle(tr("New API key"));
    setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(this);
    auto *text =
        new QLabel(tr("The key \"%1\" was created. Copy it now: it is shown only this once, SyncDesk keeps "
                      "only a hash of it. Send it as the header <code>X-API-Key</code>.")
                       .arg(name.toHtmlEscaped()),
                   this);
    text->setWordWrap(true);
    layout->addWidget(text);
    auto *value = new QLineEdit(key, this);
    value->setObjectName(QStringLiteral("newApiKey"));
    value->setReadOnly(true);
    value->selectAll();
    layout->addWidget(value);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this, [key]() { QApplication::clipboard()->setText(key); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
}

} // namespace syncdesk::ui
