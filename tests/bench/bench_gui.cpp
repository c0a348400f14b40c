// GUI responsiveness under load: 5,000 engine events per second, delivered as the engine delivers them
// (batches at most ten times a second, queued from another thread), into the Live events page shown
// on screen (offscreen platform, so it really paints), following the newest event, for 30 s.
//
// Measures the GUI thread's longest stall with a heartbeat: a 5 ms timer on the GUI thread records the
// gap between its ticks; anything above 5 ms is time the GUI thread could not react. Also the p99 and
// p999 gap, the resident memory every 5 s (the ring holds 50,000 events: memory must stay flat once
// full), and the time the page needs per batch.
//
// Usage: bench_gui [--seconds 30] [--rate 5000] [--filter TEXT] [--follow|--no-follow]
// Exit code 1 when the longest stall is 50 ms or more.
#include "ui/liveeventfilter.h"
#include "ui/liveeventmodel.h"
#include "ui/liveeventspage.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTableView>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace syncdesk;
using namespace syncdesk::ui;

namespace {

// Resident set size in MiB, from /proc.
double residentMiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return -1;
}

// Produces what the engine would: a mix of synced records (with before/after images), conflicts,
// ticket status changes, analyses and now and then a failed or dead change.
class Generator : public QObject
{
    Q_OBJECT

public:
    Generator(int perSecond)
        : m_perBatch(std::max(1, perSecond / 10))
    {}

    void start()
    {
        m_timer = new QTimer(this);
        m_timer->setTimerType(Qt::PreciseTimer);
        m_timer->setInterval(100);
        connect(m_timer, &QTimer::timeout, this, &Generator::emitBatch);
        m_timer->start();
    }
    void stop() { m_timer->stop(); }

Q_SIGNALS:
    void batch(const syncdesk::LiveEvents &events);

private:
    void emitBatch()
    {
        LiveEvents events;
        events.reserve(m_perBatch);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < m_perBatch; ++i) {
            const qint64 n = ++m_sequence;
            const int pick = int(m_random.bounded(100));
            if (pick < 80) {
                const bool fromBackend = m_random.bounded(2) == 0;
                const QJsonObject before{
                    {QStringLiteral("email"), QStringLiteral("user%1@example.com").arg(n % 100000)},
                    {QStringLiteral("name"), QStringLiteral("Customer %1").arg(n % 100000)},
                    {QStringLiteral("phone"), QStringLiteral("+49 30 %1").arg(n % 9999999)},
                    {QStringLiteral("company"), QStringLiteral("Company %1").arg(n % 977)},
                    {QStringLiteral("locale"), QStringLiteral("de")},
                    {QStringLiteral("tags"), QJsonArray{QStringLiteral("vip")}}};
                QJsonObject after = before;
                after.insert(QStringLiteral("phone"), QStringLiteral("+49 30 %1").arg((n * 7) % 9999999));
                events << LiveEvent{
                    QStringLiteral("record_synced"), now,
                    QJsonObject{{QStringLiteral("entity"), QStringLiteral("customer")},
                                {QStringLiteral("action"), QStringLiteral("updated")},
                                {QStringLiteral("link_id"), n},
                                {QStringLiteral("backend_id"), n % 100000},
                                {QStringLiteral("dashboard_id"), n % 100000 + 7},
                                {QStringLiteral("changed_on"),
                                 fromBackend ? QStringLiteral("backend") : QStringLiteral("dashboard")},
                                {QStringLiteral("to_dashboard"),
                                 fromBackend ? QJsonArray{QStringLiteral("phone")} : QJsonArray{}},
                                {QStringLiteral("to_backend"),
                                 fromBackend ? QJsonArray{} : QJsonArray{QStringLiteral("phone")}},
                                {QStringLiteral("before"), before},
                                {QStringLiteral("after"), after},
                                {QStringLiteral("event_ids"), QJsonArray{n}}}};
            } else if (pick < 88) {
                events << LiveEvent{
                    QStringLiteral("ticket_status"), now,
                    QJsonObject{{QStringLiteral("dashboard_ticket_id"), n % 50000},
                                {QStringLiteral("backend_ticket_id"), n % 50000 + 3},
                                {QStringLiteral("subject"), QStringLiteral("Refund for order %1").arg(n)},
                                {QStringLiteral("old_status"), QStringLiteral("open")},
                                {QStringLiteral("new_status"), QStringLiteral("resolved")},
                                {QStringLiteral("origin"), QStringLiteral("the helpdesk")}}};
            } else if (pick < 95) {
                events << LiveEvent{QStringLiteral("analysis"), now,
                                    QJsonObject{{QStringLiteral("conversation_id"), n},
                                                {QStringLiteral("result"), QStringLiteral("create_ticket")},
                                                {QStringLiteral("confidence"), 0.83},
                                                {QStringLiteral("category"), QStringLiteral("refund")}}};
            } else if (pick < 98) {
                events << LiveEvent{QStringLiteral("conflict"), now,
                                    QJsonObject{{QStringLiteral("entity"), QStringLiteral("customer")},
                                                {QStringLiteral("backend_id"), n % 100000},
                                                {QStringLiteral("dashboard_id"), n % 100000 + 7},
                                                {QStringLiteral("field"), QStringLiteral("phone")},
                                                {QStringLiteral("strategy"), QStringLiteral("manual_review")},
                                                {QStringLiteral("status"), QStringLiteral("open")}}};
            } else {
                events << LiveEvent{
                    pick == 99 ? QStringLiteral("event_dead") : QStringLiteral("event_failed"), now,
                    QJsonObject{{QStringLiteral("event_id"), n},
                                {QStringLiteral("side"), QStringLiteral("dashboard")},
                                {QStringLiteral("entity"), QStringLiteral("customer")},
                                {QStringLiteral("entity_id"), n % 100000},
                                {QStringLiteral("attempts"), 8},
                                {QStringLiteral("error"),
                                 QStringLiteral("value too long for type character varying(20)")}}};
            }
        }
        Q_EMIT batch(events);
    }

    int m_perBatch;
    qint64 m_sequence = 0;
    QTimer *m_timer = nullptr;
    QRandomGenerator m_random{42};
};

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption(
        {QStringLiteral("seconds"), QStringLiteral("Duration."), QStringLiteral("s"), QStringLiteral("30")});
    parser.addOption({QStringLiteral("rate"), QStringLiteral("Events per second."), QStringLiteral("n"),
                      QStringLiteral("5000")});
    parser.addOption(
        {QStringLiteral("filter"), QStringLiteral("A text filter to keep on."), QStringLiteral("text")});
    parser.addOption({QStringLiteral("no-follow"),
                      QStringLiteral("Do not follow the newest event (scrolled down, reading).")});
    parser.addHelpOption();
    parser.process(app);
    const int seconds = parser.value(QStringLiteral("seconds")).toInt();
    const int rate = parser.value(QStringLiteral("rate")).toInt();
    qRegisterMetaType<syncdesk::LiveEvents>();

    // The page as the window has it, with no engine and no database: the benchmark feeds it.
    UiContext context;
    BackgroundRunner runner;
    LiveEventsPage page(context, &runner);
    page.resize(1280, 800);
    page.show();
    if (parser.isSet(QStringLiteral("filter")))
        page.filter()->setText(parser.value(QStringLiteral("filter")));

    QThread producerThread;
    auto *generator = new Generator(rate);
    generator->moveToThread(&producerThread);
    QObject::connect(&producerThread, &QThread::finished, generator, &QObject::deleteLater);
    qint64 batchNs = 0;
    qint64 batchMaxNs = 0;
    int batches = 0;
    QObject::connect(generator, &Generator::batch, &page, [&](const LiveEvents &events) {
        QElapsedTimer t;
        t.start();
        page.addEvents(events);
        const qint64 ns = t.nsecsElapsed();
        batchNs += ns;
        batchMaxNs = std::max(batchMaxNs, ns);
        ++batches;
    });

    // Heartbeat: the gaps between ticks of a 5 ms timer on the GUI thread.
    QList<double> gaps;
    gaps.reserve(seconds * 220);
    QElapsedTimer clock;
    qint64 last = -1;
    QTimer heartbeat;
    heartbeat.setTimerType(Qt::PreciseTimer);
    heartbeat.setInterval(5);
    QObject::connect(&heartbeat, &QTimer::timeout, &app, [&]() {
        const qint64 now = clock.nsecsElapsed();
        if (last >= 0)
            gaps.append(double(now - last) / 1e6);
        last = now;
    });

    QList<QPair<int, double>> memory;
    QTimer sampler;
    sampler.setInterval(5000);
    int elapsedSeconds = 0;
    QObject::connect(&sampler, &QTimer::timeout, &app, [&]() {
        elapsedSeconds += 5;
        memory.append({elapsedSeconds, residentMiB()});
    });

    if (parser.isSet(QStringLiteral("no-follow"))) {
        page.setFollowing(false);
        // Someone reading a little way down the list.
        QTimer::singleShot(1000, &page, [&page]() { page.table()->scrollTo(page.filter()->index(200, 0)); });
    }
    const double startMiB = residentMiB();
    clock.start();
    heartbeat.start();
    sampler.start();
    producerThread.start();
    QMetaObject::invokeMethod(generator, &Generator::start, Qt::QueuedConnection);
    QTimer::singleShot(seconds * 1000, &app, [&]() {
        QMetaObject::invokeMethod(generator, &Generator::stop, Qt::BlockingQueuedConnection);
        app.quit();
    });
    app.exec();
    producerThread.quit();
    producerThread.wait();

    std::sort(gaps.begin(), gaps.end());
    const auto percentile = [&](double p) {
        return gaps.isEmpty() ? 0.0
                              : gaps.at(std::min<qsizetype>(gaps.size() - 1, qsizetype(p * gaps.size())));
    };
    const double longest = gaps.isEmpty() ? 0.0 : gaps.constLast();
    std::printf("events: %lld received in %d s (%d/s asked), %d kept, %d shown\n",
                qlonglong(page.model()->received()), seconds, rate, page.model()->rowCount(),
                page.filter()->rowCount());
    std::printf("heartbeat gap (5 ms timer): p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, longest %.1f ms -> "
                "longest stall %.1f ms\n",
                percentile(0.5), percentile(0.99), percentile(0.999), longest, std::max(0.0, longest - 5.0));
    std::printf("page per batch of %d: mean %.2f ms, longest %.2f ms (%d batches)\n", rate / 10,
                batches ? double(batchNs) / batches / 1e6 : 0.0, double(batchMaxNs) / 1e6, batches);
    std::printf("resident memory: %.0f MiB at start", startMiB);
    for (const auto &[at, mib] : memory)
        std::printf(", %.0f MiB at %d s", mib, at);
    std::printf("\n");
    const bool ok = longest - 5.0 < 50.0;
    std::printf("%s: longest stall %s 50 ms\n", ok ? "PASS" : "FAIL", ok ? "under" : "not under");
    return ok ? 0 : 1;
}

#include "bench_gui.moc"
