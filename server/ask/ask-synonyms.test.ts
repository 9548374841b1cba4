import { describe, expect, it } from 'vitest';
import { buildLexicon } from './ask-lexicon';
import { planQuestion } from './ask-planner';
import { synonymsFromDescription, vocabularyFrom, vocabularyKey } from './ask-synonyms';
import { ORBIT_LEXICON_DATA } from './orbit-lexicon.fixture';

const TODAY = '2026-11-01';

describe('synonymsFromDescription', () => {
  it('reads the words after an explicit marker, split on commas, slashes and "or"', () => {
    expect(
      synonymsFromDescription(
        'A report saved as a file. Also called downloads, exports or "file saves".',
      ),
    ).toEqual(['downloads', 'exports', 'file saves']);
    expect(synonymsFromDescription('Signup channel (aka source / acquisition source)')).toEqual([
      'source',
      'acquisition source',
    ]);
    expect(synonymsFromDescription('Synonyms: sign-in, session start; fired on login.')).toEqual([
      'sign-in',
      'session start',
    ]);
    expect(synonymsFromDescription('Also known as: workspace invites')).toEqual([
      'workspace invites',
    ]);
  });

  it('ignores descriptions without a marker, sentences, symbols and repeats', () => {
    expect(synonymsFromDescription('Fired when a user exports a report.')).toEqual([]);
    expect(synonymsFromDescription(null)).toEqual([]);
    expect(
      synonymsFromDescription(
        'Also called the thing we look at every monday morning, x, $$$, downloads, Downloads',
      ),
    ).toEqual(['downloads']);
  });
});

describe('the planner with a vocabulary', () => {
  const vocabulary = vocabularyFrom({
    events: [
      { name: 'report_exported', description: 'A report saved as a file. Also called downloads.' },
      // Another event's own phrase is not taken over by a synonym.
      { name: 'project_created', description: 'Also called logins.' },
      { name: 'signed_up', description: null },
    ],
    properties: [
      { eventName: 'signed_up', name: 'channel', description: 'aka acquisition source' },
    ],
  });
  const lexicon = buildLexicon(ORBIT_LEXICON_DATA, vocabulary);

  it('recognises an event by a synonym its description names', () => {
    expect(planQuestion('How many downloads last month?', lexicon, TODAY)).toMatchObject({
      kind: 'plan',
      plan: { event: 'report_exported' },
    });
    // Without the vocabulary the same words name nothing.
    expect(
      planQuestion('How many downloads last month?', buildLexicon(ORBIT_LEXICON_DATA), TODAY),
    ).toMatchObject({ kind: 'refusal' });
  });

  it('keeps an event’s own words when another description claims them', () => {
    expect(planQuestion('Number of logins last month', lexicon, TODAY)).toMatchObject({
      kind: 'plan',
      plan: { event: 'logged_in' },
    });
  });

  it('groups by a property named by its synonym', () => {
    expect(
      planQuestion('Signups by acquisition source in September', lexicon, TODAY),
    ).toMatchObject({
      kind: 'plan',
      plan: { event: 'signed_up', breakdown: { property: { event: 'signed_up', key: 'channel' } } },
    });
  });

  it('keys a vocabulary by its content', () => {
    expect(vocabularyKey(vocabulary)).toBe(
      vocabularyKey(
        vocabularyFrom({
          events: [
            { name: 'project_created', description: 'Also called logins.' },
            { name: 'report_exported', description: 'Also called downloads.' },
          ],
          properties: [
            { eventName: 'signed_up', name: 'channel', description: 'AKA acquisition source.' },
          ],
        }),
      ),
    );
    expect(vocabularyKey(vocabulary)).not.toBe(vocabularyKey({ events: {}, properties: {} }));
  });
});
