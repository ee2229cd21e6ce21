// Writes real attachment files into a profile, the way Signal Desktop stores them at rest, and rewrites the
// spec so that the database rows point at them.
//
// In a spec, any attachment object may carry its bytes as
//   "plaintextFile": "media/tiny.png"    (relative to this folder, or absolute)
//   "plaintextBase64": "..."  or  "plaintextText": "..."
// and these options (all removed before the rows are written):
//   "version": 1        write the plain file (legacy); default 2 = encrypted (IV ‖ AES-256-CBC ‖ HMAC-SHA256,
//                       zero padding to logPadSize, random IV and 64-byte localKey)
//   "omitFile": true    record path/localKey/size but write no file (the file is gone)
//   "omitPath": true    record no path (never downloaded)
//   "corrupt": true     flip one ciphertext byte after the MAC was computed (MAC failure)
//   "wrongHash": true   record a plaintextHash that does not match the plaintext
// The file gets path, size, plaintextHash, version (and localKey for version 2). Identical plaintext with the
// same content type and version shares one file, as Signal deduplicates.
//
// Where attachments may appear:
//   messages[].attachments[]                      message_attachments rows ('attachment'), or with
//                                                 "attachmentsInJson": true on the message, json.attachments
//   messages[].json.bodyAttachment                'long-message' row
//   messages[].json.quote.attachments[i].thumbnail 'quote' row i
//   messages[].json.preview[i].image              'preview' row i
//   messages[].json.contact[i].avatar.avatar      'contact' row i
//   messages[].json.sticker.data                  'sticker' row 0
//   messages[].json.editHistory[i].attachments[]  'attachment' rows with editHistoryIndex i
//   conversations[].json.avatar / profileAvatar   in the conversation JSON (attachments.noindex)
//   stickerPacks[].stickers[]                     stickers rows, files under stickers.noindex
// With "attachmentsInJson": true on a message, every one of these stays in the message JSON (legacy rows).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FILE_KEYS = ['plaintextFile', 'plaintextBase64', 'plaintextText', 'omitFile', 'omitPath', 'corrupt',
  'wrongHash'];

/** Signal's padded length: max(541, floor(1.05 ^ ceil(log_1.05(size)))). */
export function logPadSize(size) {
  return Math.max(541, Math.floor(1.05 ** Math.ceil(Math.log(size) / Math.log(1.05))));
}

/** IV ‖ AES-256-CBC(plaintext ‖ zeros to logPadSize, PKCS#7) ‖ HMAC-SHA256(macKey, IV ‖ ciphertext). */
export function encryptV2(plaintext, localKey, iv) {
  const padded = Buffer.alloc(Math.max(plaintext.length, logPadSize(plaintext.length)));
  plaintext.copy(padded);
  const cipher = crypto.createCipheriv('aes-256-cbc', localKey.subarray(0, 32), iv);
  const ct = Buffer.concat([cipher.update(padded), cipher.final()]);
  const mac = crypto.createHmac('sha256', localKey.subarray(32, 64)).update(iv).update(ct).digest();
  return Buffer.concat([iv, ct, mac]);
}

function hasBytes(a) {
  return a && typeof a === 'object'
    && (a.plaintextFile !== undefined || a.plaintextBase64 !== undefined || a.plaintextText !== undefined);
}

function strip(a) {
  const out = { ...a };
  for (const k of FILE_KEYS) delete out[k];
  return out;
}

class FileWriter {
  constructor(profileDir) {
    this.profileDir = profileDir;
    this.shared = new Map();
    this.files = 0;
  }

  plaintext(a) {
    if (a.plaintextFile !== undefined) {
      return fs.readFileSync(path.isAbsolute(a.plaintextFile) ? a.plaintextFile : path.join(HERE, a.plaintextFile));
    }
    if (a.plaintextBase64 !== undefined) return Buffer.from(a.plaintextBase64, 'base64');
    return Buffer.from(a.plaintextText, 'utf8');
  }

  /** Writes the file for attachment spec `a` under `folder`; returns the attachment fields to record. */
  write(a, folder) {
    const plain = this.plaintext(a);
    const version = a.version ?? 2;
    const hash = crypto.createHash('sha256').update(plain).digest('hex');
    const faulty = a.omitFile || a.corrupt || a.wrongHash;
    const shareKey = `${folder}|${hash}|${version}|${a.contentType ?? ''}`;
    let fields = !faulty ? this.shared.get(shareKey) : undefined;
    if (!fields) {
      const name = crypto.randomBytes(32).toString('hex');
      const rel = path.join(name.slice(0, 2), name);
      const file = path.join(this.profileDir, folder, rel);
      fields = { path: rel.split(path.sep).join('/'), size: plain.length, version };
      let bytes = plain;
      if (version === 2) {
        const localKey = crypto.randomBytes(64);
        bytes = encryptV2(plain, localKey, crypto.randomBytes(16));
        fields.localKey = localKey.toString('base64');
        if (a.corrupt) bytes[20] ^= 0x01;
      }
      fields.plaintextHash = a.wrongHash ? crypto.createHash('sha256').update('not the plaintext').digest('hex')
        : hash;
      if (!a.omitFile) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, bytes);
        this.files += 1;
      }
      if (!faulty) this.shared.set(shareKey, fields);
    }
    const out = { ...strip(a), ...fields };
    if (a.omitPath) delete out.path;
    return out;
  }
}

/**
 * Writes every attachment file the spec describes into `profileDir` and returns a copy of the spec whose
 * messages, conversations and sticker packs carry the resulting row fields instead of the plaintext.
 */
export function writeAttachmentFiles(spec, profileDir) {
  const w = new FileWriter(profileDir);
  const file = (a, folder = 'attachments.noindex') => (hasBytes(a) ? w.write(a, folder) : a);
  const out = { ...spec };

  out.conversations = (spec.conversations ?? []).map((c) => {
    if (!c.json) return c;
    const json = { ...c.json };
    for (const f of ['avatar', 'profileAvatar']) if (json[f]) json[f] = file(json[f]);
    return { ...c, json };
  });

  out.stickerPacks = (spec.stickerPacks ?? []).map((p) => ({
    ...p,
    // stickers rows have no contentType or plaintextHash column
    stickers: (p.stickers ?? []).map((s) => {
      if (!hasBytes(s)) return s;
      const { contentType, plaintextHash, ...row } = w.write(s, 'stickers.noindex');
      return row;
    }),
  }));
  if (spec.stickerPacks === undefined) delete out.stickerPacks;

  out.messages = (spec.messages ?? []).map((m) => {
    const { attachmentsInJson, ...msg } = m;
    const json = msg.json ? structuredClone(msg.json) : undefined;
    const rows = (msg.attachments ?? []).map((a, i) => ({ attachmentType: 'attachment', orderInMessage: i,
      ...file(a) }));
    const extra = [];
    const move = (holder, field, type, order, editHistoryIndex = -1) => {
      if (!holder || !holder[field]) return;
      const a = file(holder[field]);
      if (attachmentsInJson) {
        holder[field] = a;
      } else {
        delete holder[field];
        extra.push({ ...a, attachmentType: type, orderInMessage: order, editHistoryIndex });
      }
    };
    if (json) {
      move(json, 'bodyAttachment', 'long-message', 0);
      (json.quote?.attachments ?? []).forEach((q, i) => move(q, 'thumbnail', 'quote', i));
      (json.preview ?? []).forEach((p, i) => move(p, 'image', 'preview', i));
      (json.contact ?? []).forEach((c, i) => move(c.avatar, 'avatar', 'contact', i));
      move(json.sticker, 'data', 'sticker', 0);
      (json.editHistory ?? []).forEach((v, i) => {
        const atts = (v.attachments ?? []).map((a) => file(a));
        if (attachmentsInJson || atts.length === 0) {
          if (v.attachments) v.attachments = atts;
        } else {
          delete v.attachments;
          atts.forEach((a, order) => extra.push({ ...a, attachmentType: 'attachment', orderInMessage: order,
            editHistoryIndex: i }));
        }
      });
    }
    const result = { ...msg, ...(json ? { json } : {}) };
    if (attachmentsInJson) {
      delete result.attachments;
      if (rows.length > 0) {
        result.json = { ...(result.json ?? {}), attachments: rows.map(({ attachmentType, orderInMessage, ...a }) => a) };
      }
    } else if (rows.length + extra.length > 0) {
      result.attachments = [...rows, ...extra];
    }
    return result;
  });
  return { spec: out, files: w.files };
}
