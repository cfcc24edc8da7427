import { createHmac } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import * as config from '../config.ts';
import type { AccountHasher } from '../domain/ports.ts';
import { AppError } from '../domain/errors.ts';
import { clientDefaults, isUnavailable } from './aws-errors.ts';
import { observed } from './call-observers.ts';

export interface AccountKey {
  id: string;
  key: Buffer;
}

/** The key new hashes are made with, and during a rotation the one whose hashes are still accepted. */
export interface Keyring {
  current: AccountKey;
  previous?: AccountKey | undefined;
}

/** The id of the key from before rotation existed; its hashes carry no id, so stored ones stay valid as they are. */
export const legacyKeyId = 'default';

const keyEntry = z.object({ id: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,40}$/)), key: z.string().check(z.minLength(16)) });
const keyringText = z.object({ current: keyEntry, previous: z.optional(keyEntry) });

/**
 * Reads a keyring: JSON {current:{id,key}, previous?:{id,key}}, or a plain key (the format from before rotation).
 * `decode` turns a key's text into bytes as its source always did: hex locally, UTF-8 in Secrets Manager.
 */
export const parseKeyring = (text: string, decode: (key: string) => Buffer): Keyring => {
  if (!text.trimStart().startsWith('{')) return { current: { id: legacyKeyId, key: decode(text) } };
  const ring = z.parse(keyringText, JSON.parse(text));
  const entry = (e: z.output<typeof keyEntry>) => ({ id: e.id, key: decode(e.key) });
  return { current: entry(ring.current), previous: ring.previous && entry(ring.previous) };
};

const hex = (key: string) => Buffer.from(key, 'hex');
const utf8 = (key: string) => Buffer.from(key, 'utf8');

// In AWS the secret is read once per container and re-read every five minutes, so a rotation reaches every container.
const secretTtlMs = 5 * 60 * 1000;
let fromSecret: { ring: Promise<Keyring>; readAt: number } | undefined;
let fromEnv: { text: string; ring: Keyring } | undefined;

// The client is imported statically so esbuild keeps only GetSecretValue (a dynamic import() kept the whole client, +15 KB).
const loadSecret = async (secretArn: string): Promise<Keyring> => {
  const secrets = observed(new SecretsManagerClient({ ...clientDefaults }));
  const result = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (!result.SecretString) throw new Error('account key secret is empty');
  return parseKeyring(result.SecretString, utf8);
};

const keyring = (): Promise<Keyring> => {
  // Locally the keyring (or the plain key) is an env var, read on each call so a rotation applies at once.
  const local = config.accountKeyring() ?? config.accountKey();
  if (local !== undefined) {
    if (fromEnv?.text !== local) fromEnv = { text: local, ring: parseKeyring(local, hex) };
    return Promise.resolve(fromEnv.ring);
  }
  const secretArn = config.accountKeySecretArn();
  if (secretArn === undefined) return Promise.reject(new Error('no account key configured'));
  if (fromSecret === undefined || Date.now() - fromSecret.readAt > secretTtlMs) {
    const ring = loadSecret(secretArn).catch((error: unknown) => {
      fromSecret = undefined;
      if (isUnavailable(error)) throw new AppError('service_unavailable', 'The key store is unavailable; please retry shortly');
      throw error;
    });
    fromSecret = { ring, readAt: Date.now() };
  }
  return fromSecret.ring;
};

/** A hash names its key (`id:hash`), except under the legacy key, so verification knows which key made it. */
const stampedHash = (key: AccountKey, firmId: string, normalizedNumber: string): string => {
  const mac = createHmac('sha256', key.key).update(`${firmId}\u0000${normalizedNumber}`).digest('base64url');
  return key.id === legacyKeyId ? mac : `${key.id}:${mac}`;
};

export const hmacAccountHasher: AccountHasher = {
  async hash(firmId, normalizedNumber) {
    return stampedHash((await keyring()).current, firmId, normalizedNumber);
  },
  async hashesToMatch(firmId, normalizedNumber) {
    const { current, previous } = await keyring();
    return [current, ...(previous ? [previous] : [])].map((key) => stampedHash(key, firmId, normalizedNumber));
  },
};
