// What reaches the document uploads queue: the bucket's S3 event notifications and, in AWS, GuardDuty Malware
// Protection's scan results (through EventBridge). Each message becomes the files it tells of, or a reason.
import * as z from 'zod/mini';

export type DocumentEvent = { kind: 'landed'; key: string } | { kind: 'scanned'; key: string; clean: boolean; result: string };

const s3Notification = z.object({
  Records: z.array(
    z.object({
      eventName: z.string(),
      s3: z.object({ bucket: z.object({ name: z.string() }), object: z.object({ key: z.string() }) }),
    }),
  ),
});

const scanResult = z.object({
  source: z.literal('aws.guardduty'),
  'detail-type': z.literal('GuardDuty Malware Protection Object Scan Result'),
  detail: z.object({
    s3ObjectDetails: z.object({ bucketName: z.string(), objectKey: z.string() }),
    scanResultDetails: z.object({ scanResultStatus: z.string() }),
  }),
});

/** S3 sends keys URL-encoded, spaces as `+`. */
const keyOf = (encoded: string) => decodeURIComponent(encoded.replace(/\+/g, ' '));

export const parseDocumentEvent = (body: string): { success: true; events: DocumentEvent[] } | { success: false; reason: string } => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { success: false, reason: 'not JSON' };
  }
  // S3's test message when a notification is configured tells of no file.
  if ((json as { Event?: unknown } | null)?.Event === 's3:TestEvent') return { success: true, events: [] };
  const notification = z.safeParse(s3Notification, json);
  if (notification.success) {
    return {
      success: true,
      events: notification.data.Records.filter((record) => record.eventName.startsWith('ObjectCreated:')).map((record) => ({
        kind: 'landed' as const,
        key: keyOf(record.s3.object.key),
      })),
    };
  }
  const scan = z.safeParse(scanResult, json);
  if (scan.success) {
    const result = scan.data.detail.scanResultDetails.scanResultStatus;
    return { success: true, events: [{ kind: 'scanned', key: scan.data.detail.s3ObjectDetails.objectKey, clean: result === 'NO_THREATS_FOUND', result }] };
  }
  return { success: false, reason: 'neither an S3 event notification nor a GuardDuty scan result' };
};
