// `npm run bench -- --sizes`: bundle sizes only, in seconds. Sizes are deterministic, so this is the loop to
// iterate in; the full bench (import times) only confirms.
import type { BuiltBundles, Bundle } from './bundles.ts';

/** The package, or the project file, a bundle input belongs to. */
const owner = (input: string): string =>
  /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? (input.startsWith('node_modules/') ? 'generated' : input);

const byOwner = (bundle: Bundle): Map<string, number> => {
  const bytes = new Map<string, number>();
  for (const [input, size] of Object.entries(bundle.inputs)) bytes.set(owner(input), (bytes.get(owner(input)) ?? 0) + size);
  return bytes;
};

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** What a function holds beyond its floor, largest first: packages by name, the project's own code as one. */
export const beyondFloor = (bundle: Bundle, floor: Bundle): [string, number][] => {
  const mine = byOwner(bundle);
  const theirs = byOwner(floor);
  const extra = new Map<string, number>();
  for (const [name, bytes] of mine) {
    const key = /^(lib|functions|infra)\//.test(name) ? 'own code' : name;
    extra.set(key, (extra.get(key) ?? 0) + bytes - (theirs.get(name) ?? 0));
  }
  return [...extra].filter(([, bytes]) => bytes >= 512).sort((a, b) => b[1] - a[1]);
};

/** The project's files that weigh most across all functions: where a cut pays off most often. */
const sharedOwnCode = (built: BuiltBundles, count: number): string[] => {
  const files = new Map<string, { bytes: number; functions: number }>();
  for (const bundle of built.functions) {
    for (const [input, bytes] of Object.entries(bundle.inputs)) {
      if (!/^(lib|functions|infra)\//.test(input)) continue;
      const file = files.get(input) ?? { bytes: 0, functions: 0 };
      files.set(input, { bytes: Math.max(file.bytes, bytes), functions: file.functions + 1 });
    }
  }
  return [...files]
    .sort((a, b) => b[1].bytes * b[1].functions - a[1].bytes * a[1].functions)
    .slice(0, count)
    .map(([file, { bytes, functions }]) => `${file} ${kb(bytes)} KB in ${functions}`);
};

export const renderSizes = (built: BuiltBundles, ratioToFloor: number): string => {
  const floorOf = (name: string) => [...built.floors, ...built.requiredFloors].find((f) => f.name === name)!;
  const mark = (ratio: number) => `${ratio.toFixed(3)}${ratio > ratioToFloor ? ' ✗' : ''}`;
  const lines = [
    `| function | bundle KB | floor KB | x floor | KB over ${ratioToFloor.toFixed(2)}x | beyond the floor, KB | required floor KB | x required floor |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const bundle of built.functions) {
    const floor = floorOf(bundle.floor);
    const required = floorOf(bundle.requiredFloor);
    const over = bundle.bytes - floor.bytes * ratioToFloor;
    const extra = beyondFloor(bundle, floor).map(([name, bytes]) => `${name} ${kb(bytes)}`).join(', ');
    lines.push(
      `| ${bundle.name} | ${kb(bundle.bytes)} | ${kb(floor.bytes)} | ${mark(bundle.bytes / floor.bytes)} | ${over > 0 ? kb(over) : '-'} | ${extra} | ${kb(required.bytes)} | ${mark(bundle.bytes / required.bytes)} |`,
    );
  }
  const within = (which: 'floor' | 'requiredFloor') => built.functions.filter((b) => b.bytes <= floorOf(b[which]).bytes * ratioToFloor).length;
  return [
    ...lines,
    '',
    `${within('floor')} of ${built.functions.length} functions within ${ratioToFloor.toFixed(2)}x their floor in size; ${within('requiredFloor')} within ${ratioToFloor.toFixed(2)}x their required floor (the floor plus the other libraries issue #12 requires that the function bundles).`,
    '',
    `The project's own files that weigh most over all functions (size, in how many): ${sharedOwnCode(built, 12).join('; ')}.`,
    '',
  ].join('\n');
};
