// person.js - one person: who they are, where they live, party membership (双找)
// and the roles they hold or held; a form to correct the record.

import { h, replace, announce } from '../dom.js';
import { t, fmtDate, fmtDateTime, today } from '../i18n.js';
import { get, list, post, patch, getNode, getRoles } from '../api.js';
import { refresh } from '../router.js';
import { roleName, genderLabel, maskPhone, idNumberValid } from '../labels.js';
import { can } from '../session.js';
import { pageTitle, section, dl, badge, field, form, disclosure, loadInto, emptyState, errorState, loadingState, refreshAndFocus } from '../ui.js';
import { nodePicker } from '../components/picker.js';
import { placeName, nodesById } from '../format.js';

export async function render({ outlet, params, signal }) {
  const id = Number(params.id);
  replace(outlet, loadingState());
  let p;
  try {
    p = await get(`/persons/${id}`, null, signal);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(outlet, h('nav.breadcrumb', { 'aria-label': t('node.breadcrumb') }, h('ol', h('li', h('a', { href: '#/persons' }, t('nav.persons'))))),
      pageTitle(t('person.title')), errorState(e, { retry: () => refresh() }));
    return t('person.title');
  }
  const home = p.home_node_id ? await getNode(p.home_node_id).catch(() => null) : null;

  const crumbs = h('nav.breadcrumb', { 'aria-label': t('node.breadcrumb') }, h('ol',
    h('li', h('a', { href: '#/persons' }, t('nav.persons'))),
    h('li', h('span', { 'aria-current': 'page' }, p.name))));
  const grid = h('div.sections', factsSection(p, home), sensitiveSection(p), partySection(p), rolesSection(p, signal));
  replace(outlet, crumbs,
    h('div.page__head', pageTitle(p.name), h('p.page__badges', p.party_member ? badge(t('person.partyMember'), 'party') : null,
      (p.tags || []).map((tg) => badge(tg)))),
    grid);
  return p.name;
}

/** POST /persons/{id}/reveal: the fields in full; the server records who asked. */
function reveal(p, fields) {
  return post(`/persons/${p.id}/reveal`, { fields });
}

/**
 * A masked value and, for those allowed, a button that asks for it in full
 * (field: 'phone' or 'id_number'); show(value) builds what replaces the mask.
 */
function maskedWithReveal(p, { fieldName, masked, buttonLabel, ariaLabel, show }) {
  const value = h(fieldName === 'phone' ? 'span.phone' : 'span.phone.idno', masked);
  if (!can('people.reveal')) return value;
  const status = h('span.phone__status', { 'aria-live': 'polite' });
  const btn = h('button.btn.btn--small.btn--secondary.no-print', { type: 'button', 'aria-label': ariaLabel }, buttonLabel);
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    try {
      const r = await reveal(p, [fieldName]);
      replace(value, r[fieldName] ? show(r[fieldName]) : t('common.none'));
      btn.remove();
      status.textContent = t('person.revealed');
    } catch (e) {
      btn.disabled = false;
      replace(status, errorState(e, { compact: true }));
    }
  });
  return h('span.phone-box', value, ' ', btn, status);
}

function phoneWithReveal(p) {
  return maskedWithReveal(p, {
    fieldName: 'phone',
    masked: maskPhone(p.phone),
    buttonLabel: t('person.revealPhone'),
    ariaLabel: t('person.revealPhoneLabel', { name: p.name }),
    show: (phone) => h('a', { href: `tel:${phone}` }, phone),
  });
}

function idWithReveal(p) {
  return maskedWithReveal(p, {
    fieldName: 'id_number',
    masked: p.id_number,
    buttonLabel: t('person.revealId'),
    ariaLabel: t('person.revealIdLabel', { name: p.name }),
    show: (id) => id,
  });
}

function factsSection(p, home) {
  const s = section(t('person.facts'));
  s.body.appendChild(dl([
    [t('person.field.gender'), genderLabel(p.gender)],
    [t('person.field.birthYear'), p.birth_year ? String(p.birth_year) : ''],
    [t('person.field.phone'), p.phone ? phoneWithReveal(p) : ''],
    [t('person.field.idNumber'), p.id_number ? idWithReveal(p) : ''],
    [t('person.field.home'), home ? h('a', { href: `#/org/node/${home.id}` }, placeName(home)) : (p.home_node_id ? String(p.home_node_id) : '')],
    [t('person.field.tags'), (p.tags || []).length ? h('span', (p.tags || []).map((tg) => badge(tg))) : ''],
    [t('node.field.created'), fmtDateTime(p.created_at)],
    [t('node.field.updated'), fmtDateTime(p.updated_at)],
  ]));
  if (p.phone || p.id_number) {
    s.body.appendChild(h('p.hint', can('people.reveal') ? t('person.phoneMasked') : t('person.maskedNoReveal')));
  }

  if (can('people.write')) s.body.appendChild(disclosure(t('person.edit'), editForm(p, home).el, { className: 'no-print' }));
  return s.el;
}

/* 敏感信息: health, disability, low income, key person.  Never in the person's
   record, only whether any is recorded (has_sensitive); shown on request. */

const yesNo = (v) => (v ? t('common.yes') : t('common.no'));

function sensitiveFacts(v) {
  return dl([
    [t('person.field.health'), v.health || ''],
    [t('person.field.disability'), v.disability || ''],
    [t('person.field.lowIncome'), yesNo(v.low_income)],
    [t('person.field.keyPerson'), yesNo(v.key_person)],
  ]);
}

function sensitiveSection(p) {
  const s = section(t('person.sensitive'));
  const shown = h('div', { 'aria-live': 'polite' });
  const editBox = h('div');
  let revealed = null;

  if (!p.has_sensitive) {
    s.body.appendChild(emptyState(t('person.sensitiveNone')));
  } else {
    s.body.appendChild(h('p', t('person.sensitiveRecorded')));
    if (can('people.reveal')) {
      const btn = h('button.btn.btn--secondary.no-print', { type: 'button', 'aria-label': t('person.revealSensitiveLabel', { name: p.name }) },
        t('person.revealSensitive'));
      const hide = h('button.btn.btn--secondary.btn--small.no-print', { type: 'button' }, t('person.hideSensitive'));
      hide.addEventListener('click', () => {
        replace(shown);
        hide.replaceWith(btn);
        btn.focus();
      });
      btn.addEventListener('click', async () => {
        btn.disabled = true;
        try {
          revealed = (await reveal(p, ['sensitive'])).sensitive || {};
          replace(shown, sensitiveFacts(revealed), h('p.hint', t('person.revealed')));
          btn.replaceWith(hide);
          hide.focus();
          announce(t('person.revealed'));
        } catch (e) {
          replace(shown, errorState(e, { compact: true }));
        } finally {
          btn.disabled = false;
        }
      });
      s.body.append(shown, btn);
    } else {
      s.body.appendChild(h('p.hint', t('person.sensitiveNoReveal')));
    }
  }
  s.body.appendChild(h('p.hint.privacy-note', t('person.sensitiveNote')));

  if (can('people.write')) {
    s.body.appendChild(disclosure(t('person.sensitiveEdit'), editBox, { className: 'no-print' }));
    if (!p.has_sensitive) {
      editBox.appendChild(sensitiveForm(p, { health: null, disability: null, low_income: false, key_person: false }).el);
    } else if (can('people.reveal')) {
      // To change what is recorded, see it first (that view is recorded too).
      const load = h('button.btn.btn--secondary', { type: 'button' }, t('person.sensitiveLoad'));
      load.addEventListener('click', async () => {
        load.disabled = true;
        try {
          const current = revealed || (await reveal(p, ['sensitive'])).sensitive || {};
          const f = sensitiveForm(p, current);
          replace(editBox, f.el);
          f.el.querySelector('textarea, input, select')?.focus();
        } catch (e) {
          load.disabled = false;
          editBox.appendChild(errorState(e, { compact: true }));
        }
      });
      editBox.append(h('p.hint', t('person.sensitiveLoadHint')), load);
    } else {
      editBox.appendChild(sensitiveForm(p, null).el);
    }
  }
  return s.el;
}

/**
 * The sensitive fields.  With the values known (cur) the form shows them and
 * saves all four; without (a role that may write but not see them) every field
 * starts as "keep" and only what is filled in is sent.
 */
function sensitiveForm(p, cur) {
  const known = Boolean(cur);
  const keepOpts = [{ value: '', label: t('person.keep') }, { value: 'true', label: t('common.yes') }, { value: 'false', label: t('common.no') }];
  const health = field({ name: 'health', label: t('person.field.health'), type: 'textarea', value: known ? cur.health || '' : '', hint: known ? t('person.field.healthHint') : t('person.field.keepBlank'), attrs: { maxlength: 200 } });
  const disability = field({ name: 'disability', label: t('person.field.disability'), value: known ? cur.disability || '' : '', hint: known ? t('person.field.disabilityHint') : t('person.field.keepBlank'), attrs: { maxlength: 200 } });
  const low = known
    ? field({ name: 'low_income', label: t('person.field.lowIncome'), type: 'checkbox', value: cur.low_income })
    : field({ name: 'low_income', label: t('person.field.lowIncome'), type: 'select', options: keepOpts, optionalMark: false });
  const key = known
    ? field({ name: 'key_person', label: t('person.field.keyPerson'), type: 'checkbox', value: cur.key_person })
    : field({ name: 'key_person', label: t('person.field.keyPerson'), type: 'select', options: keepOpts, optionalMark: false });
  return form({
    fields: [health, disability, low, key],
    submitLabel: t('action.save'),
    async onSubmit(v, fm) {
      const body = {};
      if (known) {
        if (v.health !== (cur.health || '')) body.health = v.health || null;
        if (v.disability !== (cur.disability || '')) body.disability = v.disability || null;
        if (Boolean(v.low_income) !== Boolean(cur.low_income)) body.low_income = Boolean(v.low_income);
        if (Boolean(v.key_person) !== Boolean(cur.key_person)) body.key_person = Boolean(v.key_person);
      } else {
        if (v.health) body.health = v.health;
        if (v.disability) body.disability = v.disability;
        if (v.low_income) body.low_income = v.low_income === 'true';
        if (v.key_person) body.key_person = v.key_person === 'true';
      }
      if (!Object.keys(body).length) {
        fm.success(t('form.nothingChanged'));
        return;
      }
      await patch(`/persons/${p.id}`, body);
      await refreshAndFocus(refresh, t('person.sensitive'));
    },
  });
}

async function orgName(id) {
  if (!id) return '';
  try {
    const po = await get(`/party-orgs/${id}`);
    return h('a', { href: `#/org/node/${po.node_id}` }, po.name);
  } catch {
    return String(id);
  }
}

function partySection(p) {
  const s = section(t('person.party'));
  if (!p.party_member) {
    s.body.appendChild(emptyState(t('person.notPartyMember')));
    return s.el;
  }
  const box = h('div');
  s.body.appendChild(box);
  loadInto(box, async () => {
    const [member, living] = await Promise.all([orgName(p.member_org_id), orgName(p.living_org_id)]);
    return { member, living };
  }, ({ member, living }) => dl([
    [t('person.memberOrg'), member || p.member_org_name || ''],
    [t('person.livingOrg'), living],
    [t('person.registeredOn'), fmtDate(p.registered_on)],
  ]));
  s.body.appendChild(h('p.hint', t('person.shuangzhao')));
  return s.el;
}

function rolesSection(p, signal) {
  const s = section(t('person.roles'));
  const box = h('div');
  s.body.appendChild(box);
  loadInto(box, async () => {
    const [roles, page] = await Promise.all([getRoles(), list('/assignments', { person_id: p.id, limit: 100 }, signal)]);
    const places = await nodesById(page.items.map((a) => a.node_id));
    return { roles, page, places };
  }, ({ roles, page, places }) => {
    if (!page.items.length) return emptyState(t('person.noRoles'));
    const byCode = new Map(roles.map((r) => [r.code, r]));
    const now = today();
    const rows = [...page.items].sort((a, b) => (b.starts_on || '').localeCompare(a.starts_on || ''));
    return h('ul.holder-list', rows.map((a) => {
      const ended = a.ends_on && a.ends_on < now;
      return h(`li.holder-list__item${ended ? '.holder-list__item--past' : ''}`,
        h('span.holder-list__role', roleName(byCode.get(a.role_code), a.role_code)),
        h('a.holder-list__person', { href: `#/org/node/${a.node_id}` }, placeName(places.get(a.node_id)) || a.node_name || String(a.node_id)),
        h('span.holder-list__since', a.ends_on
          ? t('roles.period', { from: fmtDate(a.starts_on), to: fmtDate(a.ends_on) })
          : t('roles.since', { date: fmtDate(a.starts_on) })),
        ended ? badge(t('roles.ended'), 'past') : badge(t('roles.current'), 'ok'));
    }));
  });
  return s.el;
}

function editForm(p, home) {
  const name = field({ name: 'name', label: t('person.field.name'), required: true, value: p.name, attrs: { maxlength: 50 } });
  const gender = field({
    name: 'gender', label: t('person.field.gender'), type: 'select', value: p.gender || '',
    options: [{ value: '', label: t('form.unknown') }, { value: 'female', label: t('person.gender.female') }, { value: 'male', label: t('person.gender.male') }],
  });
  const born = field({ name: 'birth_year', label: t('person.field.birthYear'), type: 'number', value: p.birth_year || '', attrs: { min: 1900, max: new Date().getFullYear(), inputmode: 'numeric' } });
  const phone = field({ name: 'phone', label: t('person.field.phoneNew'), type: 'tel', hint: t('person.field.phoneKeep'), attrs: { inputmode: 'tel', autocomplete: 'off', maxlength: 20 } });
  const idNumber = field({ name: 'id_number', label: t('person.field.idNumberNew'), hint: t('person.field.idNumberKeep'), attrs: { autocomplete: 'off', maxlength: 18, spellcheck: 'false' } });
  const homeF = nodePicker({ name: 'home_node_id', label: t('person.field.home'), levels: ['household', 'unit', 'building', 'courtyard'], value: home });
  const party = field({ name: 'party_member', label: t('person.field.partyMember'), type: 'checkbox', value: p.party_member });
  const tags = field({ name: 'tags', label: t('person.field.tags'), hint: t('person.field.tagsHint'), value: (p.tags || []).join('，') });
  return form({
    fields: [name, gender, born, phone, idNumber, homeF, party, tags],
    submitLabel: t('action.save'),
    validate(v) {
      const e = {};
      if (v.birth_year && !/^\d{4}$/.test(v.birth_year)) e.birth_year = t('person.field.birthYearInvalid');
      if (v.phone && !/^[0-9-]{7,20}$/.test(v.phone)) e.phone = t('person.field.phoneInvalid');
      if (v.id_number && !idNumberValid(v.id_number)) e.id_number = t('person.field.idNumberInvalid');
      return e;
    },
    async onSubmit(v, fm) {
      const body = {};
      if (v.name !== p.name) body.name = v.name;
      if ((v.gender || null) !== (p.gender || null)) body.gender = v.gender || null;
      const by = v.birth_year ? Number(v.birth_year) : 0;
      if (by !== (p.birth_year || 0)) body.birth_year = by || null;
      if (v.phone) body.phone = v.phone.replace(/-/g, '');
      if (v.id_number) body.id_number = v.id_number.toUpperCase();
      const hn = v.home_node_id ? Number(v.home_node_id) : null;
      if (hn !== (p.home_node_id || null)) body.home_node_id = hn;
      if (Boolean(v.party_member) !== Boolean(p.party_member)) body.party_member = Boolean(v.party_member);
      const tagList = v.tags.split(/[,，、\s]+/).map((s) => s.trim()).filter(Boolean);
      if (tagList.join('\n') !== (p.tags || []).join('\n')) body.tags = tagList;
      if (!Object.keys(body).length) {
        fm.success(t('form.nothingChanged'));
        return;
      }
      await patch(`/persons/${p.id}`, body);
      await refreshAndFocus(refresh, t('person.facts'));
    },
  });
}
