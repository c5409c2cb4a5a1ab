// A real OpenID Provider for tests and the demo: npm `oidc-provider` (a certified
// implementation, web/node_modules), on 127.0.0.1 with an ephemeral port, playing VNeID.
//
//   node tests/support/oidc_op.mjs --redirect-uri URI [--post-logout-uri URI] [--alg ES256|RS256]
//                                  [--port N] [--client-id ID] [--client-secret S]
//
// Prints one line "port=N" on stdout once it listens, then serves until stdin closes or it gets
// SIGTERM (so that a test that dies never leaves it behind). Its sign-in and consent pages are
// oidc-provider's development forms: any password, the login is the account id below.
// POST /__rotate (loopback only, like everything here) replaces its signing key with a new one
// under a new kid and stops publishing the old one.
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Standard output carries the port line alone (the test stops reading after it): oidc-provider's
// notices go to standard error.
console.log = console.error;
console.info = console.error;
console.warn = console.error;

const here = path.dirname(fileURLToPath(import.meta.url));
const moduleDir = path.resolve(here, '../../web/node_modules/oidc-provider/lib/index.js');
const { default: Provider } = await import(pathToFileURL(moduleDir).href);

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
if (!args['redirect-uri']) {
  console.error('--redirect-uri is required');
  process.exit(2);
}
const alg = args.alg ?? 'ES256';

// Demo people with VNeID's claims (domain.md §7.4). "khong-dinh-danh" has no SoDinhDanh;
// "quan-tri-tinh" is an officer as a provincial identity provider describes one.
const accounts = {
  'cong-dan-1': {
    SoDinhDanh: '001099012345',
    HoVaTen: 'Nguyễn Văn An',
    NgayThangNamSinh: '02/01/1999',
    LoaiTaiKhoan: '1',
    TechID: 'tech-cong-dan-1',
  },
  'cong-dan-2': {
    SoDinhDanh: '006201000123',
    HoVaTen: 'Hoàng Thị Bình',
    NgayThangNamSinh: '15/08/2001',
    LoaiTaiKhoan: '1',
    TechID: 'tech-cong-dan-2',
  },
  'doanh-nghiep-1': {
    MaSoThue: '0100109106',
    TenDoanhNghiep: 'Công ty TNHH Thương mại Bắc Kạn',
    SoDinhDanh: '001085000777',
    HoVaTen: 'Trần Văn Cường',
    LoaiTaiKhoan: '2',
    TechID: 'tech-doanh-nghiep-1',
  },
  // For a provincial identity provider's officers (accounts = "officers"): only a user name.
  'quan-tri-tinh': { preferred_username: 'quantri', HoVaTen: 'Quản trị hệ thống' },
  'khong-dinh-danh': {
    HoVaTen: 'Lê Văn Chưa Định Danh',
    LoaiTaiKhoan: '1',
    TechID: 'tech-khong-dinh-danh',
  },
};
const claimNames = [...new Set(Object.values(accounts).flatMap((a) => Object.keys(a)))];

function newKey(n) {
  const pair =
    alg === 'ES256'
      ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...pair.privateKey.export({ format: 'jwk' }), kid: `key-${n}`, use: 'sig', alg };
}

const server = http.createServer();
await new Promise((resolve) => server.listen(Number(args.port ?? 0), '127.0.0.1', resolve));
const { port } = server.address();
const issuer = `http://127.0.0.1:${port}`;

let generation = 1;
function makeProvider(key) {
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: args['client-id'] ?? 'tinhso',
        client_secret: args['client-secret'] ?? 'tinhso-bi-mat',
        redirect_uris: [args['redirect-uri']],
        post_logout_redirect_uris: args['post-logout-uri'] ? [args['post-logout-uri']] : [],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: alg,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [key] },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    claims: { openid: ['sub'], profile: claimNames },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    async findAccount(ctx, id) {
      if (!accounts[id]) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) };
    },
  });
  // Its warnings about development settings are expected here.
  provider.on('server_error', (ctx, err) => console.error('oidc-provider:', err));
  return provider;
}

let provider = makeProvider(newKey(generation));
server.on('request', (req, res) => {
  if (req.method === 'POST' && req.url === '/__rotate') {
    generation += 1;
    provider = makeProvider(newKey(generation));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kid: `key-${generation}` }));
    return;
  }
  provider.callback()(req, res);
});

process.stdout.write(`port=${port}\n`);
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
