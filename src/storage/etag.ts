import { randomBytes } from 'node:crypto';

/**
 * A random prefix per process and a counter: several instances write the same rows and must never
 * mint the same eTag, and a fresh random value per write (a syscall-backed randomBytes call) was a
 * measurable part of every turn.
 */
const processPrefix = randomBytes(9).toString('base64url');
let counter = 0;

export function newEtag(): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${processPrefix}${counter.toString(36)}`;
}
