// format.js - how records read in a sentence: a node's place, a person's home.

import { getNode } from './api.js';

/** "君临天下小区 1号楼 1单元 101室": the node under its courtyard (or its community). */
export function placeName(node) {
  if (!node) return '';
  const chain = [...(node.ancestors || []), node];
  const from = chain.findIndex((a) => a.level === 'courtyard');
  const start = from >= 0 ? from : Math.max(0, chain.length - 2);
  return chain.slice(start).map((a) => a.name).join(' ');
}

/** The part of a node's path below its courtyard: "1号楼 1单元 101室". */
export function pathBelowCourtyard(node) {
  if (!node) return '';
  const chain = [...(node.ancestors || []), node];
  const from = chain.findIndex((a) => a.level === 'courtyard');
  return chain.slice(from >= 0 ? from + 1 : chain.length - 1).map((a) => a.name).join(' ');
}

/** Runs fn over items, at most limit at a time. */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next;
      next += 1;
      out[i] = await fn(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Fetches the nodes (with ancestors) behind ids, once each, a few at a time; failures give null. */
export async function nodesById(ids) {
  const out = new Map();
  await mapLimit([...new Set(ids.filter(Boolean))], 6, async (id) => {
    try {
      out.set(id, await getNode(id));
    } catch {
      out.set(id, null);
    }
  });
  return out;
}
