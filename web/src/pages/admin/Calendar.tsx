import { useState } from 'react';
import type { FormEvent } from 'react';
import { useI18n } from '../../i18n';
import type { Key } from '../../i18n';
import { call } from '../../lib/api';
import { forgetCalendar } from '../../lib/calendarClient';
import { formatDate, isoDateVN } from '../../lib/format';
import type { CalendarOverrideKind } from '../../lib/types';
import { useAsync } from '../../lib/useAsync';
import { DateInput, Empty, ErrorBox, Field, Loading } from '../../components/ui';
import '../../i18n/vi-staff'; // the officers' words (this page's chunk)

const KINDS: CalendarOverrideKind[] = ['day_off', 'working_day', 'holiday', 'compensatory', 'tet', 'remove'];

export function CalendarAdmin() {
  const { t, lang, tk } = useI18n();
  const thisYear = Number(isoDateVN().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const s = useAsync((signal) => call('get', '/api/v1/calendar/{year}', { path: { year }, signal }), [year]);
  const [date, setDate] = useState('');
  const [kind, setKind] = useState<CalendarOverrideKind>('day_off');
  const [nameVi, setNameVi] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNotice('');
    try {
      await call('put', '/api/v1/calendar/overrides/{date}', { path: { date }, body: { kind, name_vi: nameVi, name_en: nameEn, note } });
      setNotice(t('admin.cal.saved', { date: formatDate(date) }));
      forgetCalendar(Number(date.slice(0, 4)));
      s.reload();
    } catch (err) {
      setError(err);
    }
  }
  async function remove(d: string) {
    setError(null);
    setNotice('');
    try {
      await call('delete', '/api/v1/calendar/overrides/{date}', { path: { date: d } });
      setNotice(t('admin.cal.deleted', { date: formatDate(d) }));
      forgetCalendar(Number(d.slice(0, 4)));
      s.reload();
    } catch (err) {
      setError(err);
    }
  }
  return (
    <div className="two-col">
      <section className="card" aria-labelledby="cal-list">
        <h2 id="cal-list">{t('admin.cal.title', { year })}</h2>
        <div className="field">
          <label htmlFor="cal-year">{t('admin.cal.year')}</label>
          <select id="cal-year" value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {[thisYear - 1, thisYear, thisYear + 1, thisYear + 2].map((y) => <option key={y} value={y}>{y}</option>)}
          </select>
        </div>
        <ErrorBox error={error} />
        {notice && <div className="alert alert-success" role="status">{notice}</div>}
        {s.error ? <ErrorBox error={s.error} onRetry={s.reload} /> : s.loading ? <Loading /> : !s.data?.days.length ? <Empty title={t('admin.cal.none')} /> : (
          <div className="table-wrap" tabIndex={0}>
            <table data-testid="calendar-table">
              <caption className="sr-only">{t('admin.cal.title', { year })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.cal.date')}</th>
                  <th scope="col">{t('admin.cal.kind')}</th>
                  <th scope="col">{t('admin.cal.name')}</th>
                  <th scope="col"><span className="sr-only">{t('files.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {s.data.days.map((d) => (
                  <tr key={d.date}>
                    <td className="nowrap">{formatDate(d.date)}</td>
                    <td>{tk(`daykind.${d.kind}`, d.kind)}</td>
                    <td>{lang === 'en' ? d.name_en || d.name_vi : d.name_vi}</td>
                    <td>
                      {d.overridden ? (
                        <button type="button" className="btn btn-small" onClick={() => remove(d.date)} aria-label={t('admin.cal.delete_named', { date: formatDate(d.date) })} data-testid={`cal-delete-${d.date}`}>
                          {t('admin.cal.delete')}
                        </button>
                      ) : (
                        <span className="muted small">{t('admin.cal.statutory')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="muted small">{t('admin.cal.delete_hint')}</p>
      </section>
      <section className="card" aria-labelledby="cal-new">
        <h2 id="cal-new">{t('admin.cal.override')}</h2>
        <form onSubmit={save} noValidate>
          <Field id="ov-date" label={t('admin.cal.date')} required>
            <DateInput id="ov-date" value={date} onValue={setDate} required />
          </Field>
          <Field id="ov-kind" label={t('admin.cal.kind')} required>
            <select id="ov-kind" value={kind} onChange={(e) => setKind(KINDS.find((k) => k === e.target.value) ?? 'day_off')}>
              {KINDS.map((k) => <option key={k} value={k}>{t(`daykind.${k}` as Key)}</option>)}
            </select>
          </Field>
          <Field id="ov-vi" label={t('admin.cal.name_vi')}>
            <input id="ov-vi" value={nameVi} onChange={(e) => setNameVi(e.target.value)} />
          </Field>
          <Field id="ov-en" label={t('admin.cal.name_en')}>
            <input id="ov-en" value={nameEn} onChange={(e) => setNameEn(e.target.value)} />
          </Field>
          <Field id="ov-note" label={t('admin.cal.note')}>
            <textarea id="ov-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </Field>
          <button type="submit" className="btn btn-primary" disabled={!date}>{t('common.save')}</button>
        </form>
      </section>
    </div>
  );
}
