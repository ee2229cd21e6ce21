// Test-time oracle for Signal "backup v2" fixtures: runs libsignal's own validator and JSON exporter
// (npm @signalapp/libsignal-client, the code Signal Desktop and Android use to write main.jsonl) on
// frames made by chat-archive's test encoder. Prints one JSON object on stdout; exits 1 when libsignal
// rejects the input.
//
//   node backup-oracle.mjs export   <plain.binproto> <out/main.jsonl>   validate, then write main.jsonl
//   node backup-oracle.mjs validate-encrypted <main> <backupKeyHex> <backupIdHex>
//   node backup-oracle.mjs keys <accountEntropyPool> [aci]               libsignal's key derivations
import fs from 'node:fs';
import * as MessageBackup from '@signalapp/libsignal-client/dist/MessageBackup.js';
import { AccountEntropyPool, BackupKey } from '@signalapp/libsignal-client/dist/AccountKeys.js';
import { Aci } from '@signalapp/libsignal-client/dist/Address.js';
import { InputStream } from '@signalapp/libsignal-client/dist/io.js';

class BufferInput extends InputStream {
  constructor(buf) {
    super();
    this.buf = buf;
    this.pos = 0;
  }
  async read(amount) {
    const end = Math.min(this.buf.length, this.pos + amount);
    const out = new Uint8Array(this.buf.subarray(this.pos, end));
    this.pos = end;
    return out;
  }
  async skip(amount) {
    if (this.pos + amount > this.buf.length) {
      throw new Error('skip past end');
    }
    this.pos += amount;
  }
}

function readVarint(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, pos];
    shift += 7;
  }
}

const hex = (u8) => Buffer.from(u8).toString('hex');
const [cmd, ...args] = process.argv.slice(2);

if (cmd === 'export') {
  const [input, output] = args;
  const buf = fs.readFileSync(input);
  let comparable;
  try {
    comparable = await MessageBackup.ComparableBackup.fromUnencrypted(
      MessageBackup.Purpose.RemoteBackup, new BufferInput(buf), BigInt(buf.length));
  } catch (e) {
    console.log(JSON.stringify({ ok: false, error: String(e.message || e) }));
    console.error('libsignal rejected the frames: ' + String(e.message || e));
    process.exit(1);
  }
  const [infoLen, infoStart] = readVarint(buf, 0);
  const info = new Uint8Array(buf.subarray(infoStart, infoStart + infoLen));
  const frames = new Uint8Array(buf.subarray(infoStart + infoLen));
  const { exporter, chunk } = MessageBackup.BackupJsonExporter.start(info, { validate: true });
  let text = chunk.endsWith('\n') ? chunk : chunk + '\n';
  const errors = [];
  let dropped = 0;
  for (const r of exporter.exportFrames(frames)) {
    if (r.errorMessage) errors.push(r.errorMessage);
    if (r.line === undefined) {
      dropped++;
    } else {
      text += r.line + '\n';
    }
  }
  const fin = exporter.finish();
  if (fin.errorMessage) errors.push(fin.errorMessage);
  fs.writeFileSync(output, text);
  if (errors.length) console.error('libsignal export errors: ' + errors.join(' | '));
  console.log(JSON.stringify({
    ok: errors.length === 0, unknownFields: comparable.unknownFields, errors, dropped,
    lines: text.split('\n').length - 1,
  }));
  process.exit(errors.length === 0 ? 0 : 1);
} else if (cmd === 'validate-encrypted') {
  const [input, backupKeyHex, backupIdHex] = args;
  const buf = fs.readFileSync(input);
  const key = new MessageBackup.MessageBackupKey({
    backupKey: new Uint8Array(Buffer.from(backupKeyHex, 'hex')),
    backupId: new Uint8Array(Buffer.from(backupIdHex, 'hex')),
  });
  const outcome = await MessageBackup.validate(key, MessageBackup.Purpose.RemoteBackup,
    () => new BufferInput(buf), BigInt(buf.length));
  console.log(JSON.stringify({
    ok: outcome.ok, error: outcome.errorMessage, unknownFields: outcome.unknownFieldMessages,
    hmacKey: hex(key.hmacKey), aesKey: hex(key.aesKey),
  }));
  if (!outcome.ok) console.error('libsignal rejected the backup: ' + outcome.errorMessage);
  process.exit(outcome.ok ? 0 : 1);
} else if (cmd === 'keys') {
  const [aep, aci] = args;
  const backupKey = AccountEntropyPool.deriveBackupKey(aep);
  const out = {
    backupKey: hex(backupKey.serialize()),
    localMetadataKey: hex(backupKey.deriveLocalBackupMetadataKey()),
  };
  if (aci) {
    const a = Aci.fromUuid(aci);
    out.backupId = hex(backupKey.deriveBackupId(a));
    const k = new MessageBackup.MessageBackupKey({ accountEntropy: aep, aci: a });
    out.hmacKey = hex(k.hmacKey);
    out.aesKey = hex(k.aesKey);
  }
  console.log(JSON.stringify(out));
} else {
  console.error('usage: backup-oracle.mjs export|validate-encrypted|keys ...');
  process.exit(2);
}
