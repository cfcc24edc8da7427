// Sign-in for advisors and the ops team: a Cognito user pool whose ID tokens carry the claims the API reads
// (sub, email, cognito:groups, custom:firmId, custom:firmName; see lib/http/auth.ts).
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export const staffGroups = ['advisors', 'ops'] as const;

export class StaffSignIn extends Construct {
  readonly userPool: UserPool;
  readonly appClient: UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      // Staff accounts are created by an administrator for a firm; nobody picks their own tenant.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      // A changed email takes effect only once the new address is verified.
      keepOriginal: { email: true },
      customAttributes: {
        // The tenant boundary: set once at creation and never changed, or a user could walk into another firm.
        firmId: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
        firmName: new StringAttribute({ minLen: 1, maxLen: 256, mutable: true }),
      },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Staff see client households and approve identity bypasses: a password alone is not enough.
      // TOTP only: SMS codes are phishable and would need an SNS role.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus tier threat protection blocks sign-ins with leaked credentials and risky sign-ins outright.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      // The pool holds every staff account and MFA enrolment: it outlives any deploy of the code.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const groupName of staffGroups) {
      this.userPool.addGroup(`${groupName}Group`, { groupName, description: `Members may call the ${groupName} routes` });
    }

    this.appClient = this.userPool.addClient('PortalClient', {
      // A browser or CLI client cannot keep a secret; SRP never sends the password itself.
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('firmId', 'firmName'),
      // Users may not rewrite the claims the API trusts: custom:firmName changes only through an administrator.
      // Email stays writable because Cognito requires it of required attributes; keepOriginal guards it.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });
  }
}
