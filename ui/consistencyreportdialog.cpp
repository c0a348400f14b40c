#include "ui/consistencyreportdialog.h"

#include "ui/consistencyreportview.h"

#include <QDialogButtonBox>
#include <QVBoxLayout>

namespace syncdesk::ui {

ConsistencyReportDialog::ConsistencyReportDialog(qint64 runId, bool ok, const QString &summary,
                                                 const QJsonObject &report, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("consistencyReportDialog"));
    setWindowTitle(tr("Consistency check %1").arg(runId));
    setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(this);
    m_view = new ConsistencyReportView(this);
    if (ok)
        m_view->showReport(report);
    else
        m_view->showText(
            tr("<b>The consistency check failed:</b> %1<br>Check the database connection and run it again.")
                .arg(summary.toHtmlEscaped()));
    layout->addWidget(m_view, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(720, 480);
}

} // namespace syncdesk::ui
