// login.js - 登录: login name and password (POST /auth/login).  Shown whenever the
// API answers 401; ?next= is where the user was going, ?reason= why they are here
// (expired: the session ended after a while unused; logout: they logged out).

import { h, replace, announce } from '../dom.js';
import { t } from '../i18n.js';
import { ApiError } from '../api.js';
import { navigate, navigateTo, safeNext } from '../router.js';
import { current, login } from '../session.js';
import { field, form, pageTitle } from '../ui.js';

/** The server's lock message: "too many failed logins: try again in 15 minutes". */
function lockMinutes(err) {
  const m = /try again in (\d+) minute/.exec(err.message || '');
  return m ? Number(m[1]) : null;
}

export function showPasswordToggle(inputs) {
  const box = field({ name: 'show_password', label: t('auth.showPassword'), type: 'checkbox' });
  box.input.addEventListener('change', () => {
    inputs.forEach((input) => { input.type = box.input.checked ? 'text' : 'password'; });
  });
  box.el.classList.add('field--show-password');
  return box.el;
}

export async function render({ outlet, query }) {
  const next = safeNext(query.next);
  const me = current();
  if (me) {
    // Already logged in (another tab logged in, or the back button).
    if (me.must_change_password) navigate('/password', { next }, { replace: true });
    else navigateTo(next, { replace: true });
    return null;
  }
  const title = t('login.title');
  const notice = query.reason === 'expired'
    ? h('div.notice.notice--info', { role: 'status' }, h('p.notice__title', t('login.expired')), h('p', t('login.expiredHelp')))
    : query.reason === 'logout'
      ? h('div.notice.notice--ok', { role: 'status' }, h('p.notice__title', t('login.loggedOut')))
      : null;

  const loginF = field({
    name: 'login', label: t('login.login'), required: true, optionalMark: false,
    attrs: { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', maxlength: 64 },
  });
  const passwordF = field({
    name: 'password', label: t('login.password'), type: 'password', required: true,
    attrs: { autocomplete: 'current-password', maxlength: 128 },
  });
  const f = form({
    fields: [loginF, passwordF],
    submitLabel: t('login.submit'),
    async onSubmit(v, fm) {
      if (notice) notice.remove(); // said why they are here; now it is about this attempt
      try {
        const who = await login(v.login, v.password);
        announce(t('login.welcome', { name: who.display_name || who.login }));
        if (who.must_change_password) navigate('/password', { next }, { replace: true });
        else navigateTo(next, { replace: true });
      } catch (e) {
        if (!(e instanceof ApiError) || e.code !== 'login_failed') throw e;
        const minutes = lockMinutes(e);
        const text = minutes ? t('login.locked', { n: minutes }) : t('login.failed');
        replace(fm.status, h('div.notice.notice--error', { role: 'alert' }, h('p.notice__title', text),
          h('p', minutes ? t('login.lockedHelp') : t('login.failedHelp'))));
        passwordF.setValue('');
        (minutes ? loginF : passwordF).input.focus();
        announce(text);
      }
    },
  });
  f.el.insertBefore(showPasswordToggle([passwordF.input]), f.el.querySelector('.form__buttons'));
  f.el.setAttribute('aria-labelledby', 'login-title');

  const heading = pageTitle(title);
  heading.id = 'login-title';
  replace(outlet, h('div.auth-card',
    heading,
    h('p.page__intro', t('login.intro')),
    notice,
    f.el,
    h('p.hint', t('login.forgot'))));
  if (!query.reason) window.setTimeout(() => loginF.input.focus(), 0);
  return title;
}
