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

  /** The route itself does not exist (yet): a feature not available on this server. */
  get unavailable() {
    return (this.status === 404 && !this.field && /^no such resource/.test(this.message)) || this.status === 501;
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

const hooks = { unauthorized: null };
/** Later (login): what to do on 401. */
export function onUnauthorized(fn) {
  hooks.unauthorized = fn;
}

/*
 * Sessions (the login page comes later): a write on a session cookie must carry
 * the session's CSRF token, which GET /auth/me tells.  The token is asked for
 * only when the server refuses a write with code "csrf", then the write is sent
 * once more; without a session nothing extra happens.
 */
let csrfToken = null;

async function fetchCsrf() {
  try {
    const r = await fetch(`${BASE}/auth/me`, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    csrfToken = r.ok ? ((await r.json()).csrf_token || null) : null;
  } catch {
    csrfToken = null;
  }
  return csrfToken;
}

/** Forgets the session's token (after login or logout). */
export function resetSession() {
  csrfToken = null;
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

export async function request(method, path, { params, body, signal } = {}) {
  const url = apiUrl(path, params);
  try {
    return await send(method, url, body, signal);
  } catch (e) {
    if (e instanceof ApiError && e.status === 403 && e.code === 'csrf' && (await fetchCsrf())) {
      return send(method, url, body, signal);
    }
    if (e instanceof ApiError && e.status === 401 && hooks.unauthorized) hooks.unauthorized(e);
    throw e;
  }
}

export const get = (path, params, signal) => request('GET', path, { params, signal });
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
