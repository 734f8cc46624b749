// The session: who is signed in and the token the API and the hub get. Every request goes through authFetch and
// every hub connection asks accessToken(), so renewing tokens (short access tokens + refresh) lives here only.
const KEY = 'crm.session';
const listeners = new Set();
let session = load();

function load() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY));
    // An expired access token is still a session while a refresh token can renew it (accessToken() does, first thing).
    return saved && (saved.refreshToken || new Date(saved.expiresAt) > new Date()) ? saved : null;
  } catch {
    return null;
  }
}

function save(next) {
  session = next;
  if (next) localStorage.setItem(KEY, JSON.stringify(next));
  else localStorage.removeItem(KEY);
  listeners.forEach((listener) => listener(session));
}

/** Called with the new session (or null) whenever the user signs in or out. */
export function onSessionChange(listener) {
  listeners.add(listener);
}

/** { accessToken, expiresAt, refreshToken?, user: { id, name, role, orgUnitId } } or null. */
export function currentSession() {
  return session;
}

export function currentUser() {
  return session?.user ?? null;
}

/** A refused sign-in: reason is bad-credentials, password-change-required, too-many-requests (retryAfter s) or invalid. */
export class AuthError extends Error {
  constructor(reason, { retryAfter = null, errors = null } = {}) {
    super(reason);
    this.reason = reason;
    this.retryAfter = retryAfter;
    this.errors = errors;
  }
}

/** POST /api/auth/token; throws AuthError when refused. */
export async function login(userName, password) {
  return signIn('/api/auth/token', { userName, password });
}

/** POST /api/auth/password: a new password (required after a generated or reset one) signs the user in too. */
export async function changePassword(userName, currentPassword, newPassword) {
  return signIn('/api/auth/password', { userName, currentPassword, newPassword });
}

async function signIn(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    if (response.status === 429) throw new AuthError('too-many-requests', { retryAfter: response.headers.get('Retry-After') });
    if (response.status === 403 && problem.code === 'password-change-required') throw new AuthError('password-change-required');
    if (response.status === 400) throw new AuthError('invalid', { errors: problem.errors });
    if (response.status === 401) throw new AuthError('bad-credentials');
    throw new Error(`sign-in failed: ${response.status}`);
  }
  save(fromTokenResponse(await response.json()));
  return session;
}

export function logout() {
  const refreshToken = session?.refreshToken;
  save(null);
  // Ends the session on the server too, so its refresh token cannot be used again; signing out never waits for it.
  if (refreshToken) {
    fetch('/api/auth/logout', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    }).catch(() => {});
  }
}

function fromTokenResponse(body) {
  return {
    accessToken: body.accessToken,
    expiresAt: body.expiresAt,
    refreshToken: body.refreshToken ?? null,
    user: userFromToken(body.accessToken),
  };
}

// The token's claims are read, not trusted: the server checks the signature on every call.
function userFromToken(token) {
  const payload = JSON.parse(decodeBase64Url(token.split('.')[1]));
  const claim = (...names) => names.map((n) => payload[n]).find((v) => v !== undefined);
  const ms = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/';
  const soap = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/';
  return {
    id: claim('nameid', 'sub', `${soap}nameidentifier`),
    name: claim('unique_name', 'name', `${soap}name`),
    role: claim('role', `${ms}role`),
    orgUnitId: claim('org') ?? null,
  };
}

function decodeBase64Url(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
}

/**
 * The access token to send now. The one place to renew it: when the server issues refresh tokens, a token close to
 * expiry is exchanged here (refresh()) before it is handed out.
 */
export async function accessToken() {
  if (!session) throw new AuthError('signed-out');
  if (session.refreshToken && new Date(session.expiresAt) - Date.now() < 30_000) await refresh();
  return session.accessToken;
}

let refreshing = null;
async function refresh() {
  // One renewal at a time, however many requests want a token.
  refreshing ??= (async () => {
    try {
      const response = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken: session.refreshToken }),
      });
      if (!response.ok) {
        save(null);
        throw new AuthError('expired');
      }
      save(fromTokenResponse(await response.json()));
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** fetch with the bearer token; a 401 renews once (when refresh tokens exist), else signs the user out. */
export async function authFetch(path, init = {}) {
  const send = async () => fetch(path, {
    ...init,
    headers: { ...(init.headers || {}), Authorization: `Bearer ${await accessToken()}` },
  });
  let response = await send();
  if (response.status === 401 && session?.refreshToken) {
    await refresh();
    response = await send();
  }
  if (response.status === 401) {
    save(null);
    throw new AuthError('expired');
  }
  return response;
}
