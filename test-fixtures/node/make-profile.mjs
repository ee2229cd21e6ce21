#!/usr/bin/env node
// Builds a Signal Desktop profile directory from a JSON description, with Signal's own SQLCipher build.
//
//   node make-profile.mjs --spec spec.json --out DIR
//
// Output:
//   DIR/config.json            {"key": "<64 hex>"} (or encryptedKey/safeStorageBackend, see "config")
//   DIR/sql/db.sqlite          SQLCipher 4, keyed with PRAGMA key = "x'<hex>'", journal_mode=WAL,
//                              user_version = schemaVersion, current schema (schema.mjs)
//   DIR/sql/db.sqlite-wal      only with walUncheckpointed > 0: the last N messages live only here
//   DIR/attachments.noindex/   attachment files (attachment-files.mjs: plaintext in the spec, encrypted here)
//   DIR/stickers.noindex/      installed sticker images, when the spec has any
// Prints a JSON summary (counts, key, schema version) on stdout.
//
// Spec (all fields optional unless noted; unknown fields are rejected so typos surface):
// {
//   "key": "<64 hex>",              DB key; default: SHA-256 of the spec text, so output is repeatable
//   "config": {                     how config.json stores the key (default {"key": <key>})
//     "omitKey": true,              leave "key" out (e.g. to test the encryptedKey path)
//     "encryptedKey": "<hex>", "safeStorageBackend": "gnome_libsecret", ...any other field copied as is
//   },
//   "era": "current",               schema era: v38, v80, v1000, v1300, current (eras.mjs; README "Schema eras")
//   "legacyRows": N,                eras from 1270 on: the first N messages written the pre-1270 way
//   "schemaVersion": 1830,          PRAGMA user_version (default: the era's version)
//   "pageSize": 4096,               PRAGMA cipher_page_size (Signal leaves the default, 4096)
//   "ownAci": "<uuid>" (required), "ownE164": "+1555…", "ownPni": "<uuid>", "ownDeviceId": 1,
//   "conversations": [ {
//     "id": "<uuid>" (required), "type": "private"|"group" (required),
//     "name", "profileName", "profileFamilyName", "e164", "serviceId", "pni",
//     "groupId" (base64), "members": [conversation ids] (group), "active_at",
//     "json": {...}                 extra fields merged into the conversation JSON
//   } ],
//   "messages": [ {                 in timeline order; received_at counter follows this order
//     "id" (default: derived uuid), "conversationId" (required), "type" (required: incoming,
//     outgoing, call-history, timer-notification, group-v2-change, ...), "body", "sent_at" (required),
//     "received_at", "received_at_ms", "timestamp", "serverTimestamp", "sourceServiceId", "source",
//     "sourceDevice", "readStatus", "seenStatus", "expireTimer", "expirationStartTimestamp",
//     "isViewOnce", "isErased", "serverGuid", "schemaVersion", ...any other message column,
//     "attachments": [ {contentType, size, fileName?, path?, ...message_attachments columns} ],
//     "json": {...}                 the rest of the message object: bodyRanges, quote, reactions,
//                                   editHistory, sendStateByConversationId, groupV2Change, callId, ...
//   } ],
//   "calls": [ {callId, peerId, ringerId?, mode, type, direction, status, timestamp, startedById?,
//               endedTimestamp?} ],                          rows of callsHistory
//   "stickerPacks": [ {id, key, title?, author?, ..., "stickers": [ {id, emoji?, ...} ]} ],
//   "items": { "<id>": <value>, ... }  extra items rows; uuid_id, number_id, pni, device_name,
//                                       version and chromiumRegistrationDoneEver get defaults
//   "messageCounterStart": n,       first received_at (default: first message's sent_at)
//   "walUncheckpointed": N          the last N messages go only into db.sqlite-wal
//   "allowOrphanMessages": true     accept messages whose conversationId names no conversation row
// }
//
// Derived rows: reactions (from json.reactions), edited_messages (from json.editHistory), mentions
// (by Signal's trigger, from json.bodyRanges), messages_fts (by trigger), identityKeys (one per
// private conversation with a serviceId), message_attachments (from "attachments").

import { Database } from '@signalapp/sqlcipher';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeAttachmentFiles } from './attachment-files.mjs';
import { sha256, uuidFrom } from './ids.mjs';
import { MESSAGE_COLUMNS } from './schema.mjs';
import { eraFor } from './eras.mjs';

const SPEC_KEYS = new Set(['key', 'config', 'schemaVersion', 'pageSize', 'ownAci', 'ownE164', 'ownPni',
  'ownDeviceId', 'conversations', 'messages', 'calls', 'stickerPacks', 'items', 'messageCounterStart',
  'walUncheckpointed', 'description', 'allowOrphanMessages', 'era', 'legacyRows']);
const MESSAGE_KEYS = new Set([...MESSAGE_COLUMNS, 'json', 'attachments']);
const CONVERSATION_KEYS = new Set(['id', 'type', 'name', 'profileName', 'profileFamilyName', 'e164',
  'serviceId', 'pni', 'groupId', 'members', 'active_at', 'profileLastFetchedAt', 'expireTimerVersion',
  'json']);

function fail(message) {
  process.stderr.write(`make-profile: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--spec' || a === '--out') {
      args[a.slice(2)] = argv[++i];
    } else {
      fail(`unknown argument ${a}`);
    }
  }
  if (!args.spec || !args.out) {
    fail('usage: node make-profile.mjs --spec spec.json --out DIR');
  }
  return args;
}

function checkKeys(obj, allowed, what) {
  for (const k of Object.keys(obj)) {
    if (!allowed.has(k)) {
      fail(`${what}: unknown field "${k}"`);
    }
  }
}

function toSqlValue(v) {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' || typeof v === 'string') return v;
  return JSON.stringify(v);
}

function insertRow(db, table, row) {
  const cols = Object.keys(row).filter((k) => row[k] !== undefined);
  const sql = `INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
  db.prepare(sql).run(cols.map((c) => toSqlValue(row[c])));
}

function build(spec, specText, outDir) {
  checkKeys(spec, SPEC_KEYS, 'spec');
  if (!spec.ownAci) fail('spec.ownAci is required');
  const key = (spec.key ?? sha256(`chat-archive fixture key\n${specText}`).toString('hex')).toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(key)) fail('spec.key must be 64 hex characters');
  const era = eraFor(spec, fail); // schema era (eras.mjs): tables, columns and row shapes
  const schemaVersion = spec.schemaVersion ?? era.version;
  const ownAci = spec.ownAci.toLowerCase();
  const ownDeviceId = spec.ownDeviceId ?? 1;
  const conversations = spec.conversations ?? [];
  const messages = spec.messages ?? [];
  const walCount = spec.walUncheckpointed ?? 0;
  if (walCount < 0 || walCount > messages.length) fail('walUncheckpointed out of range');

  const convById = new Map();
  for (const c of conversations) {
    checkKeys(c, CONVERSATION_KEYS, `conversation ${c.id}`);
    if (!c.id || !c.type) fail('every conversation needs id and type');
    if (convById.has(c.id)) fail(`duplicate conversation ${c.id}`);
    convById.set(c.id, c);
  }
  const convByServiceId = new Map(conversations.filter((c) => c.serviceId).map((c) => [c.serviceId, c]));
  const ownConversation = convByServiceId.get(ownAci);

  // Work in a private temp dir; copy into outDir at the end (the WAL must be copied while open).
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'signal-profile-'));
  const dbPath = path.join(work, 'db.sqlite');
  const db = new Database(dbPath);
  db.pragma(`key = "x'${key}'"`);
  if (spec.pageSize) db.pragma(`cipher_page_size = ${Number(spec.pageSize)}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.initTokenizer();

  era.createSchema(db);
  db.pragma(`user_version = ${schemaVersion}`);

  // Conversations: json holds the whole object, some fields are mirrored in columns.
  const perConversation = {};
  const lastActivity = new Map();
  for (const m of messages) {
    lastActivity.set(m.conversationId, Math.max(lastActivity.get(m.conversationId) ?? 0, m.sent_at));
    perConversation[m.conversationId] = (perConversation[m.conversationId] ?? 0) + 1;
  }
  const memberAcis = (c) => (c.members ?? []).map((id) => {
    const member = convById.get(id);
    if (!member?.serviceId) fail(`group ${c.id}: member ${id} is not a private conversation with a serviceId`);
    return member.serviceId;
  });

  db.transaction(() => {
    for (const c of conversations) {
      const profileFullName = [c.profileName, c.profileFamilyName].filter(Boolean).join(' ') || undefined;
      const activeAt = c.active_at ?? lastActivity.get(c.id);
      const isGroup = c.type === 'group';
      const acis = isGroup ? memberAcis(c) : [];
      if (isGroup && !acis.includes(ownAci)) acis.unshift(ownAci);
      const convMessages = messages.filter((m) => m.conversationId === c.id);
      const json = {
        id: c.id,
        type: c.type,
        version: 2,
        ...(c.name !== undefined ? { name: c.name } : {}),
        ...(c.profileName !== undefined ? { profileName: c.profileName } : {}),
        ...(c.profileFamilyName !== undefined ? { profileFamilyName: c.profileFamilyName } : {}),
        ...(c.e164 !== undefined ? { e164: c.e164 } : {}),
        ...(c.serviceId !== undefined ? { serviceId: c.serviceId } : {}),
        ...(c.pni !== undefined ? { pni: c.pni } : {}),
        ...(isGroup ? {
          groupId: c.groupId,
          groupVersion: 2,
          masterKey: sha256(`master ${c.id}`).toString('base64'),
          secretParams: sha256(`secret ${c.id}`).toString('base64'),
          publicParams: sha256(`public ${c.id}`).toString('base64'),
          revision: 1,
          membersV2: acis.map((aci, i) => ({ aci, role: i === 0 ? 2 : 1, joinedAtVersion: 0 })),
          pendingMembersV2: [],
          pendingAdminApprovalV2: [],
          bannedMembersV2: [],
          accessControl: { attributes: 2, members: 2, addFromInviteLink: 4 },
        } : {}),
        active_at: activeAt,
        timestamp: activeAt,
        unreadCount: 0,
        markedUnread: false,
        verified: 0,
        profileSharing: true,
        messageCount: convMessages.filter((m) => m.type === 'incoming' || m.type === 'outgoing').length,
        sentMessageCount: convMessages.filter((m) => m.type === 'outgoing').length,
        isArchived: false,
        ...(c.json ?? {}),
      };
      insertRow(db, 'conversations', era.conversationRow({
        id: c.id,
        json: JSON.stringify(json),
        active_at: activeAt ?? null,
        type: c.type,
        members: isGroup ? acis.join(' ') : null,
        name: c.name ?? null,
        profileName: c.profileName ?? null,
        profileFamilyName: c.profileFamilyName ?? null,
        profileFullName: profileFullName ?? null,
        e164: c.e164 ?? null,
        serviceId: c.serviceId ?? null,
        groupId: isGroup ? c.groupId : null,
        profileLastFetchedAt: c.profileLastFetchedAt ?? (activeAt ?? null),
        expireTimerVersion: c.expireTimerVersion ?? 1,
      }));
      if (!isGroup && c.serviceId) {
        insertRow(db, 'identityKeys', {
          id: c.serviceId,
          json: JSON.stringify({
            id: c.serviceId,
            publicKey: Buffer.concat([Buffer.from([5]), sha256(`identity ${c.serviceId}`)]).toString('base64'),
            firstUse: true,
            timestamp: (lastActivity.get(c.id) ?? 0) - 86400000,
            verified: 0,
            nonblockingApproval: false,
          }),
        });
      }
    }

    const items = {
      uuid_id: `${ownAci}.${ownDeviceId}`,
      ...(spec.ownE164 ? { number_id: `${spec.ownE164}.${ownDeviceId}` } : {}),
      ...(spec.ownPni ? { pni: `PNI:${spec.ownPni.toLowerCase()}` } : {}),
      device_name: 'Desktop',
      version: 'v7.80.0',
      chromiumRegistrationDoneEver: '',
      ...(spec.items ?? {}),
    };
    for (const [id, value] of Object.entries(era.items(items))) {
      insertRow(db, 'items', { id, json: JSON.stringify({ id, value }) });
    }

    for (const call of era.has.callsHistory ? spec.calls ?? [] : []) {
      insertRow(db, 'callsHistory', era.callRow({
        ringerId: null, startedById: null, endedTimestamp: null, ...call,
      }));
    }

    for (const pack of spec.stickerPacks ?? []) {
      const { stickers = [], ...packRow } = pack;
      insertRow(db, 'sticker_packs', { status: 'installed', stickerCount: stickers.length, ...packRow });
      for (const s of stickers) insertRow(db, 'stickers', { packId: pack.id, ...s });
    }
  })();

  // Messages, in timeline order.
  let counter = spec.messageCounterStart ?? (messages[0]?.sent_at ?? 1);
  const stats = { reactions: 0, editedMessages: 0, messageAttachments: 0 };
  const writeMessage = (m, index) => {
    checkKeys(m, MESSAGE_KEYS, `message ${m.id ?? index}`);
    // A message whose conversation row is gone (real databases have them: no foreign key) is allowed
    // only when the spec says so, so that a typo still fails.
    const conv = convById.get(m.conversationId)
      ?? (spec.allowOrphanMessages ? { id: m.conversationId, type: 'private' } : undefined);
    if (!conv) fail(`message ${m.id ?? index}: unknown conversation ${m.conversationId}`);
    if (!m.type || m.sent_at === undefined) fail(`message ${m.id ?? index}: type and sent_at are required`);
    const incoming = m.type === 'incoming';
    const outgoing = m.type === 'outgoing';
    let sourceServiceId = m.sourceServiceId;
    if (sourceServiceId === undefined) {
      if (outgoing) sourceServiceId = ownAci;
      else if (incoming && conv.type === 'private') sourceServiceId = conv.serviceId;
      else if (incoming) fail(`message ${m.id ?? index}: incoming group message needs sourceServiceId`);
    }
    const sender = sourceServiceId ? convByServiceId.get(sourceServiceId) : undefined;
    const id = m.id ?? uuidFrom(`message ${m.conversationId} ${m.sent_at} ${index}`);
    const receivedAt = m.received_at ?? counter;
    counter = Math.max(counter, receivedAt) + 1;
    const delay = 400 + ((index * 7919) % 2600);
    const receivedAtMs = m.received_at_ms ?? (incoming ? m.sent_at + delay : m.sent_at);
    const json = { ...(m.json ?? {}) };
    const ranges = json.bodyRanges ?? [];
    if (outgoing && json.sendStateByConversationId === undefined) {
      const recipients = conv.type === 'group' ? (conv.members ?? []) : [conv.id];
      json.sendStateByConversationId = Object.fromEntries(recipients
        .filter((rid) => rid !== ownConversation?.id)
        .map((rid) => [rid, { status: 'Read', updatedAt: m.sent_at + 60000 }]));
      if (ownConversation) {
        json.sendStateByConversationId[ownConversation.id] = { status: 'Sent', updatedAt: m.sent_at };
      }
    }
    if (incoming && json.decrypted_at === undefined) json.decrypted_at = receivedAtMs + 5;
    const attachments = m.attachments ?? [];
    const visual = attachments.some((a) => /^(image|video)\//.test(a.contentType ?? ''));
    const row = {
      id,
      json: JSON.stringify(json),
      body: m.body ?? null,
      conversationId: m.conversationId,
      expirationStartTimestamp: m.expirationStartTimestamp ?? (m.expireTimer ? receivedAtMs : null),
      expireTimer: m.expireTimer ?? null,
      hasAttachments: attachments.length > 0 ? 1 : 0,
      hasFileAttachments: attachments.length > 0 && !visual ? 1 : 0,
      hasVisualMediaAttachments: visual ? 1 : 0,
      hasUnreadPollVotes: m.hasUnreadPollVotes ?? 0,
      isChangeCreatedByUs: m.isChangeCreatedByUs
        ?? (m.type === 'group-v2-change' && json.groupV2Change?.from === ownAci ? 1 : 0),
      isErased: m.isErased ?? 0,
      isViewOnce: m.isViewOnce ?? 0,
      mentionsMe: m.mentionsMe ?? (incoming && ranges.some((r) => r.mentionAci === ownAci) ? 1 : 0),
      received_at: receivedAt,
      received_at_ms: receivedAtMs,
      schemaVersion: m.schemaVersion ?? 14,
      serverGuid: m.serverGuid ?? (incoming ? uuidFrom(`guid ${id}`) : null),
      sent_at: m.sent_at,
      source: m.source ?? (outgoing ? spec.ownE164 : sender?.e164) ?? null,
      sourceServiceId: sourceServiceId ?? null,
      sourceDevice: m.sourceDevice ?? (outgoing ? ownDeviceId : incoming ? 1 : null),
      storyId: m.storyId ?? null,
      type: m.type,
      readStatus: m.readStatus ?? 0,
      seenStatus: m.seenStatus ?? 2,
      serverTimestamp: m.serverTimestamp ?? (incoming ? m.sent_at + Math.min(delay, 300) : null),
      timestamp: m.timestamp ?? m.sent_at,
      unidentifiedDeliveryReceived: m.unidentifiedDeliveryReceived ?? (incoming ? 1 : 0),
    };
    insertRow(db, 'messages', era.messageRow(row, attachments, index));

    (era.attachmentRows(index) ? attachments : []).forEach((a, order) => {
      insertRow(db, 'message_attachments', {
        messageId: id,
        editHistoryIndex: -1,
        attachmentType: 'attachment',
        orderInMessage: order,
        conversationId: m.conversationId,
        sentAt: m.sent_at,
        messageType: m.type,
        receivedAt,
        receivedAtMs,
        isViewOnce: row.isViewOnce,
        ...a,
      });
      stats.messageAttachments += 1;
    });

    // Signal keeps one reactions row per reaction (for unread tracking) next to json.reactions.
    for (const r of json.reactions ?? []) {
      insertRow(db, 'reactions', era.reactionRow({
        conversationId: m.conversationId,
        emoji: r.emoji,
        fromId: r.fromId,
        messageReceivedAt: receivedAt,
        targetAuthorAci: sourceServiceId ?? null,
        targetTimestamp: r.targetTimestamp ?? m.sent_at,
        unread: 0,
        messageId: id,
        timestamp: r.timestamp,
      }));
      stats.reactions += 1;
    }

    // One edited_messages row per edit (every editHistory entry except the original, which is last).
    const history = json.editHistory ?? [];
    for (const edit of history.slice(0, Math.max(0, history.length - 1))) {
      insertRow(db, 'edited_messages', era.editRow({
        messageId: id,
        sentAt: edit.timestamp,
        readStatus: edit.readStatus ?? 0,
        conversationId: m.conversationId,
      }, sender?.id ?? ownConversation?.id ?? null));
      stats.editedMessages += 1;
    }
  };

  const checkpointed = messages.slice(0, messages.length - walCount);
  const walOnly = messages.slice(messages.length - walCount);
  db.transaction(() => checkpointed.forEach((m, i) => writeMessage(m, i)))();

  // Compact the bulk-loaded file (merged FTS segments, no free pages), as a long-lived profile would be.
  db.exec("INSERT INTO messages_fts(messages_fts) VALUES ('optimize')");
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
  if (walOnly.length > 0) {
    db.pragma('wal_autocheckpoint = 0');
    db.transaction(() => walOnly.forEach((m, i) => writeMessage(m, checkpointed.length + i)))();
  }

  const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => r.name));
  const counts = Object.fromEntries(['messages', 'conversations', 'items', 'reactions', 'edited_messages',
    'mentions', 'callsHistory', 'identityKeys', 'message_attachments', 'stickers', 'sticker_packs']
    .filter((t) => tables.has(t))
    .map((t) => [t, db.prepare(`SELECT count(*) AS n FROM ${t}`).get().n]));

  // Copy while the writer is open: closing checkpoints the WAL into db.sqlite and deletes it.
  const sqlDir = path.join(outDir, 'sql');
  fs.mkdirSync(sqlDir, { recursive: true });
  for (const f of ['db.sqlite', 'db.sqlite-wal', 'db.sqlite-shm']) fs.rmSync(path.join(sqlDir, f), { force: true });
  fs.copyFileSync(dbPath, path.join(sqlDir, 'db.sqlite'));
  if (walOnly.length > 0) fs.copyFileSync(`${dbPath}-wal`, path.join(sqlDir, 'db.sqlite-wal'));
  db.close();
  fs.rmSync(work, { recursive: true, force: true });

  fs.mkdirSync(path.join(outDir, 'attachments.noindex'), { recursive: true });
  const { omitKey, ...configExtra } = spec.config ?? {};
  const config = { ...(omitKey ? {} : { key }), ...configExtra };
  fs.writeFileSync(path.join(outDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);

  return {
    out: outDir,
    key,
    schemaVersion,
    era: era.name,
    counts,
    walMessages: walOnly.length,
    messagesPerConversation: perConversation,
  };
}

const args = parseArgs(process.argv.slice(2));
const specText = fs.readFileSync(args.spec, 'utf8');
let spec;
try {
  spec = JSON.parse(specText);
} catch (e) {
  fail(`spec is not valid JSON: ${e.message}`);
}
// Attachment files first (attachment-files.mjs): they turn plaintext in the spec into rows that point at them.
const withFiles = writeAttachmentFiles(spec, path.resolve(args.out));
const summary = { ...build(withFiles.spec, specText, path.resolve(args.out)), attachmentFiles: withFiles.files };
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
