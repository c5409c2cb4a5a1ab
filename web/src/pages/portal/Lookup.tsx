import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { call } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import type { LookupResult } from '../../lib/types';
import { Timeline } from '../../components/Timeline';
import { ErrorBox, Field, Loading, PageTitle, StatusBadge } from '../../components/ui';

export default function LookupPage() {
  const { t, tk } = useI18n();
  const [params, setParams] = useSearchParams();
  const [code, setCode] = useState(params.get('ma') ?? '');
  const [secret, setSecret] = useState(params.get('k') ?? '');
  const [result, setResult] = useState<LookupResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  async function run(c: string, k: string) {
    setLoading(true);
    setError(null);
    setResult(null);
    try {
      setResult(await call('get', '/api/v1/lookup', { query: { code: c, secret: k } }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }

  // The receipt's QR code opens /tra-cuu?ma=CODE&k=SECRET: look it up at once.
  useEffect(() => {
    const c = params.get('ma');
    const k = params.get('k');
    if (c && k) {
      setCode(c);
      setSecret(k);
      void run(c, k);
    }
  }, [params]);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!code.trim() || !secret.trim()) {
      setError(null);
      setResult(null);
      return;
    }
    setParams({ ma: code.trim(), k: secret.trim() });
  }

  return (
    <div className="container">
      <PageTitle>{t('lookup.title')}</PageTitle>
      <p className="lead">{t('lookup.intro')}</p>
      <form className="card form lookup-form" onSubmit={submit} data-testid="lookup-form">
        <div className="grid2">
          <Field id="lk-code" label={t('lookup.code')} hint={t('lookup.code_hint')} required>
            <input id="lk-code" value={code} onChange={(e) => setCode(e.target.value)} required autoComplete="off" aria-describedby="lk-code-hint" data-testid="lookup-code" />
          </Field>
          <Field id="lk-secret" label={t('lookup.secret')} hint={t('lookup.secret_hint')} required>
            <input id="lk-secret" value={secret} onChange={(e) => setSecret(e.target.value)} required autoComplete="off" aria-describedby="lk-secret-hint" data-testid="lookup-secret" />
          </Field>
        </div>
        <button className="btn btn-primary" type="submit" data-testid="lookup-submit">
          {t('lookup.submit')}
        </button>
      </form>
      <div aria-live="polite">
        {loading && <Loading />}
        <ErrorBox error={error} onRetry={() => run(code, secret)} />
        {result && (
          <section className="card" aria-labelledby="lk-result" data-testid="lookup-result">
            <h2 id="lk-result">
              {t('lookup.result')}: {result.code || result.reference}
            </h2>
            <dl className="kv">
              <dt>{t('ref.label')}</dt>
              <dd data-testid="lookup-reference">{result.reference}</dd>
              <dt>{t('dossier.code')}</dt>
              <dd data-testid="lookup-code-value">{result.code || t('receipt.code_pending')}</dd>
              <dt>{t('dossier.procedure')}</dt>
              <dd>{result.procedure_name}</dd>
              <dt>{t('dossier.applicant')}</dt>
              <dd>{result.applicant_name}</dd>
              <dt>{t('dossier.status')}</dt>
              <dd data-testid="lookup-status">
                <StatusBadge status={result.status} vi={result.status_name} en={result.status_name_en} />
              </dd>
              <dt>{t('dossier.received_at')}</dt>
              <dd>{formatDateTime(result.received_at) || '—'}</dd>
              <dt>{t('dossier.due_at')}</dt>
              <dd>{formatDateTime(result.due_at) || '—'}</dd>
              {result.finished_at && (
                <>
                  <dt>{t('dossier.finished_at')}</dt>
                  <dd>{formatDateTime(result.finished_at)}</dd>
                </>
              )}
              {result.returned_at && (
                <>
                  <dt>{t('dossier.returned_at')}</dt>
                  <dd>{formatDateTime(result.returned_at)}</dd>
                </>
              )}
              {result.timeliness && (
                <>
                  <dt>{t('dossier.timeliness')}</dt>
                  <dd>{tk(`timeliness.${result.timeliness}`, result.timeliness)}</dd>
                </>
              )}
            </dl>
            <h3>{t('dossier.timeline')}</h3>
            <Timeline events={result.events} />
          </section>
        )}
      </div>
    </div>
  );
}
