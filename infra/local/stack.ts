// The whole system on one machine: local DynamoDB, SQS and SES, the API server, and the handlers' environment.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { emailEvents as emailEventsTiming, functionTimeoutSeconds, scheduleEverySeconds, ticketQueue } from '../../lib/settings/timing.ts';
import { documentUploads as documentUploadsTiming } from '../../lib/settings/timing.ts';
import { startDocumentStore } from './document-store.ts';
import { handlerEnvironment } from './handler-env.ts';
import { assertJava, assertPortFree, freePort, freePorts } from './preflight.ts';
import { functions, type FunctionName, type FunctionNeeds, type RunnableFunctionName } from '../routes.ts';
import { startApiServer } from './api-server.ts';
import { loadHandler } from './handlers.ts';
import { lambdaContext } from './lambda-context.ts';
import { startQueuePoller } from './queue-poller.ts';
import { simulatorPublisher } from './mailbox-simulator.ts';
import {
  provisionEmailEvents,
  provisionLifecycleEvents,
  provisionQueues,
  provisionTable,
  type LocalEmailEvents,
  type LocalLifecycleEvents,
  type LocalQueues,
} from './provision.ts';
import { startDynamo, startMail, startSqs, type Service } from './services.ts';

export interface LocalStackOptions {
  apiPort: number;
  dynamoPort: number;
  sqsPort: number;
  sesPort: number;
  /** The local S3 server holding clients' documents; a free port unless given. */
  s3Port?: number;
  /** Folder for DynamoDB data kept across restarts; omitted keeps it in memory. */
  dataDir?: string;
  tableName?: string;
  queueName?: string;
  /** The cloud's (lib/settings/timing.ts) unless a test shortens it, to watch retries and redrive in seconds. */
  visibilityTimeoutSeconds?: number;
  senderEmail?: string;
  opsEmail?: string;
  /** How long an unconfirmed email or ticket request waits before the sweeper repairs it (the cloud's unless set). */
  outboxGraceSeconds?: number;
  /** How often scheduled functions (the outbox sweeper) run; AWS runs them every minute. */
  scheduleEveryMs?: number;
  /** Share (0-1) of ops-function invocations made to crash, for fault runs. */
  opsFailureRate?: number;
  /** Per-source limits on dead links (per 10 min), wrong account numbers (per hour) and portal sign-in requests (per 10 min). */
  throttle?: { deadLinks: number; wrongNumbers: number; signInRequests?: number };
  /** Needs in place of the route table's for some functions, so a test can see a handler run without one. */
  needs?: Partial<Record<RunnableFunctionName, FunctionNeeds>>;
}

export type ServiceName = 'dynamodb' | 'sqs' | 'ses';

export interface LocalStack {
  apiUrl: string;
  mailUrl: string;
  dynamoUrl: string;
  sqsUrl: string;
  tableName: string;
  queues: LocalQueues;
  /** SES's configuration-set events: the topic the mailbox simulator publishes to, its queue and DLQ. */
  emailEvents: LocalEmailEvents;
  /** The document bucket's local S3 server, its bucket, and the queue its events and scan results go to. */
  documentsUrl: string;
  documentBucket: string;
  documentUploads: LocalQueues;
  /** The lifecycle events' topic (the bus in AWS) and a subscriber queue tests read. */
  lifecycleEvents: LocalLifecycleEvents;
  /** Runs each scheduled function once now, as its schedule would. */
  runScheduled(): Promise<void>;
  setOpsFailureRate(rate: number): void;
  opsInvocations: { batches: number; failedRecords: number; crashed: number };
  emailEventInvocations: { batches: number; failedRecords: number; crashed: number };
  /** Stops one service; `start` brings it back on the same port (SQS comes back empty, as after a crash). */
  stopService(name: ServiceName): Promise<void>;
  startService(name: ServiceName): Promise<void>;
  stop(): Promise<void>;
}

export { freePort, freePorts, StartupError } from './preflight.ts';

export const startLocalStack = async (options: LocalStackOptions): Promise<LocalStack> => {
  // Lambda runs Node 22+; the SDK's notice about this machine's Node 20 is not news.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  assertJava();
  await assertPortFree(options.apiPort, 'API', 'API_PORT');
  await assertPortFree(options.dynamoPort, 'DynamoDB Local', 'DYNAMODB_PORT');
  await assertPortFree(options.sqsPort, 'SQS', 'SQS_PORT');
  await assertPortFree(options.sesPort, 'SES', 'SES_PORT');
  if (options.s3Port !== undefined) await assertPortFree(options.s3Port, 'S3 (documents)', 'S3_PORT');
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });

  const tableName = options.tableName ?? 'portal-onboarding';
  const queueName = options.queueName ?? 'ticket-requests';
  const visibility = options.visibilityTimeoutSeconds ?? ticketQueue.visibilityTimeoutSeconds;
  const eventsVisibility = options.visibilityTimeoutSeconds ?? emailEventsTiming.visibilityTimeoutSeconds;
  const emailEventsName = 'ses-events';
  const lifecycleEventsName = 'lifecycle-events';
  // SES publishes its events once it took an email; the topic is known once SQS (and with it SNS) is provisioned.
  let emailEvents: LocalEmailEvents | undefined;
  const publisher = simulatorPublisher(`http://127.0.0.1:${options.sqsPort}`, () => emailEvents?.topicArn);

  const services: Record<ServiceName, Service | undefined> = { dynamodb: undefined, sqs: undefined, ses: undefined };
  const starters: Record<ServiceName, () => Promise<Service>> = {
    dynamodb: () => startDynamo(options.dynamoPort, options.dataDir),
    sqs: () => startSqs(options.sqsPort),
    ses: () => startMail(options.sesPort, publisher.onSent),
  };
  let stopDocuments = async (): Promise<void> => undefined;
  const stopAll = async () => {
    await Promise.all(Object.values(services).map((service) => service?.stop().catch(() => undefined)));
    await stopDocuments().catch(() => undefined);
    publisher.close();
  };

  try {
    // Each is recorded as soon as it is up, so a failure in another still stops it.
    await Promise.all(
      (Object.keys(starters) as ServiceName[]).map(async (name) => {
        services[name] = await starters[name]();
      }),
    );
    const dynamoUrl = services.dynamodb!.url;
    const sqsUrl = services.sqs!.url;
    const mailUrl = services.ses!.url;
    await provisionTable(dynamoUrl, tableName);
    const queues = await provisionQueues(sqsUrl, queueName, visibility);
    emailEvents = await provisionEmailEvents(sqsUrl, emailEventsName, eventsVisibility);
    const lifecycleEvents = await provisionLifecycleEvents(sqsUrl, lifecycleEventsName);
    const documentQueueName = 'document-uploads';
    const documentVisibility = options.visibilityTimeoutSeconds ?? documentUploadsTiming.visibilityTimeoutSeconds;
    let documentUploads = await provisionQueues(sqsUrl, documentQueueName, documentVisibility, documentUploadsTiming);
    const documentBucket = 'portal-documents';
    const documents = await startDocumentStore({
      port: options.s3Port ?? (await freePort()),
      bucket: documentBucket,
      portalOrigin: `http://localhost:${options.apiPort}`,
      sqsUrl,
      queueUrl: () => documentUploads.queueUrl,
      ...(options.dataDir ? { directory: `${options.dataDir}/documents` } : {}),
    });
    stopDocuments = () => documents.stop();

    const apiUrl = `http://localhost:${options.apiPort}`;
    // Every variable a handler reads, as Lambda names them (SDK clients pick up the endpoints).
    Object.assign(
      process.env,
      handlerEnvironment({ options, dynamoUrl, sqsUrl, mailUrl, documentsUrl: documents.url, documentBucket, tableName, apiUrl, lifecycleEvents, queues }),
    );
    const handlerFor = (name: RunnableFunctionName) => loadHandler(name, options.needs?.[name]);
    const api = await startApiServer({ port: options.apiPort, handlerFor });

    const names = Object.keys(functions) as FunctionName[];
    const queueConsumer = names.find((name) => (functions[name] as { trigger?: { kind: string } }).trigger?.kind === 'ticketQueue');
    const scheduled = names.filter((name) => (functions[name] as { trigger?: { kind: string } }).trigger?.kind === 'schedule');
    const eventsConsumer = names.find((name) => (functions[name] as { trigger?: { kind: string } }).trigger?.kind === 'emailEvents');
    const uploadsConsumer = names.find((name) => (functions[name] as { trigger?: { kind: string } }).trigger?.kind === 'documentUploads');
    let opsFailureRate = options.opsFailureRate ?? 0;
    const poller = queueConsumer
      ? startQueuePoller({
          endpoint: sqsUrl,
          queueUrl: queues.queueUrl,
          functionName: queueConsumer,
          handler: () => handlerFor(queueConsumer),
          failureRate: () => opsFailureRate,
        })
      : undefined;
    const eventsPoller = eventsConsumer
      ? startQueuePoller({
          endpoint: sqsUrl,
          queueUrl: emailEvents.queueUrl,
          functionName: eventsConsumer,
          handler: () => handlerFor(eventsConsumer),
          timeoutMs: functionTimeoutSeconds.emailEvents * 1000,
        })
      : undefined;
    const uploadsPoller = uploadsConsumer
      ? startQueuePoller({
          endpoint: sqsUrl,
          queueUrl: documentUploads.queueUrl,
          functionName: uploadsConsumer,
          handler: () => handlerFor(uploadsConsumer),
          timeoutMs: functionTimeoutSeconds.documentUploads * 1000,
        })
      : undefined;
    const runScheduled = async () => {
      for (const name of scheduled) {
        const handler = await handlerFor(name);
        await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, lambdaContext(name, randomUUID(), functionTimeoutSeconds.schedule * 1000));
      }
    };
    let sweeping = Promise.resolve();
    const timer = setInterval(() => {
      // One run at a time; a failing run (a service is down) is simply tried again next tick.
      sweeping = sweeping.then(runScheduled).catch(() => undefined);
    }, options.scheduleEveryMs ?? scheduleEverySeconds * 1000);

    return {
      apiUrl,
      mailUrl,
      dynamoUrl,
      sqsUrl,
      tableName,
      queues,
      emailEvents,
      documentsUrl: documents.url,
      documentBucket,
      documentUploads,
      lifecycleEvents,
      runScheduled,
      setOpsFailureRate(rate) {
        opsFailureRate = rate;
      },
      opsInvocations: poller?.invocations ?? { batches: 0, failedRecords: 0, crashed: 0 },
      emailEventInvocations: eventsPoller?.invocations ?? { batches: 0, failedRecords: 0, crashed: 0 },
      async stopService(name) {
        await services[name]?.stop();
        services[name] = undefined;
      },
      async startService(name) {
        if (services[name]) return;
        services[name] = await starters[name]();
        if (name === 'sqs') {
          await provisionQueues(sqsUrl, queueName, visibility);
          emailEvents = await provisionEmailEvents(sqsUrl, emailEventsName, eventsVisibility);
          await provisionLifecycleEvents(sqsUrl, lifecycleEventsName);
          documentUploads = await provisionQueues(sqsUrl, documentQueueName, documentVisibility, documentUploadsTiming);
        }
        if (name === 'dynamodb') await provisionTable(dynamoUrl, tableName);
      },
      async stop() {
        clearInterval(timer);
        await sweeping;
        await poller?.stop();
        await eventsPoller?.stop();
        await uploadsPoller?.stop();
        await api.stop();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};

type PortOptions = 'apiPort' | 'dynamoPort' | 'sqsPort' | 'sesPort' | 's3Port';

/** Another process bound the picked port between the pick and the listen (DynamoDB Local then exits at once). */
const portTaken = (error: unknown): boolean =>
  /EADDRINUSE|is busy|exited before it was ready/.test(error instanceof Error ? `${error.message} ${(error as { code?: string }).code ?? ''}` : String(error));

/**
 * A stack on freshly picked free ports, for tests and the load run. A pick is only a pick: if another process
 * takes one of the ports before the stack listens, the stack starts again on new ports, up to three tries.
 */
export const startOnFreePorts = async (options: Omit<LocalStackOptions, PortOptions> & Partial<Pick<LocalStackOptions, PortOptions>>): Promise<LocalStack> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startLocalStack({ ...(await freePorts()), ...options });
    } catch (error) {
      if (attempt >= 3 || !portTaken(error)) throw error;
    }
  }
};
