// One NDJSON line per event (the contract's envelope, section 1) and per identify call, built by
// string concatenation in a fixed key order: same input, same bytes, and no JSON.stringify per
// nested object on the hot path.
import { formatDay, formatTimestamp } from './calendar';
import type { Plan } from './catalog';
import type { UserProfile } from './population';
import type { SimEvent } from './simulate-user';

export function eventLine(event: SimEvent, eventId: string): string {
  const userId = event.userId === null ? 'null' : `"${event.userId}"`;
  return `{"event_id":"${eventId}","event":"${event.name}","user_id":${userId},"anonymous_id":"${event.anonymousId}","session_id":"${event.sessionId}","timestamp":"${formatTimestamp(event.ms)}","properties":${event.properties},"context":${event.context.prefix}${event.pagePath}"}}\n`;
}

/** identify at signup and at every plan change; carries both ids to link anonymous history. */
export function identifyLine(user: UserProfile, ms: number, plan: Plan): string {
  return `{"type":"identify","user_id":"${user.userId}","anonymous_id":"${user.anonymousId}","timestamp":"${formatTimestamp(ms)}","traits":{"plan":"${plan}","company_size":"${user.companySize}","industry":"${user.industry}","country":"${user.country.code}","locale":"${user.locale}","platform":"${user.primary.platform}","signup_date":"${formatDay(user.signupDay)}","signup_method":"${user.signupMethod}","channel":"${user.channel}"}}\n`;
}
