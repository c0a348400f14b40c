// Reads what SyncDesk relays to NATS JetStream and prints one line per event.
//
//   npm install nats@2.29.3          (or, from a SyncDesk checkout: NODE_PATH=tests/node/node_modules)
//   NATS_URL=nats://127.0.0.1:4222 node consume.js
//
// A durable consumer: run it again and it goes on after the last event it acknowledged. JetStream
// delivers at least once; an event's `id` is unique and stable, so a consumer that must act once
// per event can remember the ids it has acted on.
const { connect, AckPolicy } = require("nats");

const url = process.env.NATS_URL || "nats://127.0.0.1:4222";
const stream = process.env.SYNC_NATS_STREAM || "SYNCDESK";
const prefix = process.env.SYNC_NATS_SUBJECT_PREFIX || "syncdesk";
const name = process.env.CONSUMER || "example";
const subjects = process.env.SUBJECTS || `${prefix}.>`; // e.g. syncdesk.customer.* for customers only
const stopAfter = Number(process.env.STOP_AFTER || 0); // 0: run until Ctrl+C

async function main() {
  const nc = await connect({ servers: url });
  await (await nc.jetstreamManager()).consumers.add(stream, {
    durable_name: name, ack_policy: AckPolicy.Explicit, filter_subject: subjects,
  });
  const consumer = await nc.jetstream().consumers.get(stream, name);
  let seen = 0;
  for await (const message of await consumer.consume()) {
    const event = message.json();
    const about = event.kind === "record_synced"
      ? `${event.payload.direction}: ${[...event.payload.to_backend, ...event.payload.to_dashboard].join(", ")}`
      : JSON.stringify(event.payload);
    console.log(`${event.at} ${message.subject} ${event.id} ${about}`);
    message.ack();
    if (stopAfter > 0 && ++seen >= stopAfter)
      break;
  }
  await nc.drain();
}

main().catch((error) => {
  console.error(`consume.js: ${error.message}`);
  process.exit(1);
});
