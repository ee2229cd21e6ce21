#!/usr/bin/env node
// Runs one SQL query on a Signal Desktop database with Signal's own SQLCipher build and prints the rows
// as a JSON array.
//
//   node query.mjs --db DIR/sql/db.sqlite --key <64 hex> --sql "SELECT ..."
//
// The database (and its -wal file, if any) is first copied to a temp directory, so the original files
// are never changed: opening and closing a WAL database would otherwise checkpoint and delete its WAL.
// Exit code 3 means the database could not be opened with that key.
import { Database } from '@signalapp/sqlcipher';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  if (!['--db', '--key', '--sql'].includes(argv[i])) {
    process.stderr.write(`query: unknown argument ${argv[i]}\n`);
    process.exit(2);
  }
  args[argv[i].slice(2)] = argv[i + 1];
}
if (!args.db || !args.key || !args.sql) {
  process.stderr.write('usage: node query.mjs --db FILE --key HEX --sql "..."\n');
  process.exit(2);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'signal-query-'));
const copy = path.join(work, 'db.sqlite');
fs.copyFileSync(args.db, copy);
if (fs.existsSync(`${args.db}-wal`)) fs.copyFileSync(`${args.db}-wal`, `${copy}-wal`);

let db;
try {
  db = new Database(copy);
  db.pragma(`key = "x'${args.key}'"`);
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    db.initTokenizer();
  } catch (e) {
    process.stderr.write(`query: cannot open database with this key: ${e.message}\n`);
    process.exitCode = 3;
  }
  if (!process.exitCode) {
    const rows = db.prepare(args.sql).all();
    process.stdout.write(`${JSON.stringify(rows)}\n`);
  }
} finally {
  db?.close();
  fs.rmSync(work, { recursive: true, force: true });
}
