import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AppError } from '../domain/errors.ts';
import { clientDefaults, isUnavailable } from './aws-errors.ts';
import { observed } from './call-observers.ts';

/**
 * A secret key, set directly as hex locally, or named by a Secrets Manager ARN in AWS and read once per container.
 * A failed read is forgotten, so the next request tries again.
 */
export const configuredKey = (name: string, local: () => string | undefined, secretArn: () => string | undefined) => {
  let key: Promise<Buffer> | undefined;
  const load = async (): Promise<Buffer> => {
    const hex = local();
    if (hex !== undefined) return Buffer.from(hex, 'hex');
    const arn = secretArn();
    if (arn === undefined) throw new Error(`no ${name} configured`);
    const secrets = observed(new SecretsManagerClient({ ...clientDefaults }));
    const result = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
    if (!result.SecretString) throw new Error(`${name} secret is empty`);
    return Buffer.from(result.SecretString, 'utf8');
  };
  return (): Promise<Buffer> => {
    key ??= load().catch((error: unknown) => {
      key = undefined;
      if (isUnavailable(error)) throw new AppError('service_unavailable', 'The key store is unavailable; please retry shortly');
      throw error;
    });
    return key;
  };
};
