// npm run rotate-account-key [-- --finish] [-- --secret-id ARN]
// Starts a rotation of the account-number HMAC key: a new key becomes current, the old one previous. Stored hashes
// can't be re-hashed (the numbers are never stored), so each account moves to the new key when its number next
// verifies. `--finish` drops the previous key; accounts not re-stamped by then no longer verify themselves (their
// clients get locked out after five tries and reach ops). Without --secret-id it rotates the local stack's keyring
// (restart `npm start` to pick it up); with it, the Secrets Manager secret (containers re-read it within 5 minutes).
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { newHexKey, newKeyId, readLocalKeyring, writeLocalKeyring, type KeyringText } from '../local/account-keyring.ts';

/** The next keyring; refuses to start a rotation while one is unfinished, which would orphan the previous key's hashes. */
export const rotated = (ring: KeyringText, next: { id: string; key: string }): KeyringText => {
  if (ring.previous) throw new Error(`key ${ring.previous.id} is still being rotated out; run with --finish first`);
  return { current: next, previous: ring.current };
};

export const finished = (ring: KeyringText): KeyringText => ({ current: ring.current });

/** The secret as a keyring; a plain string is the key from before rotation existed (id "default"). */
export const keyringFromSecret = (text: string): KeyringText =>
  text.trimStart().startsWith('{') ? (JSON.parse(text) as KeyringText) : { current: { id: 'default', key: text } };

const main = async () => {
  const { values } = parseArgs({ options: { finish: { type: 'boolean' }, 'secret-id': { type: 'string' } } });
  const secretId = values['secret-id'];
  if (secretId === undefined) {
    const ring = readLocalKeyring();
    const next = values.finish ? finished(ring) : rotated(ring, { id: newKeyId(), key: newHexKey() });
    writeLocalKeyring(next);
    process.stdout.write(`local keyring: current ${next.current.id}${next.previous ? `, previous ${next.previous.id}` : ''}\n`);
    return;
  }
  const secrets = new SecretsManagerClient({});
  const stored = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
  const ring = keyringFromSecret(stored.SecretString ?? '');
  // In Secrets Manager a key is used as its UTF-8 text, as the original plain secret always was.
  const next = values.finish ? finished(ring) : rotated(ring, { id: newKeyId(), key: randomBytes(32).toString('base64url') });
  await secrets.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify(next) }));
  process.stdout.write(`secret keyring: current ${next.current.id}${next.previous ? `, previous ${next.previous.id}` : ''}\n`);
};

if (process.argv[1]?.endsWith('rotate-account-key.ts')) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
