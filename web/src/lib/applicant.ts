// Who an online submission is for. A citizen's or business's account submits as itself: the
// server gives the dossier the account's verified identity (its CCCD or tax code, and its name)
// and refuses another unless the submission is marked "on_behalf" (nộp thay), when the applicant
// is the other person and the account is recorded as who submitted for them.
import type { Applicant, User } from './types';

/**
 * What the submit form edits: the applicant as the API shows it, and a citizen's date of birth
 * (YYYY-MM-DD), checked with the number and name against the national population database.
 */
export type ApplicantInput = Applicant & { birth_date?: string };

export const BLANK_APPLICANT: ApplicantInput = { kind: 1, name: '', id_number: '', phone: '', email: '', address: '', birth_date: '' };

/** The applicant an account submits as: its own identity and contact details. */
export function accountApplicant(user: User | null): ApplicantInput {
  if (!user) return { ...BLANK_APPLICANT };
  return {
    kind: user.kind === 'business' ? 2 : 1,
    name: user.full_name,
    id_number: user.login,
    phone: user.phone ?? '',
    email: user.email ?? '',
    address: '',
    // A verified account's own (the server takes it whatever the page sends).
    birth_date: user.birth_date ?? '',
  };
}

/**
 * What an identity provider (VNeID) vouched for about the account, or null: the server then
 * takes the applicant's name, number and date of birth from the account, whatever the page
 * sends, and the form shows them read-only.
 */
export function verifiedIdentity(user: User | null): { provider: string; birthDate: string | null } | null {
  if (!user?.identity_provider) return null;
  return { provider: user.identity_provider, birthDate: user.birth_date ?? null };
}

/** The submission's fields that say who it is for. */
export function applicantFields(a: ApplicantInput, onBehalf: boolean): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    applicant: {
      kind: a.kind,
      name: a.name.trim(),
      id_number: a.id_number.trim(),
      phone: a.phone.trim(),
      email: a.email.trim(),
      address: a.address.trim(),
      // Only a citizen's: a business's tax code is not in the population database.
      ...(a.kind === 1 && a.birth_date ? { birth_date: a.birth_date } : {}),
    },
  };
  if (onBehalf) fields.on_behalf = true;
  return fields;
}
