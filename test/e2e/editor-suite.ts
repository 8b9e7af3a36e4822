// The set-up of a browser-editor suite: the bundle rebuilt from the current source, a fresh database, the
// editor page server with the real collaboration server, and Debian's Chromium; all closed after the suite.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { freshMongo } from '../support/mongo';
import { startEditorPageServer, type EditorPageServer } from '../editor/support/page-server';

export interface EditorSuite {
  readonly server: EditorPageServer;
  readonly browser: Browser;
}

/** Registers beforeAll/afterAll for the calling suite; the fields are set once beforeAll has run. */
export function editorSuite(dbPrefix: string): EditorSuite {
  let mongo: Awaited<ReturnType<typeof freshMongo>> | undefined;
  let server: EditorPageServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    execFileSync(process.execPath, [path.resolve(__dirname, '../../scripts/build-editor.mjs')], { stdio: 'ignore' });
    mongo = await freshMongo(dbPrefix);
    server = await startEditorPageServer(mongo.db);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await mongo?.drop();
  });
  return {
    get server() {
      if (!server) throw new Error('editor suite not started');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('editor suite not started');
      return browser;
    },
  };
}
