// npm run --silent token -- --role advisor|ops --firm FIRM_ID [--sub ID] [--email E] [--firm-name NAME]
import { parseArgs } from 'node:util';
import { signLocalToken } from './jwt.ts';

const usage = 'usage: npm run --silent token -- --role advisor|ops --firm FIRM_ID [--sub ID] [--email E] [--firm-name NAME]';

try {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      firm: { type: 'string' },
      sub: { type: 'string' },
      email: { type: 'string' },
      'firm-name': { type: 'string' },
    },
    strict: true,
  });
  if ((values.role !== 'advisor' && values.role !== 'ops') || !values.firm) throw new Error(usage);
  process.stdout.write(
    `${await signLocalToken({ role: values.role, firmId: values.firm, sub: values.sub, email: values.email, firmName: values['firm-name'] })}\n`,
  );
} catch (error) {
  process.stderr.write(`${(error as Error).message === usage ? usage : `${(error as Error).message}\n${usage}`}\n`);
  process.exit(2);
}
