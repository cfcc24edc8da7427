import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import * as config from '../config.ts';
import { AppError } from '../domain/errors.ts';
import { invitationTags } from '../email/invitation-tags.ts';
import type { Mailer } from '../domain/ports.ts';
import { logger } from '../logger.ts';
import { sleep } from '../sleep.ts';
import { equalJitterMs } from '../backoff.ts';
import { sesCall } from '../settings/timing.ts';
import { clientDefaults } from './aws-errors.ts';
import { observed } from './call-observers.ts';

// Endpoint from AWS_ENDPOINT_URL_SES when run locally. One try per call: a SendEmail that timed out or got a 5xx
// may have been sent, and the SDK's retry would send it again; only a send SES never took (throttled, or no connection) is retried here.
// Its request timeout is longer than other calls': a slow SES that times out leaves the send in doubt (a 502).
const ses = observed(
  new SESClient({ ...clientDefaults, maxAttempts: sesCall.maxAttempts, requestHandler: { ...clientDefaults.requestHandler, requestTimeout: sesCall.requestTimeoutMs } }),
);

const unconnected = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|without establishing a connection/;
/** Refusals that prove SES never took the message: throttling, or no connection at all. */
const neverTaken = (error: unknown) =>
  error instanceof Error &&
  (/^Throttling(Exception)?$/.test(error.name) || unconnected.test(`${(error as { code?: string }).code ?? ''} ${error.message}`));
const sendTries = 3;

const headerSafe = (value: string, field: string): string => {
  if (/[\r\n]/.test(value)) throw new Error(`${field} contains a line break`);
  return value;
};

export const sesMailer: Mailer = {
  async send(email) {
    const command = new SendEmailCommand({
      Source: headerSafe(config.senderEmail(), 'sender'),
      Destination: { ToAddresses: [headerSafe(email.to, 'recipient')] },
      Message: {
        Subject: { Data: headerSafe(email.subject, 'subject'), Charset: 'UTF-8' },
        Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
      },
      ...(config.sesConfigurationSet() ? { ConfigurationSetName: config.sesConfigurationSet() } : {}),
      // The configuration set publishes bounces and complaints; these tags tell functions/record-email-events.ts whose.
      ...(email.about ? { Tags: invitationTags(email.about) } : {}),
    });
    for (let attempt = 1; ; attempt += 1) {
      try {
        await ses.send(command);
        return;
      } catch (error) {
        if (neverTaken(error) && attempt < sendTries) {
          await sleep(equalJitterMs(attempt, sesCall.neverTakenRetry));
          continue;
        }
        logger.warn('email send failed', { errorName: (error as Error).name });
        throw new AppError('email_send_failed', 'The email could not be sent; nothing else failed, and it can be sent again');
      }
    }
  },
};
