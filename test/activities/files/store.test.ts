// GridFS storage of generated files against the real FerretDB of the test run, and HTTP delivery with a
// Chinese file name. A standard's files are listed by an index walk (the public draft page lists them).
import express from 'express';
import request from 'supertest';
import { freshMongo } from '../../support/mongo';
import { DOCX_CONTENT_TYPE, ensureFileIndexes, FILES_BUCKET, getFileInfo, listFiles, listReleaseFiles, readFileBytes, sha256Of, storeGeneratedFile } from '../../../activities/files/store';
import { contentDisposition, contentTypeOf, sendStoredFile } from '../../../server/files';
import { isAppError } from '../../../activities/infra/errors';

let mongo: Awaited<ReturnType<typeof freshMongo>>;

beforeAll(async () => {
  mongo = await freshMongo('files');
});
afterAll(async () => {
  await mongo.drop();
});

const meta = { standardId: 'std-1', kind: 'edition' as const, stage: 'release' as const, province: 'SH' as const };

describe('storeGeneratedFile', () => {
  it('stores bytes in GridFS with hash, kind, stage, province and creation time, and reads them back intact', async () => {
    // Larger than one GridFS chunk (255 KiB) so chunking is exercised on FerretDB too.
    const data = Buffer.alloc(600_000, 7);
    data.write('PK', 0);
    const stored = await storeGeneratedFile(mongo.db, { filename: '地表水监测技术规范（上海）.docx', data, metadata: meta });
    expect(stored.length).toBe(data.length);
    expect(stored.metadata).toMatchObject({ ...meta, sha256: sha256Of(data), contentType: DOCX_CONTENT_TYPE });
    expect(stored.metadata.createdAt).toBeInstanceOf(Date);
    const back = await readFileBytes(mongo.db, stored.id);
    expect(back.data.equals(data)).toBe(true);
    expect(back.info.filename).toBe('地表水监测技术规范（上海）.docx');
  });

  it('never overwrites: storing the same name twice gives two files with their own ids', async () => {
    const a = await storeGeneratedFile(mongo.db, { filename: 'same.docx', data: Buffer.from('one'), metadata: { ...meta, standardId: 'std-2' } });
    const b = await storeGeneratedFile(mongo.db, { filename: 'same.docx', data: Buffer.from('two'), metadata: { ...meta, standardId: 'std-2' } });
    expect(a.id).not.toBe(b.id);
    const files = await listFiles(mongo.db, { standardId: 'std-2' });
    expect(files.map((f) => f.id).sort()).toEqual([a.id, b.id].sort());
    expect((await readFileBytes(mongo.db, a.id)).data.toString()).toBe('one');
  });

  it('filters the files of a standard by kind and province', async () => {
    await storeGeneratedFile(mongo.db, { filename: 'joint.docx', data: Buffer.from('j'), metadata: { ...meta, standardId: 'std-3', province: 'joint' } });
    await storeGeneratedFile(mongo.db, { filename: 'note.docx', data: Buffer.from('n'), metadata: { ...meta, standardId: 'std-3', kind: 'explanatoryNote', stage: 'publicComment', province: 'joint' } });
    expect((await listFiles(mongo.db, { standardId: 'std-3', kind: 'edition' })).map((f) => f.filename)).toEqual(['joint.docx']);
    expect((await listFiles(mongo.db, { standardId: 'std-3', province: 'joint' })).length).toBe(2);
  });

  it("lists a standard's files newest first by walking an index (not every file's record)", async () => {
    await ensureFileIndexes(mongo.db);
    for (let i = 0; i < 3; i++) await storeGeneratedFile(mongo.db, { filename: `r${i}.docx`, data: Buffer.from(`r${i}`), metadata: { ...meta, standardId: 'std-walk' } });
    expect((await listFiles(mongo.db, { standardId: 'std-walk' })).map((f) => f.filename)).toEqual(['r2.docx', 'r1.docx', 'r0.docx']);
    expect((await listReleaseFiles(mongo.db, ['std-walk', 'std-none'])).map((f) => f.filename)).toEqual(['r2.docx', 'r1.docx', 'r0.docx']);
    const explain = await mongo.db.command({
      explain: { find: `${FILES_BUCKET}.files`, filter: { 'metadata.standardId': 'std-walk', 'metadata.format': { $ne: 'pdf' } }, sort: { uploadDate: -1, _id: -1 }, comment: 'tongbiao:exact-pushdown' },
    });
    const plan = JSON.stringify(explain.queryPlanner);
    expect(plan).toMatch(/SEARCH \S+ USING INDEX \S+_by_standard_newest_v2|"indexName":"by_standard_newest_v2"/);
    expect(plan).not.toMatch(/TEMP B-TREE|"stage":"SORT"|COLLSCAN/);
  });

  it('refuses metadata outside the vocabulary', async () => {
    await expect(storeGeneratedFile(mongo.db, { filename: 'x.docx', data: Buffer.from('x'), metadata: { ...meta, kind: 'other' as never } })).rejects.toThrow();
  });

  it('answers NOT_FOUND for an unknown or malformed id', async () => {
    for (const id of ['0123456789abcdef01234567', 'nope', '{"$gt":""}']) {
      const err = await getFileInfo(mongo.db, id).catch((e: unknown) => e);
      expect(isAppError(err) && err.code).toBe('NOT_FOUND');
    }
  });
});

describe('downloads', () => {
  it('writes an ASCII fallback and an RFC 5987 filename* for a Chinese file name', () => {
    const h = contentDisposition('DB31T 310021—2025 地表水.docx');
    expect(h).toBe(`attachment; filename="DB31T 310021_2025 ___.docx"; filename*=UTF-8''DB31T%20310021%E2%80%942025%20%E5%9C%B0%E8%A1%A8%E6%B0%B4.docx`);
    expect(decodeURIComponent(h.split("''")[1])).toBe('DB31T 310021—2025 地表水.docx');
    expect(contentTypeOf('a.DOCX')).toBe(DOCX_CONTENT_TYPE);
  });

  it('serves a stored file with its content type, length, Chinese name and hash, and 304 on a matching ETag', async () => {
    const data = Buffer.from('PK docx bytes');
    const stored = await storeGeneratedFile(mongo.db, { filename: '编制说明.docx', data, metadata: { ...meta, standardId: 'std-4', kind: 'explanatoryNote', province: 'joint' } });
    const app = express();
    app.get('/files/:id', async (req, res, next) => {
      try {
        await sendStoredFile(mongo.db, String(req.params.id), req, res);
      } catch (e) {
        next(e);
      }
    });
    const res = await request(app).get(`/files/${stored.id}`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(DOCX_CONTENT_TYPE);
    expect(res.headers['content-length']).toBe(String(data.length));
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('编制说明.docx')}`);
    expect(res.headers['x-content-sha256']).toBe(sha256Of(data));
    expect((res.body as Buffer).equals(data)).toBe(true);
    const again = await request(app).get(`/files/${stored.id}`).set('If-None-Match', res.headers.etag as string);
    expect(again.status).toBe(304);
  });
});
