// The `properties` object of each event type, serialised straight to JSON text. Hand-written
// serialisation is several times faster than JSON.stringify on fresh objects; it is safe because
// every string value comes from the fixed catalog (no quotes, backslashes or control characters),
// and key order is fixed, which determinism needs anyway.
import type { ErrorCode, PageInfo, Plan } from './catalog';

export const signedUpProps = (signupMethod: string, channel: string) =>
  `{"signup_method":"${signupMethod}","channel":"${channel}"}`;
export const loggedInProps = (method: string) => `{"method":"${method}"}`;
export const pageViewedProps = (page: PageInfo, durationMs: number) =>
  `{"page":"${page.page}","duration_ms":${durationMs}}`;
export const onboardingCompletedProps = (stepsCompleted: number) =>
  `{"steps_completed":${stepsCompleted}}`;
export const projectCreatedProps = (template: string) => `{"template":"${template}"}`;
export const featureUsedProps = (featureName: string, durationMs: number) =>
  `{"feature_name":"${featureName}","duration_ms":${durationMs}}`;
export const teammateInvitedProps = (role: string) => `{"invitee_role":"${role}"}`;
export const reportExportedProps = (format: string) => `{"format":"${format}"}`;
export const searchPerformedProps = (resultsCount: number) => `{"results_count":${resultsCount}}`;
export const errorOccurredProps = (error: ErrorCode) =>
  `{"error_code":"${error.code}","error_type":"${error.type}"}`;
export const subscriptionStartedProps = (plan: Plan, billingPeriod: string, mrrUsd: number) =>
  `{"plan":"${plan}","billing_period":"${billingPeriod}","mrr_usd":${mrrUsd}}`;
export const subscriptionUpgradedProps = (fromPlan: Plan, toPlan: Plan, mrrUsd: number) =>
  `{"from_plan":"${fromPlan}","to_plan":"${toPlan}","mrr_usd":${mrrUsd}}`;
export const subscriptionCancelledProps = (plan: Plan, reason: string) =>
  `{"plan":"${plan}","reason":"${reason}"}`;
export const experimentExposedProps = (experimentKey: string, variant: string) =>
  `{"experiment_key":"${experimentKey}","variant":"${variant}"}`;
