import type { Context } from 'aws-lambda';

// One structured JSON line per event, in the field names Lambda's own JSON log format and Logs Insights
// use. Callers log ids and outcomes, never emails, names, tokens or account numbers.
//
// Written here rather than taken from Powertools: its Logger is 21 KB of every bundle (about 6% of a
// function's SDK floor, see README "Performance") for what is used of it, which is this file.

type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
type Fields = Record<string, unknown>;

const rank: Record<string, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };
const service = process.env.SERVICE_NAME ?? 'portal-onboarding';

/** LOG_LEVEL (local runs, tests) wins; in AWS, the level set on the function (AWS_LAMBDA_LOG_LEVEL). */
const threshold = (): number => rank[(process.env.LOG_LEVEL ?? process.env.AWS_LAMBDA_LOG_LEVEL ?? 'INFO').toUpperCase()] ?? 20;

let invocation: Fields = {};
/** Functions this process has run: in Lambda the process runs one function, under `npm start` all of them. */
const warm = new Set<string>();

const write = (level: Level, message: string, fields?: Fields): void => {
  if (rank[level]! < threshold()) return;
  const line = { level, message, timestamp: new Date().toISOString(), service, ...invocation };
  let text: string;
  try {
    text = JSON.stringify({ ...line, ...fields });
  } catch {
    // A field JSON cannot hold (a BigInt, a cycle) costs the fields, never the request.
    text = JSON.stringify({ ...line, fields: 'not serializable' });
  }
  process.stdout.write(`${text}\n`);
};

export const logger = {
  debug: (message: string, fields?: Fields) => write('DEBUG', message, fields),
  info: (message: string, fields?: Fields) => write('INFO', message, fields),
  warn: (message: string, fields?: Fields) => write('WARN', message, fields),
  error: (message: string, fields?: Fields) => write('ERROR', message, fields),
};

/** The invocation's fields, for lines written beside the logger (metrics). */
export const invocationFields = (): Fields => invocation;

/** Every line of one invocation carries its request id, trace id and whether it was a cold start. */
export const startInvocation = (context: Context): void => {
  invocation = {
    function_name: context.functionName,
    function_request_id: context.awsRequestId,
    cold_start: !warm.has(context.functionName),
    ...(process.env._X_AMZN_TRACE_ID ? { xray_trace_id: process.env._X_AMZN_TRACE_ID } : {}),
  };
  warm.add(context.functionName);
};
