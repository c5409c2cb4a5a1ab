// The JSON shapes of the server's API. The routes the server declares have their types
// generated from the OpenAPI document (src/api/schema.d.ts; named here for the pages); the
// others are written by hand after src/*/routes.cpp until their module declares them.
import type { paths } from '../api/schema';
import type { Schema } from './api';

export type CalendarDay = Schema<'CalendarDay'>;
export type CalendarOverrideKind = Schema<'CalendarOverrideInput'>['kind'];
export type ImportStats = Schema<'ImportStats'>;
/** A procedure in the catalog's list (GET /api/v1/procedures); needs_commune: a dossier names the applicant's commune; competent: who decides (the sector's department or the level's committee). */
export type ProcedureSummary = Schema<'ProcedureSummary'>;
export type Competent = Schema<'CompetentAgency'>;
export type ProcedureQuery = NonNullable<paths['/api/v1/procedures']['get']['parameters']['query']>;

/** An account (GET /api/v1/auth/me, /api/v1/users…); agency_id: null for citizens and businesses. */
export type User = Schema<'UserView'>;
/** The body of POST /api/v1/users. */
export type NewUser = Schema<'NewUserInput'>;

export interface Fee {
  code: string;
  name: string;
  kind: string;
  amount: number;
  note: string;
}
export interface Component {
  code: string;
  name: string;
  originals: number;
  certified: number;
  copies: number;
  required: boolean;
  file_types: string[];
}
export interface FormField {
  name: string;
  label_vi: string;
  label_en: string;
  type: string;
  required?: boolean;
  max_length?: number;
  min?: number;
  max?: number;
  options?: string[];
}
export interface Step {
  code: string;
  name: string;
  name_en: string;
  role: string;
  agency: { kind: string; sector?: string };
  share: number;
  kind: string;
}
export interface Procedure extends ProcedureSummary {
  fees: Fee[];
  components: Component[];
  form: FormField[];
  results: string[];
  legal_basis: string[];
  steps: Step[];
  code_confirmed?: boolean;
  active?: boolean;
  updated_at?: string;
}
export interface ProcedureForm {
  code: string;
  version: number;
  name: string;
  name_en: string;
  /** The submission names the applicant's commune (commune-level, or a step at the commune). */
  needs_commune: boolean;
  form: FormField[];
  components: Component[];
  fees: Fee[];
}

export interface Applicant {
  kind: number;
  name: string;
  id_number: string;
  phone: string;
  email: string;
  address: string;
}

export interface Dossier {
  id: number;
  code: string | null;
  procedure_code: string;
  procedure_name: string;
  channel: 'online' | 'counter' | 'postal' | string;
  status: number;
  status_key: string;
  status_name: string;
  status_name_en: string;
  applicant: Applicant;
  /** The account that submitted online (its verified identity); null at the counter. */
  submitter: { kind: number; name: string; id_number: string } | null;
  /** Submitted online for someone else (nộp thay): `applicant` is that person. */
  on_behalf: boolean;
  receiving_agency_id: number;
  competent_agency_id: number;
  current_agency_id: number;
  locality_agency_id: number | null;
  step_index: number;
  step_code: string;
  assignee_id: number | null;
  summary: string;
  form: Record<string, unknown>;
  submitted_at: string;
  received_at: string | null;
  due_at: string | null;
  original_due_at: string | null;
  step_started_at: string | null;
  step_due_at: string | null;
  finished_at: string | null;
  returned_at: string | null;
  paused_at: string | null;
  supplement_count: number;
  apology_issued: boolean;
  fee_total: number;
  paid_online: boolean;
  rating: number | null;
  return_method: string | null;
  timeliness: string;
  version: number;
  updated_at: string;
  lookup_secret?: string;
}

export interface DossierPage {
  items: Dossier[];
  total: number;
  limit: number;
  offset: number;
}

export interface DossierEvent {
  seq: number;
  at: string;
  action: string;
  agency_name: string;
  content: string;
  status: number;
  status_name: string;
  status_name_en?: string;
  /** Papers asked for or reasons given (completion/supplement requests, rejections). */
  items?: string[];
  /** On "consult" events: the consultation and the agency asked. */
  consultation_id?: number;
  consulted_agency_id?: number;
  actor_id?: number;
  actor_name?: string;
  actor_position?: string;
  agency_id?: number;
  step_code?: string;
  step_due_at?: string | null;
}

export interface DossierFile {
  id: number;
  kind: string;
  component: string;
  name: string;
  content_type: string;
  size: number;
  sha256: string;
  at: string;
}

export interface LookupResult {
  code: string;
  procedure_code: string;
  procedure_name: string;
  status: number;
  status_key: string;
  status_name: string;
  status_name_en: string;
  applicant_name: string;
  received_at: string | null;
  due_at: string | null;
  finished_at: string | null;
  returned_at: string | null;
  timeliness: string;
  events: DossierEvent[];
}

export interface StatsRow {
  key: string;
  label: string;
  received: number;
  in_progress: number;
  done_early: number;
  done_on_time: number;
  done_late: number;
  overdue: number;
  online: number;
  paid_online: number;
  on_time_ratio: number;
  online_share: number;
}
export interface Stats {
  rows: StatsRow[];
  total: StatsRow;
}

export interface Agency {
  id: number;
  code: string;
  code_qcvn: string;
  code_confirmed: boolean;
  parent_id: number | null;
  name: string;
  name_en: string;
  short_name: string;
  kind: string;
  level: number;
  address: string;
  phone: string;
  email: string;
  website: string;
  valid_from: string;
  valid_to: string | null;
  current: boolean;
  version: number;
}
export interface AgencyPage {
  items: Agency[];
  total: number;
  limit: number;
  offset: number;
}

export interface Reorganisation {
  id: number | null;
  preview: boolean;
  kind: string;
  effective_date: string;
  decision: string;
  note: string;
  agencies: { agency_id: number; code: string; name: string; role: string; primary: boolean }[];
  children: { agency_id: number; code: string; from_parent_id: number; to_parent_id: number }[];
  moves: { kind: string; from_agency_id: number; to_agency_id: number; count: number }[];
  codes: { code: string; code_qcvn: string | null; agency_id: number; resolves_to_id: number }[];
}

export interface PaymentStart {
  reference: string;
  amount: number;
  status: string;
  payment_url: string;
}
