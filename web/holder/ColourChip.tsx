import type { Colour } from '../../src/contracts/api.ts';
import { COLOUR_ICON, colourWord } from '../shared/colour.ts';
import { useLang } from '../shared/i18n.tsx';

/** A small inline colour: shape + word on the colour (never the colour alone). */
export function ColourChip({ colour }: { colour: Colour }) {
  const { lang } = useLang();
  return (
    <span className={`colour-chip c-${colour}`} data-colour={colour}>
      <span className="chip-icon" aria-hidden="true">
        {COLOUR_ICON[colour]}
      </span>
      {colourWord(colour, lang)}
    </span>
  );
}
