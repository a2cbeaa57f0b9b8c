// xml.mjs - a small strict XML reader for the Open311 tests: the declaration, elements, text and the
// five predefined entities; anything else (attributes aside), an unclosed or mismatched tag, text
// outside the root or a second root throws.  Returns { name, children: [...], text }.
export function parseXml(src) {
  let i = 0;
  const fail = (why) => { throw new Error(`bad XML at ${i}: ${why}: ${src.slice(Math.max(0, i - 20), i + 20)}`); };
  const decl = /^<\?xml version="1\.0" encoding="utf-8"\?>\s*/i.exec(src);
  if (!decl) fail('no XML declaration with encoding utf-8');
  i = decl[0].length;
  const entity = (t) => t.replace(/&(amp|lt|gt|quot|apos|[^;]*);/g, (m, e) => {
    const map = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (!(e in map)) fail(`unknown entity ${m}`);
    return map[e];
  });
  function element() {
    const open = /^<([A-Za-z_][\w.-]*)\s*(\/?)>/.exec(src.slice(i));
    if (!open) fail('expected an element');
    i += open[0].length;
    const node = { name: open[1], children: [], text: '' };
    if (open[2]) return node;
    for (;;) {
      const lt = src.indexOf('<', i);
      if (lt < 0) fail(`<${node.name}> is not closed`);
      const text = src.slice(i, lt);
      if (/[<>]/.test(text)) fail('stray angle bracket');
      node.text += entity(text);
      i = lt;
      if (src.startsWith('</', i)) {
        const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(src.slice(i));
        if (!close || close[1] !== node.name) fail(`</${close && close[1]}> closes <${node.name}>`);
        i += close[0].length;
        if (node.children.length && node.text.trim()) fail(`<${node.name}> mixes text and elements`);
        return node;
      }
      node.children.push(element());
    }
  }
  const root = element();
  if (src.slice(i).trim()) fail('content after the root element');
  return root;
}

// The element's children named name.
export const kids = (node, name) => node.children.filter((c) => c.name === name);
// The text of the one child named name (throws when not exactly one).
export function field(node, name) {
  const k = kids(node, name);
  if (k.length !== 1) throw new Error(`<${node.name}> has ${k.length} <${name}>`);
  return k[0].text;
}
// An element turned into a plain object of its children's texts (for leaf-only elements).
export const flat = (node) => Object.fromEntries(node.children.map((c) => [c.name, c.text]));
