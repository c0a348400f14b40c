// Checks messages the event relay published against docs/events.schema.json.
// Usage: node validate-events.mjs <schema.json> <messages.jsonl> <subject-prefix>
// Each line of the messages file: {"subject": ..., "header_id": ..., "data": <the message body as a string>}.
// Prints one line per problem and exits 1 when there is any; prints "N valid" otherwise.
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";

const [schemaFile, messagesFile, prefix] = process.argv.slice(2);
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")));

const problems = [];
const lines = readFileSync(messagesFile, "utf8").split("\n").filter((line) => line.length > 0);
for (const line of lines) {
  const message = JSON.parse(line);
  let event;
  try {
    event = JSON.parse(message.data);
  } catch (error) {
    problems.push(`${message.subject}: not JSON (${error.message})`);
    continue;
  }
  if (!validate(event))
    problems.push(`${message.subject} ${event.id}: ${ajv.errorsText(validate.errors)}`);
  if (message.subject !== `${prefix}.${event.entity}.${event.kind}`)
    problems.push(`${event.id}: published on ${message.subject}, not ${prefix}.${event.entity}.${event.kind}`);
  if (message.header_id !== event.id)
    problems.push(`${event.id}: its Nats-Msg-Id is ${message.header_id}`);
}
for (const problem of problems)
  console.log(problem);
if (problems.length > 0)
  process.exit(1);
console.log(`${lines.length} valid`);
