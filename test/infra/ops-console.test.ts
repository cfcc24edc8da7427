// The ops console in AWS: its hosted sign-in (a pool domain and an app client of its own, code grant for a public
// client), what its functions are told, and the local sign-in nowhere: no route, no function, no line of its code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functions, localOnlyFunctions, localOnlyRoutes, routes, type FunctionName } from '../../infra/routes.ts';
import { envNames } from '../../lib/config.ts';
import { ofType, refersTo, single, useSynthesizedPortal } from './synth.ts';

const portal = useSynthesizedPortal({ bundles: true });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const props = (resource: { Properties?: Record<string, unknown> }) => resource.Properties as Record<string, any>;
const portalUrl = () => portal.app.node.tryGetContext('portalUrl') as string;
const consoleClient = () => ofType(portal.codeResources, 'AWS::Cognito::UserPoolClient').find(([, client]) => props(client).AllowedOAuthFlowsUserPoolClient)!;
const consoleEnv = [envNames.consoleAuthDomain, envNames.consoleClientId, envNames.consoleIssuer];

/** Every file the synthesized app would upload as function code. */
const bundledFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? bundledFiles(path) : name.endsWith('.mjs') ? [path] : [];
  });

describe('the ops console in AWS', () => {
  it('never deploys the local sign-in: no route, no function, and no bundle holds its code', () => {
    const deployed = ofType(portal.codeResources, 'AWS::ApiGatewayV2::Route').map(([, route]) => props(route).RouteKey as string);
    expect(deployed.length).toBe(routes.length);
    for (const route of localOnlyRoutes) expect(deployed).not.toContain(`${route.method} ${route.path}`);
    expect(deployed.filter((key) => key.includes('local'))).toEqual([]);
    for (const name of Object.keys(localOnlyFunctions)) expect(portal.stateless.handlers.has(name as FunctionName)).toBe(false);
    const lambdas = ofType(portal.codeResources, 'AWS::Lambda::Function');
    expect(lambdas).toHaveLength(Object.keys(functions).length);
    // The local sign-in's own sub prefix: no function's code can mint that user.
    const bundles = bundledFiles(portal.app.outdir);
    expect(bundles.length).toBeGreaterThanOrEqual(Object.keys(functions).length);
    expect(bundles.filter((file) => readFileSync(file, 'utf8').includes('local-ops:'))).toEqual([]);
  });

  it('signs in through a pool domain and an app client of its own: code grant, no secret, callback and logout on the portal', () => {
    const [poolId] = single(portal.codeResources, 'AWS::Cognito::UserPool');
    const [, domain] = single(portal.codeResources, 'AWS::Cognito::UserPoolDomain');
    expect(props(domain).UserPoolId).toEqual({ Ref: poolId });
    const [, client] = consoleClient();
    expect(props(client)).toMatchObject({
      UserPoolId: { Ref: poolId },
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: [`${portalUrl()}/ops/console/callback`],
      LogoutURLs: [`${portalUrl()}/ops/console/sign-in`],
      SupportedIdentityProviders: ['COGNITO'],
      // No password or SRP flow of its own: only the hosted pages sign in through it.
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
  });

  it("tells the console's functions, and only them, where the hosted sign-in is", () => {
    const [poolId] = single(portal.codeResources, 'AWS::Cognito::UserPool');
    const [domainId] = single(portal.codeResources, 'AWS::Cognito::UserPoolDomain');
    const [clientId] = consoleClient();
    for (const [name, spec] of Object.entries(functions) as [FunctionName, { needs: { consoleAuth?: true } }][]) {
      const env = props(portal.codeResources[portal.functionLogicalIds.get(name)!]!).Environment.Variables as Record<string, unknown>;
      if (!spec.needs.consoleAuth) {
        for (const variable of consoleEnv) expect(env[variable], `${name} ${variable}`).toBeUndefined();
        continue;
      }
      expect(refersTo(env[envNames.consoleAuthDomain], domainId), name).toBe(true);
      expect(env[envNames.consoleClientId], name).toEqual({ Ref: clientId });
      expect(refersTo(env[envNames.consoleIssuer], poolId), name).toBe(true);
      expect(JSON.stringify(env[envNames.consoleIssuer])).toContain('https://cognito-idp.us-east-1.amazonaws.com/');
      expect(env[envNames.consoleSignInPath], name).toBeUndefined();
    }
    expect(Object.values(functions).filter((spec) => 'consoleAuth' in spec.needs).length).toBe(3);
  });

  it('serves its pages without the JWT authorizer: the session cookie is their credential', () => {
    const consoleRoutes = routes.filter((route) => route.path.startsWith('/ops/console'));
    expect(consoleRoutes.every((route) => route.access === 'console')).toBe(true);
    const deployed = ofType(portal.codeResources, 'AWS::ApiGatewayV2::Route').map(([, route]) => props(route));
    for (const route of consoleRoutes) {
      const found = deployed.find((candidate) => candidate.RouteKey === `${route.method} ${route.path}`);
      expect(found?.AuthorizationType ?? 'NONE', route.path).toBe('NONE');
    }
  });
});
