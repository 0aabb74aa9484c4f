// The "Sources" view: what the scheduled scans watch and whether each source is working (GET /v1/sources).
// Self-contained: app.js only calls showSources() when the view opens. Everything is rendered as text.

import { api } from "./api.js";
import { fill, h } from "./dom.js";

const QUERY_LABELS = {
  keywords: "keywords",
  hashtags: "hashtags",
  feeds: "feeds",
  subreddits: "subreddits",
  instances: "instances",
};
const STATUS_TEXT = { ok: "Working", failing: "Failing", "never run": "Not run yet" };

function whenText(iso) {
  return iso ? new Date(iso).toLocaleString() : "never";
}

function queryText(query) {
  return Object.entries(query || {})
    .map(([part, values]) => `${QUERY_LABELS[part] || part}: ${values.join(", ")}`)
    .join(" · ");
}

function counts(run) {
  return `${run.fetched} fetched · ${run.accepted} new · ${run.duplicates} already seen · ${run.rejected} rejected`;
}

function sourceRow(source) {
  const status = h("span", { class: `source-status source-${source.status.replace(" ", "-")}` }, STATUS_TEXT[source.status] || source.status);
  const schedule = source.enabled ? `every ${source.every_minutes} min` : "by hand only";
  return h(
    "tr",
    {},
    h("th", { scope: "row" }, source.name, h("div", { class: "muted" }, `${source.connector} · ${schedule}`)),
    h("td", {}, status, source.consecutive_failures ? h("div", { class: "muted" }, `${source.consecutive_failures} failed in a row`) : null),
    h("td", {}, queryText(source.query) || "—", source.languages.length ? h("div", { class: "muted" }, `languages: ${source.languages.join(", ")}`) : null),
    h("td", {}, whenText(source.last_success_at)),
    h("td", {}, counts(source.last_run)),
    h("td", {}, counts(source.today)),
    h("td", {}, source.last_error ? h("span", { class: "error" }, `${whenText(source.last_error_at)}: ${source.last_error}`) : "—"),
  );
}

/** Load the sources and render them into ``container``; ``onError`` gets any ApiError. */
export async function showSources(container, onError) {
  let data;
  try {
    data = await api("GET", "v1/sources");
  } catch (error) {
    onError(error);
    return;
  }
  if (!data.sources.length) {
    fill(container, h("p", { class: "muted" }, "No scan source is configured. Operators add them in sources.toml (locally) or the stage configuration (AWS)."));
    return;
  }
  const head = h(
    "tr",
    {},
    ...["Source", "Status", "Watching", "Last success", "Last run", "Today (UTC)", "Last error"].map((label) =>
      h("th", { scope: "col" }, label),
    ),
  );
  fill(container, h("table", { class: "sources-table", id: "sources-table" }, h("thead", {}, head), h("tbody", {}, ...data.sources.map(sourceRow))));
}
