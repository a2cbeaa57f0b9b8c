// api.js - the JSON API under /api/v1: requests, the list shape and errors.
//
// Lists answer {"items","total","limit","offset"}; errors answer
// {"error":{"code","message","field"}} and become an ApiError.

const BASE = '/api/v1';

export class ApiError extends Error {
  constructor({ status = 0, code = 'network', message = '', field = null } = {}) {
    super(message || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /**
   * A feature this server does not have.  Only 501: a 404 "no such resource" is
   * also what a user outside the record's scope is told, so it reads "not found".
   */
  get unavailable() {
    return this.status === 501;
  }

  /** The permission named by a 403 forbidden ("your role may not do this (people.reveal)"). */
  get permission() {
    const m = this.code === 'forbidden' ? /\(([a-z]+\.[a-z]+)\)/.exec(this.message) : null;
    return m ? m[1] : null;
  }
}

/** ?a=1&b=2 from an object, skipping empty values. */
export function queryString(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function apiUrl(path, params) {
  return BASE + path + queryString(params);
}

/*
 * Sessions.  Every /api/v1 route but POST /auth/login needs a session cookie
 * (HttpOnly, set by the login answer).  A write must carry the session's CSRF
 * token in X-CSRF-Token: the login and /auth/me answers tell it, session.js
 * hands it over with setCsrfToken().  The server's refusals that concern the
 * session, not the request, go to the hooks session.js installs:
 *   401 unauthenticated           -> hooks.unauthenticated(err): back to the login page
 *   403 password_change_required  -> hooks.passwordChange(err): to the password page
 *   403 csrf                      -> the token is fetched again (GET /auth/me) and the
 *                                    request sent once more; then hooks.me(answer)
 *   403 forbidden                 -> thrown as it is; errorText() names the permission
 * Requests made with {quiet: true} (the check at start-up) call no hooks.
 */
const hooks = { unauthenticated: null, passwordChange: null, me: null, activity: null };

/** session.js: {unauthenticated(err), passwordChange(err), me(answer), activity()}. */
export function setSessionHooks(fns) {
  Object.assign(hooks, fns);
}

let csrfToken = null;

/** The CSRF token of the current session (null after logout). */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

async function send(method, url, body, signal) {
  const init = { method, headers: { Accept: 'application/json' }, signal, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) init.headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(url, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError({ code: 'network', message: e.message });
  }
  let data = null;
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('application/json')) {
    try {
      data = await res.json();
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    throw new ApiError({ status: res.status, code: err.code || `http_${res.status}`, message: err.message || res.statusText, field: err.field || null });
  }
  return data;
}

/** Asks for the session's CSRF token again; true when there is a session and a token. */
async function refetchCsrf(signal) {
  try {
    const me = await send('GET', apiUrl('/auth/me'), undefined, signal);
    csrfToken = (me && me.csrf_token) || null;
    if (me && hooks.me) hooks.me(me);
    return Boolean(csrfToken);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    return false;
  }
}

export async function request(method, path, { params, body, signal, quiet = false } = {}) {
  const url = apiUrl(path, params);
  let retried = false;
  for (;;) {
    try {
      const data = await send(method, url, body, signal);
      if (hooks.activity) hooks.activity();
      return data;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.status === 403 && e.code === 'csrf' && !retried) {
        retried = true;
        if (await refetchCsrf(signal)) continue;
      }
      if (!quiet && e.status === 401 && e.code === 'unauthenticated' && hooks.unauthenticated) hooks.unauthenticated(e);
      if (!quiet && e.status === 403 && e.code === 'password_change_required' && hooks.passwordChange) hooks.passwordChange(e);
      throw e;
    }
  }
}

/**
 * Uploads one file as multipart/form-data (part "file"); answers the server's
 * list of stored files.  Same errors and session handling as request().
 */
export async function upload(path, file, signal) {
  let retried = false;
  for (;;) {
    const fd = new FormData();
    fd.append('file', file, file.name || 'photo');
    const headers = { Accept: 'application/json' };
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    let res;
    try {
      res = await fetch(apiUrl(path), { method: 'POST', body: fd, headers, signal, credentials: 'same-origin' });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError({ code: 'network', message: e.message });
    }
    const data = (res.headers.get('Content-Type') || '').includes('application/json') ? await res.json().catch(() => null) : null;
    if (res.ok) {
      if (hooks.activity) hooks.activity();
      return data;
    }
    const err = (data && data.error) || {};
    const e = new ApiError({ status: res.status, code: err.code || `http_${res.status}`, message: err.message || res.statusText, field: err.field || null });
    if (e.status === 403 && e.code === 'csrf' && !retried) {
      retried = true;
      if (await refetchCsrf(signal)) continue;
    }
    if (e.status === 401 && e.code === 'unauthenticated' && hooks.unauthenticated) hooks.unauthenticated(e);
    throw e;
  }
}

export const get = (path, params, signal, opts) => request('GET', path, { params, signal, ...opts });
export const post = (path, body, signal) => request('POST', path, { body, signal });
export const patch = (path, body, signal) => request('PATCH', path, { body, signal });

/** A list answer, also accepting a bare array or {items} without paging fields. */
export async function list(path, params, signal) {
  const data = await get(path, params, signal);
  if (Array.isArray(data)) return { items: data, total: data.length, limit: data.length, offset: 0 };
  const items = (data && data.items) || [];
  return {
    items,
    total: typeof data.total === 'number' ? data.total : items.length,
    limit: typeof data.limit === 'number' ? data.limit : items.length,
    offset: typeof data.offset === 'number' ? data.offset : 0,
  };
}

/* Small caches for things every page needs: nodes by id and the role dictionary. */
const nodeCache = new Map();

export async function getNode(id) {
  if (!nodeCache.has(id)) {
    const p = get(`/nodes/${id}`);
    nodeCache.set(id, p);
    p.catch(() => nodeCache.delete(id));
  }
  return nodeCache.get(id);
}

export function forgetNode(id) {
  if (id === undefined) nodeCache.clear();
  else nodeCache.delete(id);
}

/** Forgets every cached answer (after logout: the next user may see less). */
export function forgetAll() {
  nodeCache.clear();
  rolesPromise = null;
}

let rolesPromise = null;
/** The role dictionary; an empty list when the API does not have it yet. */
export function getRoles() {
  if (!rolesPromise) {
    rolesPromise = list('/roles').then((r) => r.items).catch((e) => {
      rolesPromise = null;
      if (e instanceof ApiError && e.unavailable) return [];
      throw e;
    });
  }
  return rolesPromise;
}

/**
 * Sends a CSV file (a File or Blob, or text) as the request body with the
 * session's CSRF token: the import jobs (POST /import-jobs/...).  The answer as request() gives it.
 */
export async function postCsv(path, file, params) {
  const init = {
    method: 'POST', credentials: 'same-origin', body: file,
    headers: { Accept: 'application/json', 'Content-Type': 'text/csv; charset=utf-8' },
  };
  if (csrfToken) init.headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(apiUrl(path, params), init);
  const data = (res.headers.get('Content-Type') || '').includes('application/json') ? await res.json() : null;
  if (!res.ok) {
    const err = (data && data.error) || {};
    throw new ApiError({ status: res.status, code: err.code || `http_${res.status}`, message: err.message || res.statusText, field: err.field || null });
  }
  if (hooks.activity) hooks.activity();
  return data;
}
