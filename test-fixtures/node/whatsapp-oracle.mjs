// Parses WhatsApp "Export chat" text files with whatsapp-chat-parser (an independent implementation, MIT) and
// prints, for each file, its messages as JSON: [{ date, author, message }], date as an ISO instant.
// Times in the file are read as UTC, so the instants are the file's local times with a "Z".
//
// Usage: node whatsapp-oracle.mjs <file.txt>...   (one file: an array; several: an object keyed by path)
process.env.TZ = 'UTC';

import { readFileSync } from 'node:fs';
import { parseString } from 'whatsapp-chat-parser';

function parseFile(file) {
  const text = readFileSync(file, 'utf8');
  return parseString(text).map((m) => ({
    date: m.date.toISOString(),
    author: m.author,
    message: m.message,
  }));
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node whatsapp-oracle.mjs <file.txt>...');
  process.exit(2);
}
const out = files.length === 1 ? parseFile(files[0]) : Object.fromEntries(files.map((f) => [f, parseFile(f)]));
process.stdout.write(JSON.stringify(out));
