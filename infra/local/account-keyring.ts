// The local account-number keyring: absent until the first rotation, then {current, previous?} with hex keys.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountKeyHex, localDir } from './keys.ts';

export interface KeyringText {
  current: { id: string; key: string };
  previous?: { id: string; key: string };
}

export const keyringPath = (dir = join(localDir, 'keys')) => join(dir, 'account-keyring.json');

/** The keyring the local stack hashes with: the rotated one if there is one, else the original key (id "default"). */
export const readLocalKeyring = (path = keyringPath()): KeyringText =>
  existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as KeyringText) : { current: { id: 'default', key: accountKeyHex() } };

/** As the ACCOUNT_KEYRING value, or undefined before any rotation (ACCOUNT_KEY alone then). */
export const localKeyringEnv = (path = keyringPath()): string | undefined =>
  existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;

export const writeLocalKeyring = (ring: KeyringText, path = keyringPath()): void => {
  mkdirSync(join(path, '..'), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(ring), { mode: 0o600 });
  renameSync(temp, path);
};

/** A fresh key id that sorts by time, e.g. k20261202T105900. */
export const newKeyId = (now = new Date()) => `k${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}`;

export const newHexKey = () => randomBytes(32).toString('hex');
