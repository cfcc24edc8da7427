// Every variable any handler reads, as Lambda names them; each handler sees only those its needs give it
// (infra/local/handlers.ts). SDK clients pick up the endpoints.
import { envNames } from '../../lib/config.ts';
import { outbox } from '../../lib/settings/timing.ts';
import { consolePaths } from '../../lib/console/paths.ts';
import { cursorKeyHex } from './cursor-key.ts';
import { localKeyringEnv } from './account-keyring.ts';
import { accountKeyHex } from './keys.ts';
import { localCredentials, localRegion, type LocalLifecycleEvents, type LocalQueues } from './provision.ts';
import type { LocalStackOptions } from './stack.ts';

export interface HandlerEndpoints {
  options: LocalStackOptions;
  dynamoUrl: string;
  sqsUrl: string;
  mailUrl: string;
  documentsUrl: string;
  documentBucket: string;
  tableName: string;
  apiUrl: string;
  lifecycleEvents: LocalLifecycleEvents;
  queues: LocalQueues;
}

export const handlerEnvironment = (endpoints: HandlerEndpoints): Record<string, string> => {
  const { options, dynamoUrl, sqsUrl, mailUrl, documentsUrl, documentBucket, tableName, apiUrl, lifecycleEvents, queues } = endpoints;
  return {
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl,
    AWS_ENDPOINT_URL_SQS: sqsUrl,
    AWS_ENDPOINT_URL_SES: mailUrl,
    AWS_ENDPOINT_URL_S3: documentsUrl,
    [envNames.documentBucket]: documentBucket,
    // fauxqs serves SNS on SQS's endpoint: the lifecycle events' topic.
    AWS_ENDPOINT_URL_SNS: sqsUrl,
    [envNames.eventTopicArn]: lifecycleEvents.topicArn,
    [envNames.table]: tableName,
    [envNames.ticketQueueUrl]: queues.queueUrl,
    [envNames.senderEmail]: options.senderEmail ?? 'portal@advisor-platform.test',
    [envNames.opsEmail]: options.opsEmail ?? 'ops@advisor-platform.test',
    // Sends name it as in AWS, so the mailbox simulator's addresses produce events (infra/local/mailbox-simulator.ts).
    [envNames.sesConfigurationSet]: 'portal-onboarding',
    [envNames.portalUrl]: apiUrl,
    [envNames.accountKey]: accountKeyHex(),
    // After `npm run rotate-account-key`: the keyring (current and previous key), which wins over ACCOUNT_KEY.
    [envNames.accountKeyring]: localKeyringEnv() ?? '',
    [envNames.cursorKey]: cursorKeyHex(),
    [envNames.outboxGraceSeconds]: String(options.outboxGraceSeconds ?? outbox.graceSeconds),
    [envNames.deadLinkLimit]: String(options.throttle?.deadLinks ?? 20),
    [envNames.wrongNumberLimit]: String(options.throttle?.wrongNumbers ?? 20),
    [envNames.signInRequestLimit]: String(options.throttle?.signInRequests ?? 20),
    // No user pool here: the console sends a signed-out browser to the local sign-in page instead.
    [envNames.consoleSignInPath]: consolePaths.localSignIn,
  };
};
