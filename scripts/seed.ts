// `npm run seed`: creates (or resets) the demo accounts for every role and prints them. Uses MONGODB_URI
// when set, else the embedded FerretDB of `npm start` when it runs, else starts it for the moment.
import { ensureUserIndexes } from '../activities/data/users';
import { formatAccountsTable, seedDemoAccounts } from '../server/auth/demo-accounts';
import { loadConfig } from '../server/infra/config';
import { connectMongo } from '../activities/infra/mongo';
import { serversInUse } from './servers-in-use';

async function main(): Promise<void> {
  const config = loadConfig();
  // Only the database is needed.
  const servers = await serversInUse(config, { temporal: false });
  const mongo = await connectMongo(servers.mongoUri, config.MONGODB_DB);
  try {
    await ensureUserIndexes(mongo.db);
    const accounts = await seedDemoAccounts(mongo.db);
    const created = accounts.filter((a) => a.created).length;
    console.log(`演示账号 Demo accounts (${created} created, ${accounts.length - created} reset) in database "${config.MONGODB_DB}":\n`);
    console.log(formatAccountsTable(accounts));
  } finally {
    await mongo.close();
    await servers.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
