import { describe, expect, it } from 'vitest';
import { signLocalToken, verifyBearer } from '../../infra/local/jwt.ts';
import { tokenRequestFrom } from '../../infra/local/token-args.ts';
import { AppError } from '../../lib/domain/errors.ts';
import { callerFrom } from '../../lib/http/auth.ts';

// `npm run --silent token`: which arguments make which token, and what the API makes of it.

const args = (line: string) => line.split(' ').filter((word) => word !== '');

describe('the token script arguments', () => {
  it('mints an ops token with no firm, and an advisor token only with one', () => {
    expect(tokenRequestFrom(args('--role ops --sub ops-7 --email ops.7@platform.test'))).toEqual({
      role: ['ops'],
      firmId: undefined,
      sub: 'ops-7',
      email: 'ops.7@platform.test',
      firmName: undefined,
    });
    expect(tokenRequestFrom(args('--role advisor --firm firm-a --firm-name Acme'))).toMatchObject({ role: ['advisor'], firmId: 'firm-a', firmName: 'Acme' });
    expect(() => tokenRequestFrom(args('--role advisor'))).toThrow('An advisor token needs --firm');
    expect(() => tokenRequestFrom(['--role', 'advisor', '--firm', ''])).toThrow('An advisor token needs --firm');
  });

  it('mints one token for someone in both groups, with their firm', () => {
    expect(tokenRequestFrom(args('--role advisor,ops --firm firm-a'))).toMatchObject({ role: ['advisor', 'ops'], firmId: 'firm-a' });
    expect(tokenRequestFrom(args('--role ops,advisor,ops --firm firm-a'))).toMatchObject({ role: ['ops', 'advisor'] });
    expect(() => tokenRequestFrom(args('--role advisor,ops'))).toThrow('An advisor token needs --firm');
  });

  it('refuses a firm for an ops-only token, an unknown or missing role, and unknown options', () => {
    expect(() => tokenRequestFrom(args('--role ops --firm firm-a'))).toThrow('An ops token takes no --firm');
    expect(() => tokenRequestFrom(args('--role ops --firm-name Acme'))).toThrow('An ops token takes no --firm');
    expect(() => tokenRequestFrom(args('--role admin --firm firm-a'))).toThrow('--role must be advisor, ops or advisor,ops (not "admin")');
    expect(() => tokenRequestFrom(args('--firm firm-a'))).toThrow('--role must be');
    expect(() => tokenRequestFrom(args('--role ops --tenant x'))).toThrow(/Unknown option '--tenant'/);
    expect(tokenRequestFrom(args('--help'))).toBeUndefined();
  });
});

describe('a minted token, as the authorizer hands it to a route', () => {
  const callerOn = async (group: 'ops' | 'advisors', token: string) => {
    try {
      return callerFrom(await verifyBearer(`Bearer ${token}`), group);
    } catch (error) {
      return (error as AppError).code;
    }
  };

  it('makes an ops-only token an ops member in no firm, forbidden on advisor routes', async () => {
    const token = await signLocalToken(tokenRequestFrom(args('--role ops --sub ops-7'))!);
    expect(await callerOn('ops', token)).toEqual({ sub: 'ops-7', email: undefined, groups: ['ops'] });
    expect(await callerOn('advisors', token)).toBe('forbidden');
  });

  it('makes an advisor,ops token work on both kinds of route', async () => {
    const token = await signLocalToken(tokenRequestFrom(args('--role advisor,ops --firm firm-a --sub both-1'))!);
    expect(await callerOn('advisors', token)).toMatchObject({ firmId: 'firm-a', sub: 'both-1', groups: ['advisors', 'ops'] });
    expect(await callerOn('ops', token)).toEqual({ sub: 'both-1', email: undefined, groups: ['advisors', 'ops'] });
  });

  it('still signs the tokens existing callers ask for by role and firm', async () => {
    const claims = await verifyBearer(`Bearer ${await signLocalToken({ role: 'ops', firmId: 'firm-a' })}`);
    expect(claims).toMatchObject({ 'cognito:groups': '[ops]', 'custom:firmId': 'firm-a', sub: 'ops-firm-a' });
    await expect(signLocalToken({ role: 'advisor' })).rejects.toThrow('An advisor token names a firm');
  });
});
