// app.js - the entry point: preferences, navigation, routes.
//
// To add a page (work orders, dashboards, login …): write js/pages/<name>.js
// exporting render(ctx), add its routes below and, if it has a menu entry, a
// line in NAV with its catalogue key.

import { t, getLocale, setLocale, onLocaleChange, translateStatic } from './i18n.js';
import { getPref, setPref } from './prefs.js';
import { h, replace } from './dom.js';
import { route, setNotFound, start, refresh, afterRender, navigate } from './router.js';
import { errorState, pageTitle } from './ui.js';
import * as orgPage from './pages/org.js';
import * as nodePage from './pages/node.js';
import * as personsPage from './pages/persons.js';
import * as personPage from './pages/person.js';
import * as coveragePage from './pages/coverage.js';

/** The menu: id (matched against a page's nav), address, catalogue key. */
const NAV = [
  { id: 'org', href: '#/org', key: 'nav.org' },
  { id: 'persons', href: '#/persons', key: 'nav.persons' },
  { id: 'coverage', href: '#/coverage', key: 'nav.coverage' },
];

const fail = (outlet, e) => replace(outlet, errorState(e, { retry: () => refresh() }));

route('/', { nav: 'org', render: () => { navigate('/org', {}, { replace: true }); return null; } });
route('/org', { nav: 'org', render: orgPage.render, fail });
route('/org/node/:id', { nav: 'org', render: nodePage.render, fail });
route('/persons', { nav: 'persons', render: personsPage.render, fail });
route('/persons/:id', { nav: 'persons', render: personPage.render, fail });
route('/coverage', { nav: 'coverage', render: coveragePage.render, fail });
route('/coverage/:id', { nav: 'coverage', render: coveragePage.render, fail });
setNotFound({
  nav: null,
  render({ outlet }) {
    replace(outlet, pageTitle(t('notFound.title')), h('p', t('notFound.text')), h('p', h('a', { href: '#/org' }, t('notFound.home'))));
    return t('notFound.title');
  },
});

function renderNav(activeId) {
  const ul = document.getElementById('nav-list');
  replace(ul, NAV.map((item) => h('li', h('a.site-nav__link', {
    href: item.href,
    'aria-current': item.id === activeId ? 'page' : null,
  }, t(item.key)))));
}

let lastNav = null;
let firstRender = true;
afterRender(({ page, keepFocus }) => {
  lastNav = page ? page.nav : null;
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
    renderNav(lastNav);
    refresh({ keepFocus: true }).then(() => document.getElementById('toggle-lang').focus());
  });
  start(document.getElementById('main'));
}

init();
