// The shapes the rules read and produce. Facts are plain data gathered by the services;
// evaluation is pure.
export type Colour = 'green' | 'yellow' | 'red' | 'grey';

export const COLOUR_SEVERITY: Record<Colour, number> = { green: 0, grey: 1, yellow: 2, red: 3 };

export interface DeclarationFact {
  id: string;
  symptoms: string[];
  temperatureC: number | null;
  placesVisited: { region: string; from: string; to: string }[];
  declaredAt: Date;
}

export interface RiskAreaFact {
  id: string;
  region: string;
  level: 'high' | 'medium';
  startsAt: Date;
  endsAt: Date | null;
}

export interface Facts {
  holder: { id: string; timeZone: string };
  declarations: DeclarationFact[];
  riskAreas: RiskAreaFact[];
}

export interface FactRef {
  kind: string;
  id: string;
  summary: string;
}

export interface Reason {
  ruleId: string;
  colour: Colour;
  text: { en: string; 'zh-CN': string };
  since: string;
  /** when this cause stops applying by itself (the end of its period) */
  until: string;
  facts: FactRef[];
}

export interface Assessment {
  colour: Colour;
  reasons: Reason[];
  rulesetVersion: string;
  assessedAt: Date;
  validUntil: Date;
}
