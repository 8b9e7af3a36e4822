// Not a test: a launcher in a process of its own, for launcher.test.ts to kill with -9. Starts the embedded
// servers on the data dir and ports given, writes a document and starts a workflow (data that must survive
// whatever follows), prints the servers' status as one JSON line and waits to be killed.
// Usage: tsx launcher-child.ts <dataDir> <toolsDir> <temporalPort> <mongoPort> <orphanGuard: 1|0>
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { launchEmbeddedServers } from '../../../scripts/embedded/launcher';

async function main(): Promise<void> {
  const [dataDir, toolsDir, temporalPort, mongoPort, guard] = process.argv.slice(2);
  const servers = await launchEmbeddedServers({
    dataDir,
    toolsDir,
    temporalPort: Number(temporalPort),
    mongoPort: Number(mongoPort),
    supervision: { orphanGuard: guard === '1' },
  });
  const mongo = await MongoClient.connect(servers.mongoUri);
  await mongo.db('leftover_probe').collection<{ _id: string; written: Date }>('x').updateOne({ _id: 'kept' }, { $set: { written: new Date() } }, { upsert: true });
  await mongo.close();
  const connection = await Connection.connect({ address: servers.temporalAddress });
  await new Client({ connection }).workflow.start('noSuchWorkflow', { taskQueue: 'leftover-probe', workflowId: 'leftover-kept' }).catch((e: unknown) => {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
  });
  await connection.close();
  process.stdout.write(JSON.stringify({ status: servers.status(), temporalAddress: servers.temporalAddress, mongoUri: servers.mongoUri }) + '\n');
  setInterval(() => undefined, 60_000);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
