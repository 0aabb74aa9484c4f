// The trends chart: an inline SVG drawn here (no chart library), so rising myths are seen, not read from a table.

import { s } from "./dom.js";

const LABEL_WIDTH = 320;
const BAR_WIDTH = 300;
const VALUE_WIDTH = 70;
const SPARK_WIDTH = 120;
const RISING_WIDTH = 80;
const ROW_HEIGHT = 46;
const TOP = 34;

function truncate(text, length) {
  const chars = [...text];
  return chars.length > length ? `${chars.slice(0, length - 1).join("")}…` : text;
}

/** The fewest days of counts before the last 24 hours that "rising" compares against: with less history (the
 * service's first days), every claim would look like it is rising. */
export const MIN_HISTORY_DAYS = 3;

/** Whether a claim's last 24 hours are more than twice its daily average of the days before (up to six) — only
 * once the service has counted for at least MIN_HISTORY_DAYS (`historyDays`, from the API). */
export function isRising(row, historyDays = 7) {
  if (!(historyDays >= MIN_HISTORY_DAYS)) return false;
  const days = Math.min(row.daily.length - 1, Math.floor(historyDays) - 1);
  const earlier = row.daily.slice(-1 - days, -1);
  const before = earlier.reduce((sum, day) => sum + day.count, 0) / Math.max(1, earlier.length);
  return row.last_day >= 2 && row.last_day > 2 * before;
}

/** Posts that counter a claim (debunk the myth, support the fact) and questions about it, over the week. */
function otherWeek(row) {
  return ((row.counter_speech || {}).last_week || 0) + ((row.questions || {}).last_week || 0);
}

/** Whether a row has anything to show this week: posts spreading the claim, countering it, or asking about it. */
export function hasActivity(row) {
  return row.last_week > 0 || otherWeek(row) > 0;
}

/** An SVG chart of the busiest claims: bars for posts spreading each one, and beside its name the counter-speech
 * and questions (null when no post about any claim was counted in the week). */
export function trendChart(rows, { limit = 10, historyDays = 7, narrow = false } = {}) {
  const shown = rows.filter(hasActivity).slice(0, limit);
  if (!shown.length) return null;
  // On a phone the chart is drawn for its real width (labels above the bars), so text stays legible instead of
  // being scaled down to a few pixels.
  const g = narrow
    ? { label: 0, bar: 170, value: 40, spark: 90, rising: 60, row: 70, top: 34, offset: 24, chars: 46 }
    : { label: LABEL_WIDTH, bar: BAR_WIDTH, value: VALUE_WIDTH, spark: SPARK_WIDTH, rising: RISING_WIDTH, row: ROW_HEIGHT, top: TOP, offset: 0, chars: 40 };
  const scale = Math.max(1, ...shown.map((row) => row.last_week));
  const sparkMax = Math.max(1, ...shown.flatMap((row) => row.daily.map((day) => day.count)));
  const width = g.label + g.bar + g.value + g.spark + g.rising;
  const height = g.top + shown.length * g.row + 8;
  const sparkX = g.label + g.bar + g.value;
  const LABEL = g.label;
  const summary = shown
    .map((row) => `${row.statement || row.claim_id}: ${row.last_day} spreading in 24 hours, ${row.last_week} in 7 days`)
    .join("; ");

  const svg = s(
    "svg",
    {
      class: ["trend-chart", narrow && "narrow"],
      viewBox: `0 0 ${width} ${height}`,
      role: "img",
      "aria-labelledby": "trend-chart-title trend-chart-desc",
      preserveAspectRatio: "xMinYMin meet",
    },
    s("title", { id: "trend-chart-title" }, "Posts spreading each claim, last 24 hours and last 7 days"),
    s("desc", { id: "trend-chart-desc" }, summary),
    // legend
    s("rect", { class: "bar-week", x: LABEL, y: 6, width: 14, height: 12 }),
    s("text", { class: "legend", x: LABEL + 20, y: 16 }, narrow ? "7 days" : "Spreading, 7 days"),
    s("rect", { class: "bar-day", x: LABEL + (narrow ? 90 : 150), y: 6, width: 14, height: 12 }),
    s("text", { class: "legend", x: LABEL + (narrow ? 110 : 170), y: 16 }, narrow ? "24 hours" : "Spreading, 24 hours"),
    s("text", { class: "legend", x: sparkX, y: 16 }, narrow ? "Daily" : "Each day, 7 days"),
  );

  shown.forEach((row, index) => {
    const y = g.top + index * g.row;
    const by = y + g.offset; // the bars' top: below the label on a phone
    const weekWidth = (row.last_week / scale) * g.bar;
    const dayWidth = (row.last_day / scale) * g.bar;
    const label = row.statement || row.claim_id;
    const counter = (row.counter_speech || {}).last_week || 0;
    const questions = (row.questions || {}).last_week || 0;
    const points = row.daily.map((day, i) => {
      const px = sparkX + (i * (g.spark - 12)) / Math.max(1, row.daily.length - 1);
      const py = by + (g.row - g.offset) - 12 - (day.count / sparkMax) * (g.row - g.offset - 20);
      return [px, py];
    });
    const last = points[points.length - 1];
    const group = s(
      "g",
      { class: "trend-row", dataset: { claimId: row.claim_id } },
      s(
        "title",
        {},
        `${label}: ${row.last_day} spreading in the last 24 hours, ${row.last_week} in the last 7 days; ` +
          `${counter} counter-speech and ${questions} questions in the last 7 days`,
      ),
      narrow
        ? s("text", { class: "trend-label", x: 0, y: y + 16 }, truncate(label, g.chars))
        : [
            s("text", { class: "trend-label", x: LABEL - 10, y: y + 20, "text-anchor": "end" }, truncate(label, g.chars)),
            s(
              "text",
              { class: "trend-id", x: LABEL - 10, y: y + 36, "text-anchor": "end" },
              `${row.topic || ""} · ${counter} counter · ${questions} asked`,
            ),
          ],
      s("rect", { class: "bar-week", x: LABEL, y: by + 6, width: Math.max(weekWidth, 1), height: 14 }),
      s("rect", { class: "bar-day", x: LABEL, y: by + 22, width: Math.max(dayWidth, row.last_day ? 1 : 0), height: 14 }),
      s("text", { class: "trend-value", x: LABEL + g.bar + 8, y: by + 18 }, String(row.last_week)),
      s("text", { class: "trend-value strong", x: LABEL + g.bar + 8, y: by + 34 }, String(row.last_day)),
      s("polyline", { class: "spark", points: points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" ") }),
      s("circle", { class: "spark-dot", cx: last[0].toFixed(1), cy: last[1].toFixed(1), r: 3 }),
      isRising(row, historyDays) ? s("text", { class: "rising", x: sparkX + g.spark + 4, y: by + 26 }, "▲ rising") : null,
      spikeMarks(row, points),
    );
    svg.append(group);
  });
  return svg;
}

/** A diamond over each day of the sparkline on which the detector raised a spike alert for the claim. */
export function spikeMarks(row, points) {
  const spikeDays = new Set((row.alerts || []).filter((a) => a.kind === "spike").map((a) => a.hour.slice(0, 10)));
  return row.daily
    .map((day, i) =>
      spikeDays.has(day.day)
        ? s(
            "text",
            { class: "spike-mark", x: points[i][0].toFixed(1), y: (points[i][1] - 5).toFixed(1), "text-anchor": "middle" },
            s("title", {}, `Spike alert on ${day.day}`),
            "◆",
          )
        : null,
    )
    .filter(Boolean);
}
