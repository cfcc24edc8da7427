import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, headless; a browser is never downloaded. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });

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
