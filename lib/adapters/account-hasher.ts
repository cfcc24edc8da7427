import { createHmac } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { config } from '../config.ts';
import type { AccountHasher } from '../domain/ports.ts';
import { AppError } from '../domain/errors.ts';
import { clientDefaults, isUnavailable } from './aws-errors.ts';
import { observed } from './call-observers.ts';

let key: Promise<Buffer> | undefined;

// Locally the key is an env var; in AWS it lives in Secrets Manager, read once per container. The client is
// imported statically so esbuild keeps only GetSecretValue (a dynamic import() kept the whole client, +15 KB).
const loadKey = async (): Promise<Buffer> => {
  const local = config.accountKey();
  if (local !== undefined) return Buffer.from(local, 'hex');
  const secretArn = config.accountKeySecretArn();
  if (secretArn === undefined) throw new Error('no account key configured');
  const secrets = observed(new SecretsManagerClient({ ...clientDefaults }));
  const result = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (!result.SecretString) throw new Error('account key secret is empty');
  return Buffer.from(result.SecretString, 'utf8');
};

const accountKey = (): Promise<Buffer> => {
  key ??= loadKey().catch((error: unknown) => {
    key = undefined;
    if (isUnavailable(error)) throw new AppError('service_unavailable', 'The key store is unavailable; please retry shortly');
    throw error;
  });
  return key;
};

export const hmacAccountHasher: AccountHasher = {
  async hash(firmId, normalizedNumber) {
    return createHmac('sha256', await accountKey()).update(`${firmId}\u0000${normalizedNumber}`).digest('base64url');
  },
};
