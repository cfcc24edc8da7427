import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import type { AttemptCounter } from '../../domain/ports.ts';
import { ttlAttribute } from '../../../infra/table-design.ts';
import { documents, tableCall } from './client.ts';
import { table } from './transact.ts';

/** Fixed windows: one counter item per subject and window, removed by TTL afterwards. */
export const dynamoAttemptCounter: AttemptCounter = {
  async hit(subject, windowSeconds, now) {
    const window = Math.floor(now.getTime() / 1000 / windowSeconds);
    // Subjects such as client IP addresses are stored only hashed.
    const id = createHash('sha256').update(subject).digest('base64url');
    const result = await tableCall(() =>
      documents.send(
        new UpdateCommand({
          TableName: table(),
          Key: { pk: `THROTTLE#${id}#${windowSeconds}#${window}`, sk: 'THROTTLE' },
          UpdateExpression: 'ADD hits :one SET #ttl = :ttl, entity = :entity',
          ExpressionAttributeNames: { '#ttl': ttlAttribute },
          ExpressionAttributeValues: { ':one': 1, ':ttl': (window + 1) * windowSeconds + 60, ':entity': 'throttle' },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    return Number(result.Attributes?.hits ?? 1);
  },
};
