// `cdk synth` entry (see cdk.json). Synth is offline: no lookups, and esbuild bundles locally.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildPortal } from './portal-app.ts';

const app = new App();
buildPortal(app, { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION });
// cdk-nag 3 runs as a synthesis validation plugin (it replaced the v2 aspect): unacknowledged errors fail synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
