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

/** Whether a claim's last 24 hours are more than twice its daily average of the six days before. */
export function isRising(row) {
  const before = row.daily.slice(0, -1).reduce((sum, day) => sum + day.count, 0) / Math.max(1, row.daily.length - 1);
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
export function trendChart(rows, limit = 10) {
  const shown = rows.filter(hasActivity).slice(0, limit);
  if (!shown.length) return null;
  const scale = Math.max(1, ...shown.map((row) => row.last_week));
  const sparkMax = Math.max(1, ...shown.flatMap((row) => row.daily.map((day) => day.count)));
  const width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH + SPARK_WIDTH + RISING_WIDTH;
  const height = TOP + shown.length * ROW_HEIGHT + 8;
  const sparkX = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
  const summary = shown
    .map((row) => `${row.statement || row.claim_id}: ${row.last_day} spreading in 24 hours, ${row.last_week} in 7 days`)
    .join("; ");

  const svg = s(
    "svg",
    {
      class: "trend-chart",
      viewBox: `0 0 ${width} ${height}`,
      role: "img",
      "aria-labelledby": "trend-chart-title trend-chart-desc",
      preserveAspectRatio: "xMinYMin meet",
    },
    s("title", { id: "trend-chart-title" }, "Posts spreading each claim, last 24 hours and last 7 days"),
    s("desc", { id: "trend-chart-desc" }, summary),
    // legend
    s("rect", { class: "bar-week", x: LABEL_WIDTH, y: 6, width: 14, height: 12 }),
    s("text", { class: "legend", x: LABEL_WIDTH + 20, y: 16 }, "Spreading, 7 days"),
    s("rect", { class: "bar-day", x: LABEL_WIDTH + 150, y: 6, width: 14, height: 12 }),
    s("text", { class: "legend", x: LABEL_WIDTH + 170, y: 16 }, "Spreading, 24 hours"),
    s("text", { class: "legend", x: sparkX, y: 16 }, "Each day, 7 days"),
  );

  shown.forEach((row, index) => {
    const y = TOP + index * ROW_HEIGHT;
    const weekWidth = (row.last_week / scale) * BAR_WIDTH;
    const dayWidth = (row.last_day / scale) * BAR_WIDTH;
    const label = row.statement || row.claim_id;
    const counter = (row.counter_speech || {}).last_week || 0;
    const questions = (row.questions || {}).last_week || 0;
    const points = row.daily.map((day, i) => {
      const px = sparkX + (i * (SPARK_WIDTH - 12)) / Math.max(1, row.daily.length - 1);
      const py = y + ROW_HEIGHT - 12 - (day.count / sparkMax) * (ROW_HEIGHT - 20);
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
      s("text", { class: "trend-label", x: LABEL_WIDTH - 10, y: y + 20, "text-anchor": "end" }, truncate(label, 40)),
      s(
        "text",
        { class: "trend-id", x: LABEL_WIDTH - 10, y: y + 36, "text-anchor": "end" },
        `${row.topic || ""} · ${counter} counter · ${questions} asked`,
      ),
      s("rect", { class: "bar-week", x: LABEL_WIDTH, y: y + 6, width: Math.max(weekWidth, 1), height: 14 }),
      s("rect", { class: "bar-day", x: LABEL_WIDTH, y: y + 22, width: Math.max(dayWidth, row.last_day ? 1 : 0), height: 14 }),
      s("text", { class: "trend-value", x: LABEL_WIDTH + BAR_WIDTH + 8, y: y + 18 }, String(row.last_week)),
      s("text", { class: "trend-value strong", x: LABEL_WIDTH + BAR_WIDTH + 8, y: y + 34 }, String(row.last_day)),
      s("polyline", { class: "spark", points: points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" ") }),
      s("circle", { class: "spark-dot", cx: last[0].toFixed(1), cy: last[1].toFixed(1), r: 3 }),
      isRising(row) ? s("text", { class: "rising", x: sparkX + SPARK_WIDTH + 4, y: y + 26 }, "▲ rising") : null,
    );
    svg.append(group);
  });
  return svg;
}
