// wo.js - the work orders' vocabulary in words (states, sources, types, actions,
// cards, task lists) and the fields each action of the state machine takes
// (src/workorder/machine.c), so an action's form asks for what the API needs.

import { t, has, fmtDateTime } from './i18n.js';
import { upload } from './api.js';
import { h } from './dom.js';

export const STATES = ['received', 'accepted', 'answered', 'dispatched', 'in_progress', 'return_requested', 'replied',
  'reviewed', 'dissatisfied', 'closed'];
export const OPEN_STATES = STATES.filter((s) => s !== 'closed');
export const SOURCES = ['resident', 'grid', 'mobile_grid', 'phone', 'walk_in', 'hotline'];
export const TYPES = ['consultation', 'help', 'complaint', 'report', 'suggestion'];
export const URGENCIES = ['normal', 'urgent'];
export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'dissatisfied'];
/** The task lists of GET /work-orders/mine, in the order a working day takes them. */
export const TASK_LISTS = ['carded', 'to_sign', 'in_progress', 'to_accept', 'to_dispatch', 'to_decide', 'to_review',
  'to_call_back', 'reported'];
/** The levels that handle orders. */
export const HANDLER_LEVELS = ['courtyard', 'community', 'subdistrict'];

const word = (prefix, v) => (v && has(`${prefix}.${v}`) ? t(`${prefix}.${v}`) : v || '');
export const stateLabel = (s) => word('wo.state', s);
export const sourceLabel = (s) => word('wo.source', s);
export const typeLabel = (s) => word('wo.type', s);
export const urgencyLabel = (s) => word('wo.urgency', s);
export const actionLabel = (s) => word('wo.action', s);
export const satisfactionLabel = (s) => word('wo.satisfaction', s);
export const cardLabel = (s) => word('wo.card', s);
export const taskLabel = (s) => word('tasks.list', s);

/** The badge variant of a state: open work warns, closed is done. */
export function stateVariant(state) {
  if (state === 'closed') return 'past';
  if (state === 'dissatisfied' || state === 'return_requested') return 'warn';
  return 'level';
}

/*
 * What each action takes besides the order: opinion ('required' or 'optional'),
 * node (a handling node), days, callback (satisfaction and resolved), photos.
 * The server checks the same (machine.c NEED_* and TAKES_*); asking here only
 * saves a round trip.  primary: the action most people take from this state.
 */
export const ACTIONS = {
  accept: { primary: true },
  refuse: { opinion: 'required', danger: true },
  answer: { opinion: 'required' },
  dispatch: { node: 'required', opinion: 'optional', primary: true },
  reassign: { node: 'required', opinion: 'required' },
  sign: { primary: true },
  request_return: { opinion: 'required' },
  approve_return: { node: 'optional' },
  refuse_return: { opinion: 'required' },
  request_extension: { opinion: 'required', days: true },
  approve_extension: {},
  refuse_extension: { opinion: 'required' },
  reply: { opinion: 'required', photos: true, primary: true },
  approve_review: { opinion: 'optional', primary: true },
  reject_review: { opinion: 'required' },
  callback: { callback: true, opinion: 'optional', primary: true },
  redo: { opinion: 'required' },
  close: { opinion: 'required' },
  reopen: { opinion: 'required' },
  supervise: { opinion: 'required' },
  escalate: { opinion: 'required' },
};

/** Uploads the chosen image files; resolves to their ids. */
export async function uploadPhotos(files, signal) {
  const ids = [];
  for (const file of files) {
    const answer = await upload('/uploads', file, signal);
    for (const u of answer) ids.push(u.id);
  }
  return ids;
}

/** The address of a photo (the server streams it to those who may see it). */
export const photoUrl = (id) => `/api/v1/uploads/${encodeURIComponent(id)}`;

/** A deadline of the order, marked 暂定 when counted on a provisional calendar (that year's holidays not loaded yet). */
export function dueText(o, field = 'deadline') {
  if (!o[field]) return null;
  if (!(o.provisional || []).includes(field)) return fmtDateTime(o[field]);
  return h('span', fmtDateTime(o[field]), ' ',
    h('span.badge.badge--provisional', { title: t('wo.provisional.help') }, t('wo.provisional')));
}
