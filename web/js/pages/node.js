// node.js - one node of the tree: breadcrumb, facts, party organisation, children,
// role holders, residents, grids, history; forms to add a child, to rename or
// move the node, to set up its party organisation and to give someone a role on it.

import { h, replace, append } from '../dom.js';
import { t, fmtNumber, fmtDate, fmtDateTime, today } from '../i18n.js';
import { get, list, post, patch, apiUrl, getNode, forgetNode, getRoles, ApiError } from '../api.js';
import { refresh, href } from '../router.js';
import {
  LEVEL_KINDS, KIND_REQUIRED, PARTY_KIND_FOR_LEVEL, childLevels, parentLevels, levelLabel, kindLabel, partyKindLabel, roleName,
} from '../labels.js';
import {
  pageTitle, section, dl, badge, field, form, disclosure, loadInto, emptyState, errorState, loadingState, refreshAndFocus,
} from '../ui.js';
import { nodePicker, personPicker } from '../components/picker.js';
import { endControl } from '../components/end-control.js';
import { can, scopeId } from '../session.js';
import { nodesById, pathBelowCourtyard } from '../format.js';

const CHILD_PAGE = 50;

export async function render({ outlet, params, signal }) {
  const id = Number(params.id);
  replace(outlet, loadingState());
  let node;
  try {
    node = await get(`/nodes/${id}`, null, signal);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    replace(outlet, pageTitle(t('node.title')), errorState(e, { retry: () => refresh() }));
    return t('node.title');
  }
  forgetNode(id);

  const main = [
    breadcrumb(node),
    h('div.page__head',
      pageTitle(node.name),
      h('p.page__badges', badge(levelLabel(node.level), 'level'), node.kind ? badge(kindLabel(node.kind), 'kind') : null)),
    actions(node),
  ];

  const grid = h('div.sections');
  append(grid, [
    factsSection(node),
    partySection(node),
    childLevels(node.level).length ? childrenSection(node, signal) : null,
    can('people.read') ? rolesSection(node, signal) : null,
    can('people.read') ? residentsSection(node, signal) : null,
    node.level === 'household' && can('people.read') ? careSection(node, signal) : null,
    gridsSection(node, signal),
    historySection(node, signal),
  ]);
  replace(outlet, ...main, grid);
  return node.name;
}

function breadcrumb(node) {
  const items = [h('li', h('a', { href: '#/org' }, t('nav.org')))];
  // A user who works in one community sees the nodes above it named, not linked.
  const ancestors = node.ancestors || [];
  const scope = scopeId();
  const inScopeFrom = scope ? [...ancestors, node].findIndex((a) => a.id === scope) : 0;
  ancestors.forEach((a, i) => {
    items.push(h('li', i < inScopeFrom ? h('span', a.name) : h('a', { href: `#/org/node/${a.id}` }, a.name)));
  });
  items.push(h('li', h('span', { 'aria-current': 'page' }, node.name)));
  return h('nav.breadcrumb', { 'aria-label': t('node.breadcrumb') }, h('ol', items));
}

function actions(node) {
  const leaf = !childLevels(node.level).length;
  const covers = ['subdistrict', 'community', 'courtyard', 'building'].includes(node.level);
  return h('div.action-bar.no-print',
    leaf || !can('org.export') ? null : h('a.btn.btn--secondary', { href: apiUrl('/export/nodes.csv', { under: node.id }), download: `nodes-${node.id}.csv` }, t('node.exportNodes')),
    can('people.export') ? h('a.btn.btn--secondary', { href: apiUrl('/export/persons.csv', { under: node.id }), download: `persons-${node.id}.csv` }, t('node.exportPersons')) : null,
    covers && can('people.read') ? h('a.btn.btn--secondary', { href: `#/coverage/${node.id}` }, t('node.coverage')) : null,
    h('button.btn.btn--secondary', { type: 'button', onclick: () => window.print() }, t('action.print')));
}

/* Facts and the edit / move form. */

function factsSection(node) {
  const s = section(t('node.facts'));
  const leaf = !childLevels(node.level).length;
  s.body.appendChild(dl([
    [t('node.field.level'), levelLabel(node.level)],
    LEVEL_KINDS[node.level] || node.kind ? [t('node.field.kind'), node.kind ? kindLabel(node.kind) : ''] : null,
    [t('node.field.code'), node.code],
    [t('node.field.address'), node.address],
    leaf ? null : [t('node.field.children'), node.child_count ? fmtNumber(node.child_count) : ''],
    [t('node.field.coords'), node.lat !== null && node.lat !== undefined ? `${node.lat}, ${node.lng}` : ''],
    [t('node.field.created'), fmtDateTime(node.created_at)],
    [t('node.field.updated'), fmtDateTime(node.updated_at)],
  ]));
  if (can('org.write')) s.body.appendChild(disclosure(t('node.editTitle'), editForm(node).el, { className: 'no-print' }));
  return s.el;
}

function kindOptions(level, withEmpty) {
  const opts = (LEVEL_KINDS[level] || []).map((k) => ({ value: k, label: kindLabel(k) }));
  return withEmpty ? [{ value: '', label: t('form.choose') }, ...opts] : opts;
}

function editForm(node) {
  const fields = [];
  const name = field({ name: 'name', label: t('node.field.name'), required: true, value: node.name, attrs: { maxlength: 100, autocomplete: 'off' } });
  fields.push(name);
  if (LEVEL_KINDS[node.level]) {
    fields.push(field({ name: 'kind', label: t('node.field.kind'), type: 'select', value: node.kind || '', required: Boolean(KIND_REQUIRED[node.level]), options: kindOptions(node.level, !node.kind) }));
  }
  fields.push(field({ name: 'code', label: t('node.field.code'), value: node.code, required: true, hint: t('node.field.codeRule'), attrs: { maxlength: 64, autocomplete: 'off' } }));
  fields.push(field({ name: 'address', label: t('node.field.address'), value: node.address || '', attrs: { maxlength: 200 } }));
  const parents = parentLevels(node.level);
  const parentAncestor = (node.ancestors || [])[node.ancestors.length - 1];
  if (parents.length) {
    fields.push(nodePicker({
      name: 'parent_id',
      label: t('node.field.parent'),
      hint: t('node.field.parentHint', { levels: parents.map(levelLabel).join(t('common.or')) }),
      levels: parents,
      required: true,
      value: parentAncestor ? { ...parentAncestor, id: parentAncestor.id } : null,
      exclude: (n) => n.id === node.id,
    }));
  }
  fields.push(field({ name: 'note', label: t('node.field.note'), hint: t('node.field.noteHint'), attrs: { maxlength: 200 } }));

  return form({
    fields,
    submitLabel: t('action.save'),
    async onSubmit(v, fm) {
      const body = {};
      if (v.name !== node.name) body.name = v.name;
      if ('kind' in v && v.kind && v.kind !== (node.kind || '')) body.kind = v.kind;
      if (v.code !== node.code) body.code = v.code;
      if (v.address !== (node.address || '')) body.address = v.address || null;
      if (v.parent_id && parentAncestor && Number(v.parent_id) !== parentAncestor.id) body.parent_id = Number(v.parent_id);
      if (!Object.keys(body).length) {
        fm.success(t('form.nothingChanged'));
        return;
      }
      if (v.note) body.note = v.note;
      await patch(`/nodes/${node.id}`, body);
      forgetNode();
      await refreshAndFocus(refresh, v.name);
    },
  });
}

/* Party organisation. */

function partySection(node) {
  const s = section(t('party.title'));
  const kind = PARTY_KIND_FOR_LEVEL[node.level];
  const po = node.party_org;
  if (po) {
    s.body.appendChild(dl([
      [t('party.name'), po.name],
      [t('party.kind'), partyKindLabel(po.kind)],
      [t('party.secretary'), po.secretary_person_id
        ? h('a', { href: `#/persons/${po.secretary_person_id}` }, po.secretary_name || t('party.secretaryUnnamed'))
        : ''],
      [t('party.founded'), fmtDate(po.founded_on)],
    ]));
    if (can('org.write')) s.body.appendChild(disclosure(t('party.edit'), partyEditForm(node, po).el, { className: 'no-print' }));
  } else if (kind) {
    s.body.appendChild(emptyState(t('party.none', { kind: partyKindLabel(kind) })));
    if (can('org.write')) s.body.appendChild(disclosure(t('party.create', { kind: partyKindLabel(kind) }), partyCreateForm(node, kind).el, { className: 'no-print' }));
  } else {
    s.body.appendChild(emptyState(t('party.notForLevel', { level: levelLabel(node.level) })));
  }
  return s.el;
}

function partyCreateForm(node, kind) {
  const name = field({ name: 'name', label: t('party.name'), hint: t('party.nameDefault', { name: `${node.name}${t(`party.suffix.${kind}`)}` }), attrs: { maxlength: 100 } });
  const founded = field({ name: 'founded_on', label: t('party.founded'), type: 'date', attrs: { max: today() } });
  return form({
    fields: [name, founded],
    submitLabel: t('party.createSubmit'),
    async onSubmit(v) {
      const body = { node_id: node.id };
      if (v.name) body.name = v.name;
      if (v.founded_on) body.founded_on = v.founded_on;
      await post('/party-orgs', body);
      await refreshAndFocus(refresh, t('party.title'));
    },
  });
}

function partyEditForm(node, po) {
  const name = field({ name: 'name', label: t('party.name'), value: po.name, required: true, attrs: { maxlength: 100 } });
  const founded = field({ name: 'founded_on', label: t('party.founded'), type: 'date', value: po.founded_on || '', attrs: { max: today() } });
  const secretary = personPicker({
    name: 'secretary_person_id',
    label: t('party.secretary'),
    hint: t('party.secretaryHint'),
    value: po.secretary_person_id ? { id: po.secretary_person_id, name: po.secretary_name || '' } : null,
  });
  return form({
    fields: [name, founded, secretary],
    submitLabel: t('action.save'),
    async onSubmit(v, fm) {
      const body = {};
      if (v.name !== po.name) body.name = v.name;
      if ((v.founded_on || null) !== (po.founded_on || null)) body.founded_on = v.founded_on || null;
      const sec = v.secretary_person_id ? Number(v.secretary_person_id) : null;
      if (sec !== (po.secretary_person_id || null)) body.secretary_person_id = sec;
      if (!Object.keys(body).length) {
        fm.success(t('form.nothingChanged'));
        return;
      }
      await patch(`/party-orgs/${po.id}`, body);
      await refreshAndFocus(refresh, t('party.title'));
    },
  });
}

/* Children and the form for a new one. */

function childrenSection(node, signal) {
  const levels = childLevels(node.level);
  const s = section(levels.length ? t('node.children', { level: levels.map(levelLabel).join(t('common.slash')) }) : t('node.childrenNone'));
  if (!levels.length) {
    s.body.appendChild(emptyState(t('node.leaf')));
    return s.el;
  }
  const listBox = h('div');
  s.body.appendChild(listBox);
  const ul = h('ul.child-list');
  let loaded = 0;

  async function more(box) {
    const r = await list('/nodes', { parent_id: node.id, limit: CHILD_PAGE, offset: loaded }, signal);
    for (const c of r.items) {
      ul.appendChild(h('li.child-list__item',
        h('a.child-list__link', { href: `#/org/node/${c.id}` }, c.name),
        h('span.child-list__meta', [levelLabel(c.level), c.kind ? kindLabel(c.kind) : null, c.child_count ? t('tree.children', { n: fmtNumber(c.child_count) }) : null].filter(Boolean).join(' · '))));
    }
    loaded += r.items.length;
    if (box) box.remove();
    if (loaded < r.total) {
      const btnBox = h('p.no-print');
      const btn = h('button.btn.btn--secondary.btn--small', { type: 'button' }, t('tree.more', { shown: fmtNumber(loaded), total: fmtNumber(r.total) }));
      btn.addEventListener('click', async () => {
        btn.disabled = true;
        try {
          await more(btnBox);
          ul.querySelectorAll('.child-list__link')[loaded - r.items.length]?.focus();
        } catch (e) {
          btn.disabled = false;
          btnBox.appendChild(errorState(e, { compact: true }));
        }
      });
      btnBox.appendChild(btn);
      listBox.appendChild(btnBox);
    }
    return r;
  }

  loadInto(listBox, () => more(null), (r) => (r.total ? ul : emptyState(t('node.noChildren'))));
  if (can('org.write')) s.body.appendChild(disclosure(t('node.addChild'), childForm(node, levels).el, { className: 'no-print' }));
  return s.el;
}

function childForm(node, levels) {
  const level = field({
    name: 'level', label: t('node.field.level'), type: 'select', value: levels[0], required: true,
    options: levels.map((l) => ({ value: l, label: levelLabel(l) })),
  });
  const name = field({ name: 'name', label: t('node.field.name'), required: true, hint: t(`node.nameHint.${levels[0]}`), attrs: { maxlength: 100, autocomplete: 'off' } });
  const kind = field({ name: 'kind', label: t('node.field.kind'), type: 'select', options: [] });
  const code = field({ name: 'code', label: t('node.field.code'), hint: t('node.field.codeHint'), attrs: { maxlength: 64, autocomplete: 'off' } });
  const address = field({ name: 'address', label: t('node.field.address'), attrs: { maxlength: 200 } });
  if (levels.length === 1) level.el.hidden = true;

  function syncKind() {
    const l = level.getValue();
    const kinds = LEVEL_KINDS[l];
    kind.el.hidden = !kinds;
    kind.input.required = Boolean(KIND_REQUIRED[l]);
    kind.el.querySelector('.field__opt')?.toggleAttribute('hidden', Boolean(KIND_REQUIRED[l]));
    if (KIND_REQUIRED[l] && !kind.el.querySelector('.field__req')) {
      kind.el.querySelector('label').appendChild(h('span.field__req', { 'aria-hidden': 'true' }, ' *'));
    }
    replace(kind.input, ...kindOptions(l, true).map((o) => h('option', { value: o.value }, o.label)));
    name.el.querySelector('.field__hint').textContent = t(`node.nameHint.${l}`);
  }
  level.input.addEventListener('change', syncKind);
  syncKind();

  const f = form({
    fields: [level, name, kind, code, address],
    submitLabel: t('node.addChildSubmit'),
    validate(v) {
      if (KIND_REQUIRED[v.level] && !v.kind) return { kind: t('node.kindRequired') };
      return null;
    },
    async onSubmit(v, fm) {
      const body = { parent_id: node.id, level: v.level, name: v.name };
      if (v.kind && LEVEL_KINDS[v.level]) body.kind = v.kind;
      if (v.code) body.code = v.code;
      if (v.address) body.address = v.address;
      const n = await post('/nodes', body);
      forgetNode();
      const keepLevel = v.level;
      fm.reset();
      level.setValue(keepLevel);
      syncKind();
      fm.success(t('node.created', { name: n.name, level: levelLabel(n.level) }),
        h('a', { href: `#/org/node/${n.id}` }, t('node.open', { name: n.name })));
      // Show the new child in the list without leaving the form.
      const ul = f.el.closest('.section').querySelector('.child-list');
      const item = h('li.child-list__item.child-list__item--new', h('a.child-list__link', { href: `#/org/node/${n.id}` }, n.name),
        h('span.child-list__meta', [levelLabel(n.level), n.kind ? kindLabel(n.kind) : null].filter(Boolean).join(' · ')));
      if (ul) ul.appendChild(item);
      else {
        const empty = f.el.closest('.section').querySelector('.state--empty');
        if (empty) empty.replaceWith(h('ul.child-list', item));
      }
      name.input.focus();
    },
  });
  return f;
}

/* Role holders on this node. */

function rolesSection(node, signal) {
  const s = section(t('roles.onNode'));
  const box = h('div');
  s.body.appendChild(box);
  loadInto(box, async () => {
    const [roles, page] = await Promise.all([getRoles(), list('/assignments', { node_id: node.id, active_on: today(), limit: 100 }, signal)]);
    return { roles, page };
  }, ({ roles, page }) => {
    if (!page.items.length) return emptyState(t('roles.noneOnNode'));
    const byCode = new Map(roles.map((r) => [r.code, r]));
    return h('ul.holder-list', page.items.map((a) => {
      const role = roleName(byCode.get(a.role_code), a.role_code);
      const who = a.person_name || t('person.unnamed', { id: a.person_id });
      return h('li.holder-list__item',
        h('span.holder-list__role', role),
        h('a.holder-list__person', { href: `#/persons/${a.person_id}` }, who),
        h('span.holder-list__since', t('roles.since', { date: fmtDate(a.starts_on) })),
        a.platform ? h('span.muted', a.platform) : null,
        a.ends_on ? badge(t('roles.until', { date: fmtDate(a.ends_on) }), 'past') : !can('people.write') ? null : endControl({
          buttonLabel: t('roles.end'),
          ariaLabel: t('roles.endLabel', { role, name: who }),
          dateLabel: t('roles.endsOn'),
          confirmLabel: t('roles.endConfirm'),
          async onEnd(date) {
            await patch(`/assignments/${a.id}`, { ends_on: date });
            await refreshAndFocus(refresh, t('roles.onNode'));
          },
        }));
    }));
  });
  if (!can('people.write')) return s.el;
  const formBox = h('div');
  s.body.appendChild(disclosure(t('roles.assign'), formBox, { className: 'no-print' }));
  getRoles().then((roles) => {
    const usable = roles.filter((r) => r.active !== 0 && r.active !== false && String(r.levels || '').split(',').includes(node.level));
    if (!roles.length) {
      formBox.appendChild(errorState(new ApiError({ status: 501, message: 'the role dictionary is not available' })));
      return;
    }
    if (!usable.length) {
      formBox.appendChild(emptyState(t('roles.noneForLevel', { level: levelLabel(node.level) })));
      return;
    }
    formBox.appendChild(assignForm(node, usable).el);
  }).catch((e) => formBox.appendChild(errorState(e, { compact: true })));
  return s.el;
}

function assignForm(node, roles) {
  const role = field({
    name: 'role_id', label: t('roles.role'), type: 'select', required: true,
    options: [{ value: '', label: t('form.choose') }, ...roles.map((r) => ({ value: r.id, label: roleName(r) }))],
  });
  const person = personPicker({ name: 'person_id', label: t('roles.person'), required: true, hint: t('roles.personHint') });
  const starts = field({ name: 'starts_on', label: t('roles.startsOn'), type: 'date', value: today(), required: true });
  const workerType = field({
    name: 'worker_type', label: t('roles.workerType'), type: 'select',
    options: [{ value: '', label: t('form.choose') }, { value: 'courier', label: t('roles.worker.courier') }, { value: 'rider', label: t('roles.worker.rider') }],
  });
  const platform = field({ name: 'platform', label: t('roles.platform'), hint: t('roles.platformHint'), attrs: { maxlength: 50 } });
  const note = field({ name: 'note', label: t('roles.note'), attrs: { maxlength: 200 } });
  const byId = new Map(roles.map((r) => [String(r.id), r]));
  function sync() {
    const r = byId.get(role.getValue());
    const needs = Boolean(r && r.needs_platform);
    workerType.el.hidden = !needs;
    platform.el.hidden = !needs;
  }
  role.input.addEventListener('change', sync);
  sync();
  return form({
    fields: [role, person, starts, workerType, platform, note],
    fieldMap: { role_code: 'role_id' },
    submitLabel: t('roles.assignSubmit'),
    async onSubmit(v) {
      const body = { person_id: Number(v.person_id), role_id: Number(v.role_id), node_id: node.id, starts_on: v.starts_on };
      const r = byId.get(v.role_id);
      if (r && r.needs_platform) {
        if (v.worker_type) body.worker_type = v.worker_type;
        if (v.platform) body.platform = v.platform;
      }
      if (v.note) body.note = v.note;
      await post('/assignments', body);
      await refreshAndFocus(refresh, t('roles.onNode'));
    },
  });
}

/* People living under this node. */

function residentsSection(node, signal) {
  const s = section(t('node.residents'));
  const box = h('div');
  s.body.appendChild(box);
  loadInto(box, () => list('/persons', { under: node.id, limit: 10 }, signal), (r) => {
    if (!r.items.length) return emptyState(t('node.noResidents'));
    return h('div',
      h('p', t('node.residentsTotal', { n: fmtNumber(r.total) })),
      h('ul.person-chips', r.items.map((p) => h('li', h('a.person-chip', { href: `#/persons/${p.id}` }, p.name,
        p.party_member ? h('span.badge.badge--party', t('person.partyMemberShort')) : null)))),
      h('p', h('a', { href: href('/persons', { under: node.id }) }, t('node.residentsAll'))));
  });
  return s.el;
}

/* 责任制包干 on a household: a central household and the households it looks after. */

function careSection(node, signal) {
  const central = node.party_org && node.party_org.kind === 'central_household';
  const s = section(central ? t('care.titleCentral') : t('care.title'));
  const box = h('div');
  s.body.appendChild(box);
  const write = can('people.write');
  const endIt = (link, name) => !write ? null : endControl({
    buttonLabel: t('care.end'),
    ariaLabel: t('care.endLabel', { name }),
    dateLabel: t('care.endsOn'),
    confirmLabel: t('care.endConfirm'),
    async onEnd(date) {
      await patch(`/care-links/${link.id}`, { ends_on: date });
      await refreshAndFocus(refresh, central ? t('care.titleCentral') : t('care.title'));
    },
  });

  if (central) {
    loadInto(box, async () => {
      const page = await list('/care-links', { central_household_id: node.id, active: true, limit: 100 }, signal);
      const places = await nodesById(page.items.map((c) => c.household_id));
      return { page, places };
    }, ({ page, places }) => {
      if (!page.items.length) return emptyState(t('care.noneLooked'));
      return h('div', h('p', t('care.count', { n: fmtNumber(page.total) })),
        h('ul.holder-list', page.items.map((c) => {
          const name = pathBelowCourtyard(places.get(c.household_id)) || c.household_name;
          return h('li.holder-list__item', h('a.holder-list__person', { href: `#/org/node/${c.household_id}` }, name),
            h('span.holder-list__since', t('roles.since', { date: fmtDate(c.starts_on) })),
            c.ends_on ? badge(t('care.until', { date: fmtDate(c.ends_on) }), 'past') : endIt(c, name));
        })));
    });
    if (!write) return s.el;
    const household = nodePicker({ name: 'household_id', label: t('care.household'), hint: t('care.householdHint'), levels: ['household'], required: true, exclude: (n) => n.id === node.id });
    const starts = field({ name: 'starts_on', label: t('roles.startsOn'), type: 'date', value: today(), required: true });
    const f = form({
      fields: [household, starts],
      submitLabel: t('care.addSubmit'),
      async onSubmit(v) {
        await post('/care-links', { central_household_id: node.id, household_id: Number(v.household_id), starts_on: v.starts_on });
        await refreshAndFocus(refresh, central ? t('care.titleCentral') : t('care.title'));
      },
    });
    s.body.appendChild(disclosure(t('care.add'), f.el, { className: 'no-print' }));
    return s.el;
  }

  const courtyard = (node.ancestors || []).find((a) => a.level === 'courtyard');
  loadInto(box, async () => {
    const page = await list('/care-links', { under: node.id, active: true, limit: 5 }, signal);
    const link = page.items.find((c) => c.household_id === node.id) || null;
    const centralNode = link ? await getNode(link.central_household_id).catch(() => null) : null;
    return { link, centralNode };
  }, ({ link, centralNode }) => {
    if (!link) {
      // Only a household nobody looks after is offered a central household (one at a time).
      return h('div', emptyState(t('care.none')), courtyard && write ? chooseCentral(node, courtyard, signal) : null);
    }
    const name = centralNode ? pathBelowCourtyard(centralNode) : String(link.central_household_id);
    return h('ul.holder-list', h('li.holder-list__item',
      h('span.holder-list__role', t('care.lookedAfterBy')),
      h('a.holder-list__person', { href: `#/org/node/${link.central_household_id}` }, name),
      h('span.holder-list__since', t('roles.since', { date: fmtDate(link.starts_on) })),
      link.ends_on ? badge(t('care.until', { date: fmtDate(link.ends_on) }), 'past') : endIt(link, name)));
  });
  return s.el;
}

function chooseCentral(node, courtyard, signal) {
  const formBox = h('div');
  loadInto(formBox, async () => {
    const page = await list('/party-orgs', { under: courtyard.id, kind: 'central_household', limit: 200 }, signal);
    const places = await nodesById(page.items.map((po) => po.node_id));
    return page.items.map((po) => ({ id: po.node_id, label: pathBelowCourtyard(places.get(po.node_id)) || po.name }))
      .filter((o) => o.id !== node.id)
      .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN', { numeric: true }));
  }, (options) => {
    if (!options.length) return emptyState(t('care.noCentrals', { name: courtyard.name }));
    const centralF = field({
      name: 'central_household_id', label: t('care.central'), type: 'select', required: true,
      hint: t('care.centralHint', { name: courtyard.name }),
      options: [{ value: '', label: t('form.choose') }, ...options.map((o) => ({ value: o.id, label: o.label }))],
    });
    const starts = field({ name: 'starts_on', label: t('roles.startsOn'), type: 'date', value: today(), required: true, attrs: { max: today() } });
    return form({
      fields: [centralF, starts],
      submitLabel: t('care.chooseSubmit'),
      async onSubmit(v) {
        await post('/care-links', { central_household_id: Number(v.central_household_id), household_id: node.id, starts_on: v.starts_on });
        await refreshAndFocus(refresh, t('care.title'));
      },
    }).el;
  });
  return disclosure(t('care.choose'), formBox, { className: 'no-print' });
}

/* Grids drawn over this node (or, for a subdistrict or community, inside it). */

function gridsSection(node, signal) {
  const s = section(t('grid.title'));
  const box = h('div');
  s.body.appendChild(box);
  loadInto(box, async () => {
    if (node.level === 'subdistrict' || node.level === 'community') {
      return (await list('/grids', { under: node.id, limit: 100 }, signal)).items;
    }
    // A grid covers courtyards and buildings: ask for this node and the ones above it.
    const ids = [...(node.ancestors || []), node].filter((a) => a.level === 'courtyard' || a.level === 'building').map((a) => a.id);
    const pages = await Promise.all(ids.map((nid) => list('/grids', { node_id: nid, limit: 100 }, signal)));
    const seen = new Map();
    pages.flatMap((p) => p.items).forEach((g) => seen.set(g.id, g));
    return [...seen.values()];
  }, (grids) => {
    if (!grids.length) return emptyState(t('grid.none'));
    return h('ul.grid-list', grids.map((g) => h('li.grid-list__item',
      h('strong', g.name), h('span.grid-list__code', { 'aria-label': t('grid.codeLabel', { code: g.code }) }, g.code),
      h('span.muted', t('grid.covers', { n: fmtNumber((g.node_ids || []).length) })))));
  });
  return s.el;
}

/* History: renames, moves, changes. */

function historySection(node, signal) {
  const s = section(t('history.title'));
  const box = h('div');
  s.body.appendChild(box);
  loadInto(box, async () => {
    const items = (await get(`/nodes/${node.id}/history`, null, signal)).items || [];
    const ids = new Set();
    items.forEach((c) => { if (c.old_parent_id) ids.add(c.old_parent_id); if (c.new_parent_id) ids.add(c.new_parent_id); });
    const names = new Map();
    await Promise.all([...ids].map(async (pid) => {
      try { names.set(pid, (await getNode(pid)).name); } catch { names.set(pid, t('history.unknownNode', { id: pid })); }
    }));
    return { items, names };
  }, ({ items, names }) => {
    if (!items.length) return emptyState(t('history.none'));
    const ordered = [...items].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.id - a.id));
    return h('ol.timeline', ordered.map((c) => h('li.timeline__item',
      h('time.timeline__time', { datetime: c.at }, fmtDateTime(c.at)),
      h('span.timeline__what', describeChange(c, names)),
      c.detail ? h('span.timeline__detail', c.detail) : null)));
  });
  return s.el;
}

function describeChange(c, names) {
  const nm = (id) => (id ? names.get(id) || String(id) : t('history.root'));
  switch (c.action) {
    case 'create': return t('history.create', { name: c.new_name || '', parent: nm(c.new_parent_id) });
    case 'rename': return t('history.rename', { from: c.old_name || '', to: c.new_name || '' });
    case 'move': return t('history.move', { from: nm(c.old_parent_id), to: nm(c.new_parent_id) });
    case 'update': return t('history.update');
    default: return c.action;
  }
}

