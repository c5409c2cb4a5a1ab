// Which dossier actions the signed-in officer may take now: a mirror of the server's rules
// (src/auth/policy.cpp and dossiers/service.cpp Transition) so the page shows exactly those.
import { canListUsers, hasRole } from './roles';
import type { Dossier, DossierEvent, Procedure, User } from './types';

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
    // Choosing whom to assign needs the agency's accounts, which only leaders may list.
    if (canListUsers(u)) out.push('assign');
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

/**
 * The consultations (xin ý kiến) the user may answer now: "consult" events asking the user's
 * agency, for its officers and leaders, not yet answered. An answer event names its
 * consultation when the server says so; today's events do not (the answer's consultation_id
 * stays in the event data), so otherwise an agency that answered as often as it was asked has
 * nothing left, and while some remain every consultation to it is offered (the server refuses
 * an answered one with its own message).
 */
export function answerableConsultations(events: DossierEvent[], u: User | null): DossierEvent[] {
  if (!u || !u.agency_id || !hasRole(u, 'officer', 'leader')) return [];
  const asked = events.filter((e) => e.action === 'consult' && e.consultation_id && e.consulted_agency_id === u.agency_id);
  if (asked.length === 0) return [];
  const answers = events.filter((e) => e.action === 'answer_consultation');
  const answeredIds = new Set(answers.map((e) => e.consultation_id).filter((x): x is number => !!x));
  const open = asked.filter((e) => !answeredIds.has(e.consultation_id!));
  const unnamed = answers.filter((e) => !e.consultation_id && e.agency_id === u.agency_id).length;
  const named = asked.length - open.length;
  return asked.length - named - unnamed > 0 ? open : [];
}
