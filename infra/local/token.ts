// npm run --silent token -- --role advisor|ops|advisor,ops [--firm FIRM_ID] [--sub ID] [--email E] [--firm-name NAME]
import { signLocalToken } from './jwt.ts';
import { tokenRequestFrom, tokenUsage } from './token-args.ts';

try {
  const request = tokenRequestFrom(process.argv.slice(2));
  process.stdout.write(`${request ? await signLocalToken(request) : tokenUsage}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${tokenUsage}\n`);
  process.exit(2);
}
