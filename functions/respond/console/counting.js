// Reply length as each platform counts it: a line-for-line port of counted_length in
// functions/respond/drafting.py (the server re-checks with that function; tests/e2e compares both).

export const PLATFORM_LIMITS = Object.freeze({
  x: 280,
  bluesky: 300,
  mastodon: 500,
  facebook: 8000,
  instagram: 2200,
  youtube: 10000,
  reddit: 10000,
  news: 10000,
});

// Platforms that count every link as a fixed length whatever the URL (X wraps links in t.co; Mastodon fixes 23).
export const LINK_LENGTH = Object.freeze({ x: 23, mastodon: 23 });

// Python's \s (str.isspace) is not JavaScript's \s: Python adds U+001C-U+001F and U+0085, JavaScript adds U+FEFF.
const WS = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
// Python: https?://\S*[^\s.,;:!?'")\]}>]  (the "u" flag makes classes match whole code points, as Python does).
const LINK_RE = new RegExp(`https?://[^${WS}]*[^${WS}.,;:!?'")\\]}>]`, "gu");

// X counts these code-point ranges as 1 and everything else as 2 (twitter-text config v3).
const X_LIGHT_RANGES = [
  [0x0000, 0x10ff],
  [0x2000, 0x200d],
  [0x2010, 0x201f],
  [0x2032, 0x2037],
];

function xWeight(char) {
  const code = char.codePointAt(0);
  return X_LIGHT_RANGES.some(([low, high]) => low <= code && code <= high) ? 1 : 2;
}

function weigh(text, platform) {
  let total = 0;
  for (const char of text) total += platform === "x" ? xWeight(char) : 1; // code points, not UTF-16 units
  return total;
}

export function platformLimit(platform) {
  const limit = PLATFORM_LIMITS[platform];
  if (limit === undefined) throw new Error(`unknown platform '${platform}'`);
  return limit;
}

/** The length of `text` as `platform` counts it against its limit. */
export function countedLength(text, platform) {
  platformLimit(platform);
  const normalised = text.normalize("NFC");
  const fixed = LINK_LENGTH[platform];
  let total = 0;
  let position = 0;
  for (const match of normalised.matchAll(LINK_RE)) {
    total += weigh(normalised.slice(position, match.index), platform);
    total += fixed !== undefined ? fixed : [...match[0]].length;
    position = match.index + match[0].length;
  }
  return total + weigh(normalised.slice(position), platform);
}

export function fits(text, platform) {
  return countedLength(text, platform) <= platformLimit(platform);
}
