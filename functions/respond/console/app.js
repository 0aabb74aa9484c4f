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
import { isRising, MIN_HISTORY_DAYS, trendChart } from "./chart.js";
import { countedLength, LINK_LENGTH, PLATFORM_LIMITS } from "./counting.js";
import { externalLink, fill, h, safeUrl } from "./dom.js";
import { showSources } from "./sources.js";
import { showVoids } from "./voids.js";
import { showComingUp } from "./seasons.js";
import { bidiControls, revealed, untrusted } from "./text.js";

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
const STATUS_WORDS = {
  pending: "waiting",
  approved: "approved",
  rejected: "rejected",
  filed: "filed",
  escalated: "escalated",
};
const FILTER_NAMES = ["status", "action", "topic", "platform", "language", "region", "claim", "assignee", "q"];
const DEFAULT_FILTERS = { status: "pending", action: "", topic: "", platform: "", language: "", region: "", claim: "", assignee: "", q: "" };
const SUMMARY_MS = 15000; // the totals read every item of the status: refreshed less often than the list
const NARROW = window.matchMedia("(max-width: 48rem)");
const TYPING_BURST_MS = 900; // a letter this soon after another (no other key or click between) is typing
const ITEM_KEYS = new Set(["a", "r", "u", "e"]); // act on the open item: only with the focus inside it
// What the post does, beside the post (the claim's own verdict stays beside the claim).
const POST_STANCE = {
  supports: (verdict) => (verdict === "true" ? "Post supports the fact" : "Post repeats the myth"),
  refutes: (verdict) => (verdict === "true" ? "Post denies the fact" : "Post debunks the myth"),
  asks: () => "Post asks about it",
  neutral: () => "Post mentions it",
};
const DECISION_WORDS = {
  monitor: "Monitor only",
  amplify: "Amplify (counter-speech)",
  escalate: "Escalated",
};
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
  approve_first: "approved (first of two sign-offs)",
  confirm: "confirmed the approval (second sign-off)",
  reject: "rejected",
  undo: "undid the decision",
  monitor: "chose to monitor only",
  amplify: "chose to amplify the post",
  escalate: "escalated",
  assign: "assigned the item",
  unassign: "released the item",
  note: "added a note",
  mark_posted: "marked the reply as posted",
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
  filters: { ...DEFAULT_FILTERS },
  summary: null, // the API's totals for the current filters (every page)
  summaryKey: "",
  summaryAt: 0,
  shortcuts: localStorage.getItem("antidote.shortcuts") !== "off", // WCAG 2.1.4: single-key shortcuts can be off
  lastLetterAt: 0,
  items: [],
  nextCursor: null,
  pages: 1,
  signature: "",
  known: null, // item ids already seen with these filters (null right after a filter change)
  newestSeen: 0, // the latest created_at seen, in ms (the server's clock)
  absorbNext: false, // the next load only adds a page ("Load more"): nothing in it is new
  fresh: new Map(), // item id -> when it arrived, for the "New" badge
  languages: new Set(),
  regions: new Set(), // the posts' regions seen in the queue's summaries, for the region filter
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

/** A moment in the organisation's time zone (the one "same day" SLAs use), else the browser's. */
function when(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  const options = { dateStyle: "medium", timeStyle: "short" };
  try {
    if (state.config.timezone) return date.toLocaleString(undefined, { ...options, timeZone: state.config.timezone });
  } catch {
    // an unknown zone name: the browser's own
  }
  return date.toLocaleString(undefined, options);
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
  const first = item.first_approval;
  return [
    item.highest_priority ? chip("First: risky disclosure", "flag flag-risk") : null,
    item.private_reply ? chip("Private reply", "flag flag-private") : null,
    item.privacy_report ? chip("Privacy report", "flag flag-privacy") : null,
    item.needs_translation ? chip("Needs translation", "flag flag-translate") : null,
    item.amplify ? chip("Counter-speech", "flag flag-amplify") : null,
    item.match && item.match.decision === "review" ? chip("Possible match", "flag flag-possible") : null,
    item.decision ? chip(DECISION_WORDS[item.decision] || item.decision, "flag flag-decision") : null,
    first ? chip(`1 of 2 sign-offs (${first.by})`, "flag flag-signoff") : null,
    item.assignee ? chip(`Taken by ${item.assignee}`, "flag flag-assignee") : null,
    item.posted_url ? chip("Posted", "flag flag-posted") : null,
  ];
}

/** The post's stance towards its claim, as a badge meant to sit beside the post. */
function stanceBadge(item) {
  if (!item.stance) return null;
  const words = (POST_STANCE[item.stance] || (() => item.stance))((item.claim || {}).verdict);
  return h("span", { class: `stance stance-${item.stance}` }, words);
}

/** Whether this educator may confirm (second sign-off) or is waiting for someone else to. */
function signoffState(item) {
  const harm = (item.claim || {}).harm;
  if (!state.config.second_signoff_high_harm || harm !== "high" || item.status !== "pending") return null;
  const first = item.first_approval;
  if (!first) return "first";
  return state.identity && first.by === state.identity.user ? "waiting" : "confirm";
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
  loadAlerts();
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
  if (view === "trends") {
    loadTrends();
    loadAlerts();
  }
  if (view === "kb") renderKb();
  if (view === "sources") {
    showSources(document.getElementById("sources-list"), (error) => {
      if (!handleAuthError(error)) flash(`Could not load the sources: ${error.message}`, "error");
    });
  }
  if (view === "voids") {
    showVoids(document.getElementById("voids-list"), (error) => {
      if (!handleAuthError(error)) flash(`Could not load the voids: ${error.message}`, "error");
    });
  }
  if (view === "coming-up") loadComingUp();
}

function loadComingUp() {
  const hemisphere = document.getElementById("coming-up-hemisphere").value;
  showComingUp(document.getElementById("coming-up-list"), hemisphere, (error) => {
    if (!handleAuthError(error)) flash(`Could not load what is coming up: ${error.message}`, "error");
  });
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

function fillRegionFilter() {
  const select = $("f-region");
  const chosen = select.value;
  fill(
    select,
    h("option", { value: "" }, "All regions"),
    [...state.regions].sort().map((code) => h("option", { value: code }, code)),
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
    h(
      "p",
      { class: "actions" },
      h("button", { type: "button", class: "secondary history-button", onclick: () => showReplyHistory(claim) }, "Reply history"),
    ),
  );
}

const HISTORY_STATUSES = ["approved", "rejected", "pending", "escalated", "filed"];

/** Every review item about a claim — what was sent, approved, rejected, escalated or is waiting — in a dialog. */
async function showReplyHistory(claim) {
  const dialog = $("history");
  fill($("history-title"), "Reply history: ", claim.statement);
  fill($("history-body"), h("p", { class: "muted" }, "Loading…"));
  dialog.showModal();
  try {
    const lists = await Promise.all(
      HISTORY_STATUSES.map((status) => api("GET", `v1/reviews?${new URLSearchParams({ status, claim: claim.id, limit: "100" })}`)),
    );
    const items = lists.flatMap((page) => page.items).sort((a, b) => String(b.updated_at).localeCompare(String(a.updated_at)));
    fill(
      $("history-body"),
      h("p", { id: "history-summary" }, HISTORY_STATUSES.map((status, i) => `${lists[i].items.length}${lists[i].next_cursor ? "+" : ""} ${STATUS_WORDS[status]}`).join(" · ")),
      items.length
        ? h(
            "ol",
            { class: "history-list" },
            items.map((item) =>
              h(
                "li",
                { dataset: { id: item.item_id, status: item.status } },
                h("p", { class: "meta" }, statusBadge(item), " ", chip(platformName(item.platform), "platform"), " ", when(item.acted_at || item.created_at),
                  item.posted_url ? [" · ", externalLink(item.posted_url, "posted")] : ""),
                item.final_text || item.reject_reason || item.decision_reason
                  ? untrusted("blockquote", { class: "final-text" }, item.final_text || item.reject_reason || item.decision_reason)
                  : untrusted("blockquote", { class: "post-text" }, (item.post || {}).text || ""),
              ),
            ),
          )
        : h("p", { class: "muted" }, "No post about this claim has reached the queue yet."),
    );
  } catch (error) {
    if (!handleAuthError(error)) fill($("history-body"), h("p", { class: "error" }, `Could not load the history: ${error.message}`));
  }
}

// ---------------------------------------------------------------- the queue

/** The current filters as query parameters (the API's and the address bar's); "me" is the signed-in educator. */
function filterParams(filters = state.filters) {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = name === "q" ? filters.q.trim() : filters[name];
    if (value) params.set(name, name === "assignee" && value === "me" && state.identity ? state.identity.user : value);
  }
  if (!params.has("status")) params.set("status", "pending");
  return params;
}

function queuePath(cursor, filters = state.filters) {
  const params = filterParams(filters);
  params.set("limit", String(PAGE_SIZE));
  if (cursor) params.set("cursor", cursor);
  return `v1/reviews?${params}`;
}

/** The filters in the address bar, so a filtered queue can be bookmarked, shared and reloaded. */
function writeUrl() {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) if (state.filters[name] && state.filters[name] !== DEFAULT_FILTERS[name]) params.set(name, state.filters[name]);
  const query = params.toString();
  const url = `${window.location.pathname}${query ? `?${query}` : ""}`;
  if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", url);
}

function readUrl() {
  const params = new URLSearchParams(window.location.search);
  for (const name of FILTER_NAMES) if (params.has(name)) state.filters[name] = params.get(name) || "";
  if (!STATUS_WORDS[state.filters.status]) state.filters.status = "pending";
}

/** The API's totals for the current filters (all pages), re-read when the filters change and every SUMMARY_MS. */
async function refreshSummary(force = false) {
  const key = filterParams().toString();
  if (!force && key === state.summaryKey && Date.now() - state.summaryAt < SUMMARY_MS) return;
  state.summaryKey = key;
  state.summaryAt = Date.now();
  try {
    const summary = await api("GET", `v1/reviews:summary?${key}`);
    if (key !== filterParams().toString()) return;
    state.summary = summary;
    const languagesBefore = state.languages.size; // a language only beyond the first page can be filtered too
    for (const code of Object.keys(summary.by_language || {})) if (code) state.languages.add(code);
    if (state.languages.size !== languagesBefore) fillLanguageFilter();
    const regionsBefore = state.regions.size;
    for (const code of Object.keys(summary.by_region || {})) if (code) state.regions.add(code);
    if (state.regions.size !== regionsBefore) fillRegionFilter();
    renderSummary();
    renderOverview();
  } catch (error) {
    state.summaryAt = 0;
    if (!handleAuthError(error)) flash(`Could not count the queue: ${error.message}`, "error");
  }
}

async function refreshQueue() {
  if (!state.identity) return;
  if (state.loadingQueue) {
    state.queueAgain = true;
    return;
  }
  state.loadingQueue = true;
  $("queue-list").setAttribute("aria-busy", "true");
  refreshSummary();
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

/** The list holds what the API returned for the filters and the search (searched on the server, every page). */
function visibleItems() {
  return state.items;
}

function renderSummary() {
  const visible = visibleItems();
  const summary = state.summary;
  const word = STATUS_WORDS[state.filters.status];
  const total = summary ? summary.total : visible.length;
  const parts = [`${plural(total, "item")} ${word}`];
  if (state.filters.q.trim()) parts.push(`matching “${state.filters.q.trim()}”`);
  if (summary && total > visible.length) parts.push(`showing ${visible.length}`);
  if (state.lastUpdated) parts.push(`updated ${state.lastUpdated.toLocaleTimeString()}`);
  const overdue = summary ? summary.overdue : 0;
  fill(
    $("queue-summary"),
    parts.join(" · "),
    overdue ? [" · ", h("span", { class: "overdue-count" }, `${overdue} overdue`)] : null,
  );
  $("queue-empty").hidden = visible.length > 0;
  $("load-more").hidden = !state.nextCursor;
  const bulk = $("bulk-reject");
  if (bulk) bulk.disabled = !(state.filters.status === "pending" && total > 0);
  renderClaimFilter();
}

/** The claim filter (from "Show in queue" or a link) as a removable chip: it has no control of its own. */
function renderClaimFilter() {
  const box = $("claim-filter");
  if (!box) return;
  const id = state.filters.claim;
  box.hidden = !id;
  if (!id) return;
  const claim = state.claimsById.get(id);
  fill(
    box,
    "Only items about: ",
    h("strong", {}, claim ? claim.statement : id),
    " ",
    h(
      "button",
      {
        type: "button",
        class: "link-button",
        id: "clear-claim",
        onclick: () => setFilters({ claim: "" }),
      },
      "Show every claim",
    ),
  );
}

/** Change some filters: the list, the totals and the address bar follow. */
function setFilters(changes) {
  Object.assign(state.filters, changes);
  syncFilterControls();
  resetQueue();
  writeUrl();
  refreshQueue();
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
        stanceBadge(item),
        chip(platformName(item.platform), "platform"),
        chip((item.language || "??").toUpperCase(), "lang"),
        flagChips(item),
        state.fresh.has(item.item_id) ? h("span", { class: "new" }, "New") : null,
      ),
      h("span", { class: "row-claim" }, verdictBadge(claim.verdict), " ", claim.statement || item.claim_id),
      h(
        "span",
        { class: "row-meta" },
        `${(item.topic || "").replace(/-/g, " ")} · ${reachText(item.post && item.post.reach, false)} · priority ${Number(item.priority).toFixed(1)}`,
      ),
    ),
  );
}

function statusBadge(item) {
  const text =
    item.status === "filed" && !item.decision ? "Filed" : `${STATUS_WORDS[item.status] || item.status} by ${item.acted_by || "?"}`;
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

async function openItem(id, notice, { focus = true } = {}) {
  state.fresh.delete(id);
  const ticket = ++openTicket; // with several clicks in flight, the last one wins
  try {
    const item = await api("GET", `v1/reviews/${encodeURIComponent(id)}`);
    if (ticket !== openTicket) return;
    const another = !state.current || state.current.item_id !== id;
    state.current = item;
    renderItem(item, notice);
    document.body.classList.add("item-open"); // on a phone the item takes the screen; Close returns to the list
    if (another || focus) showOpenItem(focus);
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

/** The open item at the top of its pane (and of the screen on a phone), its heading focused so Tab goes on into
 * the item — the post, then the reply editor — rather than through the whole list. */
function showOpenItem(focus) {
  const pane = $("item-pane");
  pane.scrollTop = 0;
  const heading = $("item-title");
  if (NARROW.matches) pane.scrollIntoView({ block: "start" });
  if (focus && heading) heading.focus({ preventScroll: true });
}

/** The item pane while no item is open: how to start, and the whole selection (every page) at a glance. */
function renderOverview() {
  if (state.current) return;
  const summary = state.summary || { total: state.items.length, overdue: 0, due_soon: 0, by_topic: {}, by_platform: {} };
  const overdue = summary.overdue;
  const soon = summary.due_soon;
  const items = { length: summary.total };
  const counts = (tally) =>
    Object.entries(tally || {})
      .sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))
      .slice(0, 3);
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
        fact("Selected", `${plural(items.length, "item")} ${STATUS_WORDS[state.filters.status]}`),
        state.filters.status === "pending"
          ? [
              fact("Overdue", overdue ? h("span", { class: "overdue-count" }, String(overdue)) : "none"),
              fact("Due within 30 min", String(soon)),
            ]
          : null,
        fact("Busiest topics", top(counts(summary.by_topic), (t) => String(t).replace(/-/g, " "))),
        fact("Platforms", top(counts(summary.by_platform), platformName)),
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
  document.body.classList.remove("item-open");
  renderOverview();
  for (const row of document.querySelectorAll("#queue-list button.row.open")) {
    row.classList.remove("open");
    row.removeAttribute("aria-current");
  }
  const selected = state.selectedId && document.querySelector(`#queue-list button.row[data-id="${CSS.escape(state.selectedId)}"]`);
  if (selected) {
    selected.focus({ preventScroll: true });
    selected.scrollIntoView({ block: "nearest" });
  }
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
  // Re-drawing the same item (a poll, an action) keeps the place; another item starts at its top.
  const same = pane.querySelector(`article.item[data-id="${CSS.escape(item.item_id)}"]`);
  const scroll = same ? pane.scrollTop : 0;
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
        h("h2", { id: "item-title", tabindex: "-1" }, claim.statement || item.claim_id),
        h(
          "button",
          { type: "button", class: "close", "aria-label": "Close this item and go back to the list (Esc)", onclick: closeItem },
          "Back to the list",
        ),
      ),
      h("div", { id: "item-notice", class: "notice-slot" }, notice || null),
      section(
        "h-post",
        `The post on ${platformName(item.platform)}`,
        h("p", { class: "post-badges" }, stanceBadge(item) || chip("Stance not known")),
        untrusted("blockquote", { class: "post-text", lang: item.language || null }, post.text || ""),
        bidiControls(post.text) + bidiControls(post.author_handle)
          ? h(
              "p",
              { class: "note", id: "bidi-note" },
              "This post holds hidden direction controls that could reorder its text; each is shown as ⟨…⟩ where it was.",
            )
          : null,
        h(
          "dl",
          { class: "facts" },
          fact("Author", post.author_handle ? untrusted("bdi", { class: "handle" }, post.author_handle) : "not given"),
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
      choicesSection(item),
      teamSection(item),
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

function undoLine(item) {
  if (!canUndo(item)) return null;
  const since = item.acted_at || (item.first_approval && item.first_approval.at);
  return h(
    "p",
    { class: "actions" },
    h(
      "button",
      { type: "button", id: "undo", class: "secondary", "aria-keyshortcuts": "u", onclick: () => act("undo") },
      item.status === "pending" ? "Withdraw my approval " : "Undo ",
      h("kbd", {}, "u"),
    ),
    " ",
    h("span", {
      class: "muted",
      id: "undo-left",
      dataset: { undoUntil: new Date(Date.parse(since) + undoWindowMs()).toISOString() },
    }),
  );
}

/** What was decided, by whom, with its text or reason (escalations and educators' filing included). */
function decisionLines(item) {
  const by = `${item.acted_by || "?"} ${item.acted_at ? ago(item.acted_at) : ""}`;
  if (item.status === "approved") {
    return [h("p", {}, `Approved by ${by}. The reply:`), untrusted("blockquote", { class: "final-text" }, item.final_text || "")];
  }
  if (item.status === "rejected") {
    return [h("p", {}, `Rejected by ${by}. Reason:`), untrusted("blockquote", { class: "final-text" }, item.reject_reason || "")];
  }
  return [
    h("p", { id: "decision-note" }, `${DECISION_WORDS[item.decision] || item.status} by ${by}`,
      item.escalation_kind ? ` — ${item.escalation_kind}` : "", item.decision_reason ? ":" : "."),
    item.decision_reason ? untrusted("blockquote", { class: "final-text" }, item.decision_reason) : null,
  ];
}

/** After approval: copy the reply to post it, then record where it was posted. */
function postedBlock(item) {
  const copy = h("button", { type: "button", id: "copy-reply", class: "secondary", onclick: () => copyReply(item) }, "Copy the reply");
  if (item.posted_url) {
    return h(
      "div",
      { class: "posted" },
      h("p", { id: "posted-note" }, `Posted by ${item.posted_by} ${ago(item.posted_at)}: `, externalLink(item.posted_url, item.posted_url)),
      h("p", { class: "actions" }, copy),
    );
  }
  return h(
    "div",
    { class: "posted" },
    h("p", { class: "muted" }, "Post the reply on the platform yourself, then record where it went."),
    h("p", { class: "actions" }, copy),
    h(
      "form",
      { id: "posted-form", class: "inline-form", onsubmit: (event) => { event.preventDefault(); act("posted"); } },
      h("label", { for: "posted-url" }, "Link to the posted reply"),
      h(
        "div",
        { class: "inline" },
        h("input", { id: "posted-url", type: "url", inputmode: "url", required: true, autocomplete: "off", placeholder: "https://…" }),
        h("button", { type: "submit", id: "mark-posted", class: "primary" }, "Mark as posted"),
      ),
    ),
  );
}

async function copyReply(item) {
  try {
    await navigator.clipboard.writeText(item.final_text || "");
    itemNotice("The reply is copied: paste it on the platform, then mark it as posted.", "success");
  } catch {
    const quote = document.querySelector("#item-pane .final-text");
    if (quote) window.getSelection().selectAllChildren(quote);
    itemNotice("The browser did not allow copying: the reply is selected, press Ctrl+C (⌘C) to copy it.", "warn");
  }
}

function replySection(item) {
  const platform = item.platform;
  if (item.status === "filed" && !item.decision) return filedSection(item);
  if (item.status !== "pending") {
    return section(
      "h-reply",
      "Decision",
      decisionLines(item),
      item.status === "approved" ? postedBlock(item) : null,
      undoLine(item),
    );
  }
  const signoff = signoffState(item);
  const translate = Boolean(item.needs_translation);
  const editor = h("textarea", {
    id: "editor",
    rows: 6,
    "aria-describedby": translate ? "counter count-rule reference-label" : "counter count-rule",
    lang: (item.draft && item.draft.language) || null,
    placeholder: translate ? `Write the reply in ${languageName(item.draft.language)}` : null,
  });
  const startText = signoff === "confirm" ? item.first_approval.text : item.draft.text;
  editor.value = state.edits.has(item.item_id) ? state.edits.get(item.item_id) : startText;
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
    signoffNote(item, signoff),
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
        signoff === "confirm"
          ? "Confirm the approval (2 of 2) "
          : signoff === "first"
            ? "Approve (1 of 2) "
            : report
              ? "Approve report "
              : "Approve reply ",
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

/** Second sign-off for a high-harm claim: who approved first, and what this educator can do. */
function signoffNote(item, signoff) {
  if (!signoff) return null;
  const first = item.first_approval;
  if (signoff === "first") {
    return h("p", { class: "note", id: "signoff-note" }, "High-harm claim: after you approve, a second educator must confirm the same text before it counts as approved.");
  }
  if (signoff === "waiting") {
    return [
      h("p", { class: "note", id: "signoff-note" }, `You approved this text ${ago(first.at)}. It waits for a second educator to confirm it.`),
      undoLine(item),
    ];
  }
  return h(
    "p",
    { class: "note", id: "signoff-note" },
    `${first.by} approved this text ${ago(first.at)}. Confirm it to approve it (2 of 2); if you edit it, your version becomes the first approval and needs someone else to confirm.`,
  );
}

/** Instead of a reply: monitor only, amplify a post that debunks, or escalate (privacy or safeguarding). */
function choicesSection(item) {
  const open = item.status === "pending" || (item.status === "filed" && !item.decision);
  if (!open) return null;
  return section(
    "h-choices",
    "Other choices",
    h(
      "p",
      { class: "actions" },
      item.status === "pending"
        ? h("button", { type: "button", id: "monitor", class: "secondary", onclick: () => act("decide", { decision: "monitor" }) }, "Monitor only (no reply)")
        : null,
      " ",
      item.amplify
        ? h("button", { type: "button", id: "amplify", class: "secondary", onclick: () => act("decide", { decision: "amplify" }) }, "Amplify this post")
        : null,
    ),
    h(
      "form",
      { id: "escalate-form", class: "escalate-form", onsubmit: (event) => { event.preventDefault(); act("decide", { decision: "escalate" }); } },
      h(
        "div",
        { class: "field" },
        h("label", { for: "escalate-kind" }, "Escalate for"),
        h(
          "select",
          { id: "escalate-kind" },
          h("option", { value: "safeguarding" }, "Safeguarding (someone may be at risk)"),
          h("option", { value: "privacy" }, "Privacy (personal data exposed)"),
        ),
      ),
      h(
        "div",
        { class: "field grow" },
        h("label", { for: "escalate-reason" }, "Why (for the lead who takes it)"),
        h("div", { class: "inline" }, h("input", { id: "escalate-reason", type: "text", maxlength: 1000, autocomplete: "off" }),
          h("button", { type: "submit", id: "escalate", class: "danger" }, "Escalate")),
      ),
    ),
  );
}

/** Who has the item, and the team's internal notes on it (never sent). */
function teamSection(item) {
  const me = state.identity ? state.identity.user : "";
  const notes = item.notes || [];
  return section(
    "h-team",
    "Team",
    h(
      "p",
      { id: "assignee-line" },
      item.assignee ? ["Taken by ", h("strong", {}, item.assignee), item.assignee === me ? " (you)" : "", ". "] : "Nobody has taken this item. ",
      item.assignee === me
        ? h("button", { type: "button", id: "release", class: "link-button", onclick: () => act("assign", { assignee: null }) }, "Release it")
        : h("button", { type: "button", id: "take", class: "link-button", onclick: () => act("assign", { assignee: me }) }, "Take it"),
    ),
    h(
      "form",
      { id: "assign-form", class: "inline-form", onsubmit: (event) => { event.preventDefault(); act("assign", { assignee: $("assign-to").value.trim() }); } },
      h("label", { for: "assign-to" }, "Hand it to a colleague (their user name)"),
      h("div", { class: "inline" }, h("input", { id: "assign-to", type: "text", autocomplete: "off", maxlength: 64, pattern: "[A-Za-z0-9][A-Za-z0-9._@+\\-]{0,63}" }),
        h("button", { type: "submit", class: "secondary" }, "Assign")),
    ),
    h(
      "ol",
      { class: "notes", id: "notes" },
      notes.length
        ? notes.map((note) => h("li", {}, h("strong", {}, note.by), ` ${when(note.at)}: `, untrusted("span", { class: "note-text" }, note.text)))
        : h("li", { class: "muted" }, "No notes yet."),
    ),
    h(
      "form",
      { id: "note-form", class: "inline-form", onsubmit: (event) => { event.preventDefault(); act("notes"); } },
      h("label", { for: "note-text" }, "Internal note (only your team sees it)"),
      h("div", { class: "inline" }, h("textarea", { id: "note-text", rows: 2, maxlength: 2000 }),
        h("button", { type: "submit", class: "secondary", id: "add-note" }, "Add note")),
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

/** An item the policy filed: why, and what was drafted (a monitored correction), but nothing to approve (it can still
 * be amplified or escalated, below). */
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
  if (!item || !state.identity) return false;
  const admin = state.identity.role === "admin";
  if (item.status === "pending") {
    const first = item.first_approval;
    return Boolean(first) && (admin || first.by === state.identity.user);
  }
  if (!item.acted_at || item.posted_url) return false;
  const mine = admin || state.identity.user === item.acted_by;
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

const ACTION_BUTTONS = ["approve", "reject", "undo", "monitor", "amplify", "escalate", "mark-posted", "add-note", "take", "release"];

function setBusy(busy) {
  state.busy = busy;
  for (const id of ACTION_BUTTONS) {
    const button = $(id);
    if (button) button.disabled = busy;
  }
  if (!busy) updateCounter();
}

const DONE = {
  approve: "Reply approved.",
  approve_first: "Approved (1 of 2): a second educator must now confirm it.",
  reject: "Item rejected.",
  undo: "Decision undone.",
  monitor: "Filed to monitor only: no reply.",
  amplify: "Filed to amplify: share or boost the post.",
  escalate: "Escalated: it has left the queue for the lead.",
  assign: "Assignment saved.",
  notes: "Note added.",
  posted: "Marked as posted.",
};

/** The request body for an action, or null (with a message shown) when it cannot be sent as it is. */
function actionBody(kind, item, extra) {
  if ((kind === "approve" || kind === "reject") && item.status !== "pending") {
    itemNotice(`This item is already ${STATUS_WORDS[item.status] || item.status}.`, "warn");
    return null;
  }
  if (kind === "approve") return approveBody(item);
  if (kind === "reject") {
    const reason = $("reject-reason");
    if (!reason.value.trim()) {
      reason.focus();
      itemNotice("Write why you reject this reply (at least a few words).", "warn");
      return null;
    }
    return { reason: reason.value.trim(), version: item.version };
  }
  if (kind === "undo") {
    if (canUndo(item)) return { version: item.version };
    itemNotice(item.status === "pending" ? "There is no decision to undo." : "The undo window has passed or the decision is not yours.", "warn");
    return null;
  }
  if (kind === "decide") return decideBody(item, extra);
  if (kind === "notes") {
    const text = $("note-text").value.trim();
    if (!text) return refuse("note-text", "Write the note first.");
    return { note_id: crypto.randomUUID(), text };
  }
  if (kind === "posted") {
    const url = $("posted-url").value.trim();
    if (!safeUrl(url)) return refuse("posted-url", "Paste the link of the posted reply (starting with https://).");
    return { url };
  }
  if (kind === "assign" && extra.assignee === "") return refuse("assign-to", "Write the colleague's user name.");
  return extra;
}

function refuse(field, message) {
  itemNotice(message, "warn");
  $(field).focus();
  return null;
}

function approveBody(item) {
  const text = $("editor").value;
  const limit = limitFor(item);
  const length = countedLength(text, item.platform);
  if (!text.trim()) {
    itemNotice(item.needs_translation ? `Write the reply in ${languageName(item.draft.language)} first.` : "The reply is empty.");
    return null;
  }
  if (item.needs_translation && text.trim() === String(item.draft.reference || "").trim()) {
    itemNotice("This is still the untranslated reference: translate it before approving.");
    return null;
  }
  if (length > limit) {
    itemNotice(`The reply is ${length} characters as ${platformName(item.platform)} counts them; the limit is ${limit}.`);
    return null;
  }
  if (signoffState(item) === "waiting" && text === item.first_approval.text) {
    itemNotice("You approved this already: a second educator must confirm it.", "warn");
    return null;
  }
  return text === item.draft.text ? { version: item.version } : { text, version: item.version };
}

function decideBody(item, extra) {
  if (extra.decision !== "escalate") return { ...extra, version: item.version };
  const reason = $("escalate-reason").value.trim();
  if (reason.length < 3) return refuse("escalate-reason", "Say why you escalate it (at least a few words).");
  return { decision: "escalate", kind: $("escalate-kind").value, reason, version: item.version };
}

/** What the notice says after an action succeeded. */
function doneMessage(kind, body, updated) {
  if (kind === "approve" && updated.status === "pending") return DONE.approve_first;
  const message = DONE[kind === "decide" ? body.decision : kind];
  const minutes = Math.round(undoWindowMs() / 60000);
  const undoable = ["approve", "reject", "decide"].includes(kind) && minutes;
  return message + (undoable ? ` You can undo it for ${plural(minutes, "minute")} (u).` : "");
}

/** Carry out an action on the open item through the API; afterwards the focus goes to the notice that says what
 * happened (not to the page body), so keyboard and screen-reader users keep their place. */
async function act(kind, extra = {}) {
  const item = state.current;
  if (!item || state.busy) return;
  const body = actionBody(kind, item, extra);
  if (!body) return;
  setBusy(true);
  try {
    const updated = await api("POST", `v1/reviews/${encodeURIComponent(item.item_id)}/${kind}`, body);
    if (kind === "approve") state.edits.delete(item.item_id);
    if (kind === "undo" && item.final_text && item.final_text !== item.draft.text) {
      state.edits.set(item.item_id, item.final_text);
    }
    state.current = updated;
    state.busy = false;
    renderItem(updated);
    itemNotice(doneMessage(kind, body, updated), "success");
    focusNotice();
    refreshQueue();
    refreshSummary(true);
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
      openItem(item.item_id, conflictNotice(error.problem.detail || error.message, current), { focus: false });
      focusNotice();
      return;
    }
    const detail = String(error.problem.detail || error.message).replace(/\bbody\./g, "");
    itemNotice(`The service refused this: ${detail}`);
    focusNotice();
  } finally {
    setBusy(false);
  }
}

function focusNotice() {
  const notice = document.querySelector("#item-notice .notice");
  if (!notice) return;
  notice.setAttribute("tabindex", "-1");
  notice.focus({ preventScroll: true });
  notice.scrollIntoView({ block: "nearest" });
}

/** What an audit event adds in words: a reason, a note, a link, a colleague. */
function auditDetail(event) {
  const after = event.after || {};
  const quoted = (text) => [": ", untrusted("q", {}, text)];
  if (event.action === "reject" && after.reject_reason) return quoted(after.reject_reason);
  if (event.action === "note" && after.note) return quoted(after.note.text);
  if (event.action === "escalate" && after.decision_reason) return quoted(after.decision_reason);
  if (event.action === "mark_posted" && after.posted_url) return [": ", externalLink(after.posted_url, after.posted_url)];
  if (event.action === "assign" && after.assignee) return ` to ${after.assignee}`;
  return "";
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
          auditDetail(event),
        ),
      ),
    );
  } catch (error) {
    handleAuthError(error);
  }
}

// ---------------------------------------------------------------- trends

async function loadTrends() {
  const cut = new URLSearchParams();
  if ($("trend-region").value) cut.set("region", $("trend-region").value);
  if ($("trend-language").value) cut.set("language", $("trend-language").value);
  try {
    const data = await api("GET", `v1/trends${cut.size ? `?${cut}` : ""}`);
    renderTrends(data);
  } catch (error) {
    if (!handleAuthError(error)) flash(`Could not load the trends: ${error.message}`, "error");
  }
}

/** Keep a select's options in step with the values the week's counters hold, keeping the current choice. */
function fillChoices(select, values, everything) {
  const chosen = select.value;
  fill(
    select,
    h("option", { value: "" }, everything),
    [...new Set([...values, chosen].filter(Boolean))].map((v) => h("option", { value: v }, v === "-" ? "not known" : v)),
  );
  select.value = chosen;
}

const ALERT_KINDS = { spike: "Spike", first_seen: "First seen", sentiment_dip: "Sentiment dip" };
const ALERTS_SEEN = "antidote.alertsSeen";

/** The last two days' alerts in the trends view, and on the Trends tab a badge counting those raised since the
 * educator last looked at them (remembered in this browser). */
async function loadAlerts() {
  let data;
  try {
    data = await api("GET", "v1/alerts?days=2");
  } catch (error) {
    if (!handleAuthError(error)) flash(`Could not load the alerts: ${error.message}`, "error");
    return;
  }
  const seen = localStorage.getItem(ALERTS_SEEN) || "";
  const fresh = data.alerts.filter((a) => a.raised_at > seen).length;
  if (state.view === "trends" && data.alerts.length) localStorage.setItem(ALERTS_SEEN, data.alerts.map((a) => a.raised_at).sort().pop());
  const badge = $("alert-badge");
  badge.hidden = state.view === "trends" || !fresh;
  fill(badge, String(fresh), h("span", { class: "visually-hidden" }, fresh === 1 ? " new alert" : " new alerts"));
  fill(
    $("alert-list"),
    data.alerts.length
      ? data.alerts.map((a) =>
          h(
            "li",
            { dataset: { alertId: a.alert_id } },
            h("span", { class: "alert-kind" }, ALERT_KINDS[a.kind] || a.kind),
            `${a.series.replace(":", " ")} — ${a.count} in the hour of ${when(a.hour)} (expected ${a.expected})`,
          ),
        )
      : h("li", { class: "muted" }, "No alerts in the last 2 days."),
  );
}

function renderTrends(data) {
  state.trends = data;
  fillChoices($("trend-region"), data.regions || [], "All regions");
  fillChoices($("trend-language"), data.languages || [], "All languages");
  const history = Number(data.history_days);
  const rising = (row) => isRising(row, history);
  $("trends-updated").textContent =
    `Updated ${when(data.generated_at)}.` +
    (history < MIN_HISTORY_DAYS
      ? ` Antidote has counted posts for ${history < 1 ? "less than a day" : plural(Math.floor(history), "day")}: ` +
        `“rising” needs ${MIN_HISTORY_DAYS} days of history to compare with, so no claim is marked rising yet.`
      : "");
  const chart = trendChart(data.claims, { historyDays: history, narrow: NARROW.matches });
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
            h("td", {}, row.statement || row.claim_id, rising(row) ? h("span", { class: "rising" }, " ▲ rising") : ""),
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
                        state.filters = { ...DEFAULT_FILTERS, claim: claim.id };
                        setFilters({});
                        showView("queue");
                      },
                    },
                    "Show these items in the queue",
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
  for (const name of ["status", "action", "topic", "platform", "language", "region"]) {
    const select = $(`f-${name}`);
    if (state.filters[name] && ![...select.options].some((option) => option.value === state.filters[name])) {
      select.append(h("option", { value: state.filters[name] }, state.filters[name])); // from a link, before the lists load
    }
    select.value = state.filters[name];
  }
  if ($("f-find").value !== state.filters.q) $("f-find").value = state.filters.q;
  $("f-mine").checked = state.filters.assignee === "me";
  renderClaimFilter();
}

function resetQueue() {
  state.pages = 1;
  state.known = null;
  state.signature = "";
  state.summary = null;
  state.summaryKey = "";
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
  if (event.key.length !== 1) state.lastLetterAt = 0; // Enter, Esc, Tab, arrows: the end of any run of typing
  if (isTyping(target)) {
    if (event.key === "Escape") {
      const heading = target.closest("#item-pane") && $("item-title");
      if (heading) heading.focus({ preventScroll: true }); // still in the item: a, u and e work on it
      else target.blur();
      event.preventDefault();
    }
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "Escape" && state.current) {
    closeItem();
    event.preventDefault();
    return;
  }
  if (event.key === "Enter") {
    if (target instanceof HTMLElement && target.closest("button, a, summary, input, select, textarea")) return;
    if (state.view !== "queue" || !state.selectedId) return;
    openItem(state.selectedId);
    event.preventDefault();
    return;
  }
  if (!state.shortcuts || event.key.length !== 1) return;
  // Letters in quick succession are someone typing (a reply, with the focus not yet in the editor): never act on
  // them, and say where the typing should go.
  const now = Date.now();
  const burst = now - state.lastLetterAt < TYPING_BURST_MS;
  state.lastLetterAt = now;
  if (ITEM_KEYS.has(event.key) && (burst || !(target instanceof Element && target.closest("#item-pane")))) {
    // a, r, u and e act on the item being read: only with the focus in it, and never mid-word
    if (state.current) flash(burst ? "That looked like typing: press e (or click the reply) to edit it." : "Press Enter to open the item first: a, r, u and e act on the open item.", "warn");
    event.preventDefault();
    return;
  }
  switch (event.key) {
    case "j":
    case "k":
      if (state.view !== "queue") return;
      moveSelection(event.key === "j" ? 1 : -1);
      break;
    case "e": {
      const editor = $("editor");
      if (!editor) return;
      editor.focus();
      break;
    }
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
  for (const form of [$("filters"), $("kb-filters"), $("coming-up-form")]) form.addEventListener("submit", (event) => event.preventDefault());
  $("coming-up-hemisphere").addEventListener("change", loadComingUp);
  for (const name of ["status", "action", "topic", "platform", "language", "region"]) {
    $(`f-${name}`).addEventListener("change", (event) => setFilters({ [name]: event.target.value }));
  }
  $("f-mine").addEventListener("change", (event) => setFilters({ assignee: event.target.checked ? "me" : "" }));
  $("export-queue").addEventListener("click", () => download(`v1/exports/reviews.csv?${filterParams()}`, `antidote-${state.filters.status}.csv`));
  $("export-audit").addEventListener("click", () => download("v1/exports/audit.csv", "antidote-audit.csv"));
  $("bulk-reject").addEventListener("click", openBulk);
  $("bulk-form").addEventListener("submit", runBulk);
  $("bulk-cancel").addEventListener("click", () => $("bulk").close());
  $("history-close").addEventListener("click", () => $("history").close());
  $("shortcuts-on").checked = state.shortcuts;
  $("shortcuts-on").addEventListener("change", (event) => {
    state.shortcuts = event.target.checked;
    localStorage.setItem("antidote.shortcuts", state.shortcuts ? "on" : "off");
    flash(state.shortcuts ? "Single-key shortcuts are on." : "Single-key shortcuts are off.");
  });
  NARROW.addEventListener("change", () => {
    if (state.trends) renderTrends(state.trends);
  });
  const platforms = $("f-platform");
  for (const [value, label] of Object.entries(PLATFORM_NAMES)) platforms.append(h("option", { value }, label));
  let searchTimer = null;
  $("f-find").addEventListener("input", (event) => {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(() => setFilters({ q: event.target.value }), 300); // searched on the server
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
  document.addEventListener("pointerdown", () => {
    state.lastLetterAt = 0; // a click or a tap ends a run of typing too
  });
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
    if (!document.hidden && state.identity) loadAlerts();
  }, TRENDS_POLL_MS);
  for (const id of ["trend-region", "trend-language"]) $(id).addEventListener("change", () => loadTrends());
  window.setInterval(updateCountdowns, 1000);
}

/** Fetch a CSV export with the educator's token and hand it to the browser as a download. */
async function download(path, filename) {
  try {
    const response = await fetch(new URL(path, document.baseURI), {
      headers: { Authorization: `Bearer ${getToken()}` },
      cache: "no-store",
      credentials: "omit",
    });
    if (response.status === 401) return handleAuthError({ status: 401, message: "your session has ended" });
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    const url = URL.createObjectURL(await response.blob());
    const link = h("a", { href: url, download: filename, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10000);
    flash(`Downloaded ${filename}.`, "success");
  } catch (error) {
    flash(`Could not export: ${error.message}`, "error");
  }
  return true;
}

/** Reject every waiting item of the current selection (all pages): first a confirmation naming how many. */
function openBulk() {
  const total = state.summary ? state.summary.total : state.items.length;
  fill($("bulk-count"), `Reject all ${plural(total, "item")} waiting`, state.filters.q ? ` that match “${state.filters.q}”` : "", " with these filters:");
  fill($("bulk-filters"), describeFilters());
  $("bulk-reason").value = "";
  $("bulk-progress").textContent = "";
  $("bulk").showModal();
  $("bulk-reason").focus();
}

function describeFilters() {
  const f = state.filters;
  const parts = [
    f.action && `action ${ACTION_WORDS[f.action] || f.action}`,
    f.topic && `topic ${f.topic.replace(/-/g, " ")}`,
    f.platform && `platform ${platformName(f.platform)}`,
    f.language && `language ${languageName(f.language)}`,
    f.claim && `claim ${f.claim}`,
    f.assignee && `taken by ${f.assignee === "me" ? "you" : f.assignee}`,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "no filter: the whole queue";
}

async function runBulk(event) {
  event.preventDefault();
  const reason = $("bulk-reason").value.trim();
  if (reason.length < 3) {
    $("bulk-progress").textContent = "Write why (at least a few words).";
    $("bulk-reason").focus();
    return;
  }
  const filters = { ...state.filters, status: "pending" };
  const ids = [];
  let cursor = null;
  do {
    const page = await api("GET", queuePath(cursor, filters));
    ids.push(...page.items.map((item) => [item.item_id, item.version]));
    cursor = page.next_cursor;
  } while (cursor);
  let done = 0;
  const failed = [];
  for (const [id, version] of ids) {
    try {
      await api("POST", `v1/reviews/${encodeURIComponent(id)}/reject`, { reason, version });
      done += 1;
    } catch (error) {
      if (handleAuthError(error)) return;
      failed.push(id);
    }
    $("bulk-progress").textContent = `${done} of ${ids.length} rejected…`;
  }
  $("bulk").close();
  flash(`${plural(done, "item")} rejected${failed.length ? `; ${failed.length} had changed and were left alone` : ""}.`, failed.length ? "warn" : "success");
  resetQueue();
  refreshQueue();
}

async function boot() {
  bind();
  readUrl();
  syncFilterControls();
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
