'use client';
// Text being typed for a value that is committed later (on blur or Enter): the draft follows the
// committed value whenever that changes from outside (another control, the URL).
import * as React from 'react';

export function useDraft(value: string): [string, (text: string) => void] {
  const [state, setState] = React.useState({ source: value, text: value });
  if (state.source !== value) setState({ source: value, text: value });
  const text = state.source === value ? state.text : value;
  const set = React.useCallback((t: string) => setState({ source: value, text: t }), [value]);
  return [text, set];
}
