#pragma once

#include <QSortFilterProxyModel>

namespace syncdesk::ui {

class LiveEventModel;

// The live view's filters: where a change came from, which entity, which state, and free text. Reads
// the prepared rows directly rather than going through data() and QVariant for every test.
class LiveEventFilter : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit LiveEventFilter(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;
    // Empty strings accept everything.
    void setSide(const QString &side);
    void setEntity(const QString &entity);
    void setStatus(const QString &status);
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    LiveEventModel *m_events = nullptr;
    QString m_side;
    QString m_entity;
    QString m_status;
    QString m_text;
};

} // namespace syncdesk::ui
