import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functions, routes } from '../../infra/routes.ts';
import { cardLibraries, requiredLibraries } from '../../bench/bundles.ts';
import type { BenchReport } from '../../bench/table.ts';
import { useCases } from '../../bench/use-cases.ts';

// Runs `npm run bench -- --quick` as a child process, as a developer would; timings are never asserted.
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
let report: BenchReport;
let printed: string;

beforeAll(async () => {
  const out = join(dir, 'bench.json');
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--out', out], {
    cwd: join(import.meta.dirname, '..', '..'),
    maxBuffer: 16 * 1024 * 1024,
    timeout: 280_000,
  });
  printed = stdout;
  report = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
}, 290_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench --quick', () => {
  it('sizes and times every function of the catalog against its floor and the baseline', () => {
    expect(report.functions.map((f) => f.function)).toEqual(Object.keys(functions));
    for (const name of Object.keys(functions)) expect(printed).toContain(`| ${name} |`);
    expect(report.references.baseline.bundleKB).toBeGreaterThan(0);
  });

  it('builds every floor from the SDK clients and the card\'s libraries, and rates every function against one', () => {
    for (const floor of report.references.floors) expect({ [floor.name]: floor.contents }).toEqual({ [floor.name]: expect.arrayContaining([...cardLibraries]) });
    for (const f of report.functions) {
      expect(report.references.floors.map((floor) => floor.name)).toContain(f.floor.name);
      expect(f.ratios.sizeToFloor).toBeGreaterThan(0);
      expect(f.ratios.importToFloor).not.toBeNull();
    }
    expect(printed).toContain('**Against the required floor**');
    expect(report.targets).toEqual({ ratioToFloor: 1.1, medianImportToBaseline: 0.6, handlerCpuMedianMs: 2 });
    expect(printed).toContain('1.10x floor');
  });

  it('rates every function against a required floor: its floor plus exactly the required libraries the function bundles', () => {
    const required = report.references.requiredFloors ?? [];
    for (const f of report.functions) {
      const floor = required.find((r) => r.name === f.requiredFloor?.name);
      expect(floor, f.function).toBeDefined();
      // Every function flushes Powertools Metrics; what else it adds, the function's own bundle decides.
      expect(f.requiredFloor!.adds).toContain('@aws-lambda-powertools/metrics');
      for (const name of f.requiredFloor!.adds) expect(Object.keys(requiredLibraries)).toContain(name);
      expect(floor!.contents).toEqual(expect.arrayContaining([...cardLibraries]));
      expect(floor!.bundleKB).toBeGreaterThan(report.references.floors.find((r) => r.name === f.floor.name)!.bundleKB);
      expect(f.ratios.importToRequiredFloor).toBeGreaterThan(0);
    }
    const adds = (name: string) => report.functions.find((f) => f.function === name)!.requiredFloor!.adds;
    expect(adds('get-household')).toContain('@middy/http-header-normalizer');
    expect(adds('portal')).toContain('@middy/http-security-headers');
    expect(adds('raise-verification-tickets')).toContain('@aws-lambda-powertools/batch');
    expect(adds('get-household')).not.toContain('@middy/http-security-headers');
  });

  it('lists every route of the route table', () => {
    expect(report.routes.map((r) => r.route)).toEqual(routes.map((r) => `${r.method} ${r.path}`));
  });

  it('makes exactly the AWS calls each use case needs, no more', () => {
    expect(report.useCases.map((u) => u.name)).toEqual(useCases.map((u) => u.name));
    for (const useCase of report.useCases) {
      expect({ [useCase.name]: useCase.made }).toEqual({ [useCase.name]: useCase.minimum });
      expect(printed).toContain(`| ${useCase.name} |`);
    }
  });

  it('drains the queued tickets with five DynamoDB calls (read the ticket and the invitation, file, take ticket.raised out of the outbox, record the email) and one email each', () => {
    expect(report.drain.tickets).toBe(20);
    expect(report.drain.dynamoCallsPerTicket).toBe(5);
    expect(report.drain.sesCallsPerTicket).toBe(1);
  });
});
