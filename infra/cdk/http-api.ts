// The HTTP API: one route per entry of the route table, the JWT authorizer exactly where `needsJwt` says.
import { Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnStage, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { needsJwt, type Access, type FunctionName, type Route } from '../routes.ts';
import { apiThrottles } from './settings.ts';

export interface PortalHttpApiProps {
  routes: readonly Route[];
  handlers: ReadonlyMap<FunctionName, IFunction>;
  userPool: IUserPool;
  appClient: IUserPoolClient;
}

/** Why a route without the JWT authorizer is still safe; a new kind of access must say why here first. */
const openAccessReasons: Partial<Record<Access, string>> = {
  invitation:
    'Client invitation routes are authenticated by the token in the path (32 random bytes, stored only as a hash), as SPEC section 4 requires; clients have no Cognito account.',
  public:
    'Intentionally public: the API description, or the emailed invite page whose only credential is the token in the path; no tenant data is served without a valid token.',
  console:
    'The ops console is a browser app: its pages and forms are authenticated by a server-side session (a __Host- HttpOnly cookie) that only a hosted Cognito sign-in of an ops group member creates; without one they show no data and change nothing.',
  portal:
    'The client portal is a browser app for clients, who have no Cognito account: its pages are authenticated by a server-side session (a __Host- HttpOnly cookie) that only accepting an invitation or a single-use emailed sign-in link (stored only as a hash) creates; without one they show the sign-in form and no data.',
};

// Only fields that hold no personal data: routeKey is the path template, so invite tokens never reach the log.
const accessLogFields = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
};

export class PortalHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: PortalHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'portal-onboarding: advisor, ops and client invitation routes',
      // The stage is made below, with access logs and throttling the implicit default stage cannot have.
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      // The ceiling of any route not named in the route settings below.
      throttle: apiThrottles.stageDefault,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });

    // The API reads custom:firmId, custom:firmName, email and cognito:groups, which Cognito puts in ID tokens
    // only; an ID token's `aud` is the app client id, so that is the audience checked here.
    // The pool's ProviderURL attribute lacks the scheme; the authorizer needs the full https issuer.
    const issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${props.userPool.userPoolId}`;
    const staffAuthorizer = new HttpJwtAuthorizer('StaffJwt', issuer, {
      jwtAudience: [props.appClient.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });

    // CloudFormation's own names: RouteSettings is a free-form map, which CDK passes through unconverted.
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const route of props.routes) {
      const handler = props.handlers.get(route.function);
      if (!handler) throw new Error(`route ${route.method} ${route.path} names unknown function ${route.function}`);
      const integration = integrations.get(route.function) ?? new HttpLambdaIntegration(`${route.function}-integration`, handler);
      integrations.set(route.function, integration);
      const [httpRoute] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        authorizer: needsJwt(route) ? staffAuthorizer : undefined,
      });
      // Each route its own budget: anonymous link traffic can never spend what advisors and ops need.
      const throttle = needsJwt(route) ? apiThrottles.staffRoute : apiThrottles.anonymousRoute;
      routeSettings[`${route.method} ${route.path}`] = { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit };
      // A route's settings name its key, which must exist before the stage is updated.
      this.stage.node.addDependency(httpRoute!);
      if (!needsJwt(route)) {
        const reason = openAccessReasons[route.access];
        if (!reason) throw new Error(`route ${route.method} ${route.path}: access "${route.access}" has no JWT and no reason to be open`);
        Validations.of(httpRoute!).acknowledge({ id: 'AwsSolutions-APIG4', reason });
      }
    }
    (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
  }
}
