#!/usr/bin/env node
// Changes a Signal Desktop database in place, the way the app does, with Signal's own SQLCipher build: runs the
// given SQL statements in one transaction through the database's own journal (WAL). For tests that change a
// profile between two reads (a new reaction, an edit, a deleted row, ...).
//
//   node execute.mjs --db DIR/sql/db.sqlite --key <64 hex> --sql "UPDATE ...; INSERT ..."
//
// Prints the number of rows changed. Exit code 3 means the database could not be opened with that key.
import { Database } from '@signalapp/sqlcipher';

const args = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  if (!['--db', '--key', '--sql'].includes(argv[i])) {
    process.stderr.write(`execute: unknown argument ${argv[i]}\n`);
    process.exit(2);
  }
  args[argv[i].slice(2)] = argv[i + 1];
}
if (!args.db || !args.key || !args.sql) {
  process.stderr.write('usage: node execute.mjs --db FILE --key HEX --sql "..."\n');
  process.exit(2);
}
const db = new Database(args.db);
db.pragma(`key = "x'${args.key}'"`);
try {
  db.prepare('SELECT count(*) FROM sqlite_master').get();
} catch (e) {
  process.stderr.write(`execute: cannot open the database with this key (${e.message})\n`);
  process.exit(3);
}
db.initTokenizer();
const before = db.prepare('SELECT total_changes() AS n').get().n;
db.transaction(() => db.exec(args.sql))();
process.stdout.write(`${db.prepare('SELECT total_changes() AS n').get().n - before}\n`);
db.close();
