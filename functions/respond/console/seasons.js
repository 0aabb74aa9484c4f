// The "Coming up" view: seasonal claims entering their season in the next weeks, so educators can prepare replies
// before the posts arrive, and the claims in season now (GET /v1/claims:coming-up). Self-contained: app.js only
// calls showComingUp() when the view opens. Everything is rendered as text.

import { api } from "./api.js";
import { fill, h } from "./dom.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function monthsText(months) {
  return months.map((m) => MONTHS[m - 1]).join(", ");
}

function dayText(iso) {
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString(undefined, { day: "numeric", month: "long", timeZone: "UTC" });
}

function claimRow(claim, when) {
  return h(
    "tr",
    { "data-claim": claim.claim_id },
    h("th", { scope: "row" }, claim.statement, h("div", { class: "muted" }, `${claim.topic} · ${claim.verdict} · ${claim.harm} harm`)),
    h("td", {}, when),
    h("td", {}, monthsText(claim.months)),
  );
}

function table(id, rows, whenLabel) {
  const head = h("tr", {}, ...["Claim", whenLabel, "Season"].map((label) => h("th", { scope: "col" }, label)));
  return h("table", { class: "sources-table", id }, h("thead", {}, head), h("tbody", {}, ...rows));
}

/** Load the coming-up list for ``hemisphere`` (or the organisation's) and render it into ``container``. */
export async function showComingUp(container, hemisphere, onError) {
  let data;
  try {
    data = await api("GET", hemisphere ? `v1/claims:coming-up?hemisphere=${encodeURIComponent(hemisphere)}` : "v1/claims:coming-up");
  } catch (error) {
    onError(error);
    return;
  }
  const hemisphereName = data.hemisphere === "south" ? "southern" : "northern";
  const parts = [
    h("p", { class: "summary", id: "coming-up-summary" },
      `${data.entering.length} claim${data.entering.length === 1 ? "" : "s"} entering their season by ${dayText(data.until)} (${hemisphereName} hemisphere).`),
  ];
  parts.push(
    data.entering.length
      ? table("coming-up-entering", data.entering.map((c) => claimRow(c, `from ${dayText(c.starts_on)}`)), "Starts")
      : h("p", { class: "muted" }, "No seasonal claim starts its season in this window."),
  );
  parts.push(h("h2", {}, "In season now"), h("p", { class: "muted" }, "Review items about these claims are ranked higher."));
  parts.push(
    data.in_season.length
      ? table("coming-up-now", data.in_season.map((c) => claimRow(c, "now")), "When")
      : h("p", { class: "muted" }, "No seasonal claim is in season today."),
  );
  fill(container, ...parts);
}
