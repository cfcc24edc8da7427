// Builds every function exactly as the CDK function construct does (infra/bundling.ts), plus the two
// references each is judged against: its floor (the SDK clients it needs and the card's libraries, used
// minimally) and the naive baseline.
import { build, type BuildOptions } from 'esbuild';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundling } from '../infra/bundling.ts';
import { listFunctions } from '../infra/function-env.ts';
import { functions, type DocumentUse, type FunctionNeeds } from '../infra/routes.ts';

export const repoRoot = new URL('..', import.meta.url).pathname;

export interface Bundle {
  name: string;
  file: string;
  bytes: number;
  /** AWS SDK client packages found in the bundle's metafile. */
  clients: string[];
  /** Which of the card's runtime libraries the bundle holds. */
  libraries: string[];
  /** Bytes each source file left in the bundle, by path (esbuild's metafile). */
  inputs: Record<string, number>;
}

export interface FunctionBundle extends Bundle {
  floor: string;
  /** Its floor plus the libraries issue #12 requires that this function bundles (`requiredLibraries`). */
  requiredFloor: string;
  /** Those libraries. */
  required: string[];
}

/** The CDK NodejsFunction `bundling` props, spelled as esbuild build options. */
export const esbuildOptions = (outdir: string): BuildOptions => ({
  bundle: true,
  outdir,
  outExtension: { '.js': '.mjs' },
  format: bundling.format,
  target: bundling.target,
  platform: bundling.platform,
  minify: bundling.minify,
  sourcemap: bundling.sourceMap,
  external: [...bundling.externalModules],
  banner: { js: bundling.banner },
  mainFields: [...bundling.mainFields],
  define: { ...bundling.define },
  alias: { ...bundling.alias },
  absWorkingDir: repoRoot,
  metafile: true,
  logLevel: 'error',
});

const clientsIn = (inputs: Record<string, unknown>): string[] => {
  const found = new Set<string>();
  for (const input of Object.keys(inputs)) {
    const match = /node_modules\/@aws-sdk\/client-([\w-]+)\//.exec(input);
    if (match?.[1]) found.add(match[1]);
  }
  return [...found].sort();
};

export const cardLibraries = ['@middy/core', 'zod', '@aws-lambda-powertools/logger'] as const;

const librariesIn = (inputs: Record<string, unknown>): string[] =>
  cardLibraries.filter((name) => Object.keys(inputs).some((input) => input.includes(`node_modules/${name}/`)));

/**
 * One esbuild run for every entry: each output is the same file a separate build would write (no code
 * splitting), and node_modules is parsed once instead of thirty times.
 */
const bundleAll = async (outDir: string, entries: { name: string; file: string }[], options: BuildOptions = esbuildOptions(outDir)): Promise<Map<string, Bundle>> => {
  const result = await build({ ...options, entryPoints: entries.map(({ name, file }) => ({ in: file, out: name })) });
  const byEntry = new Map(entries.map((entry) => [relative(repoRoot, entry.file), entry.name]));
  const bundles = new Map<string, Bundle>();
  for (const [output, meta] of Object.entries(result.metafile!.outputs)) {
    const name = meta.entryPoint === undefined ? undefined : byEntry.get(meta.entryPoint);
    if (name === undefined) continue;
    const file = join(repoRoot, output);
    const inputs = Object.fromEntries(Object.entries(meta.inputs).map(([input, { bytesInOutput }]) => [input, bytesInOutput]));
    bundles.set(name, { name, file, bytes: statSync(file).size, clients: clientsIn(meta.inputs), libraries: librariesIn(meta.inputs), inputs });
  }
  return bundles;
};

/**
 * The libraries issue #12 requires beyond its floor's three, each with the least code that uses it: Powertools
 * Metrics flushed by its middy middleware (every function), the official middy middlewares where they meet the
 * contract (the header normalizer on HTTP routes, security headers on pages), and Powertools Batch in the queue
 * consumers. The "required floor" adds the ones a function bundles, so what is left above it is its own code.
 */
export const requiredLibraries: Record<string, { imports: string; use?: string; code?: string }> = {
  '@aws-lambda-powertools/metrics': {
    imports: `import { Metrics } from '@aws-lambda-powertools/metrics';\nimport { logMetrics } from '@aws-lambda-powertools/metrics/middleware';`,
    use: `.use(logMetrics(new Metrics({ namespace: 'Bench' }), { throwOnEmptyMetrics: false }))`,
  },
  '@middy/http-header-normalizer': { imports: `import httpHeaderNormalizer from '@middy/http-header-normalizer';`, use: '.use(httpHeaderNormalizer())' },
  '@middy/http-security-headers': { imports: `import httpSecurityHeaders from '@middy/http-security-headers';`, use: '.use(httpSecurityHeaders())' },
  '@aws-lambda-powertools/batch': {
    imports: `import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';`,
    code: 'export const batch = [new BatchProcessor(EventType.SQS), processPartialResponse];',
  },
};

/** Which of the required libraries a bundle holds. */
const requiredIn = (inputs: Record<string, unknown>): string[] =>
  Object.keys(requiredLibraries).filter((name) => Object.keys(inputs).some((input) => input.includes(`node_modules/${name}/`)));

/**
 * The card's libraries at their least: a middy handler with the Powertools Logger's context injection,
 * checking one 11-field body with an email through zod/mini (the size of schema issue #12 measured),
 * and, for a required floor, the required libraries named.
 */
const cardLibrariesCode = (required: string[] = []) => `
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import * as z from 'zod/mini';
${required.map((name) => requiredLibraries[name]!.imports).join('\n')}

const logger = new Logger();
const text = z.string().check(z.minLength(1), z.maxLength(200));
const request = z.object({
  householdId: z.uuid(),
  name: text,
  firstName: text,
  lastName: text,
  email: z.email(),
  role: z.enum(['primary', 'spouse', 'dependent', 'other']),
  accountNumber: z.optional(z.string().check(z.regex(/^[0-9]{6,34}$/))),
  custodian: z.optional(text),
  expiresInDays: z.optional(z.int().check(z.minimum(1), z.maximum(30))),
  note: z.optional(z.string().check(z.maxLength(500))),
  consent: z.boolean(),
});
${required.map((name) => requiredLibraries[name]!.code ?? '').join('\n')}

export const handler = middy()
  .use(injectLambdaContext(logger))
  ${required.map((name) => requiredLibraries[name]!.use ?? '').join('\n  ')}
  .handler(async (event: { body?: string }) => {
    const input = request.parse(JSON.parse(event.body ?? '{}'));
    logger.info('request checked', { role: input.role });
    return { statusCode: 200, body: '{}' };
  });
`;

/** What each use of the document bucket sends: signed download links, signed upload forms, inspecting what landed, or purging a household's files. */
const s3Floor: Record<DocumentUse, { commands: string[]; imports: string; uses: string[] }> = {
  download: { commands: ['GetObjectCommand'], imports: `import { getSignedUrl } from '@aws-sdk/s3-request-presigner';`, uses: ['getSignedUrl'] },
  upload: { commands: [], imports: `import { createPresignedPost } from '@aws-sdk/s3-presigned-post';`, uses: ['createPresignedPost'] },
  manage: { commands: ['HeadObjectCommand', 'GetObjectCommand', 'DeleteObjectCommand'], imports: '', uses: [] },
  purge: { commands: ['ListObjectsV2Command', 'DeleteObjectsCommand'], imports: '', uses: [] },
};

/** The SDK clients a function's needs imply, each with the commands the design sends through it. */
const floorParts = (needs: FunctionNeeds, signsCursors: boolean) => {
  const parts: { key: string; code: string }[] = [];
  if (needs.table) {
    const commands = needs.table === 'read' ? ['GetCommand', 'QueryCommand'] : ['GetCommand', 'QueryCommand', 'PutCommand', 'UpdateCommand', 'DeleteCommand', 'TransactWriteCommand'];
    parts.push({
      key: `dynamodb-${needs.table}`,
      code: `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ${commands.join(', ')} } from '@aws-sdk/lib-dynamodb';
export const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const tableCommands = [${commands.join(', ')}];`,
    });
  }
  if (needs.email) {
    parts.push({ key: 'ses', code: `import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';\nexport const ses = [new SESClient({}), SendEmailCommand];` });
  }
  if (needs.ticketQueue) {
    parts.push({ key: 'sqs', code: `import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';\nexport const sqs = [new SQSClient({}), SendMessageBatchCommand];` });
  }
  // In AWS the lifecycle events go to EventBridge; the SNS topic is the local stack's stand-in (lib/adapters/event-bus.ts).
  if (needs.eventBus) {
    parts.push({ key: 'events', code: `import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';\nexport const events = [new EventBridgeClient({}), PutEventsCommand];` });
  }
  if (needs.documents) {
    const s3 = s3Floor[needs.documents];
    parts.push({
      key: `s3-${needs.documents}`,
      code: `import { S3Client${s3.commands.map((c) => `, ${c}`).join('')} } from '@aws-sdk/client-s3';\n${s3.imports}\nexport const s3 = [new S3Client({}), ${[...s3.commands, ...s3.uses].join(', ')}];`,
    });
  }
  // The account-number HMAC key and the cursor-signing key are both read from Secrets Manager.
  if (needs.accountKey || signsCursors) {
    parts.push({
      key: 'secrets',
      code: `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';\nexport const secrets = [new SecretsManagerClient({}), GetSecretValueCommand];`,
    });
  }
  return { key: parts.map((p) => p.key).join('+') || 'no-sdk', sdkCode: parts.map((p) => p.code).join('\n') };
};

/** One handler the way a first draft would write it: all three clients, full zod, middy and the logger. */
const baselineCode = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ses = new SESClient({});
const sqs = new SQSClient({});
const logger = new Logger();
const body = z.object({ householdId: z.uuid(), email: z.email(), firstName: z.string().min(1) });

export const handler = middy()
  .use(injectLambdaContext(logger))
  .handler(async (event: { body: string }) => {
    const input = body.parse(JSON.parse(event.body));
    const { Item } = await documents.send(new GetCommand({ TableName: 't', Key: { pk: input.householdId } }));
    await documents.send(new PutCommand({ TableName: 't', Item: { ...Item, ...input } }));
    await ses.send(new SendEmailCommand({ Source: 'a', Destination: {}, Message: { Subject: { Data: 's' }, Body: {} } }));
    await sqs.send(new SendMessageCommand({ QueueUrl: 'q', MessageBody: input.email }));
    return { statusCode: 201 };
  });
`;

export interface BuiltBundles {
  functions: FunctionBundle[];
  floors: Bundle[];
  requiredFloors: Bundle[];
  baseline: Bundle;
  empty: Bundle;
}

/** Builds everything into `outDir`; the function list is the catalog, so new functions join on their own. */
export const buildAll = async (outDir: string): Promise<BuiltBundles> => {
  // Generated entries sit inside the repo (git-ignored) so they resolve packages as the functions do.
  const generated = join(repoRoot, 'node_modules', '.cache', 'portal-bench');
  mkdirSync(generated, { recursive: true });
  const write = (name: string, code: string) => {
    const file = join(generated, `${name}.ts`);
    writeFileSync(file, code);
    return { name, file };
  };
  const specs = Object.entries(functions).map(([name, spec]) => ({ name, file: join(repoRoot, 'functions', spec.entry), floor: floorParts(spec.needs, (listFunctions as readonly string[]).includes(name)) }));
  const floors = [...new Map(specs.map(({ floor }) => [floor.key, `${floor.sdkCode}\n${cardLibrariesCode()}`]))].map(([key, code]) => write(`floor-${key}`, code));
  const references = [write('baseline', baselineCode), write('empty', 'export {};')];
  // The baseline is what a typical project deploys, so it keeps the SDK's whole default credential chain: the
  // project's own bundling choices (the alias in infra/bundling.ts) apply to the functions and their floors only.
  const built = new Map([
    ...(await bundleAll(outDir, [...specs, ...floors])),
    ...(await bundleAll(outDir, references, { ...esbuildOptions(outDir), alias: {} })),
  ]);
  const get = (name: string) => {
    const bundle = built.get(name);
    if (!bundle) throw new Error(`esbuild wrote no bundle for ${name}`);
    return bundle;
  };
  // The required floors follow from what each function turned out to bundle: a second esbuild run.
  const withRequired = specs.map((spec) => {
    const required = requiredIn(get(spec.name).inputs);
    const key = `${spec.floor.key}${required.map((name) => `+${name.split('/').pop()}`).join('')}`;
    return { ...spec, required, requiredKey: key, requiredCode: `${spec.floor.sdkCode}\n${cardLibrariesCode(required)}` };
  });
  const requiredFloors = [...new Map(withRequired.map((spec) => [spec.requiredKey, spec.requiredCode]))].map(([key, code]) => write(`required-${key}`, code));
  for (const [name, bundle] of await bundleAll(outDir, requiredFloors)) built.set(name, bundle);
  return {
    functions: withRequired.map(({ name, floor, required, requiredKey }) => ({ ...get(name), floor: `floor-${floor.key}`, requiredFloor: `required-${requiredKey}`, required })),
    floors: floors.map(({ name }) => get(name)),
    requiredFloors: requiredFloors.map(({ name }) => get(name)),
    baseline: get('baseline'),
    empty: get('empty'),
  };
};
