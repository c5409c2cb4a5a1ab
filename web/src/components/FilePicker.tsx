import { useI18n } from '../i18n';
import { fileTypeOf } from '../lib/formcheck';
import { formatBytes } from '../lib/format';
import { MAX_FILE_BYTES } from '../lib/submission';
import type { Component } from '../lib/types';
import { ProgressBar } from './ui';

export interface PickedFile {
  component: string;
  file: File;
  /** Stored with the submission's draft already (lib/draft.ts). */
  draftFileId?: number;
}

/** One upload slot per dossier component, with the picked files and their upload progress. */
export function FilePicker({
  components,
  files,
  onChange,
  progress,
  errors,
}: {
  components: Component[];
  files: PickedFile[];
  onChange: (files: PickedFile[]) => void;
  progress?: number[]; // parallel to `files`
  errors?: Record<string, string>;
}) {
  const { t } = useI18n();
  return (
    <div className="filepicker">
      {components.map((c) => {
        const id = `file-${c.code}`;
        const types = c.file_types.length ? c.file_types : ['pdf'];
        const accept = types.map((x) => (x === 'jpg' ? '.jpg,.jpeg' : `.${x}`)).join(',');
        const mine = files.map((f, i) => ({ ...f, i })).filter((f) => f.component === c.code);
        const err = errors?.[c.code];
        return (
          <div key={c.code} className={`upload-slot${err ? ' field-invalid' : ''}`} data-testid={`upload-${c.code}`}>
            <label htmlFor={id} className="upload-label">
              {c.name}
              {c.required ? <span className="req" aria-hidden="true"> *</span> : <span className="optional"> ({t('common.optional')})</span>}
            </label>
            <p className="field-hint" id={`${id}-hint`}>
              {t('upload.accepts', { types: types.join(', ').toUpperCase(), max: formatBytes(MAX_FILE_BYTES) })}
            </p>
            {err && (
              <p className="field-error" id={`${id}-error`}>
                {err}
              </p>
            )}
            <input
              id={id}
              type="file"
              accept={accept}
              multiple
              aria-describedby={`${id}-hint${err ? ` ${id}-error` : ''}`}
              aria-invalid={err ? true : undefined}
              data-testid={`file-input-${c.code}`}
              onChange={(e) => {
                const picked = Array.from(e.target.files ?? []).map((file) => ({ component: c.code, file }));
                e.target.value = '';
                if (picked.length) onChange([...files, ...picked]);
              }}
            />
            {mine.length > 0 && (
              <ul className="file-list">
                {mine.map((f) => {
                  const bad = !types.includes(fileTypeOf(f.file.name));
                  const big = f.file.size > MAX_FILE_BYTES;
                  return (
                    <li key={f.i}>
                      <span className="file-name">{f.file.name}</span> <span className="muted">({formatBytes(f.file.size)})</span>
                      {bad && <span className="warn"> {t('upload.bad_type')}</span>}
                      {big && <span className="warn"> {t('upload.too_big')}</span>}
                      {progress && progress[f.i] !== undefined ? (
                        <ProgressBar value={progress[f.i]} label={t('upload.progress', { name: f.file.name })} />
                      ) : (
                        <button
                          type="button"
                          className="btn btn-small btn-link"
                          onClick={() => onChange(files.filter((_, j) => j !== f.i))}
                          aria-label={t('upload.remove_named', { name: f.file.name })}
                        >
                          {t('upload.remove')}
                        </button>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </div>
        );
      })}
    </div>
  );
}
