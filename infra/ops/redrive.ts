// Moves ticket requests from the dead-letter queue back to the ticket queue, once their cause is fixed.
// In AWS, SQS moves them itself (StartMessageMoveTask); fauxqs 2.4 does not implement that, so locally a loop does.
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  StartMessageMoveTaskCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { sleep } from '../../lib/sleep.ts';

export interface RedriveOptions {
  sqs: SQSClient;
  deadLetterQueueUrl: string;
  queueUrl: string;
  /** Upper bound on messages moved in one run. */
  max?: number;
}

/** Local queue only. Receive, re-send, then delete: a crash in between re-sends a message twice, which ticket creation tolerates. */
export const redriveDeadLetters = async ({ sqs, deadLetterQueueUrl, queueUrl, max = 1_000 }: RedriveOptions): Promise<number> => {
  let moved = 0;
  while (moved < max) {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deadLetterQueueUrl,
        MaxNumberOfMessages: Math.min(10, max - moved),
        WaitTimeSeconds: 1,
        VisibilityTimeout: 30,
      }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? '' })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => Number(s.Id)));
    const done = messages.filter((_, i) => ok.has(i));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: deadLetterQueueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
    }
    moved += done.length;
    if (done.length < messages.length) break;
  }
  return moved;
};

export interface MessageMoveOptions {
  sqs: SQSClient;
  deadLetterQueueUrl: string;
  queueUrl: string;
  /** Caps the move so a large backlog does not hit the ops function, the table and SES all at once. */
  maxPerSecond?: number;
  /** How often the task's progress is read while waiting for it to end. */
  pollEveryMs?: number;
  onProgress?: (moved: number, toMove: number | undefined) => void;
}

export interface MessageMoveResult {
  status: string;
  moved: number;
  failureReason?: string | undefined;
}

const arnOf = async (sqs: SQSClient, queueUrl: string): Promise<string> => {
  const found = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  const arn = found.Attributes?.QueueArn;
  if (!arn) throw new Error(`no QueueArn for ${queueUrl}`);
  return arn;
};

/** Real SQS: starts a message move task from the DLQ to the ticket queue and waits until it has ended. */
export const moveDeadLetters = async ({
  sqs,
  deadLetterQueueUrl,
  queueUrl,
  maxPerSecond = 50,
  pollEveryMs = 5_000,
  onProgress,
}: MessageMoveOptions): Promise<MessageMoveResult> => {
  const [sourceArn, destinationArn] = await Promise.all([arnOf(sqs, deadLetterQueueUrl), arnOf(sqs, queueUrl)]);
  const { TaskHandle } = await sqs.send(
    new StartMessageMoveTaskCommand({ SourceArn: sourceArn, DestinationArn: destinationArn, MaxNumberOfMessagesPerSecond: maxPerSecond }),
  );
  for (;;) {
    const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 10 }));
    const task = Results.find((entry) => entry.TaskHandle === TaskHandle) ?? Results[0];
    const moved = task?.ApproximateNumberOfMessagesMoved ?? 0;
    if (task && task.Status !== 'RUNNING' && task.Status !== 'CANCELLING') {
      return { status: task.Status ?? 'UNKNOWN', moved, failureReason: task.FailureReason };
    }
    onProgress?.(moved, task?.ApproximateNumberOfMessagesToMove);
    await sleep(pollEveryMs);
  }
};
