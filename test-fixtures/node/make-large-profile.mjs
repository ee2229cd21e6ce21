#!/usr/bin/env node
// Builds a large synthetic Signal Desktop profile for benchmarks, with Signal's own SQLCipher build.
//
//   node make-large-profile.mjs --messages N --out DIR [--conversations M] [--seed S]
//                               [--attachment-rate 0.02] [--key HEX64] [--vacuum]
//
// Unlike make-profile.mjs (a spec describes every row) this streams N generated messages straight into
// prepared statements, in large transactions, so 1,000,000 messages take minutes, not hours. The
// database is what Signal Desktop >= 1270 would hold: the schema of schema.mjs, message columns as
// Signal writes them and everything else in `json`, derived rows (reactions, edited_messages,
// callsHistory, message_attachments; mentions and messages_fts by Signal's own triggers).
//
// Content (deterministic for a given seed and size; the file bytes are not, SQLCipher's IVs are random):
// - M conversations (default: N/3000, at least 8, at most 400): about three quarters direct chats, the
//   rest groups of 3 to 30 members, plus note-to-self. Conversation sizes follow a Zipf-like long tail,
//   and messages of all conversations interleave on one timeline spread over five years.
// - Bodies with a long-tailed length (most under 60 characters, about 0.2% several KB) mixing Latin with
//   diacritics, Cyrillic, Greek, CJK, Devanagari, Thai, Hebrew, Arabic and emoji (ZWJ sequences, skin
//   tones); style ranges, mentions in groups, quotes, reactions, edits, calls, group changes and
//   disappearing-message timer changes.
// - About --attachment-rate of the messages carry an attachment: a small real PNG, text file or PDF,
//   written under attachments.noindex/ encrypted at rest the way Signal >= 7.18 does it (version 2:
//   IV | AES-256-CBC(plaintext zero-padded to logPadSize, PKCS#7) | HMAC-SHA256), with localKey, size
//   and plaintextHash in message_attachments.
//
// Prints a JSON summary on stdout: key, counts per table, database size, the conversations with their
// message counts (largest first) and the generation time.
import { Database } from '@signalapp/sqlcipher';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { makeRandom, sha256, uuidFrom } from './ids.mjs';
import { CURRENT_SCHEMA_VERSION, FTS, MESSAGES_TABLE, MESSAGE_COLUMNS, OTHER_TABLES } from './schema.mjs';
import { parseOptions, usageError } from './args.mjs';

const fail = usageError('make-large-profile');

function parseArgs(argv) {
  const opts = { seed: 1, attachmentRate: 0.02, vacuum: false, batch: 25000 };
  parseOptions(argv, fail, (a, v) => {
    switch (a) {
      case '--messages': opts.messages = Number(v()); break;
      case '--conversations': opts.conversations = Number(v()); break;
      case '--out': opts.out = v(); break;
      case '--seed': opts.seed = Number(v()); break;
      case '--attachment-rate': opts.attachmentRate = Number(v()); break;
      case '--key': opts.key = v().toLowerCase(); break;
      case '--vacuum': opts.vacuum = true; break;
      default: return false;
    }
    return true;
  });
  if (!opts.out || !Number.isInteger(opts.messages) || opts.messages < 1) {
    fail('usage: node make-large-profile.mjs --messages N --out DIR [--conversations M] [--seed S]');
  }
  opts.conversations ??= Math.min(400, Math.max(8, Math.round(opts.messages / 3000)));
  opts.key ??= sha256(`chat-archive large profile ${opts.messages} ${opts.seed}`).toString('hex');
  if (!/^[0-9a-f]{64}$/.test(opts.key)) fail('--key must be 64 hex characters');
  return opts;
}


// --- text ------------------------------------------------------------------------------------------------
const FRAGMENTS = [
  'ok', 'Sounds great!', 'Haha yes 😂', 'On my way 🚲', 'Sorry, running 10 minutes late!', 'Thank you so much ❤️',
  'Let me check my calendar 📅', 'Can you send me the address?', 'Congrats!!! 🎉🎉', 'Good night 🌙',
  'Guten Morgen! Hast du schon Kaffee gehabt? ☕', 'Straße, Größe, Äpfel, Öl, Übermut.',
  'On se voit à la crêperie près de la gare ? Très bien !', 'Zażółć gęślą jaźń.', '23,50 € pro Person',
  'Tiếng Việt: Chúc mừng năm mới!', 'Привет! Как дела?', 'Всё хорошо, спасибо. Работаю над новым проектом 👨‍💻',
  'Γεια σου φίλε! Πώς πάει η δουλειά;', 'Слава Україні! 🎂🎉', '«Мастер и Маргарита» — потрясающе.',
  'こんにちは！元気ですか？', '今日は東京で桜が満開です 🌸🌸', '你好！我们周末去爬山吧？', '谢谢你的礼物，我非常喜欢！🎁',
  'カタカナとひらがなと漢字、全部まざってる文章です。', 'नमस्ते! आप कैसे हैं?', 'कल मिलते हैं, चाय पीने चलेंगे ☕',
  'สวัสดีครับ! วันนี้อากาศดีมาก', 'ขอบคุณมากค่ะ 🙏', 'אני מגיעה! מביאה סנדוויצ׳ים 🥪', 'שבת שלום לכולם 🕯️',
  'سأكون هناك إن شاء الله. هل نحتاج إلى تذاكر القطار؟', 'رحلة رائعة! شكراً للجميع 🙏🏻',
  'Family photo day 👨‍👩‍👧‍👦 everyone showed up', 'Coding all night 👩🏽‍💻 send help', 'Proud of you 🏳️‍🌈❤️',
  'Count me in 🙋🏿‍♂️', 'the trail climbed steeply through a beech forest and the fog lifted at the ridge',
  'we waited an hour in a pub with a tiled stove and dried our socks', 'Minutes:\n1) route\n2) food\n3) tickets',
  'indented line, to keep whitespace honest', 'meeting moved to Thursday 14:30, room 3.14', 'https://example.org/a/b?c=d',
  'the quarterly numbers look fine but the forecast needs another pass before Friday',
  'Ёлки-палки, опять дождь 🌧️', 'ラーメン食べに行こう 🍜', 'दिवाली की हार्दिक शुभकामनाएँ! 🪔✨', 'ไปเที่ยวเชียงใหม่กันไหม',
];
const REACTION_EMOJI = ['❤️', '👍', '😂', '😮', '😢', '🙏', '🎉', '👍🏾', '🔥', '🥰'];

function makeBody(rand) {
  const u = rand();
  let parts;
  if (u < 0.6) parts = 1;
  else if (u < 0.88) parts = 2 + Math.floor(rand() * 3);
  else if (u < 0.98) parts = 5 + Math.floor(rand() * 10);
  else if (u < 0.998) parts = 15 + Math.floor(rand() * 35);
  else parts = 60 + Math.floor(rand() * 200);   // several KB
  const out = new Array(parts);
  for (let i = 0; i < parts; i += 1) out[i] = FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)];
  return out.join(parts > 20 && rand() < 0.5 ? '\n' : ' ');
}

// --- attachment files: small real content, encrypted at rest (version 2) -----------------------------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function makePng(w, h, seed) {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y += 1) {
    const row = y * (w * 3 + 1);
    for (let x = 0; x < w; x += 1) {
      raw[row + 1 + x * 3] = (x * 255 / w + seed) & 0xff;
      raw[row + 2 + x * 3] = (y * 255 / h + seed * 7) & 0xff;
      raw[row + 3 + x * 3] = ((x ^ y) + seed * 13) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr), pngChunk('IDAT', zlib.deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]);
}
function makePdf(text) {
  const stream = `BT /F1 12 Tf 72 720 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => { offsets.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
function logPadSize(size) {
  return Math.max(541, Math.floor(1.05 ** Math.ceil(Math.log(size) / Math.log(1.05))));
}
/** Signal's version-2 at-rest encryption of a local file (AttachmentCrypto.node.ts). */
function encryptV2(plaintext, localKey, iv) {
  const padded = Buffer.alloc(logPadSize(plaintext.length));
  plaintext.copy(padded);
  const cipher = crypto.createCipheriv('aes-256-cbc', localKey.subarray(0, 32), iv);
  const ct = Buffer.concat([cipher.update(padded), cipher.final()]);
  const mac = crypto.createHmac('sha256', localKey.subarray(32, 64)).update(iv).update(ct).digest();
  return Buffer.concat([iv, ct, mac]);
}
function makeAttachment(index, rand, attachmentsDir) {
  const u = rand();
  let content; let contentType; let fileName; let width; let height;
  if (u < 0.6) {
    width = 16 + Math.floor(rand() * 48);
    height = 16 + Math.floor(rand() * 48);
    content = makePng(width, height, index);
    contentType = 'image/png';
  } else if (u < 0.8) {
    content = Buffer.from(`notes ${index}\n${FRAGMENTS.slice(index % 10, index % 10 + 8).join('\n')}\n`, 'utf8');
    contentType = 'text/plain';
    fileName = `notes-${index}.txt`;
  } else {
    content = makePdf(`Invoice ${index}`);
    contentType = 'application/pdf';
    fileName = `invoice-${index}.pdf`;
  }
  const localKey = Buffer.concat([sha256(`local key ${index}`), sha256(`mac key ${index}`)]);
  const iv = sha256(`iv ${index}`).subarray(0, 16);
  const name = sha256(`attachment path ${index}`).toString('hex');
  const rel = `${name.slice(0, 2)}/${name}`;
  fs.mkdirSync(path.join(attachmentsDir, name.slice(0, 2)), { recursive: true });
  fs.writeFileSync(path.join(attachmentsDir, rel), encryptV2(content, localKey, iv));
  return {
    contentType, fileName, width, height, size: content.length, path: rel, version: 2,
    localKey: localKey.toString('base64'), plaintextHash: crypto.createHash('sha256').update(content).digest('hex'),
  };
}

// --- the profile -------------------------------------------------------------------------------------------
function build(opts) {
  const started = Date.now();
  const rand = makeRandom(opts.seed * 2654435761 + opts.messages);
  const pick = (arr) => arr[Math.floor(rand() * arr.length)];
  const outDir = path.resolve(opts.out);
  const sqlDir = path.join(outDir, 'sql');
  const attachmentsDir = path.join(outDir, 'attachments.noindex');
  fs.mkdirSync(sqlDir, { recursive: true });
  fs.mkdirSync(attachmentsDir, { recursive: true });
  for (const f of ['db.sqlite', 'db.sqlite-wal', 'db.sqlite-shm']) fs.rmSync(path.join(sqlDir, f), { force: true });

  const N = opts.messages;
  const M = opts.conversations;
  const ownAci = uuidFrom(`large aci own ${opts.seed}`);
  const ownE164 = '+15555550100';
  const ownDeviceId = 1;

  // People: one private conversation each; groups draw members from them.
  const groupCount = Math.max(1, Math.round(M / 4));
  const directCount = Math.max(1, M - groupCount - 1);
  const people = [];
  for (let i = 0; i < Math.max(directCount, 30); i += 1) {
    people.push({
      id: uuidFrom(`large conversation person ${opts.seed} ${i}`),
      type: 'private',
      profileName: `${pick(['Anna', 'Jörg', 'Дмитрий', '由紀', 'प्रिया', 'נועה', 'عمر', 'Zoë', 'Łukasz', 'Sơn'])}`,
      profileFamilyName: `${pick(['Müller', 'Иванов', '田中', 'शर्मा', 'לוי', 'الحسيني', 'Nguyễn', 'Smith'])} ${i}`,
      e164: `+1555${String(1000000 + i).slice(1)}`,
      serviceId: uuidFrom(`large aci person ${opts.seed} ${i}`),
    });
  }
  const me = { id: uuidFrom(`large conversation own ${opts.seed}`), type: 'private', profileName: 'Alex',
    profileFamilyName: 'Doe', e164: ownE164, serviceId: ownAci };
  const direct = people.slice(0, directCount);
  const groups = [];
  for (let g = 0; g < groupCount; g += 1) {
    const size = 3 + Math.floor(rand() * 28);
    const members = new Set();
    while (members.size < Math.min(size, people.length)) members.add(pick(people));
    groups.push({
      id: uuidFrom(`large conversation group ${opts.seed} ${g}`),
      type: 'group',
      name: `${pick(['Family', 'Hikers 🥾', 'Book club 📚', 'Работа', '同窓会', 'Nachbarn', 'Project X'])} ${g}`,
      groupId: sha256(`large group ${opts.seed} ${g}`).toString('base64'),
      members: [...members],
    });
  }
  // Conversation order is shuffled so the long tail does not line up with type; note-to-self is a
  // middling one.
  const conversations = [...direct, ...groups];
  for (let i = conversations.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rand() * (i + 1));
    [conversations[i], conversations[j]] = [conversations[j], conversations[i]];
  }
  conversations.splice(Math.min(conversations.length, 12), 0, me);
  // Zipf-like weights (s = 1) and a cumulative table for sampling.
  const cumulative = [];
  let total = 0;
  for (let r = 0; r < conversations.length; r += 1) {
    total += 1 / (r + 1);
    cumulative.push(total);
  }
  const pickConversation = () => {
    const x = rand() * total;
    let lo = 0; let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1; else hi = mid;
    }
    return conversations[lo];
  };

  const db = new Database(path.join(sqlDir, 'db.sqlite'));
  db.pragma(`key = "x'${opts.key}'"`);
  // Bulk load: no rollback journal, big cache; the file is switched to WAL (as Signal keeps it) at the end.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.pragma('foreign_keys = ON');
  db.initTokenizer();
  db.exec(MESSAGES_TABLE);
  db.exec(OTHER_TABLES);
  db.exec(FTS);
  db.pragma(`user_version = ${CURRENT_SCHEMA_VERSION}`);

  const insertStatement = (table, cols) => {
    const st = db.prepare(`INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    return (row) => st.run(cols.map((c) => {
      const v = row[c];
      if (v === undefined || v === null) return null;
      if (typeof v === 'boolean') return v ? 1 : 0;
      return v;
    }));
  };
  const MSG_COLS = ['json', ...MESSAGE_COLUMNS];
  const insertMessage = insertStatement('messages', MSG_COLS);
  const insertReaction = insertStatement('reactions', ['conversationId', 'emoji', 'fromId', 'messageReceivedAt',
    'targetAuthorAci', 'targetTimestamp', 'unread', 'messageId', 'timestamp']);
  const insertEdit = insertStatement('edited_messages', ['messageId', 'sentAt', 'readStatus', 'conversationId']);
  const insertCall = insertStatement('callsHistory', ['callId', 'peerId', 'ringerId', 'mode', 'type', 'direction',
    'status', 'timestamp', 'startedById', 'endedTimestamp']);
  const ATT_COLS = ['messageId', 'editHistoryIndex', 'attachmentType', 'orderInMessage', 'conversationId', 'sentAt',
    'size', 'contentType', 'path', 'plaintextHash', 'localKey', 'fileName', 'height', 'width', 'version',
    'messageType', 'receivedAt', 'receivedAtMs', 'isViewOnce', 'pending'];
  const insertAttachment = insertStatement('message_attachments', ATT_COLS);

  // Timeline: five years ending 2026-02-27, messages evenly spread with jitter, in received order.
  const END = Date.UTC(2026, 1, 27, 20, 0, 0);
  const START = END - 5 * 365 * 86400000;
  const step = (END - START) / N;
  const perConversation = new Map(conversations.map((c) => [c.id, { count: 0, userCount: 0, sent: 0, last: 0, recent: [] }]));
  const stats = { reactions: 0, editedMessages: 0, calls: 0, messageAttachments: 0, groupChanges: 0,
    timerChanges: 0, quotes: 0, edits: 0 };
  let counter = START;

  const writeOne = (i) => {
    const conv = pickConversation();
    const isGroup = conv.type === 'group';
    const isNote = conv === me;
    const state = perConversation.get(conv.id);
    const sentAt = Math.floor(START + i * step + rand() * step * 0.9);
    const u = rand();
    let type;
    if (isNote) type = 'outgoing';
    else if (u < 0.01) type = 'call-history';
    else if (isGroup && u < 0.016) type = 'group-v2-change';
    else if (u < 0.017) type = 'timer-notification';
    else type = rand() < 0.45 ? 'outgoing' : 'incoming';
    const incoming = type === 'incoming';
    const outgoing = type === 'outgoing';
    const sender = isGroup ? pick(conv.members) : conv;
    let sourceServiceId = null;
    if (outgoing) sourceServiceId = ownAci;
    else if (incoming) sourceServiceId = sender.serviceId;
    const id = uuidFrom(`large message ${opts.seed} ${i}`);
    const receivedAt = counter;
    counter += 1;
    const delay = 400 + ((i * 7919) % 2600);
    const receivedAtMs = incoming ? sentAt + delay : sentAt;
    const json = {};
    let body = null;
    let expireTimer = null;

    if (incoming || outgoing) {
      body = makeBody(rand);
      const r = rand();
      if (r < 0.02) {
        json.bodyRanges = [{ start: 0, length: Math.min(4, body.length), style: 1 + Math.floor(rand() * 5) }];
      } else if (r < 0.03 && isGroup) {
        const target = pick(conv.members);
        body = `\uFFFC ${body}`;
        json.bodyRanges = [{ start: 0, length: 1, mentionAci: rand() < 0.3 ? ownAci : target.serviceId }];
      }
      if (rand() < 0.03 && state.recent.length > 0) {
        const q = pick(state.recent);
        json.quote = { id: q.sentAt, authorAci: q.author, text: q.body.slice(0, 200), attachments: [], bodyRanges: [],
          isViewOnce: false, referencedMessageNotFound: false, isGiftBadge: false };
        stats.quotes += 1;
      }
      if (rand() < 0.05) {
        const n = 1 + Math.floor(rand() * 3);
        const reactors = isGroup ? conv.members : [conv, me];
        json.reactions = [];
        for (let k = 0; k < n; k += 1) {
          const who = pick(reactors);
          json.reactions.push({ emoji: pick(REACTION_EMOJI), fromId: who === me ? me.id : who.id,
            targetTimestamp: sentAt, timestamp: sentAt + 30000 + k * 15000 });
        }
      }
      if (rand() < 0.01) {
        const versions = 2 + Math.floor(rand() * 2);
        const history = [];
        for (let k = versions - 1; k >= 0; k -= 1) {
          const ts = sentAt + k * 120000;
          history.push({ body: k === versions - 1 ? body : `${body.slice(0, 40)} (v${k + 1})`, timestamp: ts,
            received_at_ms: ts + 900, readStatus: 0 });
        }
        json.editHistory = history;
        json.editMessageTimestamp = history[0].timestamp;
        json.editMessageReceivedAtMs = history[0].received_at_ms;
        stats.edits += 1;
      }
      if (outgoing) {
        const recipients = isNote ? [] : isGroup ? conv.members : [conv];
        json.sendStateByConversationId = Object.fromEntries(recipients
          .map((p) => [p.id, { status: 'Read', updatedAt: sentAt + 60000 }]));
        json.sendStateByConversationId[me.id] = { status: 'Sent', updatedAt: sentAt };
      }
    } else if (type === 'call-history') {
      const callId = String(BigInt.asUintN(63, BigInt(`0x${sha256(`call ${id}`).toString('hex').slice(0, 16)}`)));
      json.callId = callId;
      const direction = rand() < 0.5 ? 'Incoming' : 'Outgoing';
      const status = rand() < 0.2 ? (direction === 'Incoming' ? 'Missed' : 'Declined') : 'Accepted';
      insertCall({ callId, peerId: isGroup ? conv.groupId : conv.serviceId,
        ringerId: direction === 'Incoming' ? sender.serviceId : null, mode: isGroup ? 'Group' : 'Direct',
        type: isGroup ? 'Group' : (rand() < 0.5 ? 'Audio' : 'Video'), direction, status, timestamp: sentAt,
        startedById: direction === 'Incoming' ? sender.serviceId : ownAci,
        endedTimestamp: status === 'Accepted' ? sentAt + Math.floor(rand() * 3600000) : null });
      stats.calls += 1;
    } else if (type === 'group-v2-change') {
      const from = rand() < 0.3 ? ownAci : pick(conv.members).serviceId;
      sourceServiceId = from;
      const d = rand();
      json.groupV2Change = { from, details: [d < 0.5 ? { type: 'member-add', aci: pick(conv.members).serviceId }
        : d < 0.8 ? { type: 'title', newTitle: conv.name } : { type: 'description', description: makeBody(rand) }] };
      stats.groupChanges += 1;
    } else {
      const from = rand() < 0.5 ? me : (isGroup ? pick(conv.members) : conv);
      sourceServiceId = from.serviceId;
      expireTimer = rand() < 0.5 ? 604800 : 0;
      json.expirationTimerUpdate = { expireTimer, source: from.e164, sourceServiceId: from.serviceId };
      if (!expireTimer) expireTimer = null;
      stats.timerChanges += 1;
    }
    if (incoming) json.decrypted_at = receivedAtMs + 5;

    const attachments = (incoming || outgoing) && rand() < opts.attachmentRate
      ? [makeAttachment(stats.messageAttachments, rand, attachmentsDir)] : [];
    const visual = attachments.some((a) => /^(image|video)\//.test(a.contentType));
    const ranges = json.bodyRanges ?? [];
    insertMessage({
      id,
      json: JSON.stringify(json),
      body,
      conversationId: conv.id,
      expirationStartTimestamp: null,
      expireTimer,
      hasAttachments: attachments.length > 0 ? 1 : 0,
      hasFileAttachments: attachments.length > 0 && !visual ? 1 : 0,
      hasVisualMediaAttachments: visual ? 1 : 0,
      hasUnreadPollVotes: 0,
      isChangeCreatedByUs: type === 'group-v2-change' && json.groupV2Change.from === ownAci ? 1 : 0,
      isErased: 0,
      isViewOnce: 0,
      mentionsMe: incoming && ranges.some((r) => r.mentionAci === ownAci) ? 1 : 0,
      received_at: receivedAt,
      received_at_ms: receivedAtMs,
      schemaVersion: 14,
      serverGuid: incoming ? uuidFrom(`guid ${id}`) : null,
      sent_at: sentAt,
      source: outgoing ? ownE164 : incoming ? sender.e164 : null,
      sourceServiceId,
      sourceDevice: outgoing ? ownDeviceId : incoming ? 1 : null,
      storyId: null,
      type,
      readStatus: 0,
      seenStatus: 2,
      serverTimestamp: incoming ? sentAt + Math.min(delay, 300) : null,
      timestamp: sentAt,
      unidentifiedDeliveryReceived: incoming ? 1 : 0,
    });
    attachments.forEach((a, order) => {
      insertAttachment({ messageId: id, editHistoryIndex: -1, attachmentType: 'attachment', orderInMessage: order,
        conversationId: conv.id, sentAt, messageType: type, receivedAt, receivedAtMs, isViewOnce: 0, pending: 0,
        ...a });
      stats.messageAttachments += 1;
    });
    for (const r of json.reactions ?? []) {
      insertReaction({ conversationId: conv.id, emoji: r.emoji, fromId: r.fromId, messageReceivedAt: receivedAt,
        targetAuthorAci: sourceServiceId, targetTimestamp: r.targetTimestamp, unread: 0, messageId: id,
        timestamp: r.timestamp });
      stats.reactions += 1;
    }
    const history = json.editHistory ?? [];
    for (const edit of history.slice(0, history.length - 1)) {
      insertEdit({ messageId: id, sentAt: edit.timestamp, readStatus: 0, conversationId: conv.id });
      stats.editedMessages += 1;
    }

    state.count += 1;
    state.last = sentAt;
    if (incoming || outgoing) {
      state.userCount += 1;
      if (outgoing) state.sent += 1;
      state.recent.push({ sentAt, author: sourceServiceId, body });
      if (state.recent.length > 8) state.recent.shift();
    }
  };

  for (let from = 0; from < N; from += opts.batch) {
    const to = Math.min(N, from + opts.batch);
    db.transaction(() => { for (let i = from; i < to; i += 1) writeOne(i); })();
    if (process.stderr.isTTY) process.stderr.write(`\r${to} / ${N} messages`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');

  // Conversations (after the messages, so counts and activity are known), identity keys, items.
  const convCols = ['id', 'json', 'active_at', 'type', 'members', 'name', 'profileName', 'profileFamilyName',
    'profileFullName', 'e164', 'serviceId', 'groupId', 'profileLastFetchedAt', 'expireTimerVersion'];
  const insertConversation = insertStatement('conversations', convCols);
  const insertIdentity = insertStatement('identityKeys', ['id', 'json']);
  const insertItem = insertStatement('items', ['id', 'json']);
  const everyone = [...new Set([...people, me, ...groups])];
  db.transaction(() => {
    for (const c of everyone) {
      const s = perConversation.get(c.id) ?? { count: 0, userCount: 0, sent: 0, last: 0 };
      const isGroup = c.type === 'group';
      const acis = isGroup ? [ownAci, ...c.members.map((m) => m.serviceId)] : [];
      const activeAt = s.last || null;
      const profileFullName = [c.profileName, c.profileFamilyName].filter(Boolean).join(' ') || null;
      const json = {
        id: c.id, type: c.type, version: 2,
        ...(c.name !== undefined ? { name: c.name } : {}),
        ...(c.profileName !== undefined ? { profileName: c.profileName, profileFamilyName: c.profileFamilyName } : {}),
        ...(c.e164 !== undefined ? { e164: c.e164, serviceId: c.serviceId } : {}),
        ...(isGroup ? {
          groupId: c.groupId, groupVersion: 2,
          masterKey: sha256(`master ${c.id}`).toString('base64'),
          secretParams: sha256(`secret ${c.id}`).toString('base64'),
          publicParams: sha256(`public ${c.id}`).toString('base64'),
          revision: 1,
          membersV2: acis.map((aci, i) => ({ aci, role: i === 0 ? 2 : 1, joinedAtVersion: 0 })),
          pendingMembersV2: [], pendingAdminApprovalV2: [], bannedMembersV2: [],
          accessControl: { attributes: 2, members: 2, addFromInviteLink: 4 },
        } : {}),
        active_at: activeAt, timestamp: activeAt, unreadCount: 0, markedUnread: false, verified: 0,
        profileSharing: true, messageCount: s.userCount, sentMessageCount: s.sent, isArchived: false,
      };
      insertConversation({ id: c.id, json: JSON.stringify(json), active_at: activeAt, type: c.type,
        members: isGroup ? acis.join(' ') : null, name: c.name ?? null, profileName: c.profileName ?? null,
        profileFamilyName: c.profileFamilyName ?? null, profileFullName, e164: c.e164 ?? null,
        serviceId: c.serviceId ?? null, groupId: isGroup ? c.groupId : null, profileLastFetchedAt: activeAt,
        expireTimerVersion: 1 });
      if (!isGroup) {
        insertIdentity({ id: c.serviceId, json: JSON.stringify({ id: c.serviceId,
          publicKey: Buffer.concat([Buffer.from([5]), sha256(`identity ${c.serviceId}`)]).toString('base64'),
          firstUse: true, timestamp: START, verified: 0, nonblockingApproval: false }) });
      }
    }
    const items = { uuid_id: `${ownAci}.${ownDeviceId}`, number_id: `${ownE164}.${ownDeviceId}`,
      pni: `PNI:${uuidFrom(`large pni own ${opts.seed}`)}`, device_name: 'Desktop', version: 'v7.80.0',
      chromiumRegistrationDoneEver: '' };
    for (const [id, value] of Object.entries(items)) insertItem({ id, json: JSON.stringify({ id, value }) });
  })();

  db.exec("INSERT INTO messages_fts(messages_fts) VALUES ('optimize')");
  if (opts.vacuum) db.exec('VACUUM');
  db.pragma('journal_mode = WAL');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const counts = Object.fromEntries(['messages', 'conversations', 'items', 'reactions', 'edited_messages',
    'mentions', 'callsHistory', 'identityKeys', 'message_attachments']
    .map((t) => [t, db.prepare(`SELECT count(*) AS n FROM ${t}`).get().n]));
  db.close();
  for (const f of ['db.sqlite-wal', 'db.sqlite-shm']) fs.rmSync(path.join(sqlDir, f), { force: true });
  fs.writeFileSync(path.join(outDir, 'config.json'), `${JSON.stringify({ key: opts.key }, null, 2)}\n`);

  return {
    out: outDir,
    key: opts.key,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    seed: opts.seed,
    messages: N,
    dbBytes: fs.statSync(path.join(sqlDir, 'db.sqlite')).size,
    counts,
    generated: stats,
    seconds: (Date.now() - started) / 1000,
    conversations: everyone
      .map((c) => ({ id: c.id, type: c === me ? 'note-to-self' : c.type, title: c.name ?? `${c.profileName} ${c.profileFamilyName}`,
        messages: perConversation.get(c.id)?.count ?? 0 }))
      .filter((c) => c.messages > 0)
      .sort((a, b) => b.messages - a.messages),
  };
}

const opts = parseArgs(process.argv.slice(2));
process.stdout.write(`${JSON.stringify(build(opts), null, 1)}\n`);
