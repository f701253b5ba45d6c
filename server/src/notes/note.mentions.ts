/** An agent as a mention can name them. */
export interface Mentionable {
  id: string;
  name: string;
}

const WORD = /[\p{L}\p{N}_]/u;

/**
 * The agents a note mentions: `@` followed by an agent's whole name (any case), not running on into
 * a longer word. Names may have spaces ("@Ada Lovelace"), so names are matched rather than words
 * parsed; where two names start alike ("Ada", "Ada Lovelace") the longer one wins at that place.
 */
export function mentionedAgents(text: string, agents: readonly Mentionable[]): string[] {
  const lower = text.toLocaleLowerCase();
  const byLength = [...agents].filter((a) => a.name.trim()).sort((a, b) => b.name.length - a.name.length);
  const found = new Set<string>();
  for (let at = lower.indexOf('@'); at >= 0; at = lower.indexOf('@', at + 1)) {
    const match = byLength.find((a) => {
      const name = a.name.toLocaleLowerCase();
      const after = lower[at + 1 + name.length];
      return lower.startsWith(name, at + 1) && (after === undefined || !WORD.test(after));
    });
    if (match) found.add(match.id);
  }
  return [...found];
}
