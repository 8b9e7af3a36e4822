// The benchmark's large document: a standard-like Y.XmlFragment (clauses of paragraphs in Chinese) grown
// by three simulated drafters typing phrases at random places, deleting now and then and syncing with each
// other, until its encoded state reaches the target size (~1.6 MB). Cached under bench/out/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';

const PHRASES = ['本标准规定了', '水污染物排放限值', '监测要求', '以及实施与监督', '适用于', '现有企业', '新建项目', '环境影响评价', '化学需氧量', '氨氮', '总磷', '应符合表1的规定', '按照GB/T 6920测定', '采样频次不少于每日一次', '长三角生态绿色一体化发展示范区'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function buildLargeDocument(targetBytes: number, seed = 7): Uint8Array {
  const rnd = rng(seed);
  const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
  // Replicas exchange their incremental updates, as they would through the server.
  const outbox: Uint8Array[][] = docs.map(() => []);
  docs.forEach((d, i) => d.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin !== 'sync') outbox[i].push(u);
  }));
  const sync = (): void => {
    for (let i = 0; i < docs.length; i++) {
      if (outbox[i].length === 0) continue;
      const merged = Y.mergeUpdates(outbox[i]);
      outbox[i] = [];
      docs.forEach((d, j) => j !== i && Y.applyUpdate(d, merged, 'sync'));
    }
  };
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  // Each drafter types at a cursor (paragraph, offset) most of the time, as people do; sometimes jumps.
  const cursors = docs.map(() => ({ clause: 0, offset: 0 }));
  let size = 0;
  for (let round = 0; size < targetBytes; round++) {
    docs.forEach((d, i) => {
      const body = d.getXmlFragment('prosemirror');
      const cur = cursors[i];
      d.transact(() => {
        for (let k = 0; k < 20; k++) {
          const r = rnd();
          if (body.length < 5 || r < 0.04) {
            const clause = new Y.XmlElement('clause1');
            clause.setAttribute('id', `c${Math.floor(rnd() * 1e12).toString(36)}`);
            const para = new Y.XmlElement('paragraph');
            para.insert(0, [new Y.XmlText(pick(PHRASES))]);
            clause.insert(0, [para]);
            const at = Math.floor(rnd() * (body.length + 1));
            body.insert(at, [clause]);
            cur.clause = at;
            cur.offset = (clause.get(0) as Y.XmlElement).length;
            continue;
          }
          if (cur.clause >= body.length || r < 0.15) {
            cur.clause = Math.floor(rnd() * body.length);
            cur.offset = -1;
          }
          const text = ((body.get(cur.clause) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText;
          if (cur.offset < 0 || cur.offset > text.length) cur.offset = Math.floor(rnd() * (text.length + 1));
          if (r > 0.92 && text.length > 6) {
            // Backspace a few characters.
            const n = Math.min(cur.offset, 1 + Math.floor(rnd() * 4));
            text.delete(cur.offset - n, n);
            cur.offset -= n;
          } else {
            const phrase = pick(PHRASES);
            text.insert(cur.offset, phrase);
            cur.offset += phrase.length;
          }
        }
      });
    });
    sync();
    if (round % 50 === 0) size = Y.encodeStateAsUpdate(docs[0]).byteLength;
  }
  sync();
  return Y.encodeStateAsUpdate(docs[0]);
}

/** The cached ~1.6 MB document (built on first use, a few seconds). */
export function largeDocument(targetBytes = 1.6 * 1024 * 1024): Uint8Array {
  const dir = path.resolve(__dirname, '..', 'out');
  const file = path.join(dir, `collab-fixture-${targetBytes}.bin`);
  if (existsSync(file)) return new Uint8Array(readFileSync(file));
  const state = buildLargeDocument(targetBytes);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, state);
  return state;
}
