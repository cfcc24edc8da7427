// The key that signs list cursors (lib/adapters/dynamodb/cursor.ts). Stateless on purpose: replacing it only
// ends the cursors handed out before, which a client answers by listing from the start again.
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { PortalFunction } from './portal-function.ts';

export class CursorKey extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'HMAC key that signs list cursors; replacing it only invalidates cursors already handed out',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'A cursor key is replaced by redeploying this stack, not rotated in place; its only effect is to end outstanding list cursors.',
    });
  }

  /** Read access in the secret's own policy, so each function's role stays exactly what its needs grant. */
  grantRead(fn: PortalFunction): void {
    this.secret.addToResourcePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], principals: [fn.grantPrincipal], resources: [this.secret.secretArn] }),
    );
  }
}
