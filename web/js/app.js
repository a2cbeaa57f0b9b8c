// app.js - the entry point: preferences, the session, navigation, routes.
//
// To add a page: write js/pages/<name>.js exporting render(ctx), add its routes
// below with the permissions it needs (needs: [...]) and, if it has a menu entry,
// a line in NAV with its catalogue key and permissions.

import { t, getLocale, setLocale, onLocaleChange, translateStatic } from './i18n.js';
import { getPref, setPref } from './prefs.js';
import { h, replace, clear } from './dom.js';
import { route, setNotFound, setGuard, start, refresh, afterRender, navigate, parseHash, currentTarget, safeNext } from './router.js';
import { errorState, pageTitle, loadingState } from './ui.js';
import { current, can, loadSession, logout, installHooks, onSessionChange } from './session.js';
import { accessRoleLabel } from './labels.js';
import { get } from './api.js';
import { resetTreeState } from './components/tree.js';
import * as loginPage from './pages/login.js';
import * as passwordPage from './pages/password.js';
import * as orgPage from './pages/org.js';
import * as nodePage from './pages/node.js';
import * as personsPage from './pages/persons.js';
import * as personPage from './pages/person.js';
import * as coveragePage from './pages/coverage.js';
import * as usersPage from './pages/users.js';
import * as userPage from './pages/user.js';
import * as auditPage from './pages/audit.js';
import * as tasksPage from './pages/tasks.js';
import * as ordersPage from './pages/orders.js';
import * as orderPage from './pages/order.js';
import * as newOrderPage from './pages/new-order.js';
import * as pressurePage from './pages/pressure.js';
import * as dashboardPage from './pages/dashboard.js';
import * as rolesPage from './pages/roles.js';
import * as woConfigPage from './pages/wo-config.js';
import * as importJobsPage from './pages/import-jobs.js';
import * as statusPage from './pages/status.js';
import * as projectsPage from './pages/projects.js';
import * as projectPage from './pages/project.js';
import * as enterprisesPage from './pages/enterprises.js';
import * as enterprisePage from './pages/enterprise.js';
import * as meetingsPage from './pages/meetings.js';
import * as meetingPage from './pages/meeting.js';
import * as economyPage from './pages/economy.js';
import * as cobuildProjectsPage from './pages/cobuild-projects.js';
import * as cobuildProjectPage from './pages/cobuild-project.js';
import * as needsPage from './pages/needs.js';
import * as unitsPage from './pages/units.js';
import * as unitPage from './pages/unit.js';
import * as partyPage from './pages/party.js';
import * as councilsPage from './pages/councils.js';
import * as councilPage from './pages/council.js';
import * as councilProposalPage from './pages/council-proposal.js';
import * as noticesPage from './pages/notices.js';
import * as boardPage from './pages/board.js';
import * as mediationsPage from './pages/mediations.js';
import * as volunteersPage from './pages/volunteers.js';
import * as volunteerTeamsPage from './pages/volunteer-teams.js';
import * as volunteerTeamPage from './pages/volunteer-team.js';
import * as volunteerRosterPage from './pages/volunteer-roster.js';
import * as volunteerShiftPage from './pages/volunteer-shift.js';
import * as volunteerPersonPage from './pages/volunteer-person.js';
import * as volunteerShopPage from './pages/volunteer-shop.js';
import * as volunteerPatrolsPage from './pages/volunteer-patrols.js';
import * as volunteerFiguresPage from './pages/volunteer-figures.js';

/** The menu: id (matched against a page's nav), address, catalogue key, permissions needed. */
const NAV = [
  { id: 'tasks', href: '#/tasks', key: 'nav.tasks', needs: ['tasks.read'] },
  { id: 'new', href: '#/orders/new', key: 'nav.new', needs: ['workorder.create'] },
  { id: 'orders', href: '#/orders', key: 'nav.orders', needs: ['workorder.read'] },
  { id: 'dashboard', href: '#/dashboard', key: 'nav.dashboard', needs: ['workorder.stats'] },
  { id: 'pressure', href: '#/pressure', key: 'nav.pressure', needs: ['workorder.read'] },
  { id: 'projects', href: '#/projects', key: 'nav.projects', needs: ['project.read'] },
  { id: 'meetings', href: '#/meetings', key: 'nav.meetings', needs: ['project.read'] },
  { id: 'volunteers', href: '#/volunteers', key: 'nav.volunteers', needs: ['volunteer.read'] },
  { id: 'org', href: '#/org', key: 'nav.org', needs: ['org.read'] },
  { id: 'persons', href: '#/persons', key: 'nav.persons', needs: ['people.read'] },
  { id: 'enterprises', href: '#/enterprises', key: 'nav.enterprises', needs: ['enterprise.read'] },
  { id: 'economy', href: '#/economy', key: 'nav.economy', needs: ['enterprise.read'] },
  { id: 'cobuild', href: '#/cobuild', key: 'nav.cobuild', needs: ['cobuild.read'] },
  { id: 'party', href: '#/party', key: 'nav.party', needs: ['party.read'] },
  { id: 'coverage', href: '#/coverage', key: 'nav.coverage', needs: ['people.read', 'org.read'] },
  { id: 'roles', href: '#/roles', key: 'nav.roles', needs: ['people.read', 'users.read'] },
  { id: 'audit', href: '#/audit', key: 'nav.audit', needs: ['audit.read'] },
  { id: 'users', href: '#/users', key: 'nav.users', needs: ['users.read'] },
  { id: 'wo-config', href: '#/wo-config', key: 'nav.woConfig', needs: ['workorder.config'] },
  { id: 'jobs', href: '#/import-jobs', key: 'nav.jobs', needs: ['import.jobs'] },
  { id: 'councils', href: '#/councils', key: 'nav.councils', needs: ['council.read'] },
  { id: 'notices', href: '#/notices', key: 'nav.notices', needs: ['council.read'] },
  { id: 'mediation', href: '#/mediation', key: 'nav.mediation', needs: ['mediation.read'] },
];

const allowed = (needs) => (needs || []).every((p) => can(p));
const fail = (outlet, e) => replace(outlet, errorState(e, { retry: () => refresh() }));

/** A page the user's role may not open: says so instead of showing refusals. */
function forbiddenPage(outlet) {
  const me = current();
  replace(outlet, pageTitle(t('forbidden.title')),
    h('div.notice.notice--info', { role: 'status' },
      h('p.notice__title', t('forbidden.text', { role: accessRoleLabel(me && me.role) })),
      h('p', t('forbidden.help'))),
    h('p', h('a', { href: '#/' }, t('forbidden.home'))));
  return t('forbidden.title');
}

/** route() with a permission check: needs lists what the page cannot work without. */
function page(pattern, { needs = [], nav, render }) {
  route(pattern, {
    nav, fail, needs,
    render: (ctx) => (allowed(needs) ? render(ctx) : forbiddenPage(ctx.outlet)),
  });
}

route('/login', { public: true, nav: null, render: loginPage.render, fail });
route('/status', { public: true, nav: null, render: statusPage.render, fail });
route('/board/:id', { public: true, nav: null, render: boardPage.render, fail });
route('/password', { passwordPage: true, nav: null, render: passwordPage.render, fail });
route('/', {
  nav: null,
  render({ outlet }) {
    const first = NAV.find((item) => allowed(item.needs));
    if (first) {
      navigate(first.href.slice(1), {}, { replace: true });
      return null;
    }
    return forbiddenPage(outlet);
  },
});
page('/tasks', { nav: 'tasks', needs: ['tasks.read'], render: tasksPage.render });
page('/orders', { nav: 'orders', needs: ['workorder.read'], render: ordersPage.render });
page('/orders/new', { nav: 'new', needs: ['workorder.create'], render: newOrderPage.render });
page('/orders/:id', { nav: 'orders', needs: ['workorder.read'], render: orderPage.render });
page('/dashboard', { nav: 'dashboard', needs: ['workorder.stats'], render: dashboardPage.render });
page('/pressure', { nav: 'pressure', needs: ['workorder.read'], render: pressurePage.render });
page('/org', { nav: 'org', needs: ['org.read'], render: orgPage.render });
page('/org/node/:id', { nav: 'org', needs: ['org.read'], render: nodePage.render });
page('/persons', { nav: 'persons', needs: ['people.read'], render: personsPage.render });
page('/persons/:id', { nav: 'persons', needs: ['people.read'], render: personPage.render });
page('/coverage', { nav: 'coverage', needs: ['people.read', 'org.read'], render: coveragePage.render });
page('/coverage/:id', { nav: 'coverage', needs: ['people.read', 'org.read'], render: coveragePage.render });
page('/users', { nav: 'users', needs: ['users.read'], render: usersPage.render });
page('/users/:id', { nav: 'users', needs: ['users.read'], render: userPage.render });
page('/roles', { nav: 'roles', needs: ['people.read'], render: rolesPage.render });
page('/enterprises', { nav: 'enterprises', needs: ['enterprise.read'], render: enterprisesPage.render });
page('/enterprises/:id', { nav: 'enterprises', needs: ['enterprise.read'], render: enterprisePage.render });
page('/economy', { nav: 'economy', needs: ['enterprise.read'], render: economyPage.render });
page('/audit', { nav: 'audit', needs: ['audit.read'], render: auditPage.render });
page('/wo-config', { nav: 'wo-config', needs: ['workorder.config'], render: woConfigPage.render });
page('/import-jobs', { nav: 'jobs', needs: ['import.jobs'], render: importJobsPage.render });
page('/projects', { nav: 'projects', needs: ['project.read'], render: projectsPage.render });
page('/projects/:id', { nav: 'projects', needs: ['project.read'], render: projectPage.render });
page('/meetings', { nav: 'meetings', needs: ['project.read'], render: meetingsPage.render });
page('/meetings/:id', { nav: 'meetings', needs: ['project.read'], render: meetingPage.render });
page('/cobuild', { nav: 'cobuild', needs: ['cobuild.read'], render: cobuildProjectsPage.render });
page('/cobuild/projects/:id', { nav: 'cobuild', needs: ['cobuild.read'], render: cobuildProjectPage.render });
page('/cobuild/needs', { nav: 'cobuild', needs: ['cobuild.read'], render: needsPage.render });
page('/cobuild/units', { nav: 'cobuild', needs: ['cobuild.read'], render: unitsPage.render });
page('/cobuild/units/:id', { nav: 'cobuild', needs: ['cobuild.read'], render: unitPage.render });
page('/party', { nav: 'party', needs: ['party.read'], render: partyPage.render });
page('/councils', { nav: 'councils', needs: ['council.read'], render: councilsPage.render });
page('/councils/:id', { nav: 'councils', needs: ['council.read'], render: councilPage.render });
page('/council-proposals/:id', { nav: 'councils', needs: ['council.read'], render: councilProposalPage.render });
page('/notices', { nav: 'notices', needs: ['council.read'], render: noticesPage.render });
page('/mediation', { nav: 'mediation', needs: ['mediation.read'], render: mediationsPage.render });
page('/mediation/:id', { nav: 'mediation', needs: ['mediation.read'], render: mediationsPage.render });
page('/volunteers', { nav: 'volunteers', needs: ['volunteer.read'], render: volunteersPage.render });
page('/volunteers/teams', { nav: 'volunteers', needs: ['volunteer.read'], render: volunteerTeamsPage.render });
page('/volunteers/teams/:id', { nav: 'volunteers', needs: ['volunteer.read'], render: volunteerTeamPage.render });
page('/volunteers/teams/:id/roster', { nav: 'volunteers', needs: ['volunteer.read'], render: volunteerRosterPage.render });
page('/volunteers/shifts/:id', { nav: 'volunteers', needs: ['volunteer.read'], render: volunteerShiftPage.render });
page('/volunteers/people/:id', { nav: 'volunteers', needs: ['volunteer.read'], render: volunteerPersonPage.render });
page('/volunteers/shop', { nav: 'volunteers', needs: ['volunteer.read'], render: volunteerShopPage.render });
page('/volunteers/patrols', { nav: 'volunteers', needs: ['volunteer.read'], render: volunteerPatrolsPage.render });
page('/volunteers/patrols/:id', { nav: 'volunteers', needs: ['volunteer.read'], render: volunteerPatrolsPage.render });
page('/volunteers/figures', { nav: 'volunteers', needs: ['volunteer.read'], render: volunteerFiguresPage.render });
setNotFound({
  nav: null,
  render({ outlet }) {
    replace(outlet, pageTitle(t('notFound.title')), h('p', t('notFound.text')), h('p', h('a', { href: '#/' }, t('notFound.home'))));
    return t('notFound.title');
  },
});

/**
 * Where the user was going: the current address, or, on the login and password
 * pages, the address they remember.  Never the login page itself.
 */
function target() {
  const { path, query } = parseHash();
  if (path === '/login' || path === '/password') return safeNext(query.next);
  return currentTarget();
}

setGuard((pg) => {
  if (pg.public) return null;
  const me = current();
  if (!me) return { path: '/login', query: { next: target() } };
  if (me.must_change_password && !pg.passwordPage) return { path: '/password', query: { next: target() } };
  return null;
});

/* The session's end, however it comes: after the request that met it has painted its error. */
let leaving = false;
function toLogin(reason) {
  if (leaving) return;
  leaving = true;
  window.setTimeout(() => {
    leaving = false;
    if (parseHash().path === '/login') return;
    navigate('/login', { next: target(), reason }, { replace: true });
  }, 0);
}

installHooks({
  onUnauthenticated(err, hadSession) {
    toLogin(hadSession || /expired/i.test(err.message) ? 'expired' : '');
  },
  onPasswordChange() {
    window.setTimeout(() => {
      if (parseHash().path !== '/password') navigate('/password', { next: target() }, { replace: true });
    }, 0);
  },
  onIdleTimeout() {
    toLogin('expired');
  },
});

/* Header: the user, the menu. */

async function doLogout(ev) {
  const btn = ev.currentTarget;
  btn.disabled = true;
  await logout();
  navigate('/login', { reason: 'logout' }, { replace: true });
}

function renderUser(me) {
  const box = document.getElementById('user-box');
  if (!me) {
    box.hidden = true;
    clear(box);
    return;
  }
  const name = me.display_name || me.login;
  replace(box,
    // aria-label is not allowed on a paragraph (axe: aria-prohibited-attr): the sentence is text for screen readers.
    h('p.user-chip',
      h('span.sr-only', t('auth.signedInAs', { name, role: accessRoleLabel(me.role) })),
      h('span.user-chip__name', { 'aria-hidden': 'true' }, name),
      h('span.user-chip__role', { 'aria-hidden': 'true' }, accessRoleLabel(me.role))),
    h('span.user-actions',
      me.must_change_password ? null : h('a.tool-btn', { href: '#/password' }, t('auth.changePassword')),
      h('button.tool-btn', { type: 'button', onclick: doLogout }, t('auth.logout'))));
  box.hidden = false;
}

function renderNav(activeId) {
  const nav = document.getElementById('site-nav');
  const ul = document.getElementById('nav-list');
  const me = current();
  const items = me && !me.must_change_password ? NAV.filter((item) => allowed(item.needs)) : [];
  nav.hidden = !items.length;
  replace(ul, items.map((item) => h('li', h('a.site-nav__link', {
    href: item.href,
    'aria-current': item.id === activeId ? 'page' : null,
  }, t(item.key)))));
}

let lastNav = null;
let firstRender = true;
afterRender(({ page: pg, keepFocus }) => {
  lastNav = pg ? pg.nav : null;
  renderNav(lastNav);
  if (firstRender) {
    firstRender = false;
    return;
  }
  if (!keepFocus) {
    const heading = document.querySelector('#main h1');
    (heading || document.getElementById('main')).focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
});

/*
 * The calendar banner, for those who load calendars: from 1 November, while next year's official
 * holidays are not loaded (or this year's), deadlines reaching into that year are provisional.
 */
let bannerYear = null;
function showBanner() {
  const box = document.getElementById('site-banner');
  if (!bannerYear) {
    box.hidden = true;
    clear(box);
    return;
  }
  replace(box, h('div.notice.notice--warn', { role: 'note' },
    h('p.notice__title', t('calendar.awaiting.title', { year: bannerYear })),
    h('p', t('calendar.awaiting.text', { year: bannerYear })),
    h('p.notice__detail', h('code', `yuanluo calendar load --dry-run ${bannerYear}.csv`), ' · ',
      h('code', `PUT /api/v1/calendar/${bannerYear}`))));
  box.hidden = false;
}
async function renderBanner(me) {
  bannerYear = null;
  if (me && !me.must_change_password && can('calendar.admin')) {
    try {
      bannerYear = (await get('/calendar', { limit: 1 }, undefined, { quiet: true })).awaiting || null;
    } catch {
      bannerYear = null; // the banner is a reminder: a failure to ask must not stop the page
    }
  }
  showBanner();
}

onSessionChange((me) => {
  if (!me) resetTreeState(); // the next user may work elsewhere in the tree
  renderUser(me);
  renderNav(lastNav);
  renderBanner(me);
});

function applyLargeText() {
  const on = getPref('largeText') === '1';
  document.documentElement.classList.toggle('large-text', on);
  document.getElementById('toggle-large').setAttribute('aria-pressed', String(on));
}

function applyLangButton() {
  const btn = document.getElementById('toggle-lang');
  const other = getLocale() === 'zh-CN' ? 'en' : 'zh-CN';
  btn.textContent = t('app.switchLang');
  btn.setAttribute('lang', other === 'en' ? 'en' : 'zh-CN');
  btn.setAttribute('aria-label', t('app.switchLangLabel'));
}

/** Asks who is logged in, then starts the router; a network failure offers a retry. */
async function boot(main) {
  replace(main, loadingState());
  try {
    await loadSession();
  } catch (e) {
    replace(main, errorState(e, { retry: () => boot(main) }));
    main.setAttribute('aria-busy', 'false');
    return;
  }
  start(main);
}

function init() {
  translateStatic();
  // The skip link must not change the hash (the router owns it).
  document.querySelector('.skip-link').addEventListener('click', (ev) => {
    ev.preventDefault();
    const heading = document.querySelector('#main h1');
    (heading || document.getElementById('main')).focus();
  });
  applyLargeText();
  applyLangButton();
  document.getElementById('toggle-large').addEventListener('click', () => {
    setPref('largeText', getPref('largeText') === '1' ? '0' : '1');
    applyLargeText();
  });
  document.getElementById('toggle-lang').addEventListener('click', () => {
    setLocale(getLocale() === 'zh-CN' ? 'en' : 'zh-CN');
  });
  onLocaleChange(() => {
    translateStatic();
    applyLangButton();
    renderUser(current());
    renderNav(lastNav);
    showBanner();
    refresh({ keepFocus: true }).then(() => document.getElementById('toggle-lang').focus());
  });
  boot(document.getElementById('main'));
}

init();
