// Local-standard numbers on the real FerretDB: unique per province and year through the index, idempotent
// for the holder, released and published per standard.
import type { Mongo } from '../../../activities/infra/mongo';
import { ensureNumbersIndexes, markNumbersPublished, numbersOfStandard, releaseReservations, reserveNumber } from '../../../activities/data/numbers';
import { freshMongo } from '../../support/mongo';

let m: Mongo & { drop(): Promise<void> };
beforeAll(async () => {
  m = await freshMongo('numbers');
  await ensureNumbersIndexes(m.db);
});
afterAll(async () => m?.drop());

const base = { reservedAt: '2026-01-01T00:00:00.000Z' };

test('the same number in the same province and year is refused for a second standard, naming the holder', async () => {
  expect(await reserveNumber(m.db, { ...base, province: 'SH', year: 2026, sequence: '310001', number: 'DB31/T 310001—2026', standardId: 'a' })).toEqual({ ok: true });
  expect(await reserveNumber(m.db, { ...base, province: 'SH', year: 2026, sequence: '310001', number: 'DB31 310001—2026', standardId: 'b' })).toEqual({ ok: false, heldBy: 'a' });
});

test('the same sequence in another year or province is another number', async () => {
  expect(await reserveNumber(m.db, { ...base, province: 'SH', year: 2027, sequence: '310001', number: 'DB31/T 310001—2027', standardId: 'b' })).toEqual({ ok: true });
  expect(await reserveNumber(m.db, { ...base, province: 'JS', year: 2026, sequence: '310001', number: 'DB32/T 310001—2026', standardId: 'b' })).toEqual({ ok: true });
});

test('reserving a number the standard already holds succeeds (a retried activity)', async () => {
  expect(await reserveNumber(m.db, { ...base, province: 'SH', year: 2026, sequence: '310001', number: 'DB31/T 310001—2026', standardId: 'a' })).toEqual({ ok: true });
  expect(await numbersOfStandard(m.db, 'a')).toHaveLength(1);
});

test('concurrent reservations of one number: exactly one succeeds', async () => {
  const results = await Promise.all(['x', 'y', 'z', 'w'].map((id) => reserveNumber(m.db, { ...base, province: 'ZJ', year: 2026, sequence: '330777', number: 'DB33/T 330777—2026', standardId: id })));
  expect(results.filter((r) => r.ok)).toHaveLength(1);
});

test('published numbers survive a release of reservations; reserved ones are freed', async () => {
  await reserveNumber(m.db, { ...base, province: 'ZJ', year: 2026, sequence: '330001', number: 'DB33/T 330001—2026', standardId: 'p' });
  await markNumbersPublished(m.db, 'p');
  await reserveNumber(m.db, { ...base, province: 'JS', year: 2026, sequence: '320001', number: 'DB32/T 320001—2026', standardId: 'p' });
  expect(await releaseReservations(m.db, 'p')).toBe(1);
  expect((await numbersOfStandard(m.db, 'p')).map((n) => [n.number, n.status])).toEqual([['DB33/T 330001—2026', 'published']]);
});
