// The document bucket on one machine: s3rver (POST-object uploads, AWS-shaped ObjectCreated records) on loopback,
// its events forwarded to the local uploads queue as S3 would send them, and a stand-in for GuardDuty's malware scan
// that reads each new file and answers on the same queue in GuardDuty's result shape: the EICAR test string is a
// threat, anything else is clean. Neither checks a POST policy: the product checks the file itself once it landed.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { localCredentials, localRegion } from './provision.ts';
import type { Service } from './services.ts';

export const eicar = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

interface S3Record {
  eventName: string;
  s3: { bucket: { name: string }; object: { key: string } };
}

interface S3rverServer {
  on(name: 'event', listener: (event: { Records: S3Record[] }) => void): void;
  run(): Promise<unknown>;
  close(): Promise<void>;
  store: { getObject(bucket: string, key: string): Promise<{ content?: AsyncIterable<Uint8Array> } | null> };
}

// s3rver ships no types: what is used of it is typed here.
const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => S3rverServer;
// It checks access keys (not V4 signatures) against its own list; the local stack's credentials are added to it.
const account = require('s3rver/lib/models/account.js') as { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void } };
account.DUMMY_ACCOUNT.createKeyPair(localCredentials.accessKeyId, localCredentials.secretAccessKey);

/** The bucket lets the portal's page post a form to it, and nothing else cross-origin. */
const corsFor = (origin: string) =>
  `<CORSConfiguration><CORSRule><AllowedOrigin>${origin}</AllowedOrigin><AllowedMethod>POST</AllowedMethod>` +
  '<AllowedHeader>*</AllowedHeader><MaxAgeSeconds>300</MaxAgeSeconds></CORSRule></CORSConfiguration>';

/** What GuardDuty Malware Protection for S3 sends EventBridge once it scanned an object (the fields read here). */
export const scanResultEvent = (bucketName: string, objectKey: string, threat: boolean) => ({
  version: '0',
  source: 'aws.guardduty',
  'detail-type': 'GuardDuty Malware Protection Object Scan Result',
  time: new Date().toISOString(),
  detail: {
    schemaVersion: '1.0',
    scanStatus: 'COMPLETED',
    resourceType: 'S3_OBJECT',
    s3ObjectDetails: { bucketName, objectKey },
    scanResultDetails: { scanResultStatus: threat ? 'THREATS_FOUND' : 'NO_THREATS_FOUND', threats: threat ? [{ name: 'EICAR-Test-File' }] : null },
  },
});

export const startDocumentStore = async (options: {
  port: number;
  bucket: string;
  portalOrigin: string;
  sqsUrl: string;
  /** The uploads queue, once provisioned (it comes back anew after an SQS restart). */
  queueUrl: () => string | undefined;
  directory?: string;
}): Promise<Service> => {
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'portal-documents-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    silent: true,
    directory,
    configureBuckets: [{ name: options.bucket, configs: [corsFor(options.portalOrigin)] }],
  });
  const sqs = new SQSClient({ endpoint: options.sqsUrl, region: localRegion, credentials: localCredentials });
  const send = async (body: unknown) => {
    const QueueUrl = options.queueUrl();
    if (QueueUrl) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(body) }));
  };
  const scan = async (record: S3Record) => {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const object = await server.store.getObject(record.s3.bucket.name, key).catch(() => undefined);
    // Gone already: refused and deleted on landing.
    if (!object?.content) return;
    const chunks: Buffer[] = [];
    for await (const chunk of object.content) chunks.push(Buffer.from(chunk));
    await send(scanResultEvent(record.s3.bucket.name, key, Buffer.concat(chunks).includes(eicar)));
  };
  server.on('event', (event: { Records: S3Record[] }) => {
    // As S3 delivers a notification: the records as they are; then the scan, as GuardDuty starts on the same upload.
    void send(event)
      .then(() => Promise.all(event.Records.filter((record) => record.eventName.startsWith('ObjectCreated:')).map(scan)))
      .catch(() => undefined);
  });
  await server.run();
  return {
    url: `http://127.0.0.1:${options.port}`,
    stop: async () => {
      await server.close();
      sqs.destroy();
      if (!options.directory) rmSync(directory, { recursive: true, force: true });
    },
  };
};
