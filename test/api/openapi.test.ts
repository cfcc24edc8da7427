import { describe, expect, it } from 'vitest';
import { routes } from '../../infra/routes.ts';
import { operations } from '../../lib/openapi/operations.ts';
import { call } from '../support/api.ts';

describe('the OpenAPI document', () => {
  it('has an operation for every route in the route table, and nothing else', () => {
    expect(Object.keys(operations).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('is served as OpenAPI 3.1 with every path and the error schema', async () => {
    const answer = await call('GET', '/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toBe('3.1.0');
    for (const route of routes) {
      expect(answer.body.paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    }
    const create = answer.body.paths['/households'].post;
    expect(create.requestBody.content['application/json'].schema.properties).toHaveProperty('name');
    expect(create.responses['201']).toBeDefined();
    expect(create.security).toEqual([{ cognito: [] }]);
    expect(answer.body.components.schemas.Error).toBeDefined();
  });
});
