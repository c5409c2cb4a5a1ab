// Builds the JSON body of a submission (POST /api/v1/dossiers) as a Blob, and remembers where
// each file's bytes lie in it so the upload progress can be shown per file.

export interface FilePart {
  component: string;
  name: string;
  base64: string;
}

export interface BuiltBody {
  blob: Blob;
  /** [start, end) byte offsets of each file's content in the body, in the order given. */
  ranges: [number, number][];
}

const enc = new TextEncoder();

export function buildJsonWithFiles(head: Record<string, unknown>, files: FilePart[]): BuiltBody {
  const headText = JSON.stringify(head);
  // Replace the closing brace with the files array.
  const parts: string[] = [headText.slice(0, -1) + (headText.length > 2 ? ',' : '') + '"files":['];
  const ranges: [number, number][] = [];
  let offset = enc.encode(parts[0]).length;
  files.forEach((f, i) => {
    const prefix = `${i ? ',' : ''}{"component":${JSON.stringify(f.component)},"name":${JSON.stringify(f.name)},"content_base64":"`;
    const prefixLen = enc.encode(prefix).length;
    parts.push(prefix, f.base64, '"}');
    const start = offset + prefixLen;
    const end = start + f.base64.length; // base64 is ASCII: one byte per character
    ranges.push([start, end]);
    offset = end + 2;
  });
  parts.push(']}');
  return { blob: new Blob(parts, { type: 'application/json' }), ranges };
}

/** Per-file progress (0..1) from the number of body bytes sent. */
export function fileProgress(ranges: [number, number][], loaded: number): number[] {
  return ranges.map(([s, e]) => (e <= s ? (loaded >= e ? 1 : 0) : Math.max(0, Math.min(1, (loaded - s) / (e - s)))));
}
