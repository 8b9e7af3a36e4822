// Debian's Chromium for the browser tests (installed by the test set-up; browsers cannot be downloaded here).
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_LAUNCH = { executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] };

export function launchChromium(): Promise<Browser> {
  return chromium.launch(CHROMIUM_LAUNCH);
}
