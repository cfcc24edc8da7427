import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** Debian's Chromium, headless; a browser is never downloaded. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });

/** One Chromium for a test file: launched before its tests, closed after them; call the result to reach it. */
export const useChromium = (): (() => Browser) => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('Chromium did not start (see beforeAll)');
    return browser;
  };
};

/**
 * Records the page's errors and its console errors and warnings (CSP violations among them); `expected` says which
 * console lines are the page's contract rather than faults.
 */
export const recordProblems = (page: Page, expected: (text: string) => boolean = () => false): string[] => {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if ((message.type() === 'error' || message.type() === 'warning') && !expected(message.text())) {
      problems.push(`${message.type()}: ${message.text()}`);
    }
  });
  return problems;
};
