// The body of a request with files (a submission, a supplement, a result) as
// multipart/form-data, the way the server reads it (src/dossiers/routes.cpp ReadBodyWithFiles):
// a part `json` with the request's fields, then one part per file named `files.<component>`
// (e.g. `files.TP1`), or `files` for a file of no component (results), its filename the file's
// name. The browser streams each file from disk: nothing is read or encoded here.

/** The largest file the server takes by default (its max_file_mb); the server has the last word. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface UploadFile {
  component: string; // '' = no component
  file: File;
}

export interface BuiltForm {
  form: FormData;
  /** The size of each file, in the order given: the progress of each is read from them. */
  sizes: number[];
}

export function buildForm(fields: Record<string, unknown>, files: UploadFile[]): BuiltForm {
  const form = new FormData();
  // A string, not a Blob: a Blob would be sent as a file (filename "blob"), which the server
  // does not take for `json`.
  form.append('json', JSON.stringify(fields));
  for (const f of files) form.append(f.component ? `files.${f.component}` : 'files', f.file, f.file.name);
  return { form, sizes: files.map((f) => f.file.size) };
}

/**
 * Per-file progress (0..1) from the bytes of the body sent so far. The files lie in the body in
 * the order given, after the `json` part; the part headers and delimiters (a few hundred bytes
 * in all) are counted as if they all came first, so a bar never runs ahead of its file.
 * `total`: the whole body's size, as the upload reports it (0 if unknown).
 */
export function fileProgress(sizes: number[], loaded: number, total: number): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0);
  let start = Math.max(0, total - sum);
  return sizes.map((size) => {
    const s = start;
    start += size;
    if (size <= 0) return loaded >= s ? 1 : 0;
    return Math.max(0, Math.min(1, (loaded - s) / size));
  });
}
