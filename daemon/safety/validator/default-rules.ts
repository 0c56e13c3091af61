/** The built-in rule set (rule set version 0): data in default-rules.json, typed here once. */
import type { SafetyRule } from '../../../protocol/types';
import rules from './default-rules.json';

export const DEFAULT_RULES: readonly SafetyRule[] = rules as SafetyRule[];
