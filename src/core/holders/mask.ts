// What a checkpoint may see of a holder's name: enough to match the person in front of it,
// not enough to identify them from a screenshot.

/**
 * "Zhang Wei" → "Z** Wei"; "Li Xiao Long" → "L** X** Long"; "张伟" → "*伟"; "欧阳娜娜" → "***娜".
 * Latin names keep the first letter of every word but the last, followed by a fixed "**" (the
 * length is not shown); names written without spaces (Chinese) keep only their last character.
 */
export function maskName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  const words = trimmed.split(' ');
  if (words.length > 1) {
    const last = words[words.length - 1]!;
    const masked = words.slice(0, -1).map((w) => {
      return Array.from(w)[0] + '**';
    });
    return [...masked, last].join(' ');
  }
  const chars = Array.from(trimmed);
  if (chars.length <= 1) return '*';
  return '*'.repeat(chars.length - 1) + chars[chars.length - 1];
}
