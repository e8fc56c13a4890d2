/**
 * The audit timer's NCRONTAB schedule, from the plans a controller owns. The Function App reads it
 * from the `STANDBY_AUDIT_SCHEDULE` app setting (`%STANDBY_AUDIT_SCHEDULE%` in the registration);
 * the template generator and `npm run package:azure` compute it from the same plans.
 */
import { auditIntervalMinutes } from '#shared/domain/audit-interval.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';

/** The app setting the audit timer's schedule is read from. */
export const AUDIT_SCHEDULE_SETTING = 'STANDBY_AUDIT_SCHEDULE';

/**
 * Second 0 of every N-th minute, N the plans' audit interval (`auditIntervalMinutes`). When N does
 * not divide 60 the last gap of each hour is shorter, never longer.
 */
export function auditSchedule(plans: readonly RecoveryPlan[]): string {
  return `0 */${auditIntervalMinutes(plans)} * * * *`;
}
