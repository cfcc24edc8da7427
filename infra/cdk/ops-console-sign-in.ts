// The ops console's sign-in in AWS: the staff user pool's hosted pages on a pool domain, and an app client of the
// console's own (authorization code with PKCE, no secret, callback and logout on the portal's URL). The console
// functions learn where these are through their `consoleAuth` need (infra/function-env.ts, bind-needs.ts).
import { Aws, Duration, Fn, Stack } from 'aws-cdk-lib';
import { OAuthScope, UserPoolClientIdentityProvider, type UserPool, type UserPoolClient, type UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { consolePaths } from '../../lib/console/paths.ts';

export interface OpsConsoleSignInProps {
  userPool: UserPool;
  /** The portal's public base URL (settings.portalUrl), which serves /ops/console. */
  portalUrl: string;
}

export class OpsConsoleSignIn extends Construct {
  readonly domain: UserPoolDomain;
  readonly appClient: UserPoolClient;
  /** The pool's issuer, as the ID token's `iss` names it. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: OpsConsoleSignInProps) {
    super(scope, id);
    // Prefixes are unique per region across all accounts: the account id keeps this one ours. A second stack in
    // the same account and region names its own with `-c consoleDomainPrefix=...`.
    const prefix: unknown = this.node.tryGetContext('consoleDomainPrefix');
    this.domain = props.userPool.addDomain('OpsConsoleDomain', {
      cognitoDomain: { domainPrefix: typeof prefix === 'string' ? prefix : Fn.join('-', ['portal-ops', Aws.ACCOUNT_ID]) },
    });
    this.appClient = props.userPool.addClient('OpsConsoleClient', {
      // The code is exchanged by the console's Lambda, but a public client with PKCE keeps a client secret out of
      // every function's environment; the verifier never leaves the server (lib/console/hosted-sign-in.ts).
      generateSecret: false,
      // Only the hosted pages sign in through this client: no password or SRP flow of its own (refresh only).
      authFlows: { userSrp: false },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: [`${props.portalUrl}${consolePaths.callback}`],
        logoutUrls: [`${props.portalUrl}${consolePaths.signIn}`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // The ID token is read once, at the callback; the console session (12 h, 30 min idle) is ours, server-side.
      idTokenValidity: Duration.minutes(5),
      accessTokenValidity: Duration.minutes(5),
      refreshTokenValidity: Duration.hours(1),
    });
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${props.userPool.userPoolId}`;
  }

  /** The hosted pages' base URL: /oauth2/authorize, /oauth2/token and /logout live under it. */
  get baseUrl(): string {
    return this.domain.baseUrl();
  }
}
