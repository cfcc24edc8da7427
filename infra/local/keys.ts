// Local secrets, generated on first run into the git-ignored .local/ folder; nothing secret is committed.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const localDir = join(projectRoot, '.local');
const keysDir = join(localDir, 'keys');

const writeOnce = (path: string, content: string): void => {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode: 0o600 });
  // Rename is atomic, so two processes starting at once never read a half-written key.
  if (!existsSync(path)) renameSync(temp, path);
};

export const accountKeyHex = (): string => {
  const path = join(keysDir, 'account-hmac.hex');
  if (!existsSync(path)) writeOnce(path, randomBytes(32).toString('hex'));
  return readFileSync(path, 'utf8').trim();
};

export interface SigningKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export const signingKeys = async (): Promise<SigningKeys> => {
  const path = join(keysDir, 'jwt-es256.json');
  if (!existsSync(path)) {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const jwk = { privateJwk: await exportJWK(pair.privateKey), publicJwk: await exportJWK(pair.publicKey) };
    writeOnce(path, JSON.stringify(jwk));
  }
  const { privateJwk, publicJwk } = JSON.parse(readFileSync(path, 'utf8')) as { privateJwk: JWK; publicJwk: JWK };
  return {
    privateKey: (await importJWK(privateJwk, 'ES256')) as CryptoKey,
    publicKey: (await importJWK(publicJwk, 'ES256')) as CryptoKey,
  };
};
