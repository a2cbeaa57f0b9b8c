// council.js - courtyard councils in words: seats, pass rules, proposal and meeting states, notice categories.

import { t } from './i18n.js';
import { badge } from './ui.js';

export const SEATS = ['resident_rep', 'party_member', 'building_head', 'property', 'owners_committee', 'grid_member'];
export const CATEGORIES = ['council_result', 'roster', 'party_members', 'policy', 'convention', 'other'];
export const CHOICES = ['yes', 'no', 'abstain'];

export const seatLabel = (s) => t(`council.seat.${s}`);
export const ruleLabel = (r) => t(`council.rule.${r}`);
export const categoryLabel = (c) => t(`notice.category.${c}`);
export const choiceLabel = (c) => t(`council.choice.${c}`);

/** A proposal's state as a badge: passed green, rejected or without quorum red. */
export function proposalBadge(status) {
  const variant = status === 'passed' ? 'ok' : status === 'rejected' || status === 'no_quorum' ? 'danger' : '';
  return badge(t(`council.proposal.status.${status}`), variant);
}

/** "赞成 2 · 反对 0 · 弃权 1（应到 5）" */
export function countsText(r) {
  return r ? t('council.counts', { yes: r.yes, no: r.no, abstain: r.abstain, eligible: r.eligible }) : '';
}
