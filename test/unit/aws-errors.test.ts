import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { isUnavailable } from '../../lib/adapters/aws-errors.ts';

const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name }, extra);
const status = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const network = (code: string) => Object.assign(new Error(code), { code });

describe('telling a dependency outage (503) from a bug (500)', () => {
  it.each([
    ['DynamoDB throttling', named('ProvisionedThroughputExceededException', status(400))],
    ['SES throttling', named('Throttling', status(400))],
    ['a 429 of any name', named('TooManyRequests', status(429))],
    ['a 500', named('InternalServerError', status(500))],
    ['a 503', named('ServiceUnavailable', status(503))],
    ['another 5xx', named('NotImplemented', status(501))],
    ['a modeled server fault without a status', new DynamoDBServiceException({ name: 'InternalServerError', $fault: 'server', $metadata: {} })],
    ['the request timeout', named('TimeoutError')],
    ['a refused connection', network('ECONNREFUSED')],
    ['a reset connection', network('ECONNRESET')],
    ['an unknown host', network('ENOTFOUND')],
    ['an unreachable host', network('EHOSTUNREACH')],
  ])('counts %s as unavailable', (_what, error) => {
    expect(isUnavailable(error)).toBe(true);
  });

  it.each([
    ['a failed condition', new DynamoDBServiceException({ name: 'ConditionalCheckFailedException', $fault: 'client', $metadata: { httpStatusCode: 400 } })],
    ['a validation error', named('ValidationException', status(400))],
    ['a bug', new TypeError('undefined is not a function')],
    ['a thrown string', 'boom'],
    ['an aborted call', named('AbortError')],
  ])('does not count %s', (_what, error) => {
    expect(isUnavailable(error)).toBe(false);
  });
});
