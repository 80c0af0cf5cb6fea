// A real OpenID Connect provider (panva/oidc-provider, OpenID Certified) on the loopback, for the portal's
// single sign-on tests only (tests/oidc_provider.py starts it; README "Single sign-on (staff)").
//
// Environment: PORT (0 = any free port; the chosen one is printed as "listening on <issuer>"), REDIRECT_URIS and
// POST_LOGOUT_REDIRECT_URIS (comma-separated, the portal's callback and home page), CODE_TTL (seconds an
// authorization code lives), CLIENT_ID / CLIENT_SECRET.
// Log-in page and log-out confirmation are our own small French forms (no inline script, nothing external).
import crypto from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const PASSWORD = 'motdepasse-cnam';

// Test accounts: login -> claims. The groups claim is what the portal's SsoRoleMapping maps.
const ACCOUNTS = {
  'relectrice@cnam.test': { given_name: 'Rose', family_name: 'Relectrice', groups: ['ami-relecteurs-bfc', 'cnam-tous'] },
  'coordination@cnam.test': { given_name: 'Colette', family_name: 'Coordinatrice', groups: ['ami-coordination'] },
  'inconnu@cnam.test': { given_name: 'Ivan', family_name: 'Inconnu' }, // no groups claim at all
  'comptable@cnam.test': { given_name: 'Camille', family_name: 'Comptable', groups: ['cnam-comptabilite'] },
  'desactive@cnam.test': { given_name: 'Denis', family_name: 'Desactive', groups: ['ami-relecteurs-bfc'] },
  'bloque@cnam.test': { given_name: 'Blaise', family_name: 'Bloque', groups: ['ami-relecteurs-bfc'] },
};

function subjectOf(login) {
  return crypto.createHash('sha256').update(login).digest('hex').slice(0, 24);
}

const SUBJECTS = Object.fromEntries(Object.keys(ACCOUNTS).map((login) => [subjectOf(login), login]));

function list(name, fallback) {
  return (process.env[name] || fallback).split(',').map((value) => value.trim()).filter(Boolean);
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>${escape(title)}</title></head>`
    + `<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const port = Number(process.env.PORT || 0);
const server = http.createServer();
await new Promise((resolve) => { server.listen(port, '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID || 'ami-portal',
    client_secret: process.env.CLIENT_SECRET || 'secret-de-test',
    redirect_uris: list('REDIRECT_URIS', 'http://testserver/compte/cnam/retour/'),
    post_logout_redirect_uris: list('POST_LOGOUT_REDIRECT_URIS', 'http://testserver/'),
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  jwks: { keys: [signingKey] },
  pkce: { required: () => true }, // S256 only (the library's default methods)
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name'], groups: ['groups'],
  },
  ttl: { AuthorizationCode: Number(process.env.CODE_TTL || 60), IdToken: 600, AccessToken: 600, Session: 3600 },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Déconnexion du compte Cnam', `${form}<p>Voulez-vous vous déconnecter ?</p>`
          + '<button type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter</button>'
          + ' <button type="submit" form="op.logoutForm">Rester connecté</button>');
      },
      postLogoutSuccessSource: async (ctx) => { ctx.body = page('Déconnecté', '<p>Vous êtes déconnecté.</p>'); },
    },
  },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('Erreur du fournisseur', `<pre>${escape(JSON.stringify(out))}</pre>`);
  },
  findAccount: async (ctx, sub) => {
    const login = SUBJECTS[sub];
    if (!login) return undefined;
    return {
      accountId: sub,
      claims: async () => ({ sub, email: login, email_verified: true, ...ACCOUNTS[login] }),
    };
  },
  cookies: { keys: ['cle-de-test-des-cookies'] },
});

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

function loginForm(uid, message) {
  return page('Compte Cnam', `${message ? `<p role="alert">${escape(message)}</p>` : ''}`
    + `<form method="post" action="/interaction/${uid}/login">`
    + '<p><label for="login">Identifiant</label> <input id="login" name="login" type="email" autocomplete="username"></p>'
    + '<p><label for="password">Mot de passe</label> '
    + '<input id="password" name="password" type="password" autocomplete="current-password"></p>'
    + '<p><button type="submit">Se connecter</button></p></form>');
}

// The interaction pages (log-in and consent) the provider sends the browser to.
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params } = details;
  if (prompt.name === 'login') {
    if (req.method === 'GET') {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(loginForm(uid));
      return;
    }
    const form = await readForm(req);
    const login = (form.get('login') || '').trim().toLowerCase();
    if (!ACCOUNTS[login] || form.get('password') !== PASSWORD) {
      res.statusCode = 200;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(loginForm(uid, 'Identifiant ou mot de passe incorrect.'));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: subjectOf(login) } }, { mergeWithLastSubmission: false });
    return;
  }
  // Consent: the portal is a first-party client of the organisation, granted what it asks.
  const grant = details.grantId ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const handle = provider.callback();
server.on('request', (req, res) => {
  if (req.url === '/favicon.ico') { // browsers ask for it; a 404 would be a console error in the browser tests
    res.statusCode = 204;
    res.end();
    return;
  }
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.statusCode = 400;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(page('Erreur du fournisseur', `<p>${escape(error.message)}</p>`));
    });
    return;
  }
  handle(req, res);
});

process.on('SIGTERM', () => { server.close(); process.exit(0); });
console.log(`listening on ${issuer}`);
