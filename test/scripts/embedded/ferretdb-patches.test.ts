import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { applyFerretdbPatches, FERRETDB_PATCH_SET, FERRETDB_PATCHES, type SourcePatch } from '../../../scripts/embedded/ferretdb-patches';
import { FERRETDB_VERSION } from '../../../scripts/embedded/install-tools';
import { launchEmbeddedServers, type EmbeddedServers } from '../../../scripts/embedded/launcher';
import { requireEnv } from '../../support/mongo';

const toolsDir = path.resolve(__dirname, '..', '..', '..', '.tools');

describe('applyFerretdbPatches', () => {
  const patch: SourcePatch = { id: 'p1', file: 'a/b.go', why: 'test', find: 'x := 1', replace: 'x := 2' };

  function tree(content: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tb-patch-'));
    mkdirSync(path.join(dir, 'a'));
    writeFileSync(path.join(dir, 'a', 'b.go'), content);
    return dir;
  }

  it('replaces the text that matches exactly once', () => {
    const dir = tree('package a\nx := 1 // $& stays literal\n');
    applyFerretdbPatches(dir, [{ ...patch, replace: 'x := "$&"' }]);
    expect(readFileSync(path.join(dir, 'a', 'b.go'), 'utf8')).toBe('package a\nx := "$&" // $& stays literal\n');
  });

  it('refuses a source where the text is missing or appears twice, naming the patch', () => {
    expect(() => applyFerretdbPatches(tree('package a\n'), [patch])).toThrow(/p1 .*found 0 matches in a\/b\.go/);
    expect(() => applyFerretdbPatches(tree('x := 1\nx := 1\n'), [patch])).toThrow(/found 2 matches/);
  });

  it('each patch of the set has a distinct id', () => {
    expect(new Set(FERRETDB_PATCHES.map((p) => p.id)).size).toBe(FERRETDB_PATCHES.length);
  });

  it('the set holds the moreToCome patch, so the binary stored beside an older set is rebuilt', () => {
    const patch = FERRETDB_PATCHES.find((p) => p.id === 'opmsg-more-to-come-no-reply');
    expect(patch).toMatchObject({ file: 'internal/clientconn/conn.go' });
    expect(patch && 'replace' in patch && patch.replace).toContain('reqMsg.Flags.FlagSet(wire.OpMsgMoreToCome)');
    expect(FERRETDB_PATCH_SET).toContain('opmsg-more-to-come-no-reply');
  });

  it('applies to the source of the pinned FerretDB module, each patch exactly once', () => {
    const { Dir } = JSON.parse(
      execFileSync('go', ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`], { env: { ...process.env, GOFLAGS: '-mod=mod' } }).toString(),
    ) as { Dir: string };
    const copy = mkdtempSync(path.join(os.tmpdir(), 'tb-fdbsrc-'));
    // Files the set adds must be new to the pinned source; the others are copied to be patched.
    for (const p of FERRETDB_PATCHES.filter((x) => 'content' in x)) expect(existsSync(path.join(Dir, p.file))).toBe(false);
    for (const p of new Set(FERRETDB_PATCHES.filter((x) => 'find' in x).map((x) => x.file))) {
      mkdirSync(path.dirname(path.join(copy, p)), { recursive: true });
      writeFileSync(path.join(copy, p), readFileSync(path.join(Dir, p)));
    }
    applyFerretdbPatches(copy);
    for (const p of FERRETDB_PATCHES) expect(readFileSync(path.join(copy, p.file), 'utf8')).toContain('content' in p ? p.content : p.replace);
  }, 120_000);

  it('adds a new file, and refuses to overwrite one the source already has', () => {
    const dir = tree('package a\n');
    const add = { id: 'f1', file: 'c/d.go', why: 'test', content: 'package c\n' };
    applyFerretdbPatches(dir, [add]);
    expect(readFileSync(path.join(dir, 'c', 'd.go'), 'utf8')).toBe('package c\n');
    expect(() => applyFerretdbPatches(dir, [add])).toThrow(/f1 .*c\/d\.go already exists/);
  });
});

describe('the embedded FerretDB built with the patches', () => {
  let servers: EmbeddedServers;
  let client: MongoClient;

  beforeAll(async () => {
    servers = await launchEmbeddedServers({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'tb-fdb-')), toolsDir, temporalAddress: requireEnv('TEMPORAL_ADDRESS') });
    client = new MongoClient(servers.mongoUri);
    await client.connect();
  }, 900_000);

  afterAll(async () => {
    await client?.close();
    await servers?.stop();
  });

  async function plan(filter: object): Promise<string> {
    const res = await client.db('patches').command({ explain: { find: 'docs', filter } });
    return JSON.stringify(res.queryPlanner);
  }

  it('finds by _id through the _id index, also when the filter has other keys', async () => {
    const docs = client.db('patches').collection<{ _id: string; revision: number }>('docs');
    await docs.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `d${i}`, revision: i })));
    expect(await plan({ _id: 'd7' })).toMatch(/SEARCH .* USING INDEX/);
    expect(await plan({ _id: 'd7', $or: [{ revision: { $lt: 9 } }, { revision: { $exists: false } }] })).toMatch(/SEARCH .* USING INDEX/);
    expect(await plan({ revision: 7 })).toMatch(/SCAN/);
  });

  it('sends no reply to an unacknowledged (w: 0) write, so a pooled connection answers the next commands rightly', async () => {
    // This test sends w: 0 on purpose, to reproduce issue 9, so it uses a bare MongoClient: the app's
    // connectMongo refuses w: 0 under Jest. One pooled connection makes every command share the socket a
    // stray reply would sit in. Against the unpatched FerretDB 1.24 the first findOne failed with "BSON
    // element cursor is missing" and the second returned alice.
    const single = new MongoClient(servers.mongoUri, { maxPoolSize: 1 });
    await single.connect();
    try {
      const people = single.db('patches').collection<{ _id: string; who: string }>('people');
      await people.insertMany([
        { _id: 'a', who: 'alice' },
        { _id: 'b', who: 'bob' },
        { _id: 'c', who: 'carol' },
      ]);
      await people.deleteMany({ _id: 'zzz' }, { writeConcern: { w: 0 } });
      expect(await people.findOne({ _id: 'a' })).toEqual({ _id: 'a', who: 'alice' });
      expect(await people.findOne({ _id: 'b' })).toEqual({ _id: 'b', who: 'bob' });
      // The unacknowledged write itself still runs (FerretDB handles a connection's messages in order).
      await people.deleteMany({ _id: 'c' }, { writeConcern: { w: 0 } });
      expect(await people.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
        { _id: 'a', who: 'alice' },
        { _id: 'b', who: 'bob' },
      ]);
      expect(await people.countDocuments({})).toBe(2);
    } finally {
      await single.close();
    }
  });

  it('still applies the rest of the filter: a conditional update by _id changes only what matches', async () => {
    const docs = client.db('patches').collection<{ _id: string; revision: number }>('cond');
    await docs.insertMany([
      { _id: 'a', revision: 5 },
      { _id: 'b', revision: 1 },
    ]);
    expect((await docs.updateOne({ _id: 'a', revision: { $lt: 5 } }, { $set: { revision: 6 } })).modifiedCount).toBe(0);
    expect((await docs.updateOne({ _id: 'a', revision: { $lt: 6 } }, { $set: { revision: 6 } })).modifiedCount).toBe(1);
    expect(await docs.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 'a', revision: 6 },
      { _id: 'b', revision: 1 },
    ]);
    expect(await docs.findOne({ _id: 'b', revision: 2 })).toBeNull();
    expect(await docs.findOne({ _id: 'b', revision: 1 })).toEqual({ _id: 'b', revision: 1 });
  });
});
