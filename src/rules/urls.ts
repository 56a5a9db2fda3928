// Addresses of sources: absolute http(s) only, so a stored URL can never run script
// (`javascript:`) or read local files (`file:`) when a page or a spreadsheet links it.
import { z } from 'zod';

export const MAX_URL_LENGTH = 2_000;

export function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export const webAddress = z
  .string()
  .trim()
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .refine(isWebAddress, { message: 'must be an absolute http:// or https:// address', params: { code: 'NOT_A_URL' } });
