// The local stack runs every function in one process, yet each handler reads only the variables its needs give it
// in AWS (infra/function-env.ts, which the CDK stack reads too), so a need missing from the route table fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantedEnv, listFunctions } from '../../infra/function-env.ts';
import { runAs } from '../../infra/local/handlers.ts';
import { functions, type FunctionName, type FunctionNeeds } from '../../infra/routes.ts';
import { sesMailer } from '../../lib/adapters/ses.ts';
import * as config from '../../lib/config.ts';
import { envNames } from '../../lib/config.ts';

const values: Record<string, string> = {
  [envNames.table]: 'portal',
  [envNames.ticketQueueUrl]: 'http://127.0.0.1:1/000000000000/tickets',
  [envNames.senderEmail]: 'portal@advisor-platform.test',
  [envNames.opsEmail]: 'ops@advisor-platform.test',
  [envNames.portalUrl]: 'http://localhost:3000',
  [envNames.accountKey]: '00'.repeat(32),
  [envNames.cursorKey]: '11'.repeat(32),
  [envNames.outboxGraceSeconds]: '9',
};
const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
beforeAll(() => Object.assign(process.env, values));
afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const names = Object.keys(functions) as FunctionName[];
const needsOf = (name: FunctionName): FunctionNeeds => functions[name].needs;
const without = (name: FunctionName, need: keyof FunctionNeeds): FunctionNeeds => {
  const { [need]: _dropped, ...rest } = needsOf(name);
  return rest;
};

describe("a local handler's environment", () => {
  it('holds what each need gives, and nothing another need gives', () => {
    const reads = { table: config.tableName, ticketQueue: config.ticketQueueUrl, email: config.senderEmail };
    for (const name of names) {
      const needs = needsOf(name);
      for (const [need, read] of Object.entries(reads)) {
        const attempt = () => runAs(name, needs, read);
        if (needs[need as keyof typeof reads] !== undefined) expect(attempt, `${name} ${need}`).not.toThrow();
        else expect(attempt, `${name} ${need}`).toThrow(/^missing configuration /);
      }
      expect(runAs(name, needs, config.accountKey) !== undefined, `${name} account key`).toBe(needs.accountKey === true);
      expect(runAs(name, needs, config.cursorKey) !== undefined, `${name} cursor key`).toBe((listFunctions as readonly string[]).includes(name));
    }
  });

  it('fails the way AWS would when a need is taken from a copy of a function spec', async () => {
    const email = { to: 'client@example.com', subject: 'Your portal', html: '<p>hi</p>', text: 'hi' };
    await expect(runAs('approve-verification', without('approve-verification', 'email'), () => sesMailer.send(email))).rejects.toThrow(
      'missing configuration SENDER_EMAIL',
    );
    expect(() => runAs('get-household', without('get-household', 'table'), config.tableName)).toThrow('missing configuration TABLE_NAME');
    expect(runAs('approve-verification', needsOf('approve-verification'), config.senderEmail)).toBe(values[envNames.senderEmail]);
  });

  it('gives every function the settings no need grants: the link base, the expiry and any timing override', () => {
    expect(grantedEnv.has(envNames.outboxGraceSeconds)).toBe(false);
    for (const name of names) {
      expect(runAs(name, {}, config.portalUrl)).toBe(values[envNames.portalUrl]);
      expect(runAs(name, {}, config.outboxGraceMs)).toBe(9_000);
    }
  });

  it('leaves code outside any invocation (tests, scripts) reading the whole environment', () => {
    expect(config.senderEmail()).toBe(values[envNames.senderEmail]);
    expect(config.cursorKey()).toBe(values[envNames.cursorKey]);
  });
});
