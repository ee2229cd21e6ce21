// Repeatable ids, hashes and randomness for fixture generation.
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

/** A seeded random number generator (mulberry32) giving numbers in [0, 1): the same sequence on every run. */
export function makeRandom(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
