// `npm run tools`: installs the embedded Temporal CLI, the time-skipping test server and the patched
// FerretDB into TONGBIAO_TOOLS_DIR (default .tools/) without starting anything. `npm start` and the test
// set-up do the same on demand; this is for preparing a machine ahead of time.
import path from 'node:path';
import { isAppError } from '../activities/infra/errors';
import { ensureTools } from './embedded/install-tools';

const toolsDir = path.resolve(process.env.TONGBIAO_TOOLS_DIR ?? '.tools');
ensureTools(toolsDir).then(
  (paths) => {
    console.log(`工具已就绪 Tools ready in ${toolsDir}`);
    for (const [name, p] of Object.entries(paths)) console.log(`  ${name}: ${p}`);
  },
  (e: unknown) => {
    if (isAppError(e)) console.error(`安装失败 Install failed [${e.code}]: ${e.messages.zh}\n${e.messages.en}`);
    else console.error('安装失败 Install failed:', e);
    process.exit(1);
  },
);
