#!/usr/bin/env node
// Adds a week's worth of activity to an existing Signal Desktop profile (one made by make-large-profile.mjs, or
// any profile of the current schema), with Signal's own SQLCipher build, as the app would write it:
//
//   node add-messages.mjs --profile DIR --key HEX64 [--messages 1000] [--conversations 8] [--changes 10]
//                         [--seed 1]
//
// - --messages new messages (incoming and outgoing text, a few with reactions), after the newest message of
//   the profile, spread over --conversations conversations picked at random (seeded) among those that have
//   messages; each of those conversation rows gets its activity time updated, as Signal does;
// - --changes changes to older messages of the same conversations, of each kind in turn: a reaction added
//   (message json and the reactions table), an edit (editHistory and edited_messages), a read-state change,
//   and a message deleted for everyone.
//
// The writes go through the database's own journal (WAL), so the profile looks like one Signal has just written.
// Prints a JSON summary on stdout: the conversations touched with their sizes and what was added or changed.
import { Database } from '@signalapp/sqlcipher';
import path from 'node:path';
import { makeRandom, uuidFrom } from './ids.mjs';
import { parseOptions, usageError } from './args.mjs';

const fail = usageError('add-messages');

function parseArgs(argv) {
  const opts = { messages: 1000, conversations: 8, changes: 10, seed: 1 };
  parseOptions(argv, fail, (a, v) => {
    switch (a) {
      case '--profile': opts.profile = v(); break;
      case '--key': opts.key = v().toLowerCase(); break;
      case '--messages': opts.messages = Number(v()); break;
      case '--conversations': opts.conversations = Number(v()); break;
      case '--changes': opts.changes = Number(v()); break;
      case '--seed': opts.seed = Number(v()); break;
      default: return false;
    }
    return true;
  });
  if (!opts.profile || !/^[0-9a-f]{64}$/.test(opts.key ?? '')) {
    fail('usage: node add-messages.mjs --profile DIR --key HEX64 [--messages N] [--conversations K] [--changes C]');
  }
  return opts;
}


const WORDS = ['see you at eight', 'Спасибо!', 'ok 👍', 'Καλημέρα', 'どうもありがとう', 'on my way 🚲', 'שבת שלום',
  'नमस्ते', 'did you get the photos?', 'ça marche', 'สวัสดี', 'مرحبا', 'running late, sorry 🙈'];

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const rand = makeRandom(opts.seed * 7919 + opts.messages);
  const pick = (arr) => arr[Math.floor(rand() * arr.length)];
  const db = new Database(path.join(path.resolve(opts.profile), 'sql', 'db.sqlite'));
  db.pragma(`key = "x'${opts.key}'"`);
  db.initTokenizer();

  const own = db.prepare("SELECT json FROM items WHERE id = 'uuid_id'").get();
  const ownAci = own ? JSON.parse(own.json).value.split('.')[0] : null;
  const ownConv = ownAci ? db.prepare('SELECT id FROM conversations WHERE serviceId = ?').get([ownAci]) : null;
  const withMessages = db.prepare(`SELECT c.id, c.type, c.serviceId, c.members, c.json, n FROM conversations c
      JOIN (SELECT conversationId, count(*) AS n FROM messages GROUP BY conversationId) m ON m.conversationId = c.id
      ORDER BY c.id`).all();
  if (withMessages.length === 0) fail('the profile has no conversation with messages');
  const targets = [];
  while (targets.length < Math.min(opts.conversations, withMessages.length)) {
    const c = pick(withMessages);
    if (!targets.includes(c)) targets.push(c);
  }
  const last = db.prepare('SELECT max(sent_at) AS s, max(received_at) AS r FROM messages').get();
  let sentAt = Math.max(Number(last.s ?? 0), Date.UTC(2026, 1, 27)) + 60000;
  let receivedAt = Number(last.r ?? 0) + 1;

  const cols = ['id', 'json', 'body', 'conversationId', 'type', 'sent_at', 'timestamp', 'received_at', 'received_at_ms',
    'serverTimestamp', 'sourceServiceId', 'source', 'sourceDevice', 'readStatus', 'seenStatus', 'schemaVersion',
    'hasAttachments', 'hasFileAttachments', 'hasVisualMediaAttachments', 'isErased', 'isViewOnce',
    'isChangeCreatedByUs', 'mentionsMe', 'hasUnreadPollVotes', 'unidentifiedDeliveryReceived', 'serverGuid'];
  const insert = db.prepare(`INSERT INTO messages (${cols.map((c) => `"${c}"`).join(', ')})
      VALUES (${cols.map(() => '?').join(', ')})`);
  const insertReaction = db.prepare(`INSERT INTO reactions (conversationId, emoji, fromId, messageReceivedAt,
      targetAuthorAci, targetTimestamp, unread, messageId, timestamp) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`);
  const insertEdit = db.prepare('INSERT INTO edited_messages (messageId, sentAt, readStatus, conversationId) VALUES (?, ?, 0, ?)');
  const updateJson = db.prepare('UPDATE messages SET json = ? WHERE id = ?');
  const touched = new Map(targets.map((c) => [c.id, { id: c.id, type: c.type, messagesBefore: c.n, added: 0 }]));
  const changed = { reactions: 0, edits: 0, readStatus: 0, deletedForEveryone: 0 };

  db.transaction(() => {
    for (let i = 0; i < opts.messages; i += 1) {
      const conv = pick(targets);
      const members = conv.type === 'group' ? (conv.members ?? '').split(' ').filter((a) => a && a !== ownAci) : [];
      const outgoing = rand() < 0.45;
      const author = outgoing ? ownAci : conv.type === 'group' ? pick(members) ?? ownAci : conv.serviceId;
      sentAt += 1000 + Math.floor(rand() * 60000);
      const id = uuidFrom(`added message ${opts.seed} ${i}`);
      const json = {};
      if (outgoing) {
        json.sendStateByConversationId = { [conv.id]: { status: 'Delivered', updatedAt: sentAt + 2000 } };
      }
      const body = `${pick(WORDS)} (${i})`;
      insert.run([id, JSON.stringify(json), body, conv.id, outgoing ? 'outgoing' : 'incoming', sentAt, sentAt,
        receivedAt, outgoing ? sentAt : sentAt + 700, outgoing ? null : sentAt + 300, author, null, 1,
        outgoing ? 0 : 1, outgoing ? 2 : 0, 14, 0, 0, 0, 0, 0, 0, 0, 0, outgoing ? 0 : 1,
        outgoing ? null : uuidFrom(`added guid ${id}`)]);
      receivedAt += 1;
      touched.get(conv.id).added += 1;
    }
    // Changes to older messages of the same conversations, one kind after the other.
    const older = db.prepare(`SELECT id, json, sent_at, sourceServiceId, conversationId, received_at FROM messages
        WHERE conversationId = ? AND type IN ('incoming', 'outgoing') AND received_at < ?
        ORDER BY received_at DESC LIMIT 1 OFFSET ?`);
    const firstNew = Number(last.r ?? 0) + 1;
    for (let k = 0; k < opts.changes; k += 1) {
      const conv = targets[k % targets.length];
      const row = older.get([conv.id, firstNew, 5 + Math.floor(rand() * 50)]);
      if (!row) continue;
      const json = JSON.parse(row.json || '{}');
      const at = sentAt + 1000 * (k + 1);
      switch (k % 4) {
        case 0: {
          json.reactions = [...(json.reactions ?? []), { emoji: '❤️', fromId: ownConv?.id ?? conv.id,
            targetTimestamp: row.sent_at, timestamp: at }];
          updateJson.run([JSON.stringify(json), row.id]);
          insertReaction.run([conv.id, '❤️', ownConv?.id ?? conv.id, row.received_at, row.sourceServiceId,
            row.sent_at, row.id, at]);
          changed.reactions += 1;
          break;
        }
        case 1: {
          const prev = json.editHistory ?? [{ body: null, timestamp: row.sent_at, received_at_ms: row.sent_at }];
          const body = `edited: ${pick(WORDS)}`;
          json.editHistory = [{ body, timestamp: at, received_at_ms: at + 500, readStatus: 0 }, ...prev];
          json.editMessageTimestamp = at;
          json.editMessageReceivedAtMs = at + 500;
          db.prepare('UPDATE messages SET json = ?, body = ? WHERE id = ?').run([JSON.stringify(json), body, row.id]);
          insertEdit.run([row.id, at, conv.id]);
          changed.edits += 1;
          break;
        }
        case 2:
          db.prepare('UPDATE messages SET readStatus = 2, seenStatus = 2 WHERE id = ?').run([row.id]);
          changed.readStatus += 1;
          break;
        default: {
          json.deletedForEveryone = true;
          json.deletedForEveryoneTimestamp = at;
          db.prepare('UPDATE messages SET json = ?, body = NULL WHERE id = ?').run([JSON.stringify(json), row.id]);
          changed.deletedForEveryone += 1;
        }
      }
    }
    for (const c of targets) {
      const json = JSON.parse(c.json || '{}');
      json.active_at = sentAt;
      json.timestamp = sentAt;
      db.prepare('UPDATE conversations SET json = ?, active_at = ? WHERE id = ?').run([JSON.stringify(json), sentAt, c.id]);
    }
  })();
  const total = db.prepare('SELECT count(*) AS n FROM messages').get().n;
  db.close();
  process.stdout.write(`${JSON.stringify({
    profile: path.resolve(opts.profile), added: opts.messages, changed, messages: total,
    conversations: [...touched.values()], seconds: (Date.now() - started) / 1000,
  }, null, 1)}\n`);
}

main();
