// Builds both stacks of the app; app.ts (cdk synth) and the infra tests call this with their own App.
import { Tags, type App, type Environment } from 'aws-cdk-lib';
import { readSettings } from './settings.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

export interface PortalStacks {
  stateful: StatefulStack;
  stateless: StatelessStack;
}

export const buildPortal = (app: App, env?: Environment): PortalStacks => {
  const settings = readSettings(app);
  const stateful = new StatefulStack(app, 'PortalOnboardingData', {
    env,
    description: 'portal-onboarding data: table, ticket queues, account-hash key (retained)',
    documents: { portalUrl: settings.portalUrl, retentionDays: settings.documentRetentionDays },
  });
  const stateless = new StatelessStack(app, 'PortalOnboardingApp', {
    env,
    description: 'portal-onboarding code: HTTP API, Lambda functions, staff sign-in, email, alarms',
    data: stateful.data,
    settings,
  });
  Tags.of(app).add('project', 'portal-onboarding');
  return { stateful, stateless };
};
