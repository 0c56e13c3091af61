/** Checks a rule can put on its match (SafetyRule.check): the match counts only if it passes. */
import type { SafetyRule } from '../../../protocol/types';

export type MatchCheck = (match: string) => boolean;

export const CHECKS: Record<NonNullable<SafetyRule['check']>, MatchCheck> = {
  luhn: passesLuhn,
};

/** The Luhn checksum of the match's digits (card numbers); other characters are ignored. */
export function passesLuhn(match: string): boolean {
  let sum = 0;
  let digits = 0;
  for (let i = match.length - 1; i >= 0; i--) {
    const digit = match.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) continue;
    const doubled = digits % 2 === 1 ? digit * 2 : digit;
    sum += doubled > 9 ? doubled - 9 : doubled;
    digits++;
  }
  return digits > 1 && sum % 10 === 0;
}
