#include "ui/tableviews.h"

#include <QHeaderView>
#include <QTableView>

namespace syncdesk::ui {

void TableViews::setUp(QTableView *view, bool multiSelection)
{
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(multiSelection ? QAbstractItemView::ExtendedSelection
                                          : QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setWordWrap(false);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setHighlightSections(false);
}

void TableViews::fitColumns(QTableView *view, int maxWidth)
{
    view->resizeColumnsToContents();
    for (int column = 0; column < view->horizontalHeader()->count(); ++column) {
        if (view->columnWidth(column) > maxWidth)
            view->setColumnWidth(column, maxWidth);
    }
}

} // namespace syncdesk::ui
