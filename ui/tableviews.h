#pragma once

class QTableView;

namespace syncdesk::ui {

// The window's tables look and behave alike: whole rows selected, compact fixed row heights (no
// measuring of rows, which thousands of rows would make slow), no editing in place.
class TableViews
{
public:
    static void setUp(QTableView *view, bool multiSelection = false);
    // Columns as wide as their content, none wider than `maxWidth`; once, after the first rows arrived.
    static void fitColumns(QTableView *view, int maxWidth = 320);
};

} // namespace syncdesk::ui
