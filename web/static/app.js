"use strict";
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
  for (const c of children) n.append(c);
  return n;
}

async function api(path, options) {
  let res;
  try {
    res = await fetch(path, options);
  } catch (e) {
    throw new Error("The server cannot be reached.");
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error((body.error && body.error.message) || res.statusText);
  return body;
}

function showError(target, err) {
  target.replaceChildren(el("p", { class: "error", role: "alert" }, err.message));
}

function renderResult(a) {
  const out = [];
  out.push(el("p", { class: "score" }, `${a.score}/100 (${a.band})`));
  if (a.grader.kind === "offline") {
    out.push(el("p", { class: "notice" }, a.grader.fallback
      ? "The language model was unavailable: graded by the offline grader."
      : "Graded by the offline grader (no language model configured)."));
  }
  if (!a.grounded) out.push(el("p", { class: "notice" }, "No close reference in the bank: this grade is not grounded."));
  for (const w of a.warnings || []) out.push(el("p", { class: "notice" }, w));
  out.push(el("h3", {}, "Key points"));
  const kp = el("ul");
  for (const k of a.key_points) kp.append(el("li", { class: k.status }, `${k.status}: ${k.text}`));
  out.push(kp);
  out.push(el("h3", {}, "Feedback"), el("p", {}, a.feedback.summary));
  if (a.followups.length) {
    out.push(el("h3", {}, "Follow-up questions"));
    const fu = el("ol");
    for (const f of a.followups) fu.append(el("li", {}, f.question));
    out.push(fu);
  }
  out.push(el("h3", {}, "References"));
  const refs = el("ul");
  for (const r of a.references) refs.append(el("li", {}, `${r.question || "(passage)"} (source: ${r.source})`));
  out.push(refs);
  $("result").replaceChildren(...out);
}

$("grade-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  $("result").replaceChildren(el("p", {}, "Grading…"));
  const body = { answer: $("answer").value };
  if ($("question-id").value) body.question_id = $("question-id").value;
  else body.question = $("question").value;
  try {
    renderResult(await api("/api/v1/grade", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    }));
  } catch (e) { showError($("result"), e); }
});

$("question").addEventListener("input", () => { $("question-id").value = ""; });

async function loadQuestions(q) {
  try {
    const res = await api("/api/v1/questions?limit=50" + (q ? "&q=" + encodeURIComponent(q) : ""));
    $("questions").replaceChildren(...res.questions.map((question) => {
      const b = el("button", { type: "button" }, "Practise");
      b.addEventListener("click", () => {
        $("question").value = question.text;
        $("question-id").value = question.id;
        $("answer").focus();
      });
      return el("li", {}, `[${question.topic}] ${question.text} `, b);
    }));
  } catch (e) { showError($("questions"), e); }
}

$("search-form").addEventListener("submit", (ev) => { ev.preventDefault(); loadQuestions($("q").value); });
loadQuestions("");
