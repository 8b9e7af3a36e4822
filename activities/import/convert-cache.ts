// The .doc / .wps → .docx conversion is the slow step of a legacy import (LibreOffice starts each time, a
// few seconds), and the upload → preview → confirm flow imports the same bytes three times. Conversions are
// kept in memory by the SHA-256 of the input for the life of a pending upload (an hour), within a byte
// budget; concurrent imports of the same file share one conversion. Failures are not kept.
import { createHash } from 'node:crypto';

export interface ConversionCacheOptions {
  /** Total bytes of converted files kept (default 256 MB). */
  maxBytes?: number;
  /** How long a conversion is kept (default one hour, the pending upload's life). */
  ttlMs?: number;
  now?: () => number;
}

interface Entry {
  result: Promise<Buffer>;
  bytes: number;
  at: number;
}

export interface ConversionCache {
  /** The converted bytes of `data`, converting with `convert` only when not already known. */
  get(data: Uint8Array, ext: string, convert: () => Promise<Buffer>): Promise<Buffer>;
  /** Conversions actually run since the cache was made (tests, logs). */
  readonly conversions: number;
  clear(): void;
}

export function createConversionCache(options: ConversionCacheOptions = {}): ConversionCache {
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const ttlMs = options.ttlMs ?? 60 * 60 * 1000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let total = 0;
  let conversions = 0;

  const drop = (key: string): void => {
    const e = entries.get(key);
    if (!e) return;
    total -= e.bytes;
    entries.delete(key);
  };
  const trim = (): void => {
    const t = now();
    for (const [key, e] of entries) if (t - e.at > ttlMs) drop(key);
    // Oldest first (Map keeps insertion order; a hit re-inserts).
    for (const key of entries.keys()) {
      if (total <= maxBytes) break;
      drop(key);
    }
  };

  return {
    get(data, ext, convert) {
      const key = `${ext}:${createHash('sha256').update(data).digest('hex')}`;
      const hit = entries.get(key);
      if (hit && now() - hit.at <= ttlMs) {
        entries.delete(key);
        entries.set(key, hit);
        return hit.result;
      }
      drop(key);
      conversions++;
      const entry: Entry = { result: convert(), bytes: 0, at: now() };
      entries.set(key, entry);
      entry.result.then(
        (out) => {
          if (entries.get(key) !== entry) return;
          entry.bytes = out.length;
          total += out.length;
          trim();
        },
        () => {
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      return entry.result;
    },
    get conversions() {
      return conversions;
    },
    clear() {
      entries.clear();
      total = 0;
    },
  };
}
