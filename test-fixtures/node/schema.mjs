// Current Signal Desktop schema (user_version 1830) for the tables an archive reader needs.
//
// Written for chat-archive from the facts of Signal Desktop's migration history (column names, types,
// defaults, generated-column expressions and the order in which columns were added, renamed and
// dropped). Columns appear in the order a long-lived database ends up with: the version-25 rebuild of
// `messages`, then every later ALTER TABLE ADD COLUMN appended at the end (a dropped and re-added
// generated column moves to the end). Where a column came from an ALTER TABLE, the comment names the
// schema version. See test-fixtures/README.md for what is and is not covered.

export const CURRENT_SCHEMA_VERSION = 1830;

// Types whose messages do not count as activity/preview (migration 1030 list).
const NOT_ACTIVITY_TYPES = `
      'change-number-notification',
      'contact-removed-notification',
      'conversation-merge',
      'group-v1-migration',
      'keychange',
      'message-history-unsynced',
      'profile-change',
      'story',
      'universal-timer-notification',
      'verified-change'`;

const AFFECTS_ACTIVITY = `
    type IS NULL
    OR
    type NOT IN (${NOT_ACTIVITY_TYPES}
    )
    AND NOT (
      type IS 'message-request-response-event'
      AND json_extract(json, '$.messageRequestResponseEvent') IN ('ACCEPT', 'BLOCK', 'UNBLOCK')
    )`;

export const MESSAGES_TABLE = `
CREATE TABLE messages(
  rowid INTEGER PRIMARY KEY ASC,
  id STRING UNIQUE,
  json TEXT,
  readStatus INTEGER,                 -- 'unread' until 39
  expires_at INTEGER,
  sent_at INTEGER,
  schemaVersion INTEGER,
  conversationId STRING,
  received_at INTEGER,
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
  sourceServiceId TEXT,               -- 'sourceUuid' until 88
  serverGuid STRING NULL,             -- 32
  sourceDevice INTEGER,               -- 38
  storyId STRING,                     -- 45
  isStory INTEGER
    GENERATED ALWAYS AS (type IS 'story'),            -- 47
  isChangeCreatedByUs INTEGER NOT NULL DEFAULT 0,     -- 47
  isTimerChangeFromSync INTEGER
    GENERATED ALWAYS AS (
      json_extract(json, '$.expirationTimerUpdate.fromSync') IS 1
    ),                                                -- 47
  seenStatus NUMBER default 0,                        -- 56
  storyDistributionListId STRING,                     -- 61
  expiresAt INT
    GENERATED ALWAYS AS (ifnull(
      expirationStartTimestamp + (expireTimer * 1000),
      9007199254740991
    )),                                               -- 76
  isUserInitiatedMessage INTEGER
    GENERATED ALWAYS AS (
      type IS NULL
      OR
      type NOT IN (
        'change-number-notification',
        'contact-removed-notification',
        'conversation-merge',
        'group-v1-migration',
        'group-v2-change',
        'keychange',
        'message-history-unsynced',
        'profile-change',
        'story',
        'universal-timer-notification',
        'verified-change'
      )
    ),                                                -- 81
  mentionsMe INTEGER NOT NULL DEFAULT 0,              -- 83
  isGroupLeaveEvent INTEGER
    GENERATED ALWAYS AS (
      type IS 'group-v2-change' AND
      json_array_length(json_extract(json, '$.groupV2Change.details')) IS 1 AND
      json_extract(json, '$.groupV2Change.details[0].type') IS 'member-remove' AND
      json_extract(json, '$.groupV2Change.from') IS NOT NULL AND
      json_extract(json, '$.groupV2Change.from') IS json_extract(json, '$.groupV2Change.details[0].aci')
    ),                                                -- 88
  isGroupLeaveEventFromOther INTEGER
    GENERATED ALWAYS AS (
      isGroupLeaveEvent IS 1
      AND
      isChangeCreatedByUs IS 0
    ),                                                -- 88
  callId TEXT
    GENERATED ALWAYS AS (
      json_extract(json, '$.callId')
    ),                                                -- 89
  shouldAffectPreview INTEGER
    GENERATED ALWAYS AS (${AFFECTS_ACTIVITY}),        -- 1030
  shouldAffectActivity INTEGER
    GENERATED ALWAYS AS (${AFFECTS_ACTIVITY}),        -- 1030
  isAddressableMessage INTEGER
    GENERATED ALWAYS AS (
      type IS NULL
      OR
      type IN (
        'incoming',
        'outgoing'
      )
    ),                                                -- 1060
  timestamp INTEGER,                                  -- 1270
  received_at_ms INTEGER,                             -- 1270
  unidentifiedDeliveryReceived INTEGER,               -- 1270
  serverTimestamp INTEGER,                            -- 1270
  source TEXT,                                        -- 1270 (re-created as TEXT)
  isSearchable INT
    GENERATED ALWAYS AS (isViewOnce IS NOT 1 AND storyId IS NULL) VIRTUAL,   -- 1500
  searchableText TEXT GENERATED ALWAYS AS (
    CASE
      WHEN json->'poll' IS NOT NULL THEN json->'poll'->>'question'
      ELSE body
    END
    ) VIRTUAL,                                        -- 1500
  hasUnreadPollVotes INTEGER NOT NULL DEFAULT 0,      -- 1520
  hasExpireTimer INTEGER NOT NULL
    GENERATED ALWAYS AS (COALESCE(expireTimer, 0) > 0) VIRTUAL,             -- 1530
  hasPreviews INTEGER NOT NULL
    GENERATED ALWAYS AS (
      IFNULL(json_array_length(json, '$.preview'), 0) > 0
    ),                                                -- 1550
  hasContacts INTEGER NOT NULL
    GENERATED ALWAYS AS (
      IFNULL(json_array_length(json, '$.contact'), 0) > 0
    )                                                 -- 1610
);
`;

const MENTIONS_SELECT = `
    SELECT messages.id, bodyRanges.value ->> 'mentionAci' as mentionAci,
      bodyRanges.value ->> 'start' as start,
      bodyRanges.value ->> 'length' as length
    FROM messages, json_each(messages.json ->> 'bodyRanges') as bodyRanges
    WHERE bodyRanges.value ->> 'mentionAci' IS NOT NULL`;

export const OTHER_TABLES = `
CREATE INDEX messages_id ON messages (id ASC);
CREATE INDEX messages_receipt ON messages (sent_at);
CREATE INDEX messages_schemaVersion ON messages (schemaVersion);
CREATE INDEX messages_sourceServiceId on messages(sourceServiceId);
CREATE INDEX messages_searchOrder on messages(received_at, sent_at);
CREATE INDEX messages_conversation ON messages
  (conversationId, isStory, storyId, received_at, sent_at);
CREATE INDEX messages_conversation_no_story_id ON messages
  (conversationId, isStory, received_at, sent_at);
CREATE INDEX messages_unread ON messages
  (conversationId, readStatus, isStory, storyId, received_at, sent_at) WHERE readStatus IS NOT NULL;
CREATE INDEX messages_expires_at ON messages (expiresAt);
CREATE INDEX messages_preview ON messages
  (conversationId, shouldAffectPreview, isGroupLeaveEventFromOther, received_at, sent_at);
CREATE INDEX messages_activity ON messages
  (conversationId, shouldAffectActivity, isTimerChangeFromSync, isGroupLeaveEventFromOther, received_at, sent_at);
CREATE INDEX message_user_initiated ON messages (conversationId, isUserInitiatedMessage);
CREATE INDEX messages_call ON messages
  (type, conversationId, callId, sent_at) WHERE type IS 'call-history';
CREATE INDEX messages_by_date_addressable ON messages
  (conversationId, isAddressableMessage, received_at, sent_at);

CREATE TABLE conversations(
  id STRING PRIMARY KEY ASC,
  json TEXT,
  active_at INTEGER,
  type STRING,
  members TEXT,
  name TEXT,
  profileName TEXT,
  profileFamilyName TEXT,            -- 19
  profileFullName TEXT,              -- 19
  e164 TEXT,                         -- 20
  serviceId TEXT,                    -- 20 as 'uuid', renamed in 88
  groupId TEXT,                      -- 20
  profileLastFetchedAt INTEGER,      -- 24
  expireTimerVersion INTEGER NOT NULL DEFAULT 1   -- 1150
);
CREATE INDEX conversations_active ON conversations (active_at) WHERE active_at IS NOT NULL;
CREATE INDEX conversations_type ON conversations (type) WHERE type IS NOT NULL;
CREATE INDEX conversations_e164 ON conversations(e164);
CREATE INDEX conversations_serviceId ON conversations(serviceId);
CREATE INDEX conversations_groupId ON conversations(groupId);

CREATE TABLE identityKeys(
  id STRING PRIMARY KEY ASC,
  json TEXT
);

CREATE TABLE items(
  id STRING PRIMARY KEY ASC,
  json TEXT
);

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
  attemptedStatus STRING,                         -- 13
  position INTEGER DEFAULT 0 NOT NULL,            -- 65
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
  version INTEGER NOT NULL DEFAULT 1,             -- 1110
  localKey TEXT,                                  -- 1110
  size INTEGER,                                   -- 1110
  PRIMARY KEY (id, packId),
  CONSTRAINT stickers_fk
    FOREIGN KEY (packId)
    REFERENCES sticker_packs(id)
    ON DELETE CASCADE
);

CREATE TABLE reactions(
  conversationId STRING,
  emoji STRING,
  fromId STRING,
  messageReceivedAt INTEGER,
  targetAuthorAci STRING,          -- 'targetAuthorUuid' until 88
  targetTimestamp INTEGER,
  unread INTEGER,
  messageId STRING,                -- 37
  timestamp NUMBER                 -- 980
);
CREATE INDEX reactions_unread ON reactions (conversationId, unread);
CREATE INDEX reaction_identifier ON reactions (emoji, targetAuthorAci, targetTimestamp);
CREATE INDEX reactions_byTimestamp ON reactions (fromId, timestamp);
CREATE INDEX reactions_messageId ON reactions (messageId);

CREATE TABLE edited_messages(
  messageId STRING REFERENCES messages(id)
    ON DELETE CASCADE,
  sentAt INTEGER,
  readStatus INTEGER,
  conversationId STRING            -- 82 (fromId dropped)
);
CREATE INDEX edited_messages_sent_at ON edited_messages (sentAt);
CREATE INDEX edited_messages_unread ON edited_messages (readStatus, conversationId);
CREATE INDEX edited_messages_messageId ON edited_messages(messageId);

CREATE TABLE mentions (
  messageId REFERENCES messages(id) ON DELETE CASCADE,
  mentionAci STRING,               -- 'mentionUuid' until 88
  start INTEGER,
  length INTEGER
);
CREATE INDEX mentions_aci ON mentions (mentionAci);
CREATE INDEX mentions_messageId ON mentions(messageId);

CREATE TRIGGER messages_on_insert_insert_mentions AFTER INSERT ON messages
BEGIN
  INSERT INTO mentions (messageId, mentionAci, start, length)
  ${MENTIONS_SELECT}
  AND messages.id = new.id;
END;

CREATE TRIGGER messages_on_update_update_mentions AFTER UPDATE ON messages
BEGIN
  DELETE FROM mentions WHERE messageId = new.id;
  INSERT INTO mentions (messageId, mentionAci, start, length)
  ${MENTIONS_SELECT}
  AND messages.id = new.id;
END;

CREATE TABLE callsHistory (
  callId TEXT PRIMARY KEY,
  peerId TEXT NOT NULL,            -- conversation id (legacy) | aci | groupId | roomId
  ringerId TEXT DEFAULT NULL,      -- ringer aci
  mode TEXT NOT NULL,              -- 'Direct' | 'Group' | 'Adhoc'
  type TEXT NOT NULL,              -- 'Audio' | 'Video' | 'Group' | 'Adhoc'
  direction TEXT NOT NULL,         -- 'Incoming' | 'Outgoing'
  status TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  startedById TEXT DEFAULT NULL,   -- 1210
  endedTimestamp INTEGER DEFAULT NULL,   -- 1210
  UNIQUE (callId, peerId) ON CONFLICT FAIL
);
CREATE INDEX callsHistory_order ON callsHistory (timestamp DESC, callId, peerId);
CREATE INDEX callsHistory_byConversation_order ON callsHistory (peerId, timestamp DESC, callId);

CREATE TABLE message_attachments (
  messageId TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  editHistoryIndex INTEGER NOT NULL,   -- -1 = the root message, i = editHistory[i]
  attachmentType TEXT NOT NULL,        -- 'long-message' | 'quote' | 'attachment' | 'preview' | 'contact' | 'sticker'
  orderInMessage INTEGER NOT NULL,
  conversationId TEXT NOT NULL,
  sentAt INTEGER NOT NULL,
  clientUuid TEXT,
  size INTEGER NOT NULL,
  contentType TEXT NOT NULL,
  path TEXT,
  plaintextHash TEXT,
  localKey TEXT,
  caption TEXT,
  fileName TEXT,
  blurHash TEXT,
  height INTEGER,
  width INTEGER,
  digest TEXT,
  key TEXT,
  downloadPath TEXT,
  version INTEGER,
  incrementalMac TEXT,
  incrementalMacChunkSize INTEGER,
  transitCdnKey TEXT,
  transitCdnNumber INTEGER,
  transitCdnUploadTimestamp INTEGER,
  backupCdnNumber INTEGER,
  thumbnailPath TEXT,
  thumbnailSize INTEGER,
  thumbnailContentType TEXT,
  thumbnailLocalKey TEXT,
  thumbnailVersion INTEGER,
  screenshotPath TEXT,
  screenshotSize INTEGER,
  screenshotContentType TEXT,
  screenshotLocalKey TEXT,
  screenshotVersion INTEGER,
  backupThumbnailPath TEXT,
  backupThumbnailSize INTEGER,
  backupThumbnailContentType TEXT,
  backupThumbnailLocalKey TEXT,
  backupThumbnailVersion INTEGER,
  storyTextAttachmentJson TEXT,
  localBackupPath TEXT,
  flags INTEGER,
  error INTEGER,
  wasTooBig INTEGER,
  isCorrupted INTEGER,
  copiedFromQuotedAttachment INTEGER,
  pending INTEGER,
  backfillError INTEGER,
  messageType TEXT,                    -- 1450
  receivedAt INTEGER,                  -- 1450
  receivedAtMs INTEGER,                -- 1450
  isViewOnce INTEGER,                  -- 1450
  duration REAL,                       -- 1460
  audioWaveform BLOB,                  -- 1820
  PRIMARY KEY (messageId, editHistoryIndex, attachmentType, orderInMessage)
) STRICT;
CREATE INDEX message_attachments_plaintextHash ON message_attachments (plaintextHash);
CREATE INDEX message_attachments_path ON message_attachments (path);
`;

// Full-text search: FTS5 with Signal's own tokenizer (needs Database#initTokenizer()), fed by triggers.
export const FTS = `
CREATE VIRTUAL TABLE messages_fts USING fts5(
  body,
  tokenize = 'signal_tokenizer'
);
INSERT INTO messages_fts (messages_fts, rank) VALUES ('secure-delete', 1);

CREATE TRIGGER messages_on_insert AFTER INSERT ON messages
  WHEN new.isSearchable IS 1
  BEGIN
    INSERT INTO messages_fts
    (rowid, body)
    VALUES
    (new.rowid, new.searchableText);
  END;

CREATE TRIGGER messages_on_update AFTER UPDATE ON messages
  WHEN
    new.isSearchable IS 1 AND old.searchableText IS NOT new.searchableText
  BEGIN
    UPDATE messages_fts SET body = new.searchableText WHERE rowId = new.rowId;
  END;

CREATE TRIGGER messages_on_delete AFTER DELETE ON messages BEGIN
  DELETE FROM messages_fts WHERE rowid = old.rowid;
  DELETE FROM reactions WHERE rowid IN (
    SELECT rowid FROM reactions
    WHERE messageId = old.id
  );
END;
`;

// Columns saveMessage writes; everything else of a message object goes into `json`.
export const MESSAGE_COLUMNS = [
  'id', 'body', 'conversationId', 'expirationStartTimestamp', 'expireTimer',
  'hasAttachments', 'hasFileAttachments', 'hasVisualMediaAttachments', 'hasUnreadPollVotes',
  'isChangeCreatedByUs', 'isErased', 'isViewOnce', 'mentionsMe', 'received_at', 'received_at_ms',
  'schemaVersion', 'serverGuid', 'sent_at', 'source', 'sourceServiceId', 'sourceDevice', 'storyId',
  'type', 'readStatus', 'seenStatus', 'serverTimestamp', 'timestamp', 'unidentifiedDeliveryReceived',
];
