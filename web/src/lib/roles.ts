import type { User } from './types';

/** The policy roles a user holds (src/auth/policy.cpp RolesOf). */
export function rolesOf(u: User | null | undefined): string[] {
  if (!u) return [];
  switch (u.kind) {
    case 'admin':
      return ['admin'];
    case 'citizen':
      return ['citizen'];
    case 'business':
      return ['business'];
    case 'officer':
      return u.roles.filter((r) => ['officer', 'reception', 'clerk', 'leader'].includes(r));
    default:
      return [];
  }
}

export function hasRole(u: User | null | undefined, ...roles: string[]): boolean {
  const mine = rolesOf(u);
  return roles.some((r) => mine.includes(r));
}

export const isApplicant = (u: User | null | undefined) => hasRole(u, 'citizen', 'business');
export const isOfficer = (u: User | null | undefined) =>
  hasRole(u, 'officer', 'reception', 'clerk', 'leader', 'admin');
export const canSeeDashboard = (u: User | null | undefined) =>
  hasRole(u, 'leader', 'admin', 'officer', 'reception');
export const isAdmin = (u: User | null | undefined) => hasRole(u, 'admin');
/** Who may list accounts (GET /api/v1/users: policy "user.read" beyond oneself). */
export const canListUsers = (u: User | null | undefined) => hasRole(u, 'admin', 'leader');

/** Where someone lands after signing in. */
export function homeFor(u: User): string {
  if (isAdmin(u)) return '/quan-tri';
  if (hasRole(u, 'leader') && !hasRole(u, 'officer', 'reception')) return '/bang-dieu-khien';
  if (isOfficer(u)) return '/mot-cua';
  return '/ho-so-cua-toi';
}
