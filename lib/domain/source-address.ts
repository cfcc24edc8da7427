import { isIP } from 'node:net';

/**
 * The network a request comes from, as the per-source throttle counts it: an IPv4 address whole, an IPv6
 * address by its /64 prefix (one subscriber usually holds a whole /64), an IPv4-mapped IPv6 address as its IPv4.
 */
export const throttleSource = (address: string | undefined): string => {
  const raw = (address ?? '').trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIP(raw) === 4) return raw;
  if (isIP(raw) !== 6) return 'unknown';
  const groups = expandIpv6(raw);
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
  return `${groups.slice(0, 4).map((group) => group.toString(16)).join(':')}::/64`;
};

/** Eight 16-bit groups of a valid IPv6 address, with `::` expanded and a dotted IPv4 tail converted. */
const expandIpv6 = (address: string): number[] => {
  let text = address.toLowerCase();
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = rest === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) => parseInt(group, 16));
};
