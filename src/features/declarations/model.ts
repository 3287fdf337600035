import type { DeclarationView } from '../../contracts/api.ts';
import type { DeclarationFact } from '../../core/rules/types.ts';
import type { DeclarationTable } from '../../db/schema.ts';

export function rowToDeclaration(row: DeclarationTable): DeclarationFact {
  return {
    id: row.id,
    symptoms: JSON.parse(row.symptoms) as string[],
    temperatureC: row.temperature_c,
    placesVisited: JSON.parse(row.places_visited) as DeclarationFact['placesVisited'],
    declaredAt: new Date(row.declared_at),
  };
}

export function presentDeclaration(d: DeclarationFact): DeclarationView {
  return {
    id: d.id,
    symptoms: d.symptoms,
    temperatureC: d.temperatureC,
    placesVisited: d.placesVisited,
    declaredAt: d.declaredAt.toISOString(),
  };
}
