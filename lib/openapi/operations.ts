import type { z } from 'zod';
import { errorBody, listOf } from '../schemas/common.ts';

export { errorBody };
import {
  createHouseholdBody,
  householdResponse,
  householdView,
  listHouseholdsQuery,
  newAccount,
} from '../schemas/households.ts';

export interface Operation {
  summary: string;
  tag: 'advisor' | 'client' | 'ops' | 'meta';
  body?: z.ZodType;
  query?: z.ZodObject;
  response: { status: number; schema?: z.ZodType; description: string; contentType?: string };
  /** Error codes this operation can answer besides the ones every route shares. */
  errors: string[];
}

/** One entry per route of infra/routes.ts, keyed "METHOD /path"; a test keeps the two in step. */
export const operations: Record<string, Operation> = {
  'POST /households': {
    summary: 'Create a household; with no accounts it is a prospect',
    tag: 'advisor',
    body: createHouseholdBody,
    response: { status: 201, schema: householdResponse, description: 'The new household' },
    errors: ['validation_error', 'invalid_json', 'payload_too_large', 'unsupported_media_type'],
  },
  'GET /households': {
    summary: "List the caller firm's households",
    tag: 'advisor',
    query: listHouseholdsQuery,
    response: { status: 200, schema: listOf(householdView), description: 'A page of households' },
    errors: ['validation_error'],
  },
  'GET /households/{householdId}': {
    summary: 'Read one household',
    tag: 'advisor',
    response: { status: 200, schema: householdResponse, description: 'The household' },
    errors: ['not_found'],
  },
  'POST /households/{householdId}/accounts': {
    summary: 'Link an account; a prospect becomes a client',
    tag: 'advisor',
    body: newAccount,
    response: { status: 201, schema: householdResponse, description: 'The household with the account linked' },
    errors: ['not_found', 'conflict', 'validation_error', 'invalid_json', 'unsupported_media_type'],
  },
  'GET /openapi.json': {
    summary: 'This OpenAPI document',
    tag: 'meta',
    response: { status: 200, description: 'OpenAPI 3.1 document' },
    errors: [],
  },
};

