// The local key that signs list cursors, generated on first run beside the other local keys (git-ignored .local/).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { localDir } from './keys.ts';

export const cursorKeyHex = (): string => {
  const path = join(localDir, 'keys', 'cursor-hmac.hex');
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, randomBytes(32).toString('hex'), { mode: 0o600 });
    // Rename is atomic, so two processes starting at once never read a half-written key.
    if (existsSync(path)) rmSync(temp);
    else renameSync(temp, path);
  }
  return readFileSync(path, 'utf8').trim();
};
