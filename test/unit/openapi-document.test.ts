import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../lib/openapi/document.ts';
import { generateOpenApiDocument } from '../../lib/openapi/generate.ts';

// The document is made by z.toJSONSchema from the schemas that check requests, ahead of time; the function serves
// the stored copy (lib/openapi/document-data.ts). These pin what a client reads.
const doc = openApiDocument('https://portal.example.com') as any;
const body = (path: string, type = 'application/json') => doc.paths[path].post.requestBody.content[type].schema;
const response = (path: string, method: string, status: string) => doc.paths[path][method].responses[status].content['application/json'].schema;

describe('the OpenAPI document', () => {
  it('is the one the schemas make today (when not, run `npx tsx lib/openapi/generate.ts` and commit the file)', () => {
    const { servers, ...served } = doc;
    expect(served).toEqual(generateOpenApiDocument());
    expect(servers).toEqual([{ url: 'https://portal.example.com' }]);
  });

  it('describes an account number as a client may send it, before spaces and dashes are removed', () => {
    expect(body('/portal/invitations/{token}/verify').properties.accountNumber).toEqual({ type: 'string', maxLength: 64 });
    expect(body('/invite/{token}/verify', 'application/x-www-form-urlencoded').properties.accountNumber).toEqual({ type: 'string', maxLength: 64 });
  });

  it('closes request bodies to unknown fields, and leaves responses open to new ones', () => {
    expect(body('/households').additionalProperties).toBe(false);
    expect(body('/households').properties.members.items.additionalProperties).toBe(false);
    const household = response('/households', 'post', '201');
    expect(household).not.toHaveProperty('additionalProperties');
    expect(household.properties.household).not.toHaveProperty('additionalProperties');
  });

  it('names formats, bounds and defaults', () => {
    const invite = body('/households/{householdId}/invitations').properties;
    expect(invite.email).toMatchObject({ type: 'string', format: 'email', maxLength: 254 });
    expect(invite.expiresInDays).toEqual({ type: 'integer', minimum: 1, maximum: 30 });
    const household = response('/households/{householdId}', 'get', '200').properties.household.properties;
    expect(household.householdId).toMatchObject({ type: 'string', format: 'uuid' });
    expect(household.createdAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(body('/households').properties.accounts).toMatchObject({ type: 'array', maxItems: 50, default: [] });
    const limit = doc.paths['/households'].get.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit).toEqual({ name: 'limit', in: 'query', required: false, schema: { type: 'string', pattern: '^\\d{1,3}$', default: '25' } });
  });

  it('gives the error body its envelope', () => {
    expect(doc.components.schemas.Error).toMatchObject({ type: 'object', required: ['error'], properties: { error: { required: ['code', 'message', 'details'] } } });
  });
});
