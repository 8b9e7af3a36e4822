// What the store asks while taking in a comment whose text repeats an earlier one (activities/comments/store.ts,
// insertOnce's duplicate path): every find is an `_id` lookup or carries the exact-pushdown comment, and the
// lookup of the first comment with that text walks the unique text key on the embedded store. Before, that lookup
// went without the comment and FerretDB on SQLite read every comment for it: at 50,000 comments and 10 repeated
// texts a second, intake fell to 50 of 1,174 acknowledged and a CSV export took 393 s (bench/scale-intake.ts).
import { MongoClient, type CommandStartedEvent, type Document } from 'mongodb';
import { freshMongo, requireEnv } from '../../support/mongo';
import { createCommentsStore } from '../../../activities/comments/store';
import { EXACT_PUSHDOWN_COMMENT } from '../../../activities/infra/exact-pushdown';
import { COLLECTIONS } from '../../../activities/comments/model';
import { publicIntake } from './intake-fixture';

type M = Awaited<ReturnType<typeof freshMongo>>;
const STD = 'std-dup';
const intake = (n: number, text: string) => publicIntake(STD, n, text);


describe('intake of a repeated text', () => {
  let m: M;
  let watched: MongoClient;

  beforeAll(async () => {
    m = await freshMongo('comments-intake-queries');
    await createCommentsStore(m.db).ensureIndexes();
    watched = await MongoClient.connect(requireEnv('MONGODB_URI'), { monitorCommands: true });
  });
  afterAll(async () => {
    await watched.close();
    await m.drop();
  });

  it('asks only by _id or with the exact pushdown, and the text lookup seeks its index', async () => {
    const store = createCommentsStore(watched.db(m.db.databaseName));
    const first = await store.insertOnce(intake(1, '建议删除第3章'));
    const finds: Array<{ filter: Document; comment: unknown }> = [];
    const listen = (e: CommandStartedEvent): void => {
      if (e.commandName === 'find' && e.command.find === COLLECTIONS.comments) finds.push({ filter: e.command.filter as Document, comment: e.command.comment });
    };
    watched.on('commandStarted', listen);
    const again = await store.insertOnce(intake(2, '建议删除第3章'));
    watched.off('commandStarted', listen);

    expect(again.created).toBe(true);
    expect(again.comment.duplicateOf).toBe(first.comment.receipt);
    const byText = finds.filter((f) => 'textKey' in f.filter);
    expect(byText).toHaveLength(1);
    for (const f of finds) if (Object.keys(f.filter).join() !== '_id') expect(f.comment).toBe(EXACT_PUSHDOWN_COMMENT);

    const explain = await m.db.command({ explain: { find: COLLECTIONS.comments, filter: byText[0].filter, limit: 1, comment: EXACT_PUSHDOWN_COMMENT } });
    const plan = JSON.stringify(explain.queryPlanner);
    expect(plan).toMatch(/USING (COVERING )?INDEX \w+_textKey_unique\b|"indexName":"textKey_unique"/);
    expect(plan).not.toMatch(/COLLSCAN|"SCAN \w+"/);
  });
});
