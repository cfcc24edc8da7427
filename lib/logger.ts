import { Logger } from '@aws-lambda-powertools/logger';

// One structured JSON logger; callers log ids and outcomes, never emails, names, tokens or account numbers.
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'portal-onboarding' });
