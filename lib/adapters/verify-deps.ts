import { config } from '../config.ts';
import type { VerifyDeps } from '../use-cases/verify-identity.ts';
import { hmacAccountHasher } from './account-hasher.ts';
import { dynamoAccountRestamp } from './dynamodb/account-restamp.ts';
import { dynamoAttemptCounter } from './dynamodb/attempt-counter.ts';
import { dynamoHouseholds } from './dynamodb/households.ts';
import { dynamoInvitations } from './dynamodb/invitations.ts';
import { sqsTicketQueue } from './sqs.ts';

/** What verifying a client through their link runs on; the JSON route and the page's form post share it. */
export const verifyDeps: VerifyDeps = {
  invitations: dynamoInvitations,
  attempts: dynamoAttemptCounter,
  limits: config.throttleLimits,
  households: dynamoHouseholds,
  hasher: hmacAccountHasher,
  restamp: dynamoAccountRestamp,
  ticketQueue: sqsTicketQueue,
  now: () => new Date(),
};
