import { randomBytes } from 'node:crypto';

/** Random rather than a counter: several instances write the same rows and must never mint the same eTag. */
export function newEtag(): string {
  return randomBytes(9).toString('base64url');
}
