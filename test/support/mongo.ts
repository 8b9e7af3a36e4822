// Test helper: a fresh database on the suite's real MongoDB/FerretDB, dropped afterwards. Its client refuses
// unacknowledged (w: 0) writes, and dropping it fails the file's afterAll if any code asked for one (even
// when that code swallowed the refusal): a w: 0 write desynchronises the connection's replies.
import { randomBytes } from 'node:crypto';
import { connectMongo, type Mongo } from '../../activities/infra/mongo';

export function requireEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run tests through jest with test/global-setup.ts`);
  return v;
}

/** Connects to a new database named after the test file; call `drop()` in afterAll. */
export async function freshMongo(prefix: string): Promise<Mongo & { drop(): Promise<void> }> {
  const name = `t_${prefix.replace(/[^A-Za-z0-9]/g, '').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  const m = await connectMongo(requireEnv('MONGODB_URI'), name, { onUnacknowledgedWrite: 'throw' });
  return {
    ...m,
    drop: async () => {
      await m.db.dropDatabase().catch(() => undefined);
      await m.close();
      if (m.integrity.unacknowledgedWrites > 0) {
        throw new Error(`${m.integrity.unacknowledgedWrites} unacknowledged (w: 0) write(s) were attempted on ${name}; never send w: 0`);
      }
    },
  };
}
