// Words a workspace teaches the planner through its catalog: the schema registry's descriptions
// of events and properties may name other words for them ("A report downloaded as a file. Also
// called downloads, exports."). Only explicit markers count — "also called", "also known as",
// "aka", "synonyms:" — so an ordinary sentence never turns into a phrase the planner matches.

/** Synonyms by event name, and by `event.key` for properties. */
export interface Vocabulary {
  events: Record<string, string[]>;
  properties: Record<string, string[]>;
}

export const EMPTY_VOCABULARY: Vocabulary = { events: {}, properties: {} };

const MARKER =
  /\b(?:(?:also\s+(?:called|known\s+as|named)|a\.?k\.?a\.?)\s*:?|(?:synonyms?|other\s+names?)\s*:)\s*([^.;:!?\n]*)/gi;

/** At most this many words in a synonym; longer text is a sentence, not a name. */
const MAX_WORDS = 4;

/** The synonyms a description names, lower case, in order, without repeats. */
export function synonymsFromDescription(description: string | null | undefined): string[] {
  if (!description) return [];
  const out: string[] = [];
  for (const match of description.matchAll(MARKER)) {
    for (const part of (match[1] ?? '').split(/,|\/|\bor\b|\band\b/i)) {
      const phrase = part
        .toLowerCase()
        .replace(/["'“”‘’`()[\]]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      const words = phrase.split(' ');
      if (
        phrase.length < 3 ||
        words.length > MAX_WORDS ||
        !/^[\p{L}\p{N} -]+$/u.test(phrase) ||
        !/\p{L}/u.test(phrase) ||
        out.includes(phrase)
      )
        continue;
      out.push(phrase);
    }
  }
  return out;
}

/** The vocabulary of a workspace's registry descriptions. */
export function vocabularyFrom(src: {
  events: { name: string; description: string | null }[];
  properties: { eventName: string; name: string; description: string | null }[];
}): Vocabulary {
  const vocabulary: Vocabulary = { events: {}, properties: {} };
  for (const e of src.events) {
    const words = synonymsFromDescription(e.description);
    if (words.length > 0) vocabulary.events[e.name] = words;
  }
  for (const p of src.properties) {
    const words = synonymsFromDescription(p.description);
    if (words.length > 0) vocabulary.properties[`${p.eventName}.${p.name}`] = words;
  }
  return vocabulary;
}

/** A stable key of a vocabulary (the lexicon is rebuilt when it changes). */
export function vocabularyKey(vocabulary: Vocabulary): string {
  const sorted = (r: Record<string, string[]>) =>
    Object.keys(r)
      .sort()
      .map((k) => `${k}=${r[k]!.join('|')}`)
      .join(';');
  return `${sorted(vocabulary.events)}#${sorted(vocabulary.properties)}`;
}
