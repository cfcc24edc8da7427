import { afterEach, describe, expect, it } from 'vitest';
import * as config from '../../lib/config.ts';
import { envNames } from '../../lib/config.ts';
import { outbox } from '../../lib/settings/timing.ts';
import { bundleSource } from '../support/bundle-source.ts';

const saved = { ...process.env };
afterEach(() => {
  for (const name of Object.values(envNames)) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

const withEnv = (name: string, value: string | undefined) => {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
};

describe('configuration read from the environment', () => {
  it('names the variable a required setting is missing, whether unset or empty', () => {
    for (const value of [undefined, '']) {
      withEnv(envNames.table, value);
      expect(() => config.tableName()).toThrow(new Error('missing configuration TABLE_NAME'));
    }
    withEnv(envNames.table, 'portal');
    expect(config.tableName()).toBe('portal');
  });

  it('reads the portal URL without its trailing slashes', () => {
    withEnv(envNames.portalUrl, 'https://portal.example.com//');
    expect(config.portalUrl()).toBe('https://portal.example.com');
    withEnv(envNames.portalUrl, '');
    expect(() => config.portalUrl()).toThrow('missing configuration PORTAL_URL');
  });

  it('takes an empty optional setting for an unset one', () => {
    withEnv(envNames.cursorKey, '');
    expect(config.cursorKey()).toBeUndefined();
    withEnv(envNames.accountKeyring, '{"current":{"id":"k1","key":"00"}}');
    expect(config.accountKeyring()).toBe('{"current":{"id":"k1","key":"00"}}');
  });

  it('reads counts as Number() does and falls back on anything else', () => {
    const cases: [string | undefined, number][] = [
      [undefined, 20], ['', 20], ['5', 5], [' 7 ', 7], ['1e1', 10], ['0x10', 16], ['0', 20], ['-3', 20], ['2.5', 20], ['ten', 20], ['Infinity', 20],
    ];
    for (const [value, expected] of cases) {
      withEnv(envNames.deadLinkLimit, value);
      withEnv(envNames.wrongNumberLimit, value);
      expect(config.throttleLimits(), String(value)).toEqual({ deadLinks: expected, wrongNumbers: expected });
    }
  });

  it('keeps an invitation between 1 and 30 days, 7 otherwise', () => {
    for (const [value, expected] of [[undefined, 7], ['1', 1], ['30', 30], ['31', 7], ['0', 7], ['3.5', 7], ['x', 7]] as const) {
      withEnv(envNames.inviteExpiryDays, value);
      expect(config.inviteExpiryDays(), String(value)).toBe(expected);
    }
  });

  it('reminds 0 (never) to 29 days before a link expires, 2 otherwise', () => {
    for (const [value, expected] of [[undefined, 2], ['', 2], ['0', 0], ['1', 1], ['29', 29], ['30', 2], ['-1', 2], ['1.5', 2], ['x', 2]] as const) {
      withEnv(envNames.reminderDaysBefore, value);
      expect(config.reminderDaysBefore(), String(value)).toBe(expected);
    }
  });

  it('takes a fractional grace period in seconds, and the default for none or a non-positive one', () => {
    for (const [value, expected] of [[undefined, outbox.graceSeconds * 1000], ['0.5', 500], ['30', 30_000], ['0', outbox.graceSeconds * 1000], ['-1', outbox.graceSeconds * 1000], ['NaN', outbox.graceSeconds * 1000]] as const) {
      withEnv(envNames.outboxGraceSeconds, value);
      expect(config.outboxGraceMs(), String(value)).toBe(expected);
    }
    withEnv(envNames.outboxGraceSeconds, '10');
    withEnv(envNames.outboxMaxAttempts, '3');
    expect(config.outboxRetry()).toEqual({ maxAttempts: 3, firstDelayMs: 10_000, maxDelayMs: outbox.maxDelayMs });
    withEnv(envNames.outboxMaxAttempts, '0');
    expect(config.outboxRetry().maxAttempts).toBe(outbox.maxAttempts);
  });
});

// Each setting is its own export, its schema built behind `pure`, so a function bundles only what it reads.
describe('settings in a bundle', () => {
  const bundleOf = (read: string): Promise<string> =>
    bundleSource(`import * as config from '#lib/config.ts';\nexport const handler = () => ${read};`);
  // What only the named settings bring: zod's URL and number schemas, the console's default path, and a variable's
  // name, which is in envNames too (the map must not come along).
  const markers = {
    consoleHostedSignIn: 'ZodMiniURL',
    numbers: 'ZodMiniNumber',
    consoleSignInPath: '/ops/console/sign-in',
    envNames: envNames.consoleSignInPath,
  };

  it('leaves out the schemas and names of settings the function does not read', async () => {
    const code = await bundleOf('config.tableName()');
    expect(code).toContain(envNames.table);
    expect(Object.entries(markers).filter(([, marker]) => code.includes(marker))).toEqual([]);
  });

  it('keeps the schemas of those it reads', async () => {
    const code = await bundleOf('[config.inviteExpiryDays(), config.consoleSignInPath()]');
    expect(code).toContain(markers.numbers);
    expect(code).toContain(markers.consoleSignInPath);
    expect(code).toContain(markers.envNames);
    expect(code).not.toContain(markers.consoleHostedSignIn);
  });
});
