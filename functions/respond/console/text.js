// Hostile text, shown safely: bidirectional controls made visible (so "@rtl\u202Eevil" cannot pass for "@rtllive")
// and every piece of text from a post isolated (dir=auto in its own box) and clipped (CSS: .untrusted).

import { h } from "./dom.js";

// Explicit embeddings, overrides and isolates, and the invisible direction marks.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
const NAMES = {
  "\u061C": "ALM",
  "\u200E": "LRM",
  "\u200F": "RLM",
  "\u202A": "LRE",
  "\u202B": "RLE",
  "\u202C": "PDF",
  "\u202D": "LRO",
  "\u202E": "RLO",
  "\u2066": "LRI",
  "\u2067": "RLI",
  "\u2068": "FSI",
  "\u2069": "PDI",
};

/** How many bidirectional control characters the text holds. */
export function bidiControls(text) {
  return (String(text || "").match(BIDI_CONTROLS) || []).length;
}

/** The text with each bidirectional control replaced by a visible marker such as ⟨RLO⟩, as DOM nodes: the
 * controls can no longer reorder what follows them, and the educator sees they were there. */
export function revealed(text) {
  const parts = [];
  let last = 0;
  const value = String(text || "");
  for (const match of value.matchAll(BIDI_CONTROLS)) {
    if (match.index > last) parts.push(value.slice(last, match.index));
    const name = NAMES[match[0]] || "BIDI";
    parts.push(h("span", { class: "bidi-mark", title: `a hidden ${name} direction control was here` }, `⟨${name}⟩`));
    last = match.index + match[0].length;
  }
  if (last < value.length) parts.push(value.slice(last));
  return parts;
}

/** Untrusted text (a post, a handle, a colleague's note) in an element of its own: isolated from the text around
 * it (dir=auto, unicode-bidi: isolate), its controls shown, its combining-mark floods clipped to its box. */
export function untrusted(tag, props, text) {
  const cls = ["untrusted", ...(Array.isArray(props.class) ? props.class : [props.class])];
  return h(tag, { ...props, class: cls, dir: "auto" }, revealed(text));
}
