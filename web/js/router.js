// router.js - the hash router: #/path/with/:params?query=string.
//
// A route's render(ctx) gets {params, query, outlet, signal, path}; the signal
// aborts when the user navigates away so a late answer never paints a page that
// is no longer shown.  render may return a title (already translated).

const routes = [];
let current = null;
let outlet = null;
let notFound = null;
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
  if (current) current.abort();
  const controller = new AbortController();
  current = controller;
  const scrollY = window.scrollY;
  outlet.setAttribute('aria-busy', 'true');
  let title = null;
  try {
    title = await page.render({ params, query, outlet, signal: controller.signal, path });
  } catch (e) {
    if (e && e.name === 'AbortError') return;
    if (!e || e.name !== 'ApiError') console.error(e);
    if (page.fail) page.fail(outlet, e);
  }
  if (controller.signal.aborted) return;
  outlet.setAttribute('aria-busy', 'false');
  afterHooks.forEach((fn) => fn({ page, path, params, query, title, keepFocus }));
  if (keepFocus) window.scrollTo(0, scrollY);
}

export function start(el) {
  outlet = el;
  window.addEventListener('hashchange', () => render());
  return render();
}
