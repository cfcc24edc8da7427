// Issue #10 item 16: a send SES may have taken is never repeated by the SDK, since a repeat is a second email.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: Server;
let requests = 0;
let answer: { status: number; body: string } = { status: 500, body: '' };

const sesError = (code: string, message: string) =>
  `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`;

beforeAll(async () => {
  // An SES endpoint on loopback that counts what reaches it and answers as the test says.
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests += 1;
      response.writeHead(answer.status, { 'content-type': 'text/xml' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_SES: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    SENDER_EMAIL: 'portal@advisor-platform.test',
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const outgoing = { to: 'ops@advisor-platform.test', subject: 'Verification needed', html: '<p>x</p>', text: 'x' };

describe('sending an email through SES', () => {
  it('makes one request when SES answers a server error, which may mean it sent the email', async () => {
    const { sesMailer } = await import('../../lib/adapters/ses.ts');
    requests = 0;
    answer = { status: 500, body: sesError('InternalFailure', 'try again') };
    await expect(sesMailer.send(outgoing)).rejects.toMatchObject({ code: 'email_send_failed' });
    expect(requests).toBe(1);
  });

  it('tries again when SES throttled the send, which means it sent nothing', async () => {
    const { sesMailer } = await import('../../lib/adapters/ses.ts');
    requests = 0;
    answer = { status: 400, body: sesError('Throttling', 'Maximum sending rate exceeded.') };
    await expect(sesMailer.send(outgoing)).rejects.toMatchObject({ code: 'email_send_failed' });
    expect(requests).toBe(3);
  });
});
