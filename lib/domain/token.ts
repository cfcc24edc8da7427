import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: what goes into the emailed link and nowhere else. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** Only this hash is stored, so a leaked table holds no working link. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
