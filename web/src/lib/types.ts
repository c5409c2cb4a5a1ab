// The JSON shapes of the server's API. The routes the server declares have their types
// generated from the OpenAPI document (src/api/schema.d.ts; named here for the pages); the
// others are written by hand after src/*/routes.cpp until their module declares them (User).
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

/** A procedure as GET /api/v1/procedures/{code} answers it, and the parts the pages name. */
export type Procedure = Schema<'ProcedureDetail'>;
export type Component = Schema<'ProcedureComponent'>;
export type FormField = Schema<'ProcedureFormField'>;

export type Applicant = Schema<'Applicant'>;
export type Dossier = Schema<'DossierView'>;
export type DossierPage = Schema<'DossierPage'>;
export type DossierEvent = Schema<'DossierEvent'>;
export type DossierFile = Schema<'FileInfo'>;
/** The public lookup's answer (GET /api/v1/lookup): no officer names, no internal deadlines. */
export type LookupResult = Schema<'DossierLookup'>;
export type StatsRow = Schema<'StatsRow'>;
export type Agency = Schema<'AgencyView'>;
export type AgencyPage = Schema<'AgencyPage'>;
export type Reorganisation = Schema<'ReorganisationView'>;
export type PaymentStart = Schema<'PaymentStart'>;
/** A message to another system in the outbox (GET /api/v1/outbox/messages), its detail with headers, text body and attempts, and its status. */
export type OutboxMessage = Schema<'OutboxMessage'>;
export type OutboxMessageDetail = Schema<'OutboxMessageDetail'>;
export type OutboxStatus = OutboxMessage['status'];
