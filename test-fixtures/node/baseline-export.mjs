#!/usr/bin/env node
// The native baseline for benchmarks: reads every message of a Signal Desktop profile with Signal's own
// SQLCipher build (@signalapp/sqlcipher) and writes it as JSON Lines. This is the practical floor for
// "read everything from the encrypted database with native SQLCipher" that chat-archive is measured
// against.
//
//   node baseline-export.mjs --profile DIR --out FILE [--order rowid|conversation] [--page 5000]
//
// Each line is one message: its `json` parsed and merged with every stored column (as Signal's
// hydrateMessageTableColumns merges them; generated columns are left out, they are derived from the
// stored ones). The driver has no row iterator, so rows are read in keyset pages of --page rows:
//   rowid          a table scan in rowid order
//   conversation   conversation by conversation, each in timeline order (received_at, sent_at), which is
//                  the order chat-archive's export reads in
// Prints {"messages": n, "conversations": n, "bytes": n, "seconds": s} on stdout.
import { Database } from '@signalapp/sqlcipher';
import fs from 'node:fs';
import path from 'node:path';
import { parseOptions, usageError } from './args.mjs';

const fail = usageError('baseline-export');

function parseArgs(argv) {
  const opts = { order: 'rowid', page: 5000 };
  parseOptions(argv, fail, (a, v) => {
    switch (a) {
      case '--profile': opts.profile = v(); break;
      case '--out': opts.out = v(); break;
      case '--order': opts.order = v(); break;
      case '--page': opts.page = Number(v()); break;
      default: return false;
    }
    return true;
  });
  if (!opts.profile || !opts.out) fail('usage: node baseline-export.mjs --profile DIR --out FILE [--order rowid|conversation]');
  if (!['rowid', 'conversation'].includes(opts.order)) fail('--order must be rowid or conversation');
  return opts;
}

/** Buffers lines and writes them in large synchronous chunks (no unbounded stream buffering). */
class LineWriter {
  constructor(file) {
    this.fd = fs.openSync(file, 'w', 0o600);
    this.parts = [];
    this.pending = 0;
    this.bytes = 0;
  }

  write(line) {
    this.parts.push(line);
    this.pending += line.length;
    if (this.pending > 1 << 20) this.flush();
  }

  flush() {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(`${this.parts.join('\n')}\n`, 'utf8');
    fs.writeSync(this.fd, buf);
    this.bytes += buf.length;
    this.parts = [];
    this.pending = 0;
  }

  close() {
    this.flush();
    fs.closeSync(this.fd);
  }
}

const opts = parseArgs(process.argv.slice(2));
const started = process.hrtime.bigint();
const config = JSON.parse(fs.readFileSync(path.join(opts.profile, 'config.json'), 'utf8'));
if (!/^[0-9a-fA-F]{64}$/.test(config.key ?? '')) fail('config.json has no 64-hex "key"');

const db = new Database(path.join(opts.profile, 'sql', 'db.sqlite'));
db.pragma(`key = "x'${config.key}'"`);
db.pragma('query_only = 1');

// Stored columns only (table_xinfo: hidden 2/3 = generated), rowid first.
const stored = db.prepare('PRAGMA table_xinfo(messages)').all()
  .filter((c) => c.hidden === 0 && c.name !== 'rowid')
  .map((c) => `"${c.name}"`);
const columns = `rowid, ${stored.join(', ')}`;
const out = new LineWriter(opts.out);
let messages = 0;

function emit(rows) {
  for (const row of rows) {
    const message = row.json ? JSON.parse(row.json) : {};
    for (const k in row) {
      if (k !== 'json' && row[k] !== null) message[k] = row[k];
    }
    out.write(JSON.stringify(message));
  }
  messages += rows.length;
}

let conversations = 0;
if (opts.order === 'rowid') {
  const page = db.prepare(`SELECT ${columns} FROM messages WHERE rowid > ? ORDER BY rowid LIMIT ${opts.page}`);
  let last = -1;
  for (;;) {
    const rows = page.all([last]);
    if (rows.length === 0) break;
    emit(rows);
    last = rows[rows.length - 1].rowid;
  }
  conversations = db.prepare('SELECT count(DISTINCT conversationId) AS n FROM messages').get().n;
} else {
  // One keyset walk per (conversation, isStory) over messages_conversation_no_story_id
  // (conversationId, isStory, received_at, sent_at), so SQLite never sorts: stories come after the
  // conversation's other messages.
  const ids = db.prepare('SELECT DISTINCT conversationId AS id FROM messages ORDER BY conversationId', { pluck: true }).all();
  const first = db.prepare(`SELECT ${columns} FROM messages WHERE conversationId = ? AND isStory = ?
    ORDER BY received_at, sent_at, rowid LIMIT ${opts.page}`);
  const next = db.prepare(`SELECT ${columns} FROM messages WHERE conversationId = ? AND isStory = ?
    AND (received_at, sent_at, rowid) > (?, ?, ?) ORDER BY received_at, sent_at, rowid LIMIT ${opts.page}`);
  for (const id of ids) {
    for (const story of [0, 1]) {
      let rows = first.all([id, story]);
      while (rows.length > 0) {
        emit(rows);
        if (rows.length < opts.page) break;
        const l = rows[rows.length - 1];
        rows = next.all([id, story, l.received_at, l.sent_at, l.rowid]);
      }
    }
  }
  conversations = ids.length;
}
out.close();
db.close();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(`${JSON.stringify({ messages, conversations, bytes: out.bytes, order: opts.order, seconds })}\n`);
