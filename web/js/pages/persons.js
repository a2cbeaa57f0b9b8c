// persons.js - 人员: search and filter persons, page through them, add one.

import { h, replace } from '../dom.js';
import { t, fmtNumber } from '../i18n.js';
import { list, post, getNode, getRoles } from '../api.js';
import { navigate, href } from '../router.js';
import { roleName, genderLabel, maskPhone, idNumberValid } from '../labels.js';
import { can } from '../session.js';
import { pageTitle, section, field, form, disclosure, loadInto, emptyState, pager, badge } from '../ui.js';
import { nodePicker } from '../components/picker.js';
import { placeName, nodesById } from '../format.js';

const LIMIT = 20;
const HOME_LEVELS = ['household', 'unit', 'building', 'courtyard'];

export async function render({ outlet, query, signal }) {
  const title = t('persons.title');
  const filters = {
    q: query.q || '',
    tag: query.tag || '',
    party_member: query.party_member === 'true' || query.party_member === 'false' ? query.party_member : '',
    role: query.role || '',
    under: /^\d+$/.test(query.under || '') ? Number(query.under) : '',
  };
  const offset = Math.max(0, parseInt(query.offset, 10) || 0);

  let underNode = null;
  if (filters.under) underNode = await getNode(filters.under).catch(() => null);
  const roles = await getRoles().catch(() => []);

  const filterForm = buildFilters(filters, underNode, roles);
  const results = section(t('persons.results'), { id: 'results' });
  replace(outlet, pageTitle(title), h('p.page__intro', t('persons.intro')), filterForm, results.el, can('people.write') ? addPersonForm() : null);

  loadInto(results.body, async () => {
    const page = await list('/persons', { ...filters, limit: LIMIT, offset }, signal);
    const homes = await nodesById(page.items.map((p) => p.home_node_id));
    return { page, homes };
  }, ({ page, homes }) => {
    if (!page.items.length) return emptyState(hasFilters(filters) ? t('persons.noneMatch') : t('persons.none'));
    return h('div',
      h('p.results-count', { role: 'status' }, t('persons.count', { n: fmtNumber(page.total) })),
      personTable(page.items, homes),
      pager({ total: page.total, limit: page.limit || LIMIT, offset: page.offset, hrefFor: (o) => href('/persons', { ...filters, offset: o }) }));
  });
  return title;
}

function hasFilters(f) {
  return Object.values(f).some((v) => v !== '' && v !== null);
}

function buildFilters(filters, underNode, roles) {
  const q = field({ name: 'q', label: t('persons.filter.q'), type: 'search', value: filters.q, optionalMark: false, attrs: { autocomplete: 'off' } });
  const tag = field({ name: 'tag', label: t('persons.filter.tag'), value: filters.tag, optionalMark: false, hint: t('persons.filter.tagHint') });
  const party = field({
    name: 'party_member', label: t('persons.filter.party'), type: 'select', value: filters.party_member, optionalMark: false,
    options: [{ value: '', label: t('persons.filter.any') }, { value: 'true', label: t('persons.filter.partyYes') }, { value: 'false', label: t('persons.filter.partyNo') }],
  });
  const role = field({
    name: 'role', label: t('persons.filter.role'), type: 'select', value: filters.role, optionalMark: false,
    options: [{ value: '', label: t('persons.filter.any') }, ...roles.map((r) => ({ value: r.code, label: roleName(r) }))],
  });
  if (!roles.length) role.input.disabled = true;
  const under = nodePicker({ name: 'under', label: t('persons.filter.under'), hint: t('persons.filter.underHint'), value: underNode, optionalMark: false });
  const more = disclosure(t('persons.filter.more'), h('div.filters__grid', party.el, role.el, tag.el),
    { open: Boolean(filters.party_member || filters.role || filters.tag), className: 'filters__more' });
  const el = h('form.filters', { role: 'search', 'aria-label': t('persons.filter.label') },
    h('div.filters__grid', q.el, under.el), more,
    h('div.form__buttons',
      h('button.btn', { type: 'submit' }, t('action.search')),
      hasFilters(filters) ? h('a.btn.btn--secondary', { href: '#/persons' }, t('action.clearFilters')) : null));
  el.addEventListener('submit', (ev) => {
    ev.preventDefault();
    navigate('/persons', {
      q: q.getValue(), tag: tag.getValue(), party_member: party.getValue(), role: role.getValue(), under: under.getValue(),
    });
  });
  return el;
}

function personTable(items, homes) {
  const head = ['persons.col.name', 'persons.col.gender', 'persons.col.born', 'persons.col.home', 'persons.col.party', 'persons.col.tags', 'persons.col.phone'];
  return h('div.table-wrap', h('table.data-table.data-table--cards',
    h('caption.sr-only', t('persons.results')),
    h('thead', h('tr', head.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', items.map((p) => {
      const home = homes.get(p.home_node_id);
      const cells = [
        h('a', { href: `#/persons/${p.id}` }, p.name),
        genderLabel(p.gender),
        p.birth_year ? String(p.birth_year) : '',
        home ? h('a', { href: `#/org/node/${home.id}` }, placeName(home)) : '',
        p.party_member ? badge(t('person.partyMemberShort'), 'party') : '',
        (p.tags || []).length ? (p.tags || []).map((tg) => badge(tg)) : '',
        p.phone ? h('span.phone', maskPhone(p.phone)) : '',
      ];
      return h('tr', cells.map((c, i) => {
        const empty = c === '' || c === null;
        const wide = i === 0 || i === 3 || i === 5;
        return h(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, 'data-label': t(head[i]), class: [empty ? 'is-empty' : '', wide ? 'is-wide' : ''].join(' ').trim() || null },
          h('div.cell', empty ? h('span.muted', t('common.none')) : c));
      }));
    }))));
}

function addPersonForm() {
  const name = field({ name: 'name', label: t('person.field.name'), required: true, attrs: { maxlength: 50, autocomplete: 'off' } });
  const gender = field({
    name: 'gender', label: t('person.field.gender'), type: 'select',
    options: [{ value: '', label: t('form.choose') }, { value: 'female', label: t('person.gender.female') }, { value: 'male', label: t('person.gender.male') }],
  });
  const born = field({ name: 'birth_year', label: t('person.field.birthYear'), type: 'number', attrs: { min: 1900, max: new Date().getFullYear(), inputmode: 'numeric' } });
  const phone = field({ name: 'phone', label: t('person.field.phone'), type: 'tel', hint: t('person.field.phoneHint'), attrs: { inputmode: 'tel', autocomplete: 'off', maxlength: 20 } });
  const idNumber = field({ name: 'id_number', label: t('person.field.idNumber'), hint: t('person.field.idNumberHint'), attrs: { autocomplete: 'off', maxlength: 18, spellcheck: 'false' } });
  const health = field({ name: 'health', label: t('person.field.health'), type: 'textarea', hint: t('person.field.healthHint'), attrs: { maxlength: 200 } });
  const disability = field({ name: 'disability', label: t('person.field.disability'), hint: t('person.field.disabilityHint'), attrs: { maxlength: 200 } });
  const lowIncome = field({ name: 'low_income', label: t('person.field.lowIncome'), type: 'checkbox' });
  const keyPerson = field({ name: 'key_person', label: t('person.field.keyPerson'), type: 'checkbox' });
  const home = nodePicker({ name: 'home_node_id', label: t('person.field.home'), hint: t('person.field.homeHint'), levels: HOME_LEVELS });
  const party = field({ name: 'party_member', label: t('person.field.partyMember'), type: 'checkbox' });
  const tags = field({ name: 'tags', label: t('person.field.tags'), hint: t('person.field.tagsHint'), attrs: { maxlength: 200 } });
  const f = form({
    fields: [name, gender, born, phone, idNumber, home, party, tags, health, disability, lowIncome, keyPerson],
    submitLabel: t('persons.add'),
    validate(v) {
      const p = {};
      if (v.birth_year && !/^\d{4}$/.test(v.birth_year)) p.birth_year = t('person.field.birthYearInvalid');
      if (v.phone && !/^[0-9-]{7,20}$/.test(v.phone)) p.phone = t('person.field.phoneInvalid');
      if (v.id_number && !idNumberValid(v.id_number)) p.id_number = t('person.field.idNumberInvalid');
      return p;
    },
    async onSubmit(v) {
      const body = { name: v.name };
      if (v.gender) body.gender = v.gender;
      if (v.birth_year) body.birth_year = Number(v.birth_year);
      if (v.phone) body.phone = v.phone.replace(/-/g, '');
      if (v.home_node_id) body.home_node_id = Number(v.home_node_id);
      body.party_member = Boolean(v.party_member);
      const tagList = v.tags.split(/[,，、\s]+/).map((s) => s.trim()).filter(Boolean);
      if (tagList.length) body.tags = tagList;
      if (v.id_number) body.id_number = v.id_number.toUpperCase();
      if (v.health) body.health = v.health;
      if (v.disability) body.disability = v.disability;
      if (v.low_income) body.low_income = true;
      if (v.key_person) body.key_person = true;
      const p = await post('/persons', body);
      navigate(`/persons/${p.id}`);
    },
  });
  // The sensitive fields together, under a note on how they are kept.
  f.el.insertBefore(h('fieldset.fieldset',
    h('legend.fieldset__legend', t('person.sensitive')),
    h('p.hint.privacy-note', t('person.sensitiveNote')),
    health.el, disability.el, lowIncome.el, keyPerson.el), f.el.querySelector('.form__buttons'));
  return disclosure(t('persons.addTitle'), f.el, { className: 'no-print' });
}
