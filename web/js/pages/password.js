// password.js - 修改密码 (POST /auth/password {old_password, password}).  Forced at
// the first login and after an administrator's reset (the server answers 403
// password_change_required to everything else); also open to anyone from the header.

import { h, replace, announce } from '../dom.js';
import { t } from '../i18n.js';
import { post, ApiError } from '../api.js';
import { navigateTo, safeNext } from '../router.js';
import { current, loadSession } from '../session.js';
import { field, form, pageTitle } from '../ui.js';
import { showPasswordToggle } from './login.js';

/* The server's policy (auth/session.c password_policy_check), checked here first. */
const RULES = [
  { key: 'length', test: (pw) => [...pw].length >= 8 },
  { key: 'classes', test: (pw) => classes(pw) >= 3 },
  { key: 'login', test: (pw, login) => !login || login.length < 3 || !pw.toLowerCase().includes(login.toLowerCase()) },
];

function classes(pw) {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (const ch of pw) {
    if (/[a-z]/.test(ch)) lower = 1;
    else if (/[A-Z]/.test(ch)) upper = 1;
    else if (/[0-9]/.test(ch)) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

/** The catalogue key for the server's words about a refused password. */
function serverReason(err) {
  const m = err.message || '';
  if (err.field === 'old_password') return 'password.err.oldWrong';
  if (/at least 8/.test(m)) return 'password.err.length';
  if (/longer than/.test(m)) return 'password.err.tooLong';
  if (/3 of/.test(m)) return 'password.err.classes';
  if (/login name/.test(m)) return 'password.err.login';
  if (/differ/.test(m)) return 'password.err.same';
  return 'password.err.invalid';
}

export async function render({ outlet, query }) {
  const me = current();
  const forced = Boolean(me && me.must_change_password);
  const next = safeNext(query.next);
  const title = forced ? t('password.titleForced') : t('password.title');
  const login = me ? me.login : '';

  const oldF = field({
    name: 'old_password', label: forced ? t('password.oldForced') : t('password.old'), type: 'password', required: true,
    attrs: { autocomplete: 'current-password', maxlength: 128 },
  });
  const rulesId = 'password-rules';
  const ruleItems = RULES.map((r) => h('li.pw-rules__item', { dataset: { rule: r.key } },
    h('span.pw-rules__mark', { 'aria-hidden': 'true' }), t(`password.rule.${r.key}`, { login }),
    h('span.sr-only.pw-rules__state')));
  const newF = field({
    name: 'password', label: t('password.new'), type: 'password', required: true,
    attrs: { autocomplete: 'new-password', maxlength: 128 },
    extra: h('div.pw-rules', h('p.pw-rules__title', { id: rulesId }, t('password.rulesTitle')), h('ul.pw-rules__list', ruleItems)),
  });
  newF.input.setAttribute('aria-describedby', `${rulesId} ${newF.input.getAttribute('aria-describedby')}`);
  // The rules sit between the label and the error: move them above the input.
  newF.el.insertBefore(newF.el.querySelector('.pw-rules'), newF.input);
  const repeatF = field({
    name: 'password2', label: t('password.repeat'), type: 'password', required: true,
    attrs: { autocomplete: 'new-password', maxlength: 128 },
  });

  function markRules() {
    const pw = newF.input.value;
    RULES.forEach((r, i) => {
      const ok = pw !== '' && r.test(pw, login);
      ruleItems[i].classList.toggle('is-met', ok);
      ruleItems[i].querySelector('.pw-rules__state').textContent = ok ? t('password.ruleMet') : '';
    });
  }
  newF.input.addEventListener('input', markRules);

  const f = form({
    fields: [oldF, newF, repeatF],
    submitLabel: t('password.submit'),
    validate(v) {
      const e = {};
      const broken = v.password ? RULES.find((r) => !r.test(v.password, login)) : null;
      if (broken) e.password = t(`password.err.${broken.key}`, { login });
      else if (v.password && v.password === v.old_password) e.password = t('password.err.same');
      if (v.password2 && v.password2 !== v.password) e.password2 = t('password.err.repeat');
      return e;
    },
    async onSubmit(v, fm) {
      try {
        await post('/auth/password', { old_password: v.old_password, password: v.password });
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 400 || (e.field !== 'password' && e.field !== 'old_password')) throw e;
        const target = e.field === 'old_password' ? oldF : newF;
        const message = t(serverReason(e), { login });
        target.setError(message);
        target.input.focus();
        announce(message);
        return;
      }
      // The must-change flag is off now: ask again who is logged in.
      await loadSession();
      if (forced) {
        announce(t('password.changed'));
        navigateTo(next, { replace: true });
        return;
      }
      fm.reset();
      markRules();
      fm.success(t('password.changed'));
    },
  });
  f.el.insertBefore(showPasswordToggle([oldF.input, newF.input, repeatF.input]), f.el.querySelector('.form__buttons'));

  replace(outlet, h('div.auth-card',
    pageTitle(title),
    forced
      ? h('div.notice.notice--info', { role: 'status' }, h('p.notice__title', t('password.forcedWhy')), h('p', t('password.forcedHelp')))
      : h('p.page__intro', t('password.intro')),
    f.el,
    h('p.hint', t('password.keepSecret'))));
  return title;
}
