// A CPU profile of a process started through `npm start` (node refuses --cpu-prof in NODE_OPTIONS):
// NODE_OPTIONS="--import /abs/bench/cpu-prof-hook.mjs" CPU_PROF_DIR=/tmp/prof. The profile is written when
// the process exits (the in-thread inspector session answers synchronously, so an 'exit' handler can save it).
import inspector from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.CPU_PROF_DIR || '/tmp';
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 1000 });
session.post('Profiler.start');
process.on('exit', () => {
  session.post('Profiler.stop', (err, res) => {
    if (err) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `app-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
  });
});
