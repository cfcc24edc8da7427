import '../support/metrics-on.ts';
import { ScanCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newFirm, tokenFor } from '../support/api.ts';
import { eventually, linkIn, waitForMail } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

// Runs the end-to-end flows on a private stack while capturing every log line its handlers write.
let own: OwnStack;
const logLines: string[] = [];
const tokens: string[] = [];
const restore: (() => void)[] = [];

const secrets = {
  accountNumbers: ['7310-2046-5588', '731020465588', 'GB29NWBK60161331926819'],
  names: ['Zephyrine', 'Quillfeather', 'Marisol', 'Vantongeren'],
  emails: ['zephyrine.q@secret-client.test', 'marisol.v@secret-client.test', 'advisor.secret@firm.test'],
};

const capture = (stream: NodeJS.WriteStream) => {
  const original = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logLines.push(...String(chunk).split('\n').filter((line) => line.trim() !== ''));
    return typeof rest[rest.length - 1] === 'function' ? ((rest[rest.length - 1] as () => void)(), true) : true;
  }) as typeof stream.write;
  restore.push(() => {
    stream.write = original;
  });
};

beforeAll(async () => {
  process.env.LOG_LEVEL = 'DEBUG';
  own = await startOwnStack();
  capture(process.stdout);
  capture(process.stderr);

  const firm = newFirm();
  const advisor = await tokenFor('advisor', firm, { email: secrets.emails[2] });
  const ops = await tokenFor('ops', firm);
  const mailUrl = own.stack.mailUrl;

  // A client household verifies itself (one wrong number first) and accepts.
  const client = await own.api('POST', '/households', {
    token: advisor,
    body: {
      name: 'Quillfeather Household',
      members: [{ firstName: 'Zephyrine', lastName: 'Quillfeather', email: secrets.emails[0], role: 'primary' }],
      accounts: [{ accountNumber: secrets.accountNumbers[0] }, { accountNumber: secrets.accountNumbers[2] }],
    },
  });
  await own.api('POST', `/households/${client.body.household.householdId}/invitations`, {
    token: advisor,
    body: { firstName: 'Zephyrine', lastName: 'Quillfeather', email: secrets.emails[0] },
  });
  const clientLink = linkIn((await waitForMail(secrets.emails[0]!, 1, mailUrl))[0]).token;
  tokens.push(clientLink);
  await own.api('POST', `/portal/invitations/${clientLink}/verify`, { body: { accountNumber: '1111222233334444' } });
  await own.api('POST', `/portal/invitations/${clientLink}/verify`, { body: { accountNumber: secrets.accountNumbers[0] } });
  await own.api('POST', `/portal/invitations/${clientLink}/accept`);

  // A prospect is verified by ops and accepts through the fresh link.
  const prospect = await own.api('POST', '/households', { token: advisor, body: { name: 'Vantongeren Family' } });
  const invited = await own.api('POST', `/households/${prospect.body.household.householdId}/invitations`, {
    token: advisor,
    body: { firstName: 'Marisol', lastName: 'Vantongeren', email: secrets.emails[1] },
  });
  tokens.push(linkIn((await waitForMail(secrets.emails[1]!, 1, mailUrl))[0]).token);
  const ticketId = invited.body.invitation.verification.ticketId as string;
  await eventually(async () => ((await own.api('GET', `/ops/tickets/${ticketId}`, { token: ops })).status === 200 ? true : undefined));
  await own.api('POST', `/ops/tickets/${ticketId}/approve`, { token: ops, body: { note: 'checked', evidence: { method: 'phone' } } });
  const fresh = linkIn((await waitForMail(secrets.emails[1]!, 2, mailUrl))[1]).token;
  tokens.push(fresh);
  await own.api('POST', `/portal/invitations/${fresh}/accept`);
  await own.stack.runScheduled();
}, 120_000);

afterAll(async () => {
  restore.forEach((undo) => undo());
  delete process.env.LOG_LEVEL;
  await own?.stop();
});

describe('secrets at rest', () => {
  it('stores no invitation token and no full account number anywhere in the table', async () => {
    const dynamo = new DynamoDBClient({ endpoint: own.stack.dynamoUrl, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    const items: unknown[] = [];
    let start: Record<string, never> | undefined;
    do {
      const page = await dynamo.send(new ScanCommand({ TableName: own.stack.tableName, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey as typeof start;
    } while (start);
    const dump = JSON.stringify(items);
    expect(items.length).toBeGreaterThan(5);
    expect(tokens).toHaveLength(3);
    for (const token of tokens) expect(dump).not.toContain(token);
    for (const number of secrets.accountNumbers) expect(dump).not.toContain(number);
    expect(dump).toContain('5588');
  });
});

describe('secrets in logs', () => {
  it('writes structured JSON lines, each with a request id', () => {
    const json = logLines.filter((line) => line.startsWith('{'));
    expect(json.length).toBeGreaterThan(10);
    // The metrics lines (invitations sent, tickets raised) are read for secrets too.
    expect(json.some((line) => line.includes('"_aws"'))).toBe(true);
    for (const line of json) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      // A metrics line (EMF, from Powertools Metrics) is not a log event and has no level; it has the request id.
      if (entry._aws === undefined) expect(entry.level, line).toEqual(expect.any(String));
      expect(entry.function_request_id ?? entry.requestId, line).toEqual(expect.any(String));
    }
  });

  it('never logs an email address, a name, a token or an account number', () => {
    const all = logLines.join('\n');
    for (const value of [...secrets.emails, ...secrets.names, ...secrets.accountNumbers, ...tokens]) {
      expect(all, value).not.toContain(value);
    }
    expect(all).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
  });
});
