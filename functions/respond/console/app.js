// The review console: health educators work the queue of suggested replies through the review API.
// Plain ES modules, no build step, no framework. Every piece of data reaches the page through dom.js as text.

import {
  api,
  clearToken,
  getToken,
  hostedSignInUrl,
  hostedSignOutUrl,
  identity,
  loadConfig,
  setToken,
  takeTokenFromFragment,
} from "./api.js";
import { isRising, trendChart } from "./chart.js";
import { countedLength, LINK_LENGTH, PLATFORM_LIMITS } from "./counting.js";
import { externalLink, fill, h } from "./dom.js";
import { showSources } from "./sources.js";

const POLL_MS = 5000;
const TRENDS_POLL_MS = 30000;
const PAGE_SIZE = 100;
const DEFAULT_UNDO_SECONDS = 300;
const FRESH_MS = 120000;
const SOON_MS = 30 * 60 * 1000;

const PLATFORM_NAMES = {
  x: "X",
  bluesky: "Bluesky",
  mastodon: "Mastodon",
  facebook: "Facebook",
  instagram: "Instagram",
  youtube: "YouTube",
  reddit: "Reddit",
  news: "News / feed",
};
const VERDICTS = { false: "False", misleading: "Misleading", unproven: "Unproven", true: "True" };
const HARM = { low: "Low harm", medium: "Medium harm", high: "High harm" };
const STATUS_WORDS = { pending: "waiting", approved: "approved", rejected: "rejected", filed: "filed" };
// The reply policy's actions and the post's stance towards its claim, in words.
const ACTION_WORDS = {
  correct: "Correct",
  inform: "Inform: answer the question",
  monitor: "Monitor: counted, not answered",
  none: "No reply",
};
const STANCE_WORDS = {
  supports: "Supports the claim",
  refutes: "Refutes the claim",
  asks: "Asks about the claim",
  neutral: "Neutral mention",
};
const ACTIONS = {
  approve: "approved",
  approve_edited: "approved an edited reply",
  reject: "rejected",
  undo: "undid the decision",
};
const REJECT_REASONS = [
  "Satire or a joke",
  "The post does not make this claim",
  "The post argues against the myth",
  "Already answered by others",
  "A reply would draw more attention to it",
  "Duplicate of another item",
];

const $ = (id) => document.getElementById(id);
const numberFormat = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
let languageNames = null;
try {
  languageNames = new Intl.DisplayNames(["en"], { type: "language" });
} catch {
  languageNames = null;
}

const state = {
  config: {},
  identity: null,
  view: "queue",
  claims: [],
  claimsById: new Map(),
  filters: { status: "pending", action: "", topic: "", platform: "", language: "" },
  find: "",
  items: [],
  nextCursor: null,
  pages: 1,
  signature: "",
  known: null, // item ids already seen with these filters (null right after a filter change)
  newestSeen: 0, // the latest created_at seen, in ms (the server's clock)
  absorbNext: false, // the next load only adds a page ("Load more"): nothing in it is new
  fresh: new Map(), // item id -> when it arrived, for the "New" badge
  languages: new Set(),
  loadingQueue: false,
  queueAgain: false,
  selectedId: null,
  current: null, // the open item
  edits: new Map(), // item id -> the educator's text in the editor, kept across polls and item switches
  busy: false,
  lastUpdated: null,
};

// ---------------------------------------------------------------- small helpers

function platformName(platform) {
  return PLATFORM_NAMES[platform] || platform || "unknown platform";
}

function languageName(code) {
  if (!code) return "Unknown language";
  try {
    return (languageNames && languageNames.of(code)) || code;
  } catch {
    return code;
  }
}

function compact(value) {
  return numberFormat.format(Number(value) || 0);
}

function reachText(reach, full) {
  const r = reach || {};
  const parts = [`${compact(r.views)} views`, `${compact(r.shares)} shares`];
  if (full) parts.push(`${compact(r.likes)} likes`, `${compact(r.followers)} followers`);
  return parts.join(" · ");
}

function duration(ms) {
  const minutes = Math.floor(Math.abs(ms) / 60000);
  if (minutes < 1) return "under a minute";
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days) return `${days} d ${hours} h`;
  if (hours) return `${hours} h ${String(rest).padStart(2, "0")} min`;
  return `${rest} min`;
}

function dueState(iso, now = Date.now()) {
  const left = Date.parse(iso) - now;
  if (left < 0) return { text: `Overdue by ${duration(left)}`, cls: "overdue" };
  return { text: `Due in ${duration(left)}`, cls: left <= SOON_MS ? "soon" : "" };
}

function when(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function ago(iso) {
  const ms = Date.now() - Date.parse(iso);
  return ms < 0 ? `in ${duration(ms)}` : `${duration(ms)} ago`;
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function verdictBadge(verdict) {
  return h("span", { class: `verdict v-${verdict || "unknown"}` }, VERDICTS[verdict] || verdict || "Unknown");
}

function chip(text, cls = "") {
  return h("span", { class: ["chip", cls] }, text);
}

function dueBadge(iso) {
  const due = dueState(iso);
  return h("span", { class: ["due", due.cls], dataset: { due: iso } }, due.text);
}

function actionChip(item) {
  const action = item.action || "correct";
  return chip(ACTION_WORDS[action] || action, `action action-${action}`);
}

/** The policy's flags that change what an educator does with the item, as words (never colour alone). */
function flagChips(item) {
  return [
    item.highest_priority ? chip("First: risky disclosure", "flag flag-risk") : null,
    item.private_reply ? chip("Private reply", "flag") : null,
    item.privacy_report ? chip("Privacy report", "flag flag-privacy") : null,
    item.needs_translation ? chip("Needs translation", "flag flag-translate") : null,
    item.amplify ? chip("Counter-speech", "flag flag-amplify") : null,
  ];
}

function percent(value) {
  return value === null || value === undefined ? "" : ` (${Math.round(Number(value) * 100)} %)`;
}

/** The reach rule for a platform, in words: "below 100 followers and 10 likes + shares". */
function thresholdText(rule) {
  return `below ${compact(rule.followers)} followers and ${compact(rule.engagement)} likes + shares`;
}

function undoWindowMs() {
  const seconds = Number(state.config.undo_window_seconds);
  return (Number.isFinite(seconds) && seconds >= 0 ? seconds : DEFAULT_UNDO_SECONDS) * 1000;
}

function limitFor(item) {
  return PLATFORM_LIMITS[item.platform] || Number(item.draft && item.draft.limit) || 0;
}

function countRule(platform) {
  if (platform === "x") {
    return `X counts every link as ${LINK_LENGTH.x} characters, and emoji, Chinese, Japanese or Korean characters and “…” as 2.`;
  }
  if (LINK_LENGTH[platform]) return `${platformName(platform)} counts every link as ${LINK_LENGTH[platform]} characters.`;
  return `${platformName(platform)} counts every character, links in full.`;
}

let flashTimer = null;
function flash(message, kind = "info") {
  const box = $("flash");
  box.className = `flash ${kind}`;
  box.textContent = message;
  window.clearTimeout(flashTimer);
  flashTimer = window.setTimeout(() => {
    box.textContent = "";
    box.className = "flash";
  }, 7000);
}

/** 401 sends the educator back to sign in (work in memory is kept); returns true when it handled the error. */
function handleAuthError(error) {
  if (error.status === 401) {
    clearToken();
    state.identity = null;
    showSignIn(`Please sign in again: ${error.message}`);
    return true;
  }
  if (error.status === 0) {
    flash(error.message, "warn");
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- signing in

function showSignIn(message) {
  state.identity = null;
  $("nav").hidden = true;
  $("session").hidden = true;
  for (const view of document.querySelectorAll(".view")) view.hidden = true;
  $("signin").hidden = false;
  const error = $("signin-error");
  error.hidden = !message;
  error.textContent = message || "";
  const cognito = state.config.cognito;
  $("hosted-signin").hidden = !(cognito && cognito.domain && cognito.client_id);
  $("token-input").focus();
}

async function startSession(token) {
  const who = identity(token);
  if (!who) {
    clearToken();
    showSignIn("That is not an educator token. Copy the whole line that 'antidote token' printed.");
    return;
  }
  if (who.expires && who.expires < Date.now()) {
    clearToken();
    showSignIn("That token has expired. Get a new one and sign in again.");
    return;
  }
  try {
    await api("GET", "v1/reviews?limit=1");
  } catch (error) {
    clearToken();
    showSignIn(
      error.status === 0 ? error.message : `The service did not accept that token: ${error.message}`,
    );
    return;
  }
  state.identity = who;
  $("signin").hidden = true;
  $("nav").hidden = false;
  $("session").hidden = false;
  fill($("whoami"), "Signed in as ", h("strong", {}, who.user), who.role === "admin" ? " (admin)" : "");
  showView(state.view);
  if (!state.claims.length) loadClaims();
}

function signOut() {
  clearToken();
  const cognito = state.config.cognito;
  if (cognito && cognito.domain && cognito.client_id) {
    window.location.assign(hostedSignOutUrl(cognito));
  } else {
    window.location.replace(window.location.pathname); // a fresh page: nothing of this session stays in memory
  }
}

// ---------------------------------------------------------------- views

function showView(view) {
  state.view = view;
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== `view-${view}`;
  for (const tab of document.querySelectorAll("#nav .tab")) {
    if (tab.dataset.view === view) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  if (view === "queue") refreshQueue();
  if (view === "trends") loadTrends();
  if (view === "kb") renderKb();
  if (view === "sources") {
    showSources(document.getElementById("sources-list"), (error) => {
      if (!handleAuthError(error)) flash(`Could not load the sources: ${error.message}`, "error");
    });
  }
}

// ---------------------------------------------------------------- claims (knowledge base, topic filter)

function searchable(text) {
  return String(text || "")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase();
}

async function loadClaims() {
  try {
    const data = await api("GET", "v1/claims");
    state.claims = data.claims.map((claim) => ({
      ...claim,
      haystack: searchable(
        [
          claim.id,
          claim.statement,
          claim.topic,
          claim.correction,
          ...(claim.variants || []),
          ...Object.values(claim.translations || {}).flatMap((t) => [t.statement, ...(t.variants || [])]),
        ].join(" \n "),
      ),
    }));
    state.claimsById = new Map(state.claims.map((claim) => [claim.id, claim]));
    state.kbVersion = data.kb_version;
    for (const claim of state.claims) {
      state.languages.add(claim.language);
      for (const lang of Object.keys(claim.translations || {})) state.languages.add(lang);
    }
    fillTopicFilter();
    fillLanguageFilter();
    if (state.view === "kb") renderKb();
  } catch (error) {
    if (!handleAuthError(error)) flash(`Could not load the knowledge base: ${error.message}`, "error");
  }
}

function fillTopicFilter() {
  const select = $("f-topic");
  const topics = [...new Set(state.claims.map((claim) => claim.topic))].sort();
  const chosen = select.value;
  fill(
    select,
    h("option", { value: "" }, "All topics"),
    topics.map((topic) => h("option", { value: topic }, topic.replace(/-/g, " "))),
  );
  select.value = chosen;
}

function fillLanguageFilter() {
  const select = $("f-language");
  const chosen = select.value;
  const codes = [...state.languages].filter(Boolean).sort();
  fill(
    select,
    h("option", { value: "" }, "All languages"),
    codes.map((code) => h("option", { value: code }, `${languageName(code)} (${code})`)),
  );
  select.value = chosen;
}

function renderKb() {
  const terms = searchable($("kb-search").value).split(/\s+/).filter(Boolean);
  const verdict = $("kb-verdict").value;
  const staleOnly = $("kb-stale").checked;
  const matches = state.claims.filter(
    (claim) =>
      (!verdict || claim.verdict === verdict) &&
      (!staleOnly || claim.stale) &&
      terms.every((term) => claim.haystack.includes(term)),
  );
  const stale = state.claims.filter((claim) => claim.stale).length;
  $("kb-summary").textContent = state.claims.length
    ? `${matches.length} of ${plural(state.claims.length, "claim")} · ${stale} overdue for review` +
      (state.kbVersion ? ` · version ${state.kbVersion}` : "")
    : "Loading the knowledge base…";
  fill($("kb-list"), matches.slice(0, 200).map(claimCard));
}

function claimCard(claim) {
  const languages = Object.keys(claim.translations || {});
  return h(
    "article",
    { class: ["claim-card", claim.stale && "stale"], dataset: { claimId: claim.id } },
    h("h2", { class: "claim-statement" }, claim.statement),
    h(
      "p",
      { class: "meta" },
      verdictBadge(claim.verdict),
      chip(claim.topic.replace(/-/g, " ")),
      chip(HARM[claim.harm] || claim.harm, `harm-${claim.harm}`),
      h("code", { class: "claim-id" }, claim.id),
    ),
    claim.verdict === "true" ? null : h("p", {}, h("strong", {}, "Correction: "), claim.correction),
    h(
      "details",
      {},
      h("summary", {}, "Explanation and how people phrase it"),
      h("p", {}, claim.explanation),
      claim.variants && claim.variants.length
        ? h("ul", { class: "variants" }, claim.variants.map((variant) => h("li", {}, h("q", {}, variant))))
        : null,
    ),
    h(
      "p",
      { class: "sources-line" },
      h("strong", {}, "Sources: "),
      claim.sources.map((source, index) => [index ? " · " : "", externalLink(source.url, source.publisher)]),
    ),
    h(
      "p",
      { class: "dates" },
      `Last reviewed ${claim.last_reviewed} · review by ${claim.review_by}`,
      claim.stale ? h("span", { class: "stale-badge" }, "Review overdue") : null,
      languages.length ? ` · also in ${languages.map(languageName).join(", ")}` : "",
    ),
  );
}

// ---------------------------------------------------------------- the queue

function queuePath(cursor) {
  const params = new URLSearchParams({ status: state.filters.status, limit: String(PAGE_SIZE) });
  for (const name of ["action", "topic", "platform", "language"]) {
    if (state.filters[name]) params.set(name, state.filters[name]);
  }
  if (cursor) params.set("cursor", cursor);
  return `v1/reviews?${params}`;
}

async function refreshQueue() {
  if (!state.identity) return;
  if (state.loadingQueue) {
    state.queueAgain = true;
    return;
  }
  state.loadingQueue = true;
  $("queue-list").setAttribute("aria-busy", "true");
  const filters = JSON.stringify(state.filters);
  try {
    const items = [];
    let cursor = null;
    let pages = 0;
    do {
      const page = await api("GET", queuePath(cursor));
      items.push(...page.items);
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < state.pages);
    if (filters === JSON.stringify(state.filters)) applyQueue(items, cursor);
  } catch (error) {
    if (!handleAuthError(error)) flash(`Could not load the queue: ${error.message}`, "error");
  } finally {
    state.loadingQueue = false;
    if (state.queueAgain) {
      state.queueAgain = false;
      refreshQueue();
    } else {
      $("queue-list").removeAttribute("aria-busy");
    }
  }
}

function applyQueue(items, cursor) {
  const previous = new Set(state.items.map((item) => item.item_id));
  const now = Date.now();
  let arrived = 0;
  // New = not seen before with these filters AND queued after everything seen so far (server clock), so items
  // that only move up into view (others were handled) or come with "Load more" are not announced as new.
  if (state.known && !state.absorbNext) {
    for (const item of items) {
      if (!state.known.has(item.item_id) && Date.parse(item.created_at) > state.newestSeen) {
        state.fresh.set(item.item_id, now);
        arrived += 1;
      }
    }
  }
  state.absorbNext = false;
  state.known = new Set([...(state.known || []), ...items.map((item) => item.item_id)]);
  for (const item of items) state.newestSeen = Math.max(state.newestSeen, Date.parse(item.created_at) || 0);
  for (const [id, since] of state.fresh) if (now - since > FRESH_MS) state.fresh.delete(id);
  const languagesBefore = state.languages.size;
  for (const item of items) if (item.language) state.languages.add(item.language);
  if (state.languages.size !== languagesBefore) fillLanguageFilter();

  state.items = items;
  state.nextCursor = cursor;
  state.lastUpdated = new Date();
  const signature = `${items.map((item) => `${item.item_id}:${item.version}`).join(",")}|${[...state.fresh.keys()]}`;
  if (signature !== state.signature) {
    state.signature = signature;
    renderQueue();
  } else {
    renderSummary();
  }
  renderOverview();
  if (arrived) flash(`${plural(arrived, "new item")} in the queue`);
  checkOpenItem(previous, items);
}

function visibleItems() {
  const terms = searchable(state.find).split(/\s+/).filter(Boolean);
  if (!terms.length) return state.items;
  return state.items.filter((item) => {
    const text = searchable(
      [item.claim.statement, item.claim_id, item.topic, item.post.text, item.post.author_handle].join(" \n "),
    );
    return terms.every((term) => text.includes(term));
  });
}

function renderSummary() {
  const visible = visibleItems();
  const overdue = visible.filter((item) => item.status === "pending" && Date.parse(item.sla_due) < Date.now());
  const word = STATUS_WORDS[state.filters.status];
  const parts = [`${plural(visible.length, "item")} ${word}`];
  if (state.find.trim()) parts.push(`matching “${state.find.trim()}”`);
  if (state.lastUpdated) parts.push(`updated ${state.lastUpdated.toLocaleTimeString()}`);
  fill(
    $("queue-summary"),
    parts.join(" · "),
    overdue.length ? [" · ", h("span", { class: "overdue-count" }, `${overdue.length} overdue`)] : null,
  );
  $("queue-empty").hidden = visible.length > 0;
  $("load-more").hidden = !state.nextCursor;
}

function renderQueue() {
  const list = $("queue-list");
  const focused = document.activeElement && document.activeElement.closest("#queue-list button.row");
  const focusedId = focused ? focused.dataset.id : null;
  fill(list, visibleItems().map(queueRow));
  renderSummary();
  if (focusedId) {
    const again = list.querySelector(`button.row[data-id="${CSS.escape(focusedId)}"]`);
    if (again) again.focus({ preventScroll: true });
  }
}

function queueRow(item) {
  const claim = item.claim || {};
  const pending = item.status === "pending";
  const overdue = pending && Date.parse(item.sla_due) < Date.now();
  const open = state.current && state.current.item_id === item.item_id;
  return h(
    "li",
    {},
    h(
      "button",
      {
        type: "button",
        class: ["row", overdue && "overdue", item.item_id === state.selectedId && "selected", open && "open"],
        dataset: { id: item.item_id, status: item.status, priority: item.priority },
        "aria-current": open ? "true" : null,
        onclick: () => {
          select(item.item_id);
          openItem(item.item_id);
        },
      },
      h(
        "span",
        { class: "row-top" },
        pending ? dueBadge(item.sla_due) : statusBadge(item),
        actionChip(item),
        chip(platformName(item.platform), "platform"),
        chip((item.language || "??").toUpperCase(), "lang"),
        verdictBadge(claim.verdict),
        flagChips(item),
        state.fresh.has(item.item_id) ? h("span", { class: "new" }, "New") : null,
      ),
      h("span", { class: "row-claim" }, claim.statement || item.claim_id),
      h(
        "span",
        { class: "row-meta" },
        `${(item.topic || "").replace(/-/g, " ")} · ${reachText(item.post && item.post.reach, false)} · priority ${Number(item.priority).toFixed(1)}`,
      ),
    ),
  );
}

function statusBadge(item) {
  const text = item.status === "filed" ? "Filed" : `${item.status} by ${item.acted_by || "?"}`;
  return h("span", { class: `status status-${item.status}` }, text);
}

function select(id) {
  state.selectedId = id;
  for (const row of document.querySelectorAll("#queue-list button.row")) {
    row.classList.toggle("selected", row.dataset.id === id);
  }
}

function moveSelection(delta) {
  const rows = [...document.querySelectorAll("#queue-list button.row")];
  if (!rows.length) return;
  let index = rows.findIndex((row) => row.dataset.id === state.selectedId);
  if (index < 0) index = delta > 0 ? 0 : rows.length - 1;
  else index = Math.min(rows.length - 1, Math.max(0, index + delta));
  select(rows[index].dataset.id);
  rows[index].focus();
  rows[index].scrollIntoView({ block: "nearest" });
}

/** Someone else acted on the item that is open here: say so, keep the educator's text. */
async function checkOpenItem(previous, items) {
  const current = state.current;
  if (!current || current.status !== "pending" || state.busy) return;
  if (!previous.has(current.item_id) || items.some((item) => item.item_id === current.item_id)) return;
  try {
    const latest = await api("GET", `v1/reviews/${encodeURIComponent(current.item_id)}`);
    if (state.busy || !state.current || state.current.item_id !== latest.item_id) return;
    if (latest.version !== state.current.version && latest.status !== "pending") {
      state.current = latest;
      renderItem(latest, conflictNotice(`This item was ${latest.status} by ${latest.acted_by} while you had it open.`, latest));
      loadAudit(latest.item_id);
    }
  } catch (error) {
    handleAuthError(error);
  }
}

// ---------------------------------------------------------------- one item

let openTicket = 0;

async function openItem(id, notice) {
  state.fresh.delete(id);
  const ticket = ++openTicket; // with several clicks in flight, the last one wins
  try {
    const item = await api("GET", `v1/reviews/${encodeURIComponent(id)}`);
    if (ticket !== openTicket) return;
    state.current = item;
    renderItem(item, notice);
    for (const row of document.querySelectorAll("#queue-list button.row")) {
      const open = row.dataset.id === id;
      row.classList.toggle("open", open);
      if (open) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
      if (open) {
        const badge = row.querySelector(".new");
        if (badge) badge.remove();
      }
    }
    loadAudit(id);
  } catch (error) {
    if (!handleAuthError(error)) flash(`Could not open the item: ${error.message}`, "error");
  }
}

/** The item pane while no item is open: how to start, and the loaded queue at a glance. */
function renderOverview() {
  if (state.current) return;
  const now = Date.now();
  const items = state.items;
  const pending = items.filter((item) => item.status === "pending");
  const overdue = pending.filter((item) => Date.parse(item.sla_due) < now).length;
  const soon = pending.filter((item) => {
    const left = Date.parse(item.sla_due) - now;
    return left >= 0 && left <= SOON_MS;
  }).length;
  const counts = (key) => {
    const tally = new Map();
    for (const item of items) tally.set(key(item), (tally.get(key(item)) || 0) + 1);
    return [...tally].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]))).slice(0, 3);
  };
  const top = (pairs, name) => pairs.map(([value, count]) => `${name(value)} (${count})`).join(", ") || "none";
  fill(
    $("item-pane"),
    h(
      "div",
      { class: "overview" },
      h(
        "p",
        { class: "muted placeholder" },
        "Choose an item to review it: ",
        h("kbd", {}, "j"),
        " / ",
        h("kbd", {}, "k"),
        " move through the list, ",
        h("kbd", {}, "Enter"),
        " opens, ",
        h("kbd", {}, "?"),
        " lists every shortcut.",
      ),
      h("h2", {}, "At a glance"),
      h(
        "dl",
        { class: "facts" },
        fact("In the list", `${plural(items.length, "item")} ${STATUS_WORDS[state.filters.status]}`),
        state.filters.status === "pending"
          ? [
              fact("Overdue", overdue ? h("span", { class: "overdue-count" }, String(overdue)) : "none"),
              fact("Due within 30 min", String(soon)),
            ]
          : null,
        fact("Busiest topics", top(counts((item) => item.topic), (t) => String(t).replace(/-/g, " "))),
        fact("Platforms", top(counts((item) => item.platform), platformName)),
      ),
      reachRules(),
    ),
  );
}

/** The reach thresholds the service applies (from its configuration), per platform. */
function reachRules() {
  const rules = state.config.reach_thresholds || {};
  const platforms = Object.keys(rules);
  if (!platforms.length) return null;
  return h(
    "section",
    { class: "reach-rules", "aria-labelledby": "reach-rules-title" },
    h("h2", { id: "reach-rules-title" }, "Reach rule"),
    h(
      "p",
      { class: "muted" },
      "A post that would get a correction is only monitored — counted in trends, filed, not answered — when its " +
        "account is below both numbers on its platform, so a reply does not amplify it.",
    ),
    h(
      "table",
      { class: "reach-table" },
      h(
        "thead",
        {},
        h("tr", {}, h("th", { scope: "col" }, "Platform"), h("th", { scope: "col" }, "Followers"), h("th", { scope: "col" }, "Likes + shares")),
      ),
      h(
        "tbody",
        {},
        platforms.map((platform) =>
          h(
            "tr",
            { dataset: { platform } },
            h("th", { scope: "row" }, platformName(platform)),
            h("td", {}, compact(rules[platform].followers)),
            h("td", {}, compact(rules[platform].engagement)),
          ),
        ),
      ),
    ),
  );
}

function closeItem() {
  openTicket += 1;
  state.current = null;
  renderOverview();
  for (const row of document.querySelectorAll("#queue-list button.row.open")) {
    row.classList.remove("open");
    row.removeAttribute("aria-current");
  }
  const selected = state.selectedId && document.querySelector(`#queue-list button.row[data-id="${CSS.escape(state.selectedId)}"]`);
  if (selected) selected.focus();
}

function section(id, title, ...children) {
  return h("section", { class: "item-section", "aria-labelledby": id }, h("h3", { id }, title), ...children);
}

function fact(term, ...value) {
  return [h("dt", {}, term), h("dd", {}, ...value)];
}

function redactionText(redactions) {
  const entries = Object.entries(redactions || {}).filter(([, count]) => count);
  if (!entries.length) return "none found";
  return entries.map(([kind, count]) => `${count} ${kind.replace(/_/g, " ")}`).join(", ");
}

function renderItem(item, notice) {
  const claim = item.claim || {};
  const post = item.post || {};
  const match = item.match || {};
  const candidates = [...(match.candidates || [])].sort((a, b) => b.score - a.score);
  const pane = $("item-pane");
  const scroll = pane.scrollTop;
  const stale = claim.review_by && claim.review_by < new Date().toISOString().slice(0, 10);

  fill(
    pane,
    h(
      "article",
      { class: "item", "aria-labelledby": "item-title", dataset: { id: item.item_id, status: item.status } },
      h(
        "header",
        { class: "item-head" },
        h(
          "p",
          { class: "meta" },
          item.status === "pending" ? dueBadge(item.sla_due) : statusBadge(item),
          actionChip(item),
          verdictBadge(claim.verdict),
          chip(HARM[claim.harm] || claim.harm || "", `harm-${claim.harm}`),
          chip(platformName(item.platform), "platform"),
          chip(languageName(item.language), "lang"),
          chip(`priority ${Number(item.priority).toFixed(1)}`),
          flagChips(item),
        ),
        h("h2", { id: "item-title" }, claim.statement || item.claim_id),
        h(
          "button",
          { type: "button", class: "close", "aria-label": "Close this item (Esc)", onclick: closeItem },
          "Close",
        ),
      ),
      h("div", { id: "item-notice", class: "notice-slot" }, notice || null),
      section(
        "h-post",
        `The post on ${platformName(item.platform)}`,
        h("blockquote", { class: "post-text", lang: item.language || null }, post.text || ""),
        h(
          "dl",
          { class: "facts" },
          fact("Author", post.author_handle || "not given"),
          fact("Posted", post.created_at ? `${when(post.created_at)} (${ago(post.created_at)})` : "unknown"),
          fact("Language", languageName(post.language || item.language), post.region ? ` · region ${post.region}` : ""),
          fact("Reach", reachText(post.reach, true)),
          fact("Personal data removed", redactionText(post.redactions)),
          post.url ? fact("Original", externalLink(post.url, "Open the post")) : null,
        ),
        post.discloses_own_health || item.private_reply
          ? h(
              "p",
              { class: "note" },
              item.private_reply
                ? "The author shared something about their own health, so the suggested reply invites a private " +
                    "conversation instead of correcting them in public."
                : "The author shared something about their own health.",
            )
          : null,
      ),
      policySection(item),
      replySection(item),
      section(
        "h-why",
        "Why it matched",
        h(
          "p",
          {},
          h("strong", {}, match.decision === "match" ? "Confident match" : "Possible match (please check)"),
          match.score !== null && match.score !== undefined ? ` · score ${Number(match.score).toFixed(2)}` : "",
          match.kb_version ? ` · knowledge base ${match.kb_version}` : "",
        ),
        match.closest_phrasing
          ? h("p", {}, "Closest known phrasing: ", h("q", {}, match.closest_phrasing))
          : null,
        candidates.length
          ? h(
              "table",
              { class: "candidates" },
              h("caption", {}, "The closest claims in the knowledge base"),
              h(
                "thead",
                {},
                h(
                  "tr",
                  {},
                  h("th", { scope: "col" }, "Claim"),
                  h("th", { scope: "col" }, "Score"),
                  h("th", { scope: "col" }, "Meaning"),
                  h("th", { scope: "col" }, "Words"),
                  h("th", { scope: "col" }, "Closest phrasing"),
                ),
              ),
              h(
                "tbody",
                {},
                candidates.map((c) =>
                  h(
                    "tr",
                    { class: c.claim_id === item.claim_id ? "chosen" : null },
                    h("td", {}, h("code", {}, c.claim_id), " ", verdictBadge(c.verdict)),
                    h("td", {}, Number(c.score).toFixed(2)),
                    h("td", {}, Number(c.dense_similarity).toFixed(2)),
                    h("td", {}, Number(c.lexical_score).toFixed(1)),
                    h("td", {}, c.closest_phrasing),
                  ),
                ),
              ),
            )
          : null,
      ),
      section(
        "h-claim",
        "What is true, and the sources",
        h("p", {}, h("strong", {}, "Correction: "), claim.correction || ""),
        claim.explanation ? h("p", { class: "explanation" }, claim.explanation) : null,
        h(
          "ul",
          { class: "sources" },
          (claim.sources || []).map((source) => h("li", {}, externalLink(source.url, source.publisher))),
        ),
        h(
          "p",
          { class: "dates" },
          `Claim reviewed ${claim.last_reviewed || "?"} · review by ${claim.review_by || "?"}`,
          stale ? h("span", { class: "stale-badge" }, "Review overdue") : null,
        ),
      ),
      section("h-history", "History", h("ol", { id: "audit", class: "audit" }, h("li", { class: "muted" }, "Loading…"))),
    ),
  );
  pane.scrollTop = notice ? 0 : scroll;
  if (item.status === "pending") updateCounter();
  updateCountdowns();
}

function reachRuleText(rule) {
  const measured =
    `On ${platformName(rule.platform)} a correction is only monitored ${thresholdText(rule)}. This account: ` +
    `${compact(rule.post_followers)} followers, ${compact(rule.post_engagement)} likes + shares`;
  if (rule.applied) return `${measured}, below the threshold, so this post is monitored, not answered.`;
  if (rule.reached) return `${measured}, above the threshold.`;
  return `${measured}, below the threshold (the rule applies to public corrections only).`;
}

/** Why the reply policy chose this action: the stance, the verdict, the reason, and the reach rule. */
function policySection(item) {
  const rule = item.reach_rule;
  const stance = item.stance ? `${STANCE_WORDS[item.stance] || item.stance}${percent(item.stance_confidence)}` : "not known";
  return section(
    "h-policy",
    "Why this action",
    h(
      "dl",
      { class: "facts policy" },
      fact("Stance", h("span", { id: "policy-stance", dataset: { stance: item.stance || "" } }, stance)),
      fact("Action", h("span", { id: "policy-action", dataset: { action: item.action } }, ACTION_WORDS[item.action] || item.action)),
      fact("Reason", h("span", { id: "policy-reason" }, item.action_reason || "")),
      rule ? fact("Reach rule", h("span", { id: "policy-reach", dataset: { applied: String(Boolean(rule.applied)) } }, reachRuleText(rule))) : null,
    ),
    item.amplify
      ? h("p", { class: "note ok" }, "This post argues for the evidence: never correct it. Consider amplifying it.")
      : null,
  );
}

function replySection(item) {
  const platform = item.platform;
  if (item.status === "filed") return filedSection(item);
  if (item.status !== "pending") {
    const done =
      item.status === "approved"
        ? [
            h("p", {}, `Approved by ${item.acted_by} ${item.acted_at ? ago(item.acted_at) : ""}. The reply:`),
            h("blockquote", { class: "final-text" }, item.final_text || ""),
          ]
        : [
            h("p", {}, `Rejected by ${item.acted_by} ${item.acted_at ? ago(item.acted_at) : ""}. Reason:`),
            h("blockquote", { class: "final-text" }, item.reject_reason || ""),
          ];
    return section(
      "h-reply",
      "Decision",
      done,
      canUndo(item)
        ? h(
            "p",
            { class: "actions" },
            h(
              "button",
              { type: "button", id: "undo", class: "secondary", "aria-keyshortcuts": "u", onclick: () => act("undo") },
              "Undo ",
              h("kbd", {}, "u"),
            ),
            " ",
            h("span", {
              class: "muted",
              id: "undo-left",
              dataset: { undoUntil: new Date(Date.parse(item.acted_at) + undoWindowMs()).toISOString() },
            }),
          )
        : null,
    );
  }
  const translate = Boolean(item.needs_translation);
  const editor = h("textarea", {
    id: "editor",
    rows: 6,
    "aria-describedby": translate ? "counter count-rule reference-label" : "counter count-rule",
    lang: (item.draft && item.draft.language) || null,
    placeholder: translate ? `Write the reply in ${languageName(item.draft.language)}` : null,
  });
  editor.value = state.edits.has(item.item_id) ? state.edits.get(item.item_id) : item.draft.text;
  editor.addEventListener("input", () => {
    if (editor.value === item.draft.text) state.edits.delete(item.item_id);
    else state.edits.set(item.item_id, editor.value);
    updateCounter();
  });
  editor.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      act("approve");
    }
  });
  const reason = h("input", {
    id: "reject-reason",
    type: "text",
    list: "reject-reasons",
    maxlength: 1000,
    required: true,
    autocomplete: "off",
    "aria-keyshortcuts": "r",
  });
  const report = item.draft.variant === "privacy_report";
  return section(
    "h-reply",
    report ? "Report to the platform" : "Suggested reply",
    item.draft.variant === "private_channel"
      ? h("p", { class: "note" }, "This reply only offers a private conversation: no correction in public.")
      : null,
    report
      ? h(
          "p",
          { class: "note" },
          "This post exposes someone's personal data: do not reply to it. Approving records that you sent this " +
            `report to ${platformName(platform)}.`,
        )
      : null,
    item.action === "inform" && !report
      ? h("p", { class: "muted" }, "The author asked a question: the reply answers it.")
      : null,
    translate ? referenceBlock(item, editor) : null,
    h(
      "label",
      { for: "editor" },
      report
        ? "The report (you can edit it)"
        : translate
          ? `Your reply in ${languageName(item.draft.language)} to the post on ${platformName(platform)}`
          : `Reply to the post on ${platformName(platform)} (you can edit it)`,
    ),
    editor,
    h(
      "div",
      { class: "counter-row" },
      h("span", { id: "counter", class: "counter" }),
      h("span", { id: "count-rule", class: "muted" }, countRule(platform)),
      h("span", { id: "counter-live", class: "visually-hidden", "aria-live": "polite" }),
    ),
    h(
      "p",
      { class: "actions" },
      h(
        "button",
        { type: "button", id: "approve", class: "primary", "aria-keyshortcuts": "a", onclick: () => act("approve") },
        report ? "Approve report " : "Approve reply ",
        h("kbd", {}, "a"),
      ),
      " ",
      h(
        "button",
        {
          type: "button",
          id: "restore-draft",
          class: "secondary",
          onclick: () => {
            editor.value = item.draft.text;
            state.edits.delete(item.item_id);
            updateCounter();
            editor.focus();
          },
        },
        "Restore the suggested draft",
      ),
    ),
    h(
      "form",
      {
        id: "reject-form",
        class: "reject-form",
        onsubmit: (event) => {
          event.preventDefault();
          act("reject");
        },
      },
      h("label", { for: "reject-reason" }, "Reason for rejecting ", h("kbd", {}, "r")),
      h("div", { class: "inline" }, reason, h("button", { type: "submit", id: "reject", class: "danger" }, "Reject")),
      h("datalist", { id: "reject-reasons" }, REJECT_REASONS.map((text) => h("option", { value: text }))),
    ),
  );
}

/** No curated text in the post's language: the English draft, clearly a reference to translate, never the reply. */
function referenceBlock(item, editor) {
  const draft = item.draft || {};
  return h(
    "div",
    { class: "reference", id: "reference" },
    h(
      "p",
      { class: "note", id: "reference-label" },
      h("strong", {}, "Needs translation. "),
      `The knowledge base has no ${languageName(draft.language)} text for this claim. Below is the ` +
        `${languageName(draft.reference_language)} draft as a reference to translate — it is not a reply to this ` +
        "post. Approving needs your translated text.",
    ),
    h("blockquote", { class: "reference-text", lang: draft.reference_language || null }, draft.reference || ""),
    h(
      "button",
      {
        type: "button",
        class: "secondary",
        id: "use-reference",
        onclick: () => {
          editor.value = draft.reference || "";
          state.edits.set(item.item_id, editor.value);
          updateCounter();
          editor.focus();
        },
      },
      "Copy the reference into the editor to translate it",
    ),
  );
}

/** An item the policy filed: why, and what was drafted (a monitored correction), but nothing to approve. */
function filedSection(item) {
  const text = item.draft && item.draft.text;
  return section(
    "h-reply",
    "Filed: not in the queue",
    h(
      "p",
      { class: "note", id: "filed-note" },
      item.action === "monitor"
        ? "Counted in the trends, not answered: the account is below the reach rule, so a reply would amplify it."
        : item.amplify
          ? "Counter-speech: the post argues for the evidence. It is never corrected."
          : "Nothing to answer: the post mentions the claim without taking a side.",
    ),
    text
      ? [h("p", {}, "The correction drafted should the post grow:"), h("blockquote", { class: "final-text" }, text)]
      : null,
  );
}

function updateCounter() {
  const item = state.current;
  const editor = $("editor");
  if (!item || !editor) return;
  const limit = limitFor(item);
  const length = countedLength(editor.value, item.platform);
  const over = length > limit;
  const counter = $("counter");
  counter.textContent = over
    ? `${length} / ${limit} · ${length - limit} over the limit`
    : `${length} / ${limit} characters`;
  counter.classList.toggle("over", over);
  const approve = $("approve");
  const untranslated = item.needs_translation && editor.value.trim() === String(item.draft.reference || "").trim();
  approve.disabled = over || !editor.value.trim() || untranslated || state.busy;
  approve.title = over
    ? `Shorten the reply to ${limit} characters to approve it`
    : untranslated
      ? "Translate the reference before approving"
      : "";
  $("restore-draft").hidden = editor.value === item.draft.text;
  const live = $("counter-live");
  const message = over ? `Over the ${platformName(item.platform)} limit by ${length - limit}. Shorten the reply to approve it.` : "";
  if (live.textContent !== message) live.textContent = message;
}

function canUndo(item) {
  if (!item || item.status === "pending" || !item.acted_at || !state.identity) return false;
  const mine = state.identity.role === "admin" || state.identity.user === item.acted_by;
  return mine && Date.now() - Date.parse(item.acted_at) < undoWindowMs();
}

function itemNotice(content, kind = "error") {
  const slot = $("item-notice");
  if (!slot) {
    flash(typeof content === "string" ? content : "", kind);
    return;
  }
  fill(slot, h("div", { class: `notice ${kind}`, role: "alert" }, content));
}

function conflictNotice(detail, current) {
  const edited = state.edits.get(current && current.item_id);
  return h(
    "div",
    { class: "notice error", role: "alert" },
    h("p", {}, h("strong", {}, "Another educator acted on this item first. "), detail),
    current
      ? h(
          "p",
          {},
          `It is now ${current.status}`,
          current.acted_by ? ` by ${current.acted_by}` : "",
          current.acted_at ? ` (${ago(current.acted_at)})` : "",
          ".",
        )
      : null,
    edited && current && current.status !== "pending"
      ? h("details", {}, h("summary", {}, "Your edited reply (not sent)"), h("blockquote", {}, edited))
      : null,
  );
}

function setBusy(busy) {
  state.busy = busy;
  for (const id of ["approve", "reject", "undo"]) {
    const button = $(id);
    if (button) button.disabled = busy;
  }
  if (!busy) updateCounter();
}

const DONE = { approve: "Reply approved.", reject: "Item rejected.", undo: "Decision undone: the item is back in the queue." };

async function act(kind) {
  const item = state.current;
  if (!item || state.busy) return;
  const path = `v1/reviews/${encodeURIComponent(item.item_id)}/${kind}`;
  let body;
  if (kind === "approve" || kind === "reject") {
    if (item.status !== "pending") {
      itemNotice(`This item is already ${item.status}.`, "warn");
      return;
    }
  }
  if (kind === "approve") {
    const text = $("editor").value;
    const limit = limitFor(item);
    const length = countedLength(text, item.platform);
    if (!text.trim()) {
      itemNotice(item.needs_translation ? `Write the reply in ${languageName(item.draft.language)} first.` : "The reply is empty.");
      return;
    }
    if (item.needs_translation && text.trim() === String(item.draft.reference || "").trim()) {
      itemNotice("This is still the untranslated reference: translate it before approving.");
      return;
    }
    if (length > limit) {
      itemNotice(`The reply is ${length} characters as ${platformName(item.platform)} counts them; the limit is ${limit}.`);
      return;
    }
    body = text === item.draft.text ? { version: item.version } : { text, version: item.version };
  } else if (kind === "reject") {
    const reason = $("reject-reason");
    if (!reason.value.trim()) {
      reason.focus();
      itemNotice("Write why you reject this reply (at least a few words).", "warn");
      return;
    }
    body = { reason: reason.value.trim(), version: item.version };
  } else {
    if (!canUndo(item)) {
      itemNotice(
        item.status === "pending" ? "There is no decision to undo." : "The undo window has passed or the decision is not yours.",
        "warn",
      );
      return;
    }
    body = { version: item.version };
  }
  setBusy(true);
  try {
    const updated = await api("POST", path, body);
    if (kind === "approve") state.edits.delete(item.item_id);
    if (kind === "undo" && item.final_text && item.final_text !== item.draft.text) {
      state.edits.set(item.item_id, item.final_text);
    }
    state.current = updated;
    state.busy = false;
    renderItem(updated);
    flash(DONE[kind], "success");
    const minutes = Math.round(undoWindowMs() / 60000);
    itemNotice(
      DONE[kind] + (kind === "undo" || !minutes ? "" : ` You can undo it for ${plural(minutes, "minute")} (u).`),
      "success",
    );
    refreshQueue();
    loadAudit(updated.item_id);
  } catch (error) {
    if (handleAuthError(error)) return;
    if (error.status === 409) {
      const current = error.problem.current;
      const notice = conflictNotice(error.problem.detail || error.message, current);
      if (current && current.item_id === item.item_id) {
        state.current = current;
        state.busy = false;
        renderItem(current, notice);
      } else {
        itemNotice(notice);
      }
      refreshQueue();
      openItem(item.item_id, conflictNotice(error.problem.detail || error.message, current)); // refresh the item
      return;
    }
    const detail = String(error.problem.detail || error.message).replace(/\bbody\./g, "");
    itemNotice(`The service refused this: ${detail}`);
  } finally {
    setBusy(false);
  }
}

async function loadAudit(id) {
  try {
    const events = await api("GET", `v1/reviews/${encodeURIComponent(id)}/audit`);
    const list = $("audit");
    if (!list || !state.current || state.current.item_id !== id) return;
    if (!events.length) {
      fill(list, h("li", { class: "muted" }, `Queued ${when(state.current.created_at)}; no decision yet.`));
      return;
    }
    fill(
      list,
      events.map((event) =>
        h(
          "li",
          { dataset: { action: event.action } },
          h("time", { datetime: event.at }, when(event.at)),
          " — ",
          h("strong", {}, event.actor),
          event.role === "admin" ? " (admin)" : "",
          ` ${ACTIONS[event.action] || event.action}`,
          event.after && event.after.reject_reason ? [": ", h("q", {}, event.after.reject_reason)] : "",
        ),
      ),
    );
  } catch (error) {
    handleAuthError(error);
  }
}

// ---------------------------------------------------------------- trends

async function loadTrends() {
  try {
    const data = await api("GET", "v1/trends");
    renderTrends(data);
  } catch (error) {
    if (!handleAuthError(error)) flash(`Could not load the trends: ${error.message}`, "error");
  }
}

function renderTrends(data) {
  $("trends-updated").textContent = `Updated ${new Date(data.generated_at).toLocaleString()}.`;
  const chart = trendChart(data.claims);
  fill($("trend-chart"), chart || h("p", { class: "muted" }, "No posts spreading a claim in the last 7 days."));
  fill(
    $("trend-table"),
    h(
      "table",
      { class: "trend-table" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "Claim"),
          h("th", { scope: "col" }, "Topic"),
          h("th", { scope: "col" }, "Spreading, 24 hours"),
          h("th", { scope: "col" }, "Spreading, 7 days"),
          data.days.map((day) => h("th", { scope: "col" }, day.slice(5))),
          h("th", { scope: "col" }, "Counter-speech, 7 days"),
          h("th", { scope: "col" }, "Questions, 7 days"),
        ),
      ),
      h(
        "tbody",
        {},
        data.claims.map((row) =>
          h(
            "tr",
            {},
            h("td", {}, row.statement || row.claim_id, isRising(row) ? h("span", { class: "rising" }, " ▲ rising") : ""),
            h("td", {}, row.topic || ""),
            h("td", {}, String(row.last_day)),
            h("td", {}, String(row.last_week)),
            row.daily.map((day) => h("td", {}, String(day.count))),
            h("td", { class: "counter-speech" }, String((row.counter_speech || {}).last_week || 0)),
            h("td", { class: "questions" }, String((row.questions || {}).last_week || 0)),
          ),
        ),
      ),
    ),
  );
  fill(
    $("most-pending"),
    data.most_pending.length
      ? data.most_pending.map((row) => {
          const claim = state.claimsById.get(row.claim_id);
          return h(
            "li",
            { dataset: { claimId: row.claim_id } },
            h("span", { class: "pending-count" }, plural(row.pending, "item")),
            " ",
            row.statement || row.claim_id,
            claim
              ? [
                  " ",
                  h(
                    "button",
                    {
                      type: "button",
                      class: "link-button",
                      onclick: () => {
                        state.filters = { status: "pending", action: "", topic: claim.topic, platform: "", language: "" };
                        syncFilterControls();
                        resetQueue();
                        showView("queue");
                      },
                    },
                    `Show ${claim.topic.replace(/-/g, " ")} in the queue`,
                  ),
                ]
              : null,
          );
        })
      : h("li", { class: "muted" }, "Nothing is waiting."),
  );
}

// ---------------------------------------------------------------- filters, timers, keyboard

function syncFilterControls() {
  $("f-status").value = state.filters.status;
  $("f-action").value = state.filters.action;
  $("f-topic").value = state.filters.topic;
  $("f-platform").value = state.filters.platform;
  $("f-language").value = state.filters.language;
}

function resetQueue() {
  state.pages = 1;
  state.known = null;
  state.signature = "";
  state.fresh.clear();
}

function updateCountdowns() {
  const now = Date.now();
  for (const badge of document.querySelectorAll("[data-due]")) {
    const due = dueState(badge.dataset.due, now);
    if (badge.textContent !== due.text) badge.textContent = due.text;
    badge.classList.toggle("overdue", due.cls === "overdue");
    badge.classList.toggle("soon", due.cls === "soon");
    const row = badge.closest("button.row");
    if (row) row.classList.toggle("overdue", due.cls === "overdue");
  }
  const left = $("undo-left");
  if (left) {
    const ms = Date.parse(left.dataset.undoUntil) - now;
    if (ms <= 0) {
      const undo = $("undo");
      if (undo) undo.disabled = true;
      left.textContent = "The undo window has passed.";
    } else {
      const seconds = Math.ceil(ms / 1000);
      left.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")} left to undo`;
    }
  }
}

function isTyping(target) {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
  );
}

function onKey(event) {
  if (!state.identity || $("help").open) return;
  const target = event.target;
  if (isTyping(target)) {
    if (event.key === "Escape") {
      target.blur();
      event.preventDefault();
    }
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  switch (event.key) {
    case "j":
    case "k":
      if (state.view !== "queue") return;
      moveSelection(event.key === "j" ? 1 : -1);
      break;
    case "Enter":
      if (target instanceof HTMLElement && target.closest("button, a, summary")) return; // the element's own action
      if (state.view !== "queue" || !state.selectedId) return;
      openItem(state.selectedId);
      break;
    case "a":
      if (!state.current) return;
      act("approve");
      break;
    case "r": {
      const reason = $("reject-reason");
      if (!reason) return;
      reason.focus();
      break;
    }
    case "u":
      if (!state.current) return;
      act("undo");
      break;
    case "/":
      if (state.view === "kb") $("kb-search").focus();
      else {
        if (state.view !== "queue") showView("queue");
        $("f-find").focus();
      }
      break;
    case "Escape":
      if (!state.current) return;
      closeItem();
      break;
    case "?":
      $("help").showModal();
      break;
    default:
      return;
  }
  event.preventDefault();
}

function bind() {
  $("signin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("token-input");
    const token = input.value.trim().replace(/^bearer\s+/i, "");
    input.value = "";
    if (!token) return;
    setToken(token);
    startSession(token);
  });
  $("hosted-signin-button").addEventListener("click", () => {
    window.location.assign(hostedSignInUrl(state.config.cognito));
  });
  $("sign-out").addEventListener("click", signOut);
  $("help-button").addEventListener("click", () => $("help").showModal());
  for (const tab of document.querySelectorAll("#nav .tab")) {
    tab.addEventListener("click", () => showView(tab.dataset.view));
  }
  for (const form of [$("filters"), $("kb-filters")]) form.addEventListener("submit", (event) => event.preventDefault());
  for (const name of ["status", "action", "topic", "platform", "language"]) {
    $(`f-${name}`).addEventListener("change", (event) => {
      state.filters[name] = event.target.value;
      resetQueue();
      refreshQueue();
    });
  }
  const platforms = $("f-platform");
  for (const [value, label] of Object.entries(PLATFORM_NAMES)) platforms.append(h("option", { value }, label));
  $("f-find").addEventListener("input", (event) => {
    state.find = event.target.value;
    renderQueue();
  });
  $("load-more").addEventListener("click", () => {
    state.pages += 1;
    state.absorbNext = true;
    refreshQueue();
  });
  for (const id of ["kb-search", "kb-verdict", "kb-stale"]) {
    $(id).addEventListener(id === "kb-search" ? "input" : "change", renderKb);
  }
  document.addEventListener("keydown", onKey);
  window.addEventListener("hashchange", () => {
    const handed = takeTokenFromFragment(); // a sign-in link opened in a tab that already shows the console
    if (handed && handed.token) {
      setToken(handed.token);
      startSession(handed.token);
    } else if (handed && handed.error) {
      showSignIn(`Sign-in did not work: ${handed.error}`);
    }
  });
  window.addEventListener("focus", () => {
    if (state.view === "queue") refreshQueue();
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && state.view === "queue") refreshQueue();
  });
  window.setInterval(() => {
    if (!document.hidden && state.view === "queue") refreshQueue();
  }, POLL_MS);
  window.setInterval(() => {
    if (!document.hidden && state.identity && state.view === "trends") loadTrends();
  }, TRENDS_POLL_MS);
  window.setInterval(updateCountdowns, 1000);
}

async function boot() {
  bind();
  state.config = await loadConfig();
  const handed = takeTokenFromFragment();
  if (handed && handed.token) setToken(handed.token);
  const token = getToken();
  if (!token) {
    showSignIn(handed && handed.error ? `Sign-in did not work: ${handed.error}` : null);
    return;
  }
  await startSession(token);
}

boot();
