// Creates a SQLCipher database with Signal's own SQLCipher build, for codec tests and benchmarks.
//
// node make-db.mjs --out FILE --key HEX64 [--passphrase P] [--page-size N] [--rows N] [--row-bytes N]
//                  [--wal-uncheckpointed N] [--cipher-compat 3]
//
// Table t(id INTEGER PRIMARY KEY, body TEXT, blob BLOB), filled deterministically. The database is keyed like
// Signal keys it (PRAGMA key = "x'<hex>'"), or with a passphrase, and left in WAL mode. With
// --wal-uncheckpointed N the bulk insert is checkpointed, N more rows are inserted one transaction each, and
// the db and its -wal are copied to FILE and FILE-wal while the writer still has them open (closing would
// checkpoint and delete the WAL). Prints JSON with the expected figures on stdout.
import { Database } from '@signalapp/sqlcipher';
import fs from 'node:fs';
import path from 'node:path';

function parseArgs(argv) {
  const opts = { rows: 100, rowBytes: 200, walUncheckpointed: 0, pageSize: 0, cipherCompat: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value for ${a}`);
      return argv[++i];
    };
    switch (a) {
      case '--out': opts.out = v(); break;
      case '--key': opts.key = v(); break;
      case '--passphrase': opts.passphrase = v(); break;
      case '--page-size': opts.pageSize = Number(v()); break;
      case '--rows': opts.rows = Number(v()); break;
      case '--row-bytes': opts.rowBytes = Number(v()); break;
      case '--wal-uncheckpointed': opts.walUncheckpointed = Number(v()); break;
      case '--cipher-compat': opts.cipherCompat = Number(v()); break;
      default: throw new Error(`unknown argument ${a}`);
    }
  }
  if (!opts.out) throw new Error('--out is required');
  if (opts.passphrase === undefined && !/^[0-9a-fA-F]{64}$/.test(opts.key ?? '')) {
    throw new Error('--key must be 64 hex characters (or give --passphrase)');
  }
  return opts;
}

const TEXT_SEED = 'Grüße aus Köln, naïve café, Ελληνικά, 日本語のテキスト 🙂 ';

function body(id, rowBytes) {
  const head = `row ${id} ѣ ${(id * 2654435761) % 1000003} `;
  const want = Math.max(1, Math.floor(rowBytes / 2));
  let s = head;
  while (s.length < want) s += TEXT_SEED;
  return s.slice(0, want);
}

function blob(id, rowBytes) {
  const n = Math.max(1, rowBytes - Math.floor(rowBytes / 2));
  const b = new Uint8Array(n);
  let x = (id * 2654435761) >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

function sqlString(s) {
  return `'${s.replaceAll("'", "''")}'`;
}

const opts = parseArgs(process.argv.slice(2));
const out = path.resolve(opts.out);
const work = opts.walUncheckpointed > 0 ? `${out}.writer` : out;
for (const f of [out, `${out}-wal`, `${out}-shm`, work, `${work}-wal`, `${work}-shm`]) {
  fs.rmSync(f, { force: true });
}

const db = new Database(work);
if (opts.passphrase !== undefined) {
  db.exec(`PRAGMA key = ${sqlString(opts.passphrase)}`);
} else {
  db.exec(`PRAGMA key = "x'${opts.key.toLowerCase()}'"`);
}
if (opts.cipherCompat) db.exec(`PRAGMA cipher_compatibility = ${opts.cipherCompat}`);
if (opts.pageSize) db.exec(`PRAGMA cipher_page_size = ${opts.pageSize}`);
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = FULL');
db.exec('PRAGMA user_version = 1234');
db.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT, blob BLOB)');

const insert = db.prepare('INSERT INTO t(id, body, blob) VALUES (?, ?, ?)');
const bulk = db.transaction(() => {
  for (let id = 1; id <= opts.rows; id++) insert.run([id, body(id, opts.rowBytes), blob(id, opts.rowBytes)]);
});
bulk();

let walBytes = 0;
if (opts.walUncheckpointed > 0) {
  db.exec('PRAGMA wal_autocheckpoint = 0');
  db.pragma('wal_checkpoint(TRUNCATE)');
  for (let k = 1; k <= opts.walUncheckpointed; k++) {
    const id = opts.rows + k;
    insert.run([id, body(id, opts.rowBytes), blob(id, opts.rowBytes)]);
  }
}

const q = (sql) => db.prepare(sql).get();
const expected = {
  rows: q('SELECT count(*) AS n FROM t').n,
  sumId: q('SELECT sum(id) AS s FROM t').s,
  sumBodyLength: q('SELECT sum(length(body)) AS s FROM t').s,
  sumBlobLength: q('SELECT sum(length(blob)) AS s FROM t').s,
  lastBody: q('SELECT body FROM t ORDER BY id DESC LIMIT 1').body,
  lastBlobHex: q('SELECT hex(blob) AS h FROM t ORDER BY id DESC LIMIT 1').h,
  userVersion: db.pragma('user_version', { simple: true }),
  pageSize: db.pragma('page_size', { simple: true }),
  cipherVersion: db.pragma('cipher_version', { simple: true }),
};

if (opts.walUncheckpointed > 0) {
  // Copy while the writer is open: the WAL still holds the last rows.
  fs.copyFileSync(work, out);
  fs.copyFileSync(`${work}-wal`, `${out}-wal`);
  walBytes = fs.statSync(`${out}-wal`).size;
  insert.close?.();
  db.close();
  for (const f of [work, `${work}-wal`, `${work}-shm`]) fs.rmSync(f, { force: true });
} else {
  db.close();
  fs.rmSync(`${out}-shm`, { force: true });
}

expected.fileBytes = fs.statSync(out).size;
expected.walBytes = walBytes;
process.stdout.write(JSON.stringify(expected) + '\n');
