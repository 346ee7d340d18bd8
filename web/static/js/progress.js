// The practice page's history panel and per-topic progress chart (inline SVG, no library).
import { el, svg, titleCase, when } from "./dom.js";
import { topicName } from "./topics.js";

/**
 * historyList lists a session's attempts, newest first. With onOpen, each has a button that opens its
 * full grade.
 */
export function historyList(history, onOpen) {
  if (!history || !history.length) return el("p", { class: "meta" }, "No answers yet in this session.");
  const items = [...history].sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
  return el("ol", { class: "history", reversed: true }, items.map((h) => {
    const qid = `history-q-${h.attempt_id}`;
    let open = null;
    if (onOpen && h.attempt_id) {
      open = el("button", { type: "button", class: "link-button", "aria-describedby": qid }, "See the grade");
      open.addEventListener("click", () => onOpen(h));
    }
    return el("li", { class: "history-item" },
      el("p", { class: "history-question", id: qid }, h.question || h.question_id || "(question)"),
      el("p", { class: "meta" },
        el("span", { class: `pill band-${h.band}` }, `${h.score} · ${titleCase(h.band)}`), " ",
        topicName(h.topic) ? `${topicName(h.topic)} · ` : "",
        el("time", { datetime: h.created_at }, when(h.created_at)), " ", open));
  }));
}

function trendWord(trend) {
  if (typeof trend === "number") return trend > 0 ? "improving" : trend < 0 ? "declining" : "steady";
  const t = String(trend || "").toLowerCase();
  if (["up", "improving", "rising", "better"].includes(t)) return "improving";
  if (["down", "declining", "falling", "worse"].includes(t)) return "declining";
  if (["flat", "steady", "stable", "same"].includes(t)) return "steady";
  return t; // "new", "" and anything else the server says
}

const trendArrow = { improving: "↑", declining: "↓", steady: "→" };

/** topicRows merges the session's per-topic summary with the scores of its history, per topic. */
function topicRows(session) {
  const scores = new Map();
  const byTime = [...(session.history || [])].sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
  for (const h of byTime) {
    const key = h.topic || "";
    if (!scores.has(key)) scores.set(key, []);
    scores.get(key).push(h.score);
  }
  const rows = [];
  const seen = new Set();
  for (const t of session.topics || []) {
    seen.add(t.topic);
    rows.push({
      topic: t.topic, attempts: t.attempts, mean: Math.round(t.mean_score),
      trend: trendWord(t.trend), scores: scores.get(t.topic) || [], weakest: t.weakest_key_points || [],
    });
  }
  for (const [topic, s] of scores) {
    if (seen.has(topic)) continue;
    rows.push({ topic, attempts: s.length, mean: Math.round(s.reduce((x, y) => x + y, 0) / s.length), trend: "", scores: s, weakest: [] });
  }
  return rows;
}

/** progressChart draws, per topic, the mean score as a bar and each attempt's score as a dot. */
export function progressChart(session) {
  const rows = topicRows(session);
  if (!rows.length) return el("p", { class: "meta" }, "Your scores per topic appear here after your first answer.");

  const W = 300;
  const left = 8;
  const right = 8;
  const rowH = 62;
  const top = 6;
  const plotW = W - left - right;
  const H = top + rows.length * rowH + 4;
  const x = (score) => left + (Math.max(0, Math.min(100, score)) / 100) * plotW;
  const titleId = `chart-title-${Date.now()}`;
  const descId = `${titleId}-desc`;
  const desc = rows.map((r) =>
    `${topicName(r.topic) || "Other questions"}: ${r.attempts} ${r.attempts === 1 ? "attempt" : "attempts"}, mean score ${r.mean}` +
    (r.scores.length ? `, scores ${r.scores.join(", ")}` : "") + (r.attempts > 1 && r.trend ? `, ${r.trend}` : "") + ".").join(" ");

  const chart = svg("svg", {
    class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": `${titleId} ${descId}`,
    preserveAspectRatio: "xMinYMin meet",
  },
  svg("title", { id: titleId }, "Scores by topic"),
  svg("desc", { id: descId }, desc));

  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const stats = `${r.attempts} ${r.attempts === 1 ? "attempt" : "attempts"} · mean ${r.mean}` +
      (r.attempts > 1 && r.trend ? ` · ${trendArrow[r.trend] ? `${trendArrow[r.trend]} ` : ""}${r.trend}` : "");
    const g = svg("g", { class: "chart-row", "data-topic": r.topic },
      svg("text", { x: left, y: y + 13, class: "chart-label" }, topicName(r.topic) || "Other questions"),
      svg("text", { x: left, y: y + 28, class: "chart-stats" }, stats),
      svg("rect", { x: left, y: y + 35, width: plotW, height: 14, rx: 3, class: "chart-track" }),
      svg("rect", { x: left, y: y + 35, width: Math.max(0, x(r.mean) - left), height: 14, rx: 3, class: "chart-bar" }));
    for (const s of r.scores) g.append(svg("circle", { cx: x(s), cy: y + 42, r: 4.5, class: "chart-dot" }));
    chart.append(g);
  });
  const axisY = top + rows.length * rowH;
  for (const v of [0, 50, 100]) {
    chart.append(svg("text", { x: x(v), y: axisY, class: "chart-axis", "text-anchor": v === 0 ? "start" : v === 100 ? "end" : "middle" }, String(v)));
  }

  const parts = [chart, el("p", { class: "meta chart-legend" }, "Bars: mean score per topic. Dots: each answer's score (0–100).")];
  const weak = rows.filter((r) => r.weakest.length);
  if (weak.length) {
    parts.push(el("h3", {}, "Key points to review"));
    parts.push(el("ul", { class: "weak-points" }, weak.flatMap((r) => r.weakest.slice(0, 3).map((k) =>
      el("li", {}, k.text, el("span", { class: "meta" }, ` (${topicName(r.topic)}, missed ${k.misses}×)`))))));
  }
  return el("div", {}, parts);
}
