// session.js - who is logged in.  The answer of POST /auth/login or GET /auth/me:
// {user_id, login, role, scope_node_id, must_change_password, permissions[], csrf_token}.
// Pages ask can('people.reveal') to show or hide what the user may do; the server
// checks every request anyway, hiding only spares the user a refusal.

import { get, post, setCsrfToken, setSessionHooks, forgetAll, ApiError } from './api.js';

/*
 * The server ends a session unused for 30 minutes (its default).  So that a
 * screen left open does not keep showing personal data, the app goes back to the
 * login page on its own once that long has passed without a request.  /auth/me
 * does not tell the server's setting, so the default is assumed.
 */
export const IDLE_MS = 30 * 60 * 1000 + 5000;

let me = null;
const listeners = new Set();
let idleTimer = null;
let onIdle = null;

export function current() {
  return me;
}

export function can(permission) {
  return Boolean(me && me.permissions.includes(permission));
}

/** The node the user works in (null: the whole deployment). */
export function scopeId() {
  return me && me.scope_node_id ? me.scope_node_id : null;
}

export function onSessionChange(fn) {
  listeners.add(fn);
}

function armIdle() {
  window.clearTimeout(idleTimer);
  if (me && onIdle) idleTimer = window.setTimeout(() => onIdle(), IDLE_MS);
}

export function setSession(data) {
  const before = me;
  me = data ? { ...data, permissions: Array.isArray(data.permissions) ? data.permissions : [] } : null;
  setCsrfToken(me ? me.csrf_token : null);
  armIdle();
  if (!me && before) forgetAll();
  listeners.forEach((fn) => fn(me, before));
}

/*
 * /auth/me does not carry the display name; those who may read accounts look
 * their own up, everyone else is shown by login name.
 */
function addDisplayName() {
  if (!me || me.display_name || me.must_change_password || !can('users.read')) return;
  const id = me.user_id;
  get(`/users/${id}`, null, undefined, { quiet: true }).then((u) => {
    if (me && me.user_id === id && u && u.display_name) setSession({ ...me, display_name: u.display_name });
  }).catch(() => {});
}

/** Asks the server who is logged in; null when nobody (no hooks fire). */
export async function loadSession() {
  try {
    setSession(await get('/auth/me', null, undefined, { quiet: true }));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) setSession(null);
    else throw e;
  }
  addDisplayName();
  return me;
}

export async function login(loginName, password) {
  const data = await post('/auth/login', { login: loginName, password });
  setSession(data);
  addDisplayName();
  return me;
}

/** Ends the session on the server (when it still exists) and here. */
export async function logout() {
  try {
    if (me) await post('/auth/logout', {});
  } catch {
    /* The session may have ended already: it is over either way. */
  }
  setSession(null);
}

/** The session is over (expired): forget it here without asking the server. */
export function dropSession() {
  setSession(null);
}

/**
 * Wires the API's session refusals: onUnauthenticated(err, hadSession),
 * onPasswordChange(err), onIdleTimeout().
 */
export function installHooks({ onUnauthenticated, onPasswordChange, onIdleTimeout }) {
  onIdle = () => {
    const had = Boolean(me);
    dropSession();
    if (had) onIdleTimeout();
  };
  setSessionHooks({
    unauthenticated(err) {
      const had = Boolean(me);
      dropSession();
      onUnauthenticated(err, had);
    },
    passwordChange(err) {
      if (me && !me.must_change_password) setSession({ ...me, must_change_password: true });
      onPasswordChange(err);
    },
    me(data) {
      // After a CSRF refusal the token was asked for again: keep the rest up to date too.
      if (me && data && data.user_id === me.user_id) setSession({ ...me, ...data });
    },
    activity: armIdle,
  });
}
