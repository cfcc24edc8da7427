// How the app sends email through SES: one verified sender identity and one configuration set.
import { Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { PortalSettings } from './settings.ts';

export class EmailSending extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly identity: EmailIdentity;
  readonly senderEmail: string;

  constructor(scope: Construct, id: string, settings: PortalSettings) {
    super(scope, id);
    this.senderEmail = settings.senderEmail;
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      // Bounce and complaint rates decide whether SES lets the account keep sending: watch them.
      reputationMetrics: true,
      // Never mail an address that bounced or complained again; the account suppression list would too, but say it here.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      // Invite emails carry a link that is a credential: refuse to hand them to a server without TLS.
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    });
    this.identity = new EmailIdentity(this, 'Sender', {
      identity: settings.sesIdentity.includes('@') ? Identity.email(settings.sesIdentity) : Identity.domain(settings.sesIdentity),
      configurationSet: this.configurationSet,
    });
  }

  /** ses:SendEmail/SendRawEmail from the sender address only, through this identity and configuration set. */
  grantSend(grantee: IGrantable): void {
    const stack = Stack.of(this);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [
          this.identity.emailIdentityArn,
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: this.configurationSet.configurationSetName,
          }),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': this.senderEmail } },
      }),
    );
  }
}
