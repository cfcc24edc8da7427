// The token script's arguments (infra/local/token.ts), read without signing anything, so their rules are tested alone.
import { parseArgs } from 'node:util';
import type { Role, TokenRequest } from './jwt.ts';

export const tokenUsage = [
  'usage: npm run --silent token -- --role advisor --firm FIRM_ID [--sub ID] [--email E] [--firm-name NAME]',
  '       npm run --silent token -- --role ops [--sub ID] [--email E]',
  '       npm run --silent token -- --role advisor,ops --firm FIRM_ID [--sub ID] [--email E] [--firm-name NAME]',
].join('\n');

const roles: readonly string[] = ['advisor', 'ops'] satisfies Role[];

/** What to sign, or undefined when --help asks for the usage; a wrong combination throws with its reason. */
export const tokenRequestFrom = (args: string[]): TokenRequest | undefined => {
  const { values } = parseArgs({
    args,
    options: {
      role: { type: 'string' },
      firm: { type: 'string' },
      sub: { type: 'string' },
      email: { type: 'string' },
      'firm-name': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const asked = (values.role ?? '').split(',').map((role) => role.trim()).filter((role) => role !== '');
  const unknown = asked.find((role) => !roles.includes(role));
  if (asked.length === 0 || unknown !== undefined) throw new Error(`--role must be advisor, ops or advisor,ops${unknown ? ` (not "${unknown}")` : ''}`);
  const role = [...new Set(asked)] as Role[];
  const advisor = role.includes('advisor');
  if (advisor && !values.firm) throw new Error('An advisor token needs --firm: advisors work inside one firm');
  if (!advisor && (values.firm !== undefined || values['firm-name'] !== undefined)) {
    throw new Error('An ops token takes no --firm or --firm-name: the ops team works every firm');
  }
  return { role, firmId: values.firm, sub: values.sub, email: values.email, firmName: values['firm-name'] };
};
