// The only way the console builds DOM: data becomes text nodes or attribute values, never markup.
// No innerHTML anywhere, so a post that contains <script> or an onerror attribute stays inert text.

const SVG_NS = "http://www.w3.org/2000/svg";
const FORBIDDEN = new Set(["innerHTML", "outerHTML", "srcdoc", "style"]);

function apply(el, props, svg) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (FORBIDDEN.has(key) || (/^on/i.test(key) && typeof value !== "function")) {
      throw new Error(`refusing to set ${key}`);
    }
    if (typeof value === "function" && key.startsWith("on")) {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "class") {
      el.setAttribute("class", Array.isArray(value) ? value.filter(Boolean).join(" ") : value);
    } else if (key === "dataset") {
      for (const [name, data] of Object.entries(value)) el.dataset[name] = String(data);
    } else if (key === "text") {
      el.textContent = String(value);
    } else if (key === "value" && !svg) {
      el.value = String(value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** h("p", {class: "x"}, "text", otherNode): an HTML element; strings become text nodes. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  apply(el, props, false);
  append(el, children);
  return el;
}

/** The same for SVG elements (the trends chart). */
export function s(tag, props = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, props, true);
  append(el, children);
  return el;
}

/** Replace every child of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A URL that is safe to put in href: only http(s), anything else (javascript:, data:) gives null. */
export function safeUrl(value) {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** An external link that opens in a new tab and tells the other site nothing about us. */
export function externalLink(url, label) {
  const href = safeUrl(url);
  if (!href) return h("span", {}, label || String(url || ""));
  return h("a", { href, target: "_blank", rel: "noopener noreferrer", title: href }, label || href);
}
