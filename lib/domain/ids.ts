import { v7 } from 'uuid';

/** Time-ordered ids (UUIDv7): lists sorted by id are sorted by creation. */
export const newId = (): string => v7();

export const isId = (value: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(value);
