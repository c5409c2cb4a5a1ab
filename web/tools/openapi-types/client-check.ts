// An ordinary client made from the OpenAPI document with openapi-typescript and openapi-fetch
// (issue 15: "an ordinary login and a filtered dossier list do not compile"). Never run, only
// type-checked (tsc --strict, scripts/build-web.sh, so `make test` fails when the contract no
// longer serves such a client). Each @ts-expect-error is a mistake the types must catch: if one
// compiled, tsc would fail on the unused directive.
import createClient from 'openapi-fetch';
import type { paths } from '../../src/api/schema';

const client = createClient<paths>({ baseUrl: 'https://dichvucong.example.gov.vn' });

// The document's filters of the dossier list. openapi-fetch lets an unknown parameter through
// when a known one sits beside it (it infers the request's type from the argument itself:
// openapi-ts/openapi-typescript#2329), so a client names the query's type to have a misspelt
// filter refused.
type DossierFilters = NonNullable<paths['/api/v1/dossiers']['get']['parameters']['query']>;

export async function signInAndListDossiers(login: string, password: string): Promise<string[]> {
  const signedIn = await client.POST('/api/v1/auth/login', {
    body: { login, password, mode: 'token', label: 'client-check' },
  });
  if (signedIn.error) throw new Error(`${signedIn.error.error.code}: ${signedIn.error.error.message_en}`);
  const token = signedIn.data.token; // given for mode "token" only
  if (!token) throw new Error('no token');
  const expiresAt: string = signedIn.data.expires_at;
  const fullName: string = signedIn.data.user.full_name;

  const filters: DossierFilters = { status: '2,4,5', overdue: true, limit: 20, offset: 0 };
  const page = await client.GET('/api/v1/dossiers', {
    params: { query: filters },
    headers: { Authorization: `Bearer ${token}` },
  });
  if (page.error) throw new Error(page.error.error.message_en);
  const total: number = page.data.total;
  // A dossier has its code once received: null before.
  return [fullName, expiresAt, String(total), ...page.data.items.map((d) => d.code ?? '(chưa có mã)')];
}

export async function mistakesDoNotCompile(): Promise<void> {
  // @ts-expect-error: the password is required
  await client.POST('/api/v1/auth/login', { body: { login: 'canbo' } });
  // @ts-expect-error: the mode is "cookie" or "token"
  await client.POST('/api/v1/auth/login', { body: { login: 'canbo', password: 'x', mode: 'session' } });
  // @ts-expect-error: a query parameter the list does not have (a misspelt "status")
  await client.GET('/api/v1/dossiers', { params: { query: { statuss: '2' } } });
  // @ts-expect-error: the same beside a known one, in the document's query type
  const misspelt: DossierFilters = { statuss: '2,4,5', limit: 20 };
  await client.GET('/api/v1/dossiers', { params: { query: misspelt } });
  // @ts-expect-error: limit is a number
  await client.GET('/api/v1/dossiers', { params: { query: { limit: '20' } } });
  const me = await client.GET('/api/v1/auth/me');
  // @ts-expect-error: an account has no password field
  void me.data?.password;
}
