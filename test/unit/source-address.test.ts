import { describe, expect, it } from 'vitest';
import { throttleSource } from '../../lib/domain/source-address.ts';

describe('the per-source throttle key', () => {
  it('keeps an IPv4 address whole', () => {
    expect(throttleSource('203.0.113.7')).toBe('203.0.113.7');
    expect(throttleSource('203.0.113.8')).not.toBe(throttleSource('203.0.113.7'));
  });

  it('counts every address of one IPv6 /64 as one source, however it is written', () => {
    const key = throttleSource('2001:db8:85a3:42::1');
    expect(key).toBe('2001:db8:85a3:42::/64');
    for (const same of ['2001:0db8:85a3:0042:ffff:ffff:ffff:fffe', '2001:DB8:85A3:42:0:0:0:9', '[2001:db8:85a3:42::abcd]', 'fe80::1%eth0'.replace('fe80::1', '2001:db8:85a3:42::1')]) {
      expect(throttleSource(same)).toBe(key);
    }
    expect(throttleSource('2001:db8:85a3:43::1')).not.toBe(key);
    expect(throttleSource('::1')).toBe('0:0:0:0::/64');
  });

  it('reads an IPv4-mapped IPv6 address as its IPv4 address', () => {
    expect(throttleSource('::ffff:198.51.100.4')).toBe('198.51.100.4');
    expect(throttleSource('::ffff:c633:6404')).toBe('198.51.100.4');
  });

  it('puts anything unreadable under one key', () => {
    expect(throttleSource(undefined)).toBe('unknown');
    expect(throttleSource('not an address')).toBe('unknown');
  });
});
