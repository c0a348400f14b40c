#pragma once

#include <QFrame>
#include <QTimer>

class QLabel;
class QToolButton;

namespace syncdesk::ui {

// A line at the top of a page that says what just happened or what went wrong, without a modal box in
// the way. Errors stay until closed; confirmations fade after a few seconds.
class MessageBar : public QFrame
{
    Q_OBJECT

public:
    enum class Kind
    {
        Info,
        Success,
        Error
    };

    explicit MessageBar(QWidget *parent = nullptr);

    void showMessage(Kind kind, const QString &text);
    void showError(const QString &text) { showMessage(Kind::Error, text); }
    void showSuccess(const QString &text) { showMessage(Kind::Success, text); }
    void clear();
    QString text() const;
    Kind kind() const { return m_kind; }

private:
    QLabel *m_label = nullptr;
    QToolButton *m_close = nullptr;
    QTimer m_fade;
    Kind m_kind = Kind::Info;
};

} // namespace syncdesk::ui
