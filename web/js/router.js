// router.js - the hash router: #/path/with/:params?query=string.
//
// A route's render(ctx) gets {params, query, outlet, signal, path}; the signal
// aborts when the user navigates away so a late answer never paints a page that
// is no longer shown.  render may return a title (already translated).

const routes = [];
let current = null;
let outlet = null;
let notFound = null;
let guard = null;
const afterHooks = [];

function compile(pattern) {
  const names = [];
  const re = pattern.replace(/\/:(\w+)/g, (m, name) => {
    names.push(name);
    return '/([^/]+)';
  });
  return { re: new RegExp(`^${re}/?$`), names };
}

/** Registers a page: route('/org/node/:id', {render, nav: 'org'}). */
export function route(pattern, page) {
  routes.push({ pattern, ...compile(pattern), page });
}

export function setNotFound(page) {
  notFound = page;
}

/**
 * guard(page, path, query) runs before every render: it returns null to go on,
 * or {path, query} to go there instead (the address is replaced, not added).
 */
export function setGuard(fn) {
  guard = fn;
}

/** The current address as "/path?query" (what a login page remembers). */
export function currentTarget() {
  const raw = window.location.hash.replace(/^#/, '') || '/';
  return raw.startsWith('/') ? raw : `/${raw}`;
}

/** A "next" address from a query, accepted only as an in-app path (never the login page). */
export function safeNext(next) {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//')) return '/';
  const path = next.split('?')[0];
  return path === '/login' || path === '/password' ? '/' : next;
}

/** Goes to "/path?query" as remembered by currentTarget(). */
export function navigateTo(target, opts) {
  const { path, query } = parseHash(`#${safeNext(target)}`);
  navigate(path, query, opts);
}

export function afterRender(fn) {
  afterHooks.push(fn);
}

export function parseHash(hash = window.location.hash) {
  const raw = hash.replace(/^#/, '') || '/';
  const qi = raw.indexOf('?');
  const path = qi >= 0 ? raw.slice(0, qi) : raw;
  const query = Object.fromEntries(new URLSearchParams(qi >= 0 ? raw.slice(qi + 1) : ''));
  return { path: path.startsWith('/') ? path : `/${path}`, query };
}

/** '#/persons?q=x' from a path and a query object (empty values skipped). */
export function href(path, query = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

export function navigate(path, query, { replace = false } = {}) {
  const target = href(path, query);
  if (replace) {
    window.history.replaceState(null, '', target);
    render();
  } else if (window.location.hash === target) {
    render();
  } else {
    window.location.hash = target;
  }
}

/** Re-renders the current page (after a language switch or a save). */
export function refresh({ keepFocus = false } = {}) {
  return render({ keepFocus });
}

function match(path) {
  for (const r of routes) {
    const m = r.re.exec(path);
    if (m) {
      const params = {};
      r.names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
      return { page: r.page, params };
    }
  }
  return { page: notFound, params: {} };
}

async function render({ keepFocus = false } = {}) {
  const { path, query } = parseHash();
  const { page, params } = match(path);
  const redirect = guard ? guard(page, path, query) : null;
  if (redirect) {
    window.history.replaceState(null, '', href(redirect.path, redirect.query || {}));
    return render({ keepFocus });
  }
  if (current) current.abort();
  const controller = new AbortController();
  current = controller;
  const scrollY = window.scrollY;
  outlet.setAttribute('aria-busy', 'true');
  const view = newView(controller);
  let title = null;
  try {
    title = await page.render({ params, query, outlet: view, signal: controller.signal, path });
  } catch (e) {
    // Moved on meanwhile (a 401 sends the user to the login page): paint nothing.
    if ((e && e.name === 'AbortError') || controller.signal.aborted) return;
    if (!e || e.name !== 'ApiError') console.error(e);
    if (page.fail) page.fail(view, e);
  }
  if (controller.signal.aborted) return;
  showView(view);
  outlet.setAttribute('aria-busy', 'false');
  afterHooks.forEach((fn) => fn({ page, path, params, query, title, keepFocus }));
  if (keepFocus) window.scrollTo(0, scrollY);
}

/*
 * Each render paints into a view of its own, shown in place of the last one as
 * soon as it has content (so a re-render does not flash an empty page).  A render
 * that was overtaken (the user moved on, or a 401 sent them to the login page)
 * keeps painting into its view, which is never shown.
 */
function newView(controller) {
  const view = document.createElement('div');
  view.className = 'view';
  const observer = new MutationObserver(() => {
    observer.disconnect();
    if (!controller.signal.aborted) showView(view);
  });
  observer.observe(view, { childList: true });
  controller.signal.addEventListener('abort', () => observer.disconnect());
  return view;
}

function showView(view) {
  if (view.parentNode === outlet) return;
  while (outlet.firstChild) outlet.removeChild(outlet.firstChild);
  outlet.appendChild(view);
}

export function start(el) {
  outlet = el;
  window.addEventListener('hashchange', () => render());
  return render();
}
