// The ruleset shipped with healthcode (rulesets/2026.11.1.json), validated at load.
import doc from '../../../rulesets/2026.11.1.json' with { type: 'json' };
import { parseRuleset, type Ruleset } from './ruleset.ts';

export const DEFAULT_RULESET: Ruleset = parseRuleset(doc);
