import { useI18n } from '../i18n';
import { call } from '../lib/api';
import { formatBytes, formatDate, formatDateTime, formatMoney } from '../lib/format';
import type { Dossier, DossierFile } from '../lib/types';
import { useAsync } from '../lib/useAsync';
import { DeadlineBadge, StatusBadge } from './ui';

export function useDossier(id: string) {
  return useAsync(
    async (signal) => {
      const [dossier, events, files] = await Promise.all([
        call('get', '/api/v1/dossiers/{id}', { path: { id: Number(id) }, signal }),
        call('get', '/api/v1/dossiers/{id}/events', { path: { id: Number(id) }, signal }),
        call('get', '/api/v1/dossiers/{id}/files', { path: { id: Number(id) }, signal }),
      ]);
      return { dossier, events: events.items, files: files.items };
    },
    [id],
  );
}

export function DossierFacts({ d, officer }: { d: Dossier; officer?: boolean }) {
  const { t, tk, lang } = useI18n();
  return (
    <dl className="kv" data-testid="dossier-facts">
      <dt>{t('ref.label')}</dt>
      <dd data-testid="dossier-reference">{d.reference}</dd>
      <dt>{t('dossier.code')}</dt>
      <dd data-testid="dossier-code">{d.code ?? t('receipt.code_pending')}</dd>
      <dt>{t('dossier.status')}</dt>
      <dd data-testid="dossier-status">
        <StatusBadge status={d.status} vi={d.status_name} en={d.status_name_en} />
      </dd>
      <dt>{t('dossier.procedure')}</dt>
      <dd>
        {d.procedure_name} <span className="muted">({d.procedure_code})</span>
      </dd>
      <dt>{t('dossier.channel')}</dt>
      <dd>{tk(`channel.${d.channel}`, d.channel)}</dd>
      <dt>{t('dossier.submitted_at')}</dt>
      <dd>{formatDateTime(d.submitted_at)}</dd>
      <dt>{t('dossier.received_at')}</dt>
      <dd>{formatDateTime(d.received_at) || '—'}</dd>
      <dt>{t('dossier.due_at')}</dt>
      <dd>
        {officer ? <DeadlineBadge status={d.status} dueAt={d.due_at} withTime /> : formatDateTime(d.due_at) || '—'}
        {d.apology_issued && d.original_due_at && d.original_due_at !== d.due_at && (
          <span className="muted"> ({t('dossier.original_due', { date: formatDateTime(d.original_due_at) })})</span>
        )}
      </dd>
      {officer && d.step_due_at && (
        <>
          <dt>{t('dossier.step_due')}</dt>
          <dd>
            <DeadlineBadge status={d.status} dueAt={d.step_due_at} withTime />
          </dd>
        </>
      )}
      {d.finished_at && (
        <>
          <dt>{t('dossier.finished_at')}</dt>
          <dd>{formatDateTime(d.finished_at)}</dd>
        </>
      )}
      {d.returned_at && (
        <>
          <dt>{t('dossier.returned_at')}</dt>
          <dd>{formatDateTime(d.returned_at)}</dd>
        </>
      )}
      {d.timeliness && (
        <>
          <dt>{t('dossier.timeliness')}</dt>
          <dd>{tk(`timeliness.${d.timeliness}`, d.timeliness)}</dd>
        </>
      )}
      <dt>{t('dossier.fee')}</dt>
      <dd>
        {d.fee_total ? formatMoney(d.fee_total, lang) : t('proc.free')}
        {d.paid_online ? ` · ${t('dossier.paid_online')}` : ''}
      </dd>
      {d.rating !== null && (
        <>
          <dt>{t('dossier.rating')}</dt>
          <dd>{t(`rating.${d.rating}` as 'rating.1')}</dd>
        </>
      )}
    </dl>
  );
}

export function ApplicantFacts({ d }: { d: Dossier }) {
  const { t } = useI18n();
  const a = d.applicant;
  return (
    <dl className="kv" data-testid="applicant-facts">
      <dt>{a.kind === 2 ? t('applicant.org_name') : t('applicant.name')}</dt>
      <dd>{a.name}</dd>
      <dt>{t('applicant.kind')}</dt>
      <dd>{t(a.kind === 2 ? 'applicant.kind2' : 'applicant.kind1')}</dd>
      {a.id_number && (
        <>
          <dt>{a.kind === 2 ? t('applicant.tax_code') : t('applicant.cccd')}</dt>
          <dd>{a.id_number}</dd>
        </>
      )}
      {a.kind === 1 && d.applicant_birth_date && (
        <>
          <dt>{t('applicant.birth_date')}</dt>
          <dd>{formatDate(d.applicant_birth_date)}</dd>
        </>
      )}
      {d.identity_check && (
        <>
          <dt>{t('identity.title')}</dt>
          <dd data-testid="identity-check" data-status={d.identity_check.status}>
            <span className={`badge identity-${d.identity_check.status}`}>{t(`identity.${d.identity_check.status}`)}</span>{' '}
            {d.identity_check.status === 'differs' && d.identity_check.differing.length > 0 && (
              <span>{t('identity.differs_in', { fields: d.identity_check.differing.map((f) => t(f === 'birth_date' ? 'identity.field_birth_date' : 'identity.field_name')).join(', ') })} </span>
            )}
            {d.identity_check.status === 'unchecked' && <span>{t('identity.unchecked_hint')} </span>}
            <span className="muted small">{t('identity.at', { time: formatDateTime(d.identity_check.checked_at) })}</span>
          </dd>
        </>
      )}
      {d.on_behalf && d.submitter && (
        <>
          <dt>{t('applicant.submitted_by')}</dt>
          <dd data-testid="submitted-by">
            {d.submitter.name} ({d.submitter.id_number})
          </dd>
        </>
      )}
      {a.phone && (
        <>
          <dt>{t('applicant.phone')}</dt>
          <dd>
            <a href={`tel:${a.phone}`}>{a.phone}</a>
          </dd>
        </>
      )}
      {a.email && (
        <>
          <dt>{t('applicant.email')}</dt>
          <dd>{a.email}</dd>
        </>
      )}
      {a.address && (
        <>
          <dt>{t('applicant.address')}</dt>
          <dd>{a.address}</dd>
        </>
      )}
    </dl>
  );
}

/** The file's address: `inline` asks the server to let the browser show it (PDF, JPEG, PNG). */
export function fileUrl(dossierId: number, fileId: number, inline = false): string {
  return `/api/v1/dossiers/${dossierId}/files/${fileId}${inline ? '?inline=1' : ''}`;
}

/** The types the server sends inline; anything else would download even from "View". */
export const VIEWABLE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];

export function FileTable({ dossierId, files, components }: { dossierId: number; files: DossierFile[]; components?: Record<string, string> }) {
  const { t, tk } = useI18n();
  if (files.length === 0) return <p className="muted">{t('files.none')}</p>;
  return (
    <>
      <div className="table-wrap" tabIndex={0}>
        <table data-testid="file-table">
          <caption className="sr-only">{t('files.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('files.name')}</th>
              <th scope="col">{t('files.kind')}</th>
              <th scope="col">{t('files.size')}</th>
              <th scope="col">{t('files.at')}</th>
              <th scope="col">
                <span className="sr-only">{t('files.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr key={f.id}>
                <td>
                  {f.name || f.component}
                  {f.component && components?.[f.component] && <div className="muted small">{components[f.component]}</div>}
                </td>
                <td>{tk(`filekind.${f.kind}`, f.kind)}</td>
                <td>{formatBytes(f.size)}</td>
                <td>{formatDateTime(f.at)}</td>
                <td className="nowrap">
                  {VIEWABLE_TYPES.includes(f.content_type) && (
                    <>
                      <a
                        className="btn btn-small"
                        href={fileUrl(dossierId, f.id, true)}
                        target="_blank"
                        rel="noopener"
                        aria-label={`${t('files.view_named', { name: f.name || f.component })} ${t('common.new_tab')}`}
                        data-testid={`file-view-${f.id}`}
                      >
                        {t('files.view')}
                      </a>{' '}
                    </>
                  )}
                  <a className="btn btn-small btn-link" href={fileUrl(dossierId, f.id)} download={f.name || undefined} aria-label={t('files.download_named', { name: f.name || f.component })} data-testid={`file-download-${f.id}`}>
                    {t('files.download')}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
