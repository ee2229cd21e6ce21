// Repeatable ids and hashes for fixture generation.
import { createHash } from 'node:crypto';

export function sha256(text) {
  return createHash('sha256').update(text).digest();
}

/** A version-4-shaped UUID derived from a seed, so ids are the same on every run. */
export function uuidFrom(seed) {
  const b = Buffer.from(sha256(String(seed)).subarray(0, 16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
