import type { Colour } from '../../src/contracts/api.ts';
import { COLOUR_ICON, colourMeaning, colourWord } from '../shared/colour.ts';
import { useLang } from '../shared/i18n.tsx';

/** The colour as a shape, a word and a meaning — never the colour alone. */
export function ColourBadge({ colour }: { colour: Colour }) {
  const { lang } = useLang();
  return (
    <div className={`colour-status c-${colour}`} data-colour={colour}>
      <div className="colour-badge">
        <span className="colour-icon" aria-hidden="true">
          {COLOUR_ICON[colour]}
        </span>
        <span className="colour-word">{colourWord(colour, lang)}</span>
      </div>
      <p className="colour-meaning">{colourMeaning(colour, lang)}</p>
    </div>
  );
}
