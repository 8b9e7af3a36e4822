// The set-up the browser suites on a drafting standard share: the editor bundle built, the whole runtime
// (Temporal, FerretDB, collaboration server), one standard in drafting, Chromium; and signing in as a demo
// user straight onto the draft page, waiting until the editor is synced and its handle ready.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { startTestRuntime } from '../support/test-runtime';
import { startDraftingStandard } from '../support/drafting-standard';
import { DEMO_PASSWORD } from '../../server/auth/demo-accounts';
import type { Runtime } from '../../server/runtime';

export interface DraftRuntimeSuite {
  readonly rt: Runtime;
  readonly browser: Browser;
  readonly standardId: string;
  /** Signs `username` in on a new browser context and opens the draft; `ready` is an extra page condition. */
  openDraftAs(username: string, ready?: () => boolean): Promise<Page>;
}

/** Registers beforeAll/afterAll for one suite; the returned object's fields are set once beforeAll ran. */
export function useDraftRuntime(prefix: string, title: { titleZh: string; titleEn: string }): DraftRuntimeSuite {
  const suite = { standardId: '' } as { rt: Runtime; browser: Browser; standardId: string };
  beforeAll(async () => {
    execFileSync(process.execPath, [path.resolve(__dirname, '../../scripts/build-editor.mjs')], { stdio: 'ignore' });
    suite.rt = await startTestRuntime(prefix);
    suite.standardId = await startDraftingStandard(suite.rt.url, title);
    suite.browser = await launchChromium();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.rt?.stop();
  });
  async function openDraftAs(username: string, ready?: () => boolean): Promise<Page> {
    const { rt, browser, standardId } = suite;
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    page.on('pageerror', (e) => console.error(`[${username}] page error`, e));
    await page.goto(`${rt.url}/sign-in?next=${encodeURIComponent(`/standards/${standardId}/draft`)}`);
    await page.fill('#username', username);
    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([page.waitForURL(`**/standards/${standardId}/draft`), page.click('form[action="/sign-in"] button[type="submit"]')]);
    await page.waitForSelector('#editor[data-synced="true"] .ProseMirror');
    await page.waitForFunction(() => window.tongbiaoEditorHandle !== undefined);
    if (ready) await page.waitForFunction(ready);
    return page;
  }
  return {
    get rt() {
      return suite.rt;
    },
    get browser() {
      return suite.browser;
    },
    get standardId() {
      return suite.standardId;
    },
    openDraftAs,
  };
}
