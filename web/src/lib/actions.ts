// Which dossier actions the signed-in officer may take now: a mirror of the server's rules
// (src/auth/policy.cpp and dossiers/service.cpp Transition) so the page shows exactly those.
import { hasRole } from './roles';
import type { Dossier, Procedure, User } from './types';

export type ActionName =
  | 'accept'
  | 'request_completion'
  | 'reject'
  | 'assign'
  | 'forward'
  | 'request_supplement'
  | 'request_payment'
  | 'confirm_payment'
  | 'consult'
  | 'issue_result'
  | 'stop'
  | 'apologise'
  | 'return';

/** The index of the return step: the last step at the receiving agency done by reception. */
export function returnStep(p: Procedure): number {
  for (let i = p.steps.length - 1; i > 0; i--) {
    const s = p.steps[i];
    if (s.agency.kind === 'receiving' && s.role === 'reception') return i;
  }
  return p.steps.length - 1;
}

export function allowedActions(d: Dossier, u: User | null, p: Procedure | undefined, now = new Date()): ActionName[] {
  if (!u) return [];
  const out: ActionName[] = [];
  const reception = hasRole(u, 'reception');
  const officer = hasRole(u, 'officer');
  const leader = hasRole(u, 'leader');
  const atReceiving = u.agency_id === d.receiving_agency_id;
  const atCurrent = u.agency_id === d.current_agency_id;
  const s = d.status;
  if (reception && atReceiving && s === 1) out.push('accept', 'request_completion', 'reject');
  if ((officer || leader) && atCurrent && (s === 2 || s === 4)) {
    const step = p?.steps[d.step_index];
    const stepOk = !step || leader || hasRole(u, step.role);
    const last = p ? d.step_index + 1 >= returnStep(p) : false;
    if (leader) out.push('assign');
    if (stepOk && !last) out.push('forward');
    out.push('request_supplement');
    if (d.fee_total > 0) out.push('request_payment');
    out.push('consult');
    if (stepOk && (last || leader || step?.role === 'leader')) out.push('issue_result');
  }
  if ((officer || leader) && atCurrent && s === 6) out.push('confirm_payment');
  if (leader && atCurrent && [2, 4, 5, 6].includes(s)) {
    out.push('stop');
    if (!d.apology_issued && d.due_at && new Date(d.due_at).getTime() > now.getTime()) out.push('apologise');
  }
  if (reception && atReceiving && s === 9) out.push('return');
  return out;
}

/** The PDF forms that make sense for the dossier (GET /api/v1/dossiers/{id}/forms/{form}). */
export function printableForms(d: Dossier, eventActions: string[]): string[] {
  const f: string[] = [];
  if (d.code) f.push('receipt', 'control');
  if (eventActions.includes('request_completion') || eventActions.includes('request_supplement')) f.push('completion');
  if (d.status === 3) f.push('rejection');
  if (d.apology_issued) f.push('apology');
  return f;
}
