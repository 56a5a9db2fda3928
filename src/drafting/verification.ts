// What the reporting says about whether a claim was checked ("Reuters could not independently
// verify the video"): the status, the words, and who tried.
import type { VerificationStatus } from '../generated/prisma/enums.js';
import { organisationKindOf, organisationsIn } from './claimants.js';
import { CARRIER_KINDS, VERIFICATION_CUES } from './grammar.js';
import type { Known } from './known.js';
import { span } from './text.js';
import type { Span } from './types.js';

export interface Verification {
  status: VerificationStatus;
  note: string;
  span: Span;
  verifierId: number | null;
  /** The verifier is a news agency or outlet: it carried the claim too. */
  verifierIsCarrier: boolean;
  verifierName: string | null;
}

/** The verification cue in the text between `from` and `to`, if any. */
export function verificationIn(known: Known, text: string, from: number, to: number): Verification | null {
  const part = text.slice(from, to);
  const lower = part.toLowerCase();
  for (const cue of VERIFICATION_CUES) {
    for (const phrase of cue.phrases) {
      const at = lower.indexOf(phrase);
      if (at < 0) continue;
      const verifier = organisationsIn(known, part.slice(0, at))[0]?.organisation ?? null;
      const named = verifier
        ? null
        : /\b([A-Z][\p{L}]+(?:\s+[A-Z][\p{L}]+){0,3})\s+(?:could|was|were|has|have|is)\s*(?:not|unable)?[^.]*$/u.exec(part.slice(0, at));
      return {
        status: cue.status,
        note: part.trim(),
        span: span(text, from + at, from + at + phrase.length),
        verifierId: verifier?.id ?? null,
        verifierIsCarrier: verifier ? CARRIER_KINDS.has(verifier.kind) : !!named && organisationKindOf(named[1]!) === 'NEWS_AGENCY',
        verifierName: verifier?.name ?? named?.[1] ?? null,
      };
    }
  }
  return null;
}
