// The "Voids" view: clusters of health posts that matched no claim, best first (GET /v1/voids), so curators see
// what people talk about that the knowledge base does not answer yet. Self-contained: app.js only calls
// showVoids() when the view opens. Post text is rendered as text, never as markup.

import { api } from "./api.js";
import { fill, h } from "./dom.js";

function tally(counts) {
  return Object.entries(counts || {})
    .map(([key, count]) => `${key} ${count}`)
    .join(" · ");
}

function claimLine(claim) {
  const similarity = `${Math.round(claim.similarity * 100)}% similar`;
  return h("li", {}, h("code", {}, claim.claim_id), ` (${claim.topic}, ${similarity})`, claim.statement ? `: ${claim.statement}` : "");
}

function voidCard(entry) {
  const growth = `${entry.growth} in the last ${entry.growth_hours} h`;
  const command = `antidote kb draft --from-void ${entry.void_id}`;
  return h(
    "li",
    { class: "void-card", "data-void-id": entry.void_id },
    h(
      "h2",
      {},
      `#${entry.rank} · ${entry.size} posts`,
      h("span", { class: "muted" }, ` · ${growth} · topic guess: ${entry.topic_guess || "none"}`),
    ),
    h("p", { class: "muted" }, `Languages: ${tally(entry.languages)} — platforms: ${tally(entry.platforms)} — first seen ${new Date(entry.first_seen).toLocaleString()}`),
    h("h3", {}, "What people say"),
    h("ul", { class: "void-examples" }, ...entry.examples.map((example) => h("li", {}, h("q", {}, example.text), h("span", { class: "muted" }, ` — ${example.platform}, ${example.language || "?"}`)))),
    h("h3", {}, "Closest existing claims"),
    entry.closest_claims.length ? h("ul", { class: "void-claims" }, ...entry.closest_claims.map(claimLine)) : h("p", { class: "muted" }, "none"),
    h("p", { class: "void-draft" }, "Draft a claim from it: ", h("code", {}, command)),
  );
}

/** Load the voids and render them into ``container``; ``onError`` gets any ApiError. */
export async function showVoids(container, onError) {
  let data;
  try {
    data = await api("GET", "v1/voids");
  } catch (error) {
    onError(error);
    return;
  }
  const when = data.clustered_at ? new Date(data.clustered_at).toLocaleString() : "never";
  const summary = h("p", { class: "summary", id: "voids-summary" }, `${data.voids.length} void(s) among ${data.kept_posts} kept health post(s) that matched no claim; last clustered ${when}.`);
  if (!data.voids.length) {
    fill(container, summary, h("p", { class: "muted" }, "No void yet: a void needs several similar health posts that no claim matches."));
    return;
  }
  fill(container, summary, h("ol", { class: "void-list", id: "void-list" }, ...data.voids.map(voidCard)));
}
