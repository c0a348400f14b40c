#pragma once

#include <QFrame>

class QLabel;

namespace syncdesk::ui {

// One figure on the overview: what it is, its value large, a line of context under it. Clickable when
// there is a page that shows more.
class StatCard : public QFrame
{
    Q_OBJECT

public:
    StatCard(const QString &title, QWidget *parent = nullptr);

    void setValue(const QString &value, const QString &detail = {});
    // Colours the value: normal, warning (orange) or bad (red).
    enum class Tone
    {
        Normal,
        Good,
        Warning,
        Bad
    };
    void setTone(Tone tone);
    QString value() const;
    QString detail() const;

Q_SIGNALS:
    void clicked();

protected:
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    QLabel *m_title = nullptr;
    QLabel *m_value = nullptr;
    QLabel *m_detail = nullptr;
};

} // namespace syncdesk::ui
