// POST /api/sync/tickets/{id}/status under load, end to end: each request changes one helpdesk ticket's
// status (spread over the given tickets, so requests do not queue behind one row lock), which the
// server applies to both sides, the linked conversations, the activity log and the notifications.
// Usage: node bench-ticket-status.mjs --url http://127.0.0.1:8000 --tickets 1,2,3 [--connections 16]
//        [--duration 20] [--header 'Authorization: Bearer ...']   Prints autocannon's result as JSON.
import autocannon from 'autocannon';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
    options: {
        url: { type: 'string' },
        tickets: { type: 'string' },
        connections: { type: 'string', default: '16' },
        duration: { type: 'string', default: '20' },
        header: { type: 'string', multiple: true, default: [] },
    },
});
const tickets = values.tickets.split(',').map(Number).filter((id) => id > 0);
if (!values.url || tickets.length === 0) {
    console.error('usage: bench-ticket-status.mjs --url URL --tickets ID,ID,...');
    process.exit(2);
}
const statuses = ['open', 'pending', 'on_hold', 'resolved', 'closed', 'new'];
const headers = { 'content-type': 'application/json' };
for (const line of values.header) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
}
let next = 0;
const result = await autocannon({
    url: values.url,
    connections: Number(values.connections),
    duration: Number(values.duration),
    headers,
    requests: [{
        method: 'POST',
        setupRequest: (request) => {
            const n = next++;
            const ticket = tickets[n % tickets.length];
            const status = statuses[Math.floor(n / tickets.length) % statuses.length];
            return { ...request, path: `/api/sync/tickets/${ticket}/status`, body: JSON.stringify({ status }) };
        },
    }],
});
console.log(JSON.stringify({
    requests_per_second: result.requests.average,
    latency_ms: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99, max: result.latency.max },
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    status_codes: result.statusCodeStats,
}));
