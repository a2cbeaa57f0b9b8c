// status.js - 查询我的诉求: a resident, without an account, follows their request with its number and the
// last four digits of the phone they gave (POST /public/status): the stages with their times, the deadline
// and the reply; when a rating is due they rate the answer here (POST /public/rating) — the callback
// without a phone call.  Nothing personal is shown: the server sends none.

import { h, replace, append, announce, newId } from '../dom.js';
import { t, fmtDateTime } from '../i18n.js';
import { post } from '../api.js';
import { field, form, pageTitle, section } from '../ui.js';
import { stateLabel, typeLabel, satisfactionLabel, SATISFACTIONS } from '../wo.js';

export async function render({ outlet }) {
  const title = t('status.title');
  const result = h('div', { 'aria-live': 'polite' });
  const number = field({ name: 'number', label: t('status.number'), required: true, hint: t('status.numberHint'),
    attrs: { autocomplete: 'off', spellcheck: 'false', maxlength: 40, lang: 'en' } });
  const last4 = field({ name: 'phone_last4', label: t('status.last4'), required: true, hint: t('status.last4Hint'),
    attrs: { inputmode: 'numeric', maxlength: 4, autocomplete: 'off', pattern: '[0-9]{4}' } });
  const f = form({
    fields: [number, last4],
    submitLabel: t('status.lookUp'),
    validate(v) {
      return /^\d{4}$/.test(v.phone_last4) ? {} : { phone_last4: t('status.last4Invalid') };
    },
    async onSubmit(v) {
      const st = await post('/public/status', { number: v.number, phone_last4: v.phone_last4 });
      show(result, st, v);
    },
  });
  replace(outlet, pageTitle(title), h('p.page__intro', t('status.intro')), f.el, result);
  return title;
}

function show(result, st, who) {
  const s = section(t('status.yourRequest', { number: st.number }), { id: 'status' });
  append(s.body, [
    h('p.status__state', t('status.state'), ' ', h('strong', stateLabel(st.state))),
    h('p', `${typeLabel(st.type)} · ${st.category}`),
    st.deadline ? h('p', t('status.deadline', { at: fmtDateTime(st.deadline) })) : null,
    h('ol.status__stages', st.stages.map((x) => h('li', h('span.status__stage', t(`status.stage.${x.stage}`)), ' ',
      h('span.muted', fmtDateTime(x.at))))),
    st.reply ? h('div.status__reply', h('h3', t('status.reply')), h('p', st.reply)) : null,
    st.satisfaction ? h('p', t('status.rated', { word: satisfactionLabel(st.satisfaction) })) : null,
    st.can_rate ? ratingForm(result, st, who) : null]);
  replace(result, s.el);
  s.el.querySelector('h2')?.setAttribute('tabindex', '-1');
  s.el.querySelector('h2')?.focus();
}

function ratingForm(result, st, who) {
  const legendId = newId('rate');
  const choices = SATISFACTIONS.map((v) => {
    const id = newId('sat');
    return { v, input: h('input', { type: 'radio', name: 'satisfaction', id, value: v, required: true }), id };
  });
  const err = h('p.field__error', { hidden: true, role: 'alert' });
  const button = h('button.btn', { type: 'submit' }, t('status.rate'));
  const el = h('form.form.status__rate', { novalidate: true, 'aria-labelledby': legendId },
    h('fieldset.field.fieldset', h('legend.field__label', { id: legendId }, t('status.rateQuestion')),
      choices.map((c) => h('div.field--check', c.input, h('label.field__label', { for: c.id }, satisfactionLabel(c.v))))),
    err, h('div.form__buttons', button));
  el.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const chosen = choices.find((c) => c.input.checked);
    if (!chosen) {
      err.hidden = false;
      replace(err, t('status.chooseOne'));
      return;
    }
    button.disabled = true;
    try {
      const after = await post('/public/rating', { number: st.number, phone_last4: who.phone_last4, satisfaction: chosen.v });
      show(result, after, who);
      announce(t('status.thanks'));
    } catch (e) {
      err.hidden = false;
      replace(err, e.message || t('status.rateFailed'));
      button.disabled = false;
    }
  });
  return el;
}
