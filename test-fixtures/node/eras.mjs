// Schema eras: Signal Desktop databases as its migrations leave them at older schema versions, and the
// way rows were written in each era.
//
// Written for chat-archive from the facts of Signal Desktop's migration history (see
// docs/signal-desktop-format.md §4 and test-fixtures/README.md). The `messages` table of an old era is made
// the way a long-lived database got it: the version-25 table, then ALTER TABLE statements in migration
// order, so column order, renames and the VIRTUAL generated columns (and the CREATE TABLE text SQLite keeps
// in sqlite_master) look like a real one's. `current` is schema.mjs unchanged.
//
// Eras:
//   v38      user_version 38: the read state is the `unread` column (renamed readStatus in 39), no
//            stories (45: storyId, isStory), no seenStatus (56), no isChangeCreatedByUs (47), no
//            edited_messages (80), and deprecatedSourceDevice still there (dropped in 68); GV1 groups
//            (json.groupVersion 1) keep member conversation ids in `members`; plus everything of v80.
//   v80      user_version 80: pre-88 names (conversations.uuid, messages.sourceUuid,
//            reactions.targetAuthorUuid; JSON mentionUuid, authorUuid, membersV2[].uuid, unprefixed pni),
//            calls as json.callHistoryDetails (no callsHistory, 89), edited_messages with fromId (80-81),
//            no mentions table (84), rows carry every field in json (pre-1270), attachments in json.
//   v1000    user_version 1000: ACI names, callsHistory without startedById/endedTimestamp (1210),
//            reactions.timestamp (980), still pre-1270 rows and json attachments.
//   v1300    user_version 1300: 1270 columns (timestamp, received_at_ms, unidentifiedDeliveryReceived,
//            serverTimestamp, source as TEXT at the end), rows written columns-only; no
//            message_attachments (1360), so attachments stay in json.
//   current  user_version 1830 (schema.mjs).
//
// "legacyRows": N (v1300 and current) writes the first N messages as Signal before 1270 did (every field
// also in json) with the 1270 columns filled the way migration 1270 backfilled them (from json), and, for
// eras with message_attachments, their attachments left in json without message_attachments rows (the
// lazy attachment migration never re-saved them).

import { CURRENT_SCHEMA_VERSION, FTS, MESSAGES_TABLE, OTHER_TABLES } from './schema.mjs';

export const ERAS = { v38: 38, v80: 80, v1000: 1000, v1300: 1300, current: CURRENT_SCHEMA_VERSION };

// Type lists of the generated activity columns, as migrations 81 and 1030 wrote them.
const NOT_ACTIVITY_81 = `'change-number-notification', 'contact-removed-notification', 'conversation-merge',
      'group-v1-migration', 'keychange', 'message-history-unsynced', 'profile-change', 'story',
      'universal-timer-notification', 'verified-change'`;
const NOT_USER_INITIATED_81 = `'change-number-notification', 'contact-removed-notification',
      'conversation-merge', 'group-v1-migration', 'group-v2-change', 'keychange', 'message-history-unsynced',
      'profile-change', 'story', 'universal-timer-notification', 'verified-change'`;
const AFFECTS_1030 = `type IS NULL OR type NOT IN (${NOT_ACTIVITY_81})
      AND NOT (type IS 'message-request-response-event'
        AND json_extract(json, '$.messageRequestResponseEvent') IN ('ACCEPT', 'BLOCK', 'UNBLOCK'))`;

const groupLeave = (field) => `type IS 'group-v2-change' AND
      json_array_length(json_extract(json, '$.groupV2Change.details')) IS 1 AND
      json_extract(json, '$.groupV2Change.details[0].type') IS 'member-remove' AND
      json_extract(json, '$.groupV2Change.from') IS NOT NULL AND
      json_extract(json, '$.groupV2Change.from') IS json_extract(json, '$.groupV2Change.details[0].${field}')`;

const add = (def) => `ALTER TABLE messages ADD COLUMN ${def};`;

// The messages table from the version-25 rebuild on, one step per migration that changed its columns.
// [version, statements]; a step applies when version <= the era's version. Columns that a later migration
// dropped and re-added are added once, where they end up, with the definition the era had.
function messagesSteps(v) {
  return [
    [25, `CREATE TABLE messages(
  rowid INTEGER PRIMARY KEY ASC,
  id STRING UNIQUE,
  json TEXT,
  unread INTEGER,
  expires_at INTEGER,
  sent_at INTEGER,
  schemaVersion INTEGER,
  conversationId STRING,
  received_at INTEGER,
  source STRING,
  sourceDevice STRING,
  hasAttachments INTEGER,
  hasFileAttachments INTEGER,
  hasVisualMediaAttachments INTEGER,
  expireTimer INTEGER,
  expirationStartTimestamp INTEGER,
  type STRING,
  body TEXT,
  messageTimer INTEGER,
  messageTimerStart INTEGER,
  messageTimerExpiresAt INTEGER,
  isErased INTEGER,
  isViewOnce INTEGER,
  sourceUuid TEXT);`],
    [32, add('serverGuid STRING NULL')],
    [38, `ALTER TABLE messages RENAME COLUMN sourceDevice TO deprecatedSourceDevice;
          ${add('sourceDevice INTEGER')}`],
    [39, 'ALTER TABLE messages RENAME COLUMN unread TO readStatus;'],
    [45, add('storyId STRING')],
    [47, `${add("isStory INTEGER GENERATED ALWAYS AS (type IS 'story')")}
          ${add('isChangeCreatedByUs INTEGER NOT NULL DEFAULT 0')}
          ${add("isTimerChangeFromSync INTEGER GENERATED ALWAYS AS (json_extract(json, '$.expirationTimerUpdate.fromSync') IS 1)")}`],
    // 47's group-leave columns, re-made by 88 with the ACI field name (and so moved to the end).
    ...(v < 88 ? [[47, `${add(`isGroupLeaveEvent INTEGER GENERATED ALWAYS AS (${groupLeave('uuid')})`)}
          ${add('isGroupLeaveEventFromOther INTEGER GENERATED ALWAYS AS (isGroupLeaveEvent IS 1 AND isChangeCreatedByUs IS 0)')}`]] : []),
    [56, add('seenStatus NUMBER default 0')],
    [61, add('storyDistributionListId STRING')],
    [68, 'ALTER TABLE messages DROP COLUMN deprecatedSourceDevice;'],
    [76, add('expiresAt INT GENERATED ALWAYS AS (ifnull(expirationStartTimestamp + (expireTimer * 1000), 9007199254740991))')],
    // 81 re-made the three activity columns; 1030 re-made shouldAffect* again (moving them to the end).
    ...(v < 1030 ? [[81, `${add(`shouldAffectActivity INTEGER GENERATED ALWAYS AS (type IS NULL OR type NOT IN (${NOT_ACTIVITY_81}))`)}
          ${add(`shouldAffectPreview INTEGER GENERATED ALWAYS AS (type IS NULL OR type NOT IN (${NOT_ACTIVITY_81}))`)}`]] : []),
    [81, add(`isUserInitiatedMessage INTEGER GENERATED ALWAYS AS (type IS NULL OR type NOT IN (${NOT_USER_INITIATED_81}))`)],
    [83, add('mentionsMe INTEGER NOT NULL DEFAULT 0')],
    [88, `ALTER TABLE messages RENAME COLUMN sourceUuid TO sourceServiceId;
          ${add(`isGroupLeaveEvent INTEGER GENERATED ALWAYS AS (${groupLeave('aci')})`)}
          ${add('isGroupLeaveEventFromOther INTEGER GENERATED ALWAYS AS (isGroupLeaveEvent IS 1 AND isChangeCreatedByUs IS 0)')}`],
    [89, add("callId TEXT GENERATED ALWAYS AS (json_extract(json, '$.callId'))")],
    [1030, `${add(`shouldAffectPreview INTEGER GENERATED ALWAYS AS (${AFFECTS_1030})`)}
          ${add(`shouldAffectActivity INTEGER GENERATED ALWAYS AS (${AFFECTS_1030})`)}`],
    [1060, add("isAddressableMessage INTEGER GENERATED ALWAYS AS (type IS NULL OR type IN ('incoming', 'outgoing'))")],
    [1270, `${add('timestamp INTEGER')}
          ${add('received_at_ms INTEGER')}
          ${add('unidentifiedDeliveryReceived INTEGER')}
          ${add('serverTimestamp INTEGER')}
          ALTER TABLE messages RENAME COLUMN source TO legacySource;
          ${add('source TEXT')}
          ALTER TABLE messages DROP COLUMN legacySource;`],
  ].filter(([since]) => since <= v).map(([, sql]) => sql);
}

function otherTables(v) {
  const aci = v >= 88;
  const sid = aci ? 'serviceId' : 'uuid';
  const parts = [`
CREATE INDEX messages_id ON messages (id ASC);
CREATE INDEX messages_receipt ON messages (sent_at);
CREATE INDEX messages_${aci ? 'sourceServiceId' : 'sourceUuid'} on messages(${aci ? 'sourceServiceId' : 'sourceUuid'});
CREATE INDEX messages_searchOrder on messages(received_at, sent_at);
${v >= 47 ? 'CREATE INDEX messages_conversation ON messages (conversationId, isStory, storyId, received_at, sent_at);'
    : 'CREATE INDEX messages_conversation ON messages (conversationId, received_at);'}

CREATE TABLE conversations(
  id STRING PRIMARY KEY ASC,
  json TEXT,
  active_at INTEGER,
  type STRING,
  members TEXT,
  name TEXT,
  profileName TEXT,
  profileFamilyName TEXT,
  profileFullName TEXT,
  e164 TEXT,
  uuid TEXT,
  groupId TEXT,
  profileLastFetchedAt INTEGER
);
${aci ? 'ALTER TABLE conversations RENAME COLUMN uuid TO serviceId;' : ''}
${v >= 1150 ? 'ALTER TABLE conversations ADD COLUMN expireTimerVersion INTEGER NOT NULL DEFAULT 1;' : ''}
CREATE INDEX conversations_active ON conversations (active_at) WHERE active_at IS NOT NULL;
CREATE INDEX conversations_type ON conversations (type) WHERE type IS NOT NULL;
CREATE INDEX conversations_e164 ON conversations(e164);
CREATE INDEX conversations_${sid} ON conversations(${sid});
CREATE INDEX conversations_groupId ON conversations(groupId);

CREATE TABLE identityKeys(id STRING PRIMARY KEY ASC, json TEXT);
CREATE TABLE items(id STRING PRIMARY KEY ASC, json TEXT);

CREATE TABLE sticker_packs(
  id TEXT PRIMARY KEY,
  key TEXT NOT NULL,
  author STRING,
  coverStickerId INTEGER,
  createdAt INTEGER,
  downloadAttempts INTEGER,
  installedAt INTEGER,
  lastUsed INTEGER,
  status STRING,
  stickerCount INTEGER,
  title STRING,
  attemptedStatus STRING,
  position INTEGER DEFAULT 0 NOT NULL,
  storageID STRING,
  storageVersion INTEGER,
  storageUnknownFields BLOB,
  storageNeedsSync INTEGER DEFAULT 0 NOT NULL
);
CREATE TABLE stickers(
  id INTEGER NOT NULL,
  packId TEXT NOT NULL,
  emoji STRING,
  height INTEGER,
  isCoverOnly INTEGER,
  lastUsed INTEGER,
  path STRING,
  width INTEGER,
  PRIMARY KEY (id, packId),
  CONSTRAINT stickers_fk FOREIGN KEY (packId) REFERENCES sticker_packs(id) ON DELETE CASCADE
);
${v >= 1110 ? `ALTER TABLE stickers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE stickers ADD COLUMN localKey TEXT;
ALTER TABLE stickers ADD COLUMN size INTEGER;` : ''}

CREATE TABLE reactions(
  conversationId STRING,
  emoji STRING,
  fromId STRING,
  messageReceivedAt INTEGER,
  targetAuthorUuid STRING,
  targetTimestamp INTEGER,
  unread INTEGER
);
ALTER TABLE reactions ADD COLUMN messageId STRING;
${v >= 980 ? 'ALTER TABLE reactions ADD COLUMN timestamp NUMBER;' : ''}
${aci ? 'ALTER TABLE reactions RENAME COLUMN targetAuthorUuid TO targetAuthorAci;' : ''}
CREATE INDEX reactions_unread ON reactions (conversationId, unread);
CREATE INDEX reactions_messageId ON reactions (messageId);

`];
  if (v >= 80) {
    parts.push(`
CREATE TABLE edited_messages(
  fromId STRING,
  messageId STRING REFERENCES messages(id) ON DELETE CASCADE,
  sentAt INTEGER,
  readStatus INTEGER
);
${v >= 82 ? `ALTER TABLE edited_messages DROP COLUMN fromId;
ALTER TABLE edited_messages ADD COLUMN conversationId STRING;` : ''}
CREATE INDEX edited_messages_sent_at ON edited_messages (sentAt);
CREATE INDEX edited_messages_messageId ON edited_messages(messageId);
`);
  }
  if (v >= 84) {
    const col = aci ? 'mentionAci' : 'mentionUuid';
    const select = `SELECT messages.id, bodyRanges.value ->> '${col}' as ${col},
        bodyRanges.value ->> 'start' as start, bodyRanges.value ->> 'length' as length
      FROM messages, json_each(messages.json ->> 'bodyRanges') as bodyRanges
      WHERE bodyRanges.value ->> '${col}' IS NOT NULL`;
    parts.push(`
CREATE TABLE mentions (
  messageId REFERENCES messages(id) ON DELETE CASCADE,
  ${col} STRING,
  start INTEGER,
  length INTEGER
);
CREATE INDEX mentions_messageId ON mentions(messageId);
CREATE TRIGGER messages_on_insert_insert_mentions AFTER INSERT ON messages
BEGIN
  INSERT INTO mentions (messageId, ${col}, start, length) ${select} AND messages.id = new.id;
END;
`);
  }
  if (v >= 89) {
    parts.push(`
CREATE TABLE callsHistory (
  callId TEXT PRIMARY KEY,
  peerId TEXT NOT NULL,
  ringerId TEXT DEFAULT NULL,
  mode TEXT NOT NULL,
  type TEXT NOT NULL,
  direction TEXT NOT NULL,
  status TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  UNIQUE (callId, peerId) ON CONFLICT FAIL
);
${v >= 1210 ? `ALTER TABLE callsHistory ADD COLUMN startedById TEXT DEFAULT NULL;
ALTER TABLE callsHistory ADD COLUMN endedTimestamp INTEGER DEFAULT NULL;` : ''}
`);
  }
  return parts.join('\n');
}

// Full-text search before 1500 indexed body directly (no isSearchable/searchableText columns).
const ftsBefore1500 = (v) => `
CREATE VIRTUAL TABLE messages_fts USING fts5(body, tokenize = 'signal_tokenizer');
INSERT INTO messages_fts (messages_fts, rank) VALUES ('secure-delete', 1);
CREATE TRIGGER messages_on_insert AFTER INSERT ON messages
  WHEN new.isViewOnce IS NOT 1${v >= 45 ? ' AND new.storyId IS NULL' : ''}
  BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (new.rowid, new.body);
  END;
CREATE TRIGGER messages_on_delete AFTER DELETE ON messages BEGIN
  DELETE FROM messages_fts WHERE rowid = old.rowid;
END;
`;

// Fields saveMessage keeps as columns only since 1270; before, the whole message object went into json.
const ROW_FIELDS_IN_JSON = ['id', 'body', 'conversationId', 'type', 'sent_at', 'received_at', 'received_at_ms',
  'timestamp', 'serverTimestamp', 'source', 'sourceServiceId', 'sourceDevice', 'readStatus', 'seenStatus',
  'expireTimer', 'expirationStartTimestamp', 'unidentifiedDeliveryReceived', 'schemaVersion', 'serverGuid',
  'isViewOnce', 'isErased', 'storyId'];
const COLUMNS_FROM_1270 = ['timestamp', 'received_at_ms', 'unidentifiedDeliveryReceived', 'serverTimestamp'];

// Pre-88 names inside message JSON (migration 88 renamed them to ACI/service id names).
function toUuidNames(json) {
  const ranges = (arr) => arr?.map(({ mentionAci, ...r }) => (mentionAci === undefined ? r : { ...r, mentionUuid: mentionAci }));
  const out = { ...json };
  if (out.sourceServiceId !== undefined) {
    out.sourceUuid = out.sourceServiceId;
    delete out.sourceServiceId;
  }
  if (out.bodyRanges) out.bodyRanges = ranges(out.bodyRanges);
  if (out.quote) {
    const { authorAci, ...q } = out.quote;
    out.quote = { ...q, ...(authorAci !== undefined ? { authorUuid: authorAci } : {}) };
    if (q.bodyRanges) out.quote.bodyRanges = ranges(q.bodyRanges);
  }
  if (out.editHistory) out.editHistory = out.editHistory.map((e) => (e.bodyRanges ? { ...e, bodyRanges: ranges(e.bodyRanges) } : e));
  if (out.expirationTimerUpdate?.sourceServiceId !== undefined) {
    const { sourceServiceId, ...u } = out.expirationTimerUpdate;
    out.expirationTimerUpdate = { ...u, sourceUuid: sourceServiceId };
  }
  if (out.groupV2Change?.details) {
    out.groupV2Change = {
      ...out.groupV2Change,
      details: out.groupV2Change.details.map(({ aci, ...d }) => (aci === undefined ? d : { ...d, uuid: aci })),
    };
  }
  if (out.storyReplyContext?.authorAci !== undefined) {
    const { authorAci, ...s } = out.storyReplyContext;
    out.storyReplyContext = { ...s, authorUuid: authorAci };
  }
  return out;
}

// What a call-history message held before callsHistory (89): the details, from the callsHistory row.
function callHistoryDetails(call) {
  const accepted = call.status === 'Accepted';
  return {
    callMode: call.mode === 'Group' ? 'Group' : 'Direct',
    wasIncoming: call.direction === 'Incoming',
    wasVideoCall: call.type === 'Video',
    wasDeclined: call.status === 'Declined',
    ...(accepted ? { acceptedTime: call.timestamp } : {}),
    ...(call.endedTimestamp != null ? { endedTime: call.endedTimestamp } : {}),
  };
}

// An attachment as the message JSON holds it (AttachmentType), from the spec's message_attachments-style
// fields: the renames of convertAttachmentDBFieldsToAttachmentType, the thumbnail/screenshot/backup
// thumbnail columns folded into objects, and the row-placement columns left out.
const RENAMED = { transitCdnKey: 'cdnKey', transitCdnNumber: 'cdnNumber',
  transitCdnUploadTimestamp: 'uploadTimestamp', incrementalMacChunkSize: 'chunkSize',
  copiedFromQuotedAttachment: 'copied', storyTextAttachmentJson: 'textAttachment' };
const NESTED = { thumbnail: 'thumbnail', screenshot: 'screenshot', backupThumbnail: 'thumbnailFromBackup' };
const PLACEMENT = new Set(['messageId', 'editHistoryIndex', 'attachmentType', 'orderInMessage', 'conversationId',
  'sentAt', 'messageType', 'receivedAt', 'receivedAtMs', 'isViewOnce']);

function attachmentJson(a) {
  const out = {};
  for (const [k, val] of Object.entries(a)) {
    if (val === null || val === undefined || PLACEMENT.has(k)) continue;
    const prefix = Object.keys(NESTED).find((p) => k.startsWith(p) && k.length > p.length
      && /[A-Z]/.test(k[p.length]));
    if (prefix) {
      const field = k[prefix.length].toLowerCase() + k.slice(prefix.length + 1);
      out[NESTED[prefix]] = { ...(out[NESTED[prefix]] ?? {}), [field]: val };
    } else if (k === 'storyTextAttachmentJson') {
      out.textAttachment = typeof val === 'string' ? JSON.parse(val) : val;
    } else {
      out[RENAMED[k] ?? k] = val;
    }
  }
  return out;
}

/** The era a spec asks for, with hooks make-profile.mjs calls while it writes the database. */
export function eraFor(spec, fail) {
  const name = spec.era ?? 'current';
  const v = ERAS[name];
  if (v === undefined) fail(`unknown era "${name}" (known: ${Object.keys(ERAS).join(', ')})`);
  const legacyRows = spec.legacyRows ?? 0;
  if (legacyRows > 0 && v < 1270) fail(`legacyRows needs an era from 1270 on; in ${name} every row is written that way`);
  if (legacyRows < 0 || legacyRows > (spec.messages ?? []).length) fail('legacyRows out of range');
  const calls = new Map((spec.calls ?? []).map((c) => [c.callId, c]));
  const aci = v >= 88;

  return {
    name,
    version: v,
    has: { callsHistory: v >= 89, messageAttachments: v >= 1360 },

    createSchema(db) {
      if (name === 'current') {
        db.exec(MESSAGES_TABLE);
        db.exec(OTHER_TABLES);
        db.exec(FTS);
        return;
      }
      for (const sql of messagesSteps(v)) db.exec(sql);
      db.exec(otherTables(v));
      db.exec(ftsBefore1500(v));
    },

    conversationRow(row) {
      const json = JSON.parse(row.json);
      const out = { ...row };
      if (v < 1150) delete out.expireTimerVersion;
      if (!aci) {
        out.uuid = out.serviceId;
        delete out.serviceId;
        if (json.serviceId !== undefined) {
          json.uuid = json.serviceId;
          delete json.serviceId;
        }
        if (json.membersV2) json.membersV2 = json.membersV2.map(({ aci: a, ...m }) => ({ ...m, uuid: a }));
        if (typeof json.pni === 'string') json.pni = json.pni.replace(/^PNI:/, '');
      }
      if (json.type === 'group' && json.groupVersion === 1) {
        // A GV1 group: members are conversation ids (json.members, mirrored space-separated in the column).
        for (const k of ['membersV2', 'pendingMembersV2', 'pendingAdminApprovalV2', 'bannedMembersV2', 'masterKey',
          'secretParams', 'publicParams', 'revision', 'accessControl']) delete json[k];
        out.members = (json.members ?? []).join(' ');
      }
      out.json = JSON.stringify(json);
      return out;
    },

    items(items) {
      return !aci && items.pni ? { ...items, pni: items.pni.replace(/^PNI:/, '') } : items;
    },

    callRow(call) {
      if (v >= 1210) return call;
      const { startedById, endedTimestamp, ...rest } = call;
      return rest;
    },

    /** True when message `index` is written the way Signal wrote rows before 1270. */
    legacy(index) {
      return v < 1270 || index < legacyRows;
    },

    /** True when this message's attachments get message_attachments rows (else they stay in json). */
    attachmentRows(index) {
      return v >= 1360 && index >= legacyRows;
    },

    /** Reshapes a messages row (json as text) the way this era stores it. */
    messageRow(row, attachments, index) {
      let json = JSON.parse(row.json);
      const out = { ...row };
      if (v < 80 && json.editHistory) fail(`message ${row.id}: era ${name} has no edits (edited_messages, 80)`);
      if (v < 45 && row.type === 'story') fail(`message ${row.id}: era ${name} has no stories (45)`);
      if (!this.attachmentRows(index) && attachments.length > 0) json.attachments = attachments.map(attachmentJson);
      if (v < 89 && json.callId !== undefined && calls.has(json.callId)) {
        // Before callsHistory the call's details lived in the message.
        const { callId, ...rest } = json;
        json = { ...rest, callHistoryDetails: callHistoryDetails(calls.get(callId)) };
      }
      if (this.legacy(index)) {
        // The whole message object, columns included; json's own fields (e.g. a stale readStatus) win.
        const fields = Object.fromEntries(ROW_FIELDS_IN_JSON
          .filter((k) => row[k] !== null && row[k] !== undefined)
          .filter((k) => !(k === 'isViewOnce' || k === 'isErased') || row[k])
          .map((k) => [k, row[k]]));
        json = { ...fields, ...json };
        if (v >= 1270) {
          // Migration 1270 filled its new columns from json; source = IFNULL(json.source, '+' || legacySource).
          for (const k of COLUMNS_FROM_1270) out[k] = json[k] ?? null;
        }
      }
      if (!aci && json.reactions) {
        json.reactions = json.reactions.map((r) => ({ ...r, targetAuthorUuid: row.sourceServiceId ?? undefined }));
      }
      if (!aci) json = toUuidNames(json);
      if (v < 1270) for (const k of COLUMNS_FROM_1270) delete out[k];
      if (v < 1520) delete out.hasUnreadPollVotes;
      if (v < 83) delete out.mentionsMe;
      if (v < 56) delete out.seenStatus;
      if (v < 47) delete out.isChangeCreatedByUs;
      if (v < 45) delete out.storyId;
      if (v < 39) {
        // The read state was `unread` (1 = unread) in the column and, only while unread, in json.
        out.unread = out.readStatus;
        delete out.readStatus;
        const { readStatus, seenStatus, ...rest } = json;
        json = { ...rest, ...(readStatus === 1 ? { unread: 1 } : {}) };
      }
      if (!aci) {
        out.sourceUuid = out.sourceServiceId;
        delete out.sourceServiceId;
      }
      out.json = JSON.stringify(json);
      return out;
    },

    reactionRow(row) {
      const out = { ...row };
      if (v < 980) delete out.timestamp;
      if (!aci) {
        out.targetAuthorUuid = out.targetAuthorAci;
        delete out.targetAuthorAci;
      }
      return out;
    },

    editRow(row, fromId) {
      if (v >= 82) return row;
      const { conversationId, ...rest } = row;
      return { fromId, ...rest };
    },
  };
}
