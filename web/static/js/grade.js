// Rendering of a graded attempt: score, key point checklist with the evidence marked in the answer,
// misconceptions, feedback, model answer, references and follow-up questions.
import { el, prose, svg, titleCase } from "./dom.js";

/** STATUS gives each key point status an icon and a word, so that colour is never the only cue. */
export const STATUS = {
  covered: { label: "Covered", rank: 3 },
  partial: { label: "Partial", rank: 2 },
  contradicted: { label: "Contradicted", rank: 4 },
  missing: { label: "Missing", rank: 1 },
};

/** statusIcon draws a small icon for a key point status (decorative: the word is next to it). */
export function statusIcon(status) {
  const g = svg("svg", { class: `icon icon-${status}`, viewBox: "0 0 16 16", width: 16, height: 16, "aria-hidden": "true", focusable: "false" });
  g.append(svg("circle", { cx: 8, cy: 8, r: 7, class: "icon-ring" }));
  if (status === "covered") g.append(svg("path", { d: "M4.5 8.3l2.3 2.3 4.7-5", class: "icon-stroke" }));
  else if (status === "partial") g.append(svg("path", { d: "M8 1a7 7 0 0 1 0 14z", class: "icon-fill" }));
  else if (status === "contradicted") g.append(svg("path", { d: "M5.2 5.2l5.6 5.6M10.8 5.2l-5.6 5.6", class: "icon-stroke" }));
  else g.append(svg("path", { d: "M5 8h6", class: "icon-stroke" }));
  return g;
}

/** fallbackCause says why the language model did not grade: unavailable, or refused as configured. */
function fallbackCause(grader) {
  const reason = grader.fallback_reason || "";
  if (reason && !reason.startsWith("the language model was unavailable")) {
    return "The language model could not be used as configured";
  }
  return "The language model was unavailable";
}

/** OFFLINE_LIMITS says what the offline grader can and cannot tell, in plain words. */
export const OFFLINE_LIMITS = [
  "It compares the statements of the answer with the key terms of the reference answer, and catches some reversals (a claim negated, two things swapped, an opposite word).",
  "It cannot judge meaning the way an examiner does: a right answer in very different words may score low, and a wrong one that reuses the reference's words may score higher than it should.",
  "Points it could not confirm are marked as such. For a judgement of meaning, configure a language model (OPENAI_API_KEY; see the README).",
];

/** graderNotices says plainly who graded, and warns when the grade is not grounded. */
export function graderNotices(grader, grounded, warnings) {
  const out = [];
  if (grader && grader.kind === "offline") {
    out.push(el("div", { class: "notice notice-offline", role: "note" },
      el("p", {}, el("strong", {}, "Offline grader. "),
        grader.fallback
          ? `${fallbackCause(grader)}, so this answer was graded by the offline grader, which matches words, not meaning.`
          : "This answer was graded by the offline grader, not by a language model: it matches words, not meaning."),
      el("ul", { class: "offline-limits" }, OFFLINE_LIMITS.map((t) => el("li", {}, t)))));
  } else if (grader && grader.kind) {
    out.push(el("p", { class: "meta" }, `Graded by ${grader.model ? `the language model ${grader.model}` : "a language model"}.`));
  }
  const warned = (warnings || []).some((w) => /ground/i.test(w));
  if (grounded === false && !warned) {
    out.push(el("p", { class: "notice" }, el("strong", {}, "Not grounded. "),
      "No reference in the bank is close to this question, so this grade rests on little evidence."));
  }
  for (const w of warnings || []) out.push(el("p", { class: "notice" }, el("strong", {}, "Note: "), titleCase(w)));
  return out;
}

/**
 * noGradeView explains a grade the server refused because nothing in the bank is close enough to
 * the question (error code no_reference): no score, the closest bank questions with their
 * similarity, and what to do. With onPick, each closest question gets a button calling it with
 * {question_id, question}.
 */
export function noGradeView(err, { onPick } = {}) {
  const d = err.details || {};
  const closest = Array.isArray(d.closest) ? d.closest : [];
  const need = typeof d.min_similarity === "number" ? `${Math.round(d.min_similarity * 100)}%` : "enough";
  const list = el("ol", { class: "closest" }, closest.map((c) => {
    const item = el("li", {},
      el("span", { class: "closest-question" }, c.question),
      el("span", { class: "meta" }, ` · ${Math.round((c.similarity || 0) * 100)}% similar`));
    if (onPick) {
      const b = el("button", { type: "button", class: "secondary" }, "Use this question");
      b.addEventListener("click", () => onPick(c));
      item.append(" ", b);
    }
    return item;
  }));
  return el("article", { class: "card no-grade", "aria-labelledby": "no-grade-heading" },
    el("h2", { id: "no-grade-heading", tabindex: "-1" }, "Not graded"),
    el("p", { class: "notice" }, el("strong", {}, "No close reference. "),
      `Nothing in the question bank is close enough to this question (grading needs ${need} similarity), `,
      "so the offline grader gives no score: graded against another question's key points, the score would mean nothing."),
    closest.length ? [el("h3", {}, "Closest questions in the bank"), list] : null,
    el("h3", {}, "What you can do"),
    el("ul", { class: "remarks" },
      el("li", {}, "Pick one of the bank's questions instead", onPick && closest.length ? " (above)." : "."),
      el("li", {}, "Add a reference answer for this question: ", el("code", {}, "coach ingest FILE"), " or POST /api/v1/bank/import."),
      el("li", {}, "Configure a language model (", el("code", {}, "OPENAI_API_KEY"), ", ", el("code", {}, "COACH_GRADER=llm"), "), which can grade any question.")));
}

/** scoreLine is the score out of 100 with its band, in words. */
export function scoreLine(score, band) {
  return el("p", { class: `scoreline band-${band}` },
    el("span", { class: "score" }, String(score)),
    el("span", { class: "out-of" }, " / 100 "),
    el("span", { class: "band" }, titleCase(band)));
}

/** numbering maps reference ids to 1-based numbers, in the order the references are listed. */
function numbering(references) {
  const n = new Map();
  (references || []).forEach((r, i) => n.set(r.id, i + 1));
  return n;
}

/** cites renders "[1, 2]" for the given reference ids (unknown ids are left out). */
function cites(ids, numbers) {
  const ns = [...new Set((ids || []).map((id) => numbers.get(id)).filter(Boolean))].sort((a, b) => a - b);
  if (!ns.length) return null;
  return el("span", { class: "cite" }, " ",
    el("span", { class: "sr-only" }, ns.length > 1 ? "references " : "reference "),
    el("span", { "aria-hidden": "true" }, "["), ns.join(", "), el("span", { "aria-hidden": "true" }, "]"));
}

/** checklist lists the judged key points, numbered as the marks in the answer. */
export function checklist(keyPoints, numbers) {
  const list = el("ol", { class: "checklist" });
  for (const k of keyPoints || []) {
    const s = STATUS[k.status] ? k.status : "missing";
    // A verdict the grader is unsure of says so next to its status, with the grader's reason.
    list.append(el("li", { class: `kp kp-${s}${k.note ? " kp-unsure" : ""}` },
      el("span", { class: "kp-status" }, statusIcon(s), " ", STATUS[s].label, k.note ? el("span", { class: "kp-unsure-label" }, " (unconfirmed)") : null),
      el("span", { class: "kp-text" }, k.text, numbers ? cites([k.reference_id], numbers) : null),
      k.evidence && s !== "missing"
        ? el("span", { class: "kp-evidence" }, "Evidence: ", el("q", {}, k.evidence))
        : null,
      k.note ? el("span", { class: "kp-note" }, "The grader is unsure: ", k.note) : null));
  }
  return list;
}

// normalized lower-cases s, folds typographic quotes and collapses whitespace, keeping for each
// character of the result the index of the character of s it came from.
function normalized(s) {
  let text = "";
  const map = [];
  let space = false;
  for (let i = 0; i < s.length; i++) {
    let c = s[i];
    if (/\s/.test(c)) {
      if (space) continue;
      c = " ";
      space = true;
    } else {
      space = false;
    }
    c = c.toLowerCase().replace(/[‘’]/g, "'").replace(/[“”]/g, '"');
    for (const ch of c) {
      text += ch;
      map.push(i);
    }
  }
  return { text, map };
}

/** locate finds where the evidence quoted by a grader sits in the answer: [start, end) ranges. */
export function locate(answer, evidence) {
  const quote = (evidence || "").trim().replace(/^["'“‘]+/, "").replace(/["'”’]+$/, "").trim();
  if (!quote || !answer) return [];
  const parts = quote.split(/\s*(?:\.\.\.|…)\s*/).map((p) => p.trim()).filter((p) => p.length >= 2);
  const ranges = [];
  let norm = null;
  for (const part of parts) {
    const i = answer.indexOf(part);
    if (i >= 0) {
      ranges.push([i, i + part.length]);
      continue;
    }
    norm = norm || normalized(answer);
    const p = normalized(part).text.trim();
    const j = p ? norm.text.indexOf(p) : -1;
    if (j >= 0) ranges.push([norm.map[j], norm.map[j + p.length - 1] + 1]);
  }
  return ranges;
}

/**
 * markedAnswer shows the answer with each key point's evidence in <mark>, followed by the numbers of
 * the key points it supports.
 */
export function markedAnswer(answer, keyPoints) {
  const ranges = [];
  (keyPoints || []).forEach((k, i) => {
    if (k.status === "missing") return;
    for (const [s, e] of locate(answer, k.evidence)) ranges.push({ s, e, n: i + 1, status: k.status });
  });
  const box = el("div", { class: "answer-text" });
  if (!ranges.length) {
    box.append(answer);
    return box;
  }
  const cuts = [...new Set([0, answer.length, ...ranges.flatMap((r) => [r.s, r.e])])].sort((a, b) => a - b);
  for (let i = 0; i < cuts.length - 1; i++) {
    const a = cuts[i];
    const b = cuts[i + 1];
    const text = answer.slice(a, b);
    const over = ranges.filter((r) => r.s <= a && r.e >= b);
    if (!over.length || !text.trim()) {
      box.append(text); // a bare space between two marks stays unmarked
    } else {
      const top = over.reduce((x, y) => (STATUS[y.status]?.rank > STATUS[x.status]?.rank ? y : x));
      box.append(el("mark", { class: `ev ev-${top.status}` }, text));
    }
    const ending = [...new Set(ranges.filter((r) => r.e === b).map((r) => r.n))].sort((x, y) => x - y);
    if (ending.length) {
      box.append(el("sup", { class: "ev-ref" },
        el("span", { class: "sr-only" }, ending.length > 1 ? " (key points " : " (key point "),
        ending.join(","),
        el("span", { class: "sr-only" }, ")")));
    }
  }
  return box;
}

/** referenceList lists references with their sources and excerpts. */
export function referenceList(references, idPrefix) {
  const list = el("ol", { class: "references" });
  for (const r of references || []) {
    const sim = typeof r.similarity === "number" && r.similarity > 0 ? ` · ${Math.round(r.similarity * 100)}% match` : "";
    list.append(el("li", { id: `${idPrefix}-ref-${r.id}` },
      el("p", { class: "ref-question" }, r.question || "Reference passage"),
      el("p", { class: "meta" }, "Source: ", sourceOf(r), sim),
      r.excerpt ? el("blockquote", { class: "excerpt" }, prose(r.excerpt)) : null));
  }
  return list;
}

/** sourceOf names a reference's source, linked to its public address when that is a web address. */
function sourceOf(r) {
  const name = r.source || "unknown";
  return /^https?:\/\//.test(r.source_url || "")
    ? el("a", { class: "source", href: r.source_url, rel: "noopener noreferrer" }, name)
    : el("span", { class: "source" }, name);
}

function remarks(items, numbers) {
  return el("ul", { class: "remarks" }, (items || []).map((r) => el("li", {}, r.text, cites(r.reference_ids, numbers))));
}

/**
 * attemptView renders a whole graded attempt. With onAnswerNext, every follow-up question gets an
 * "Answer this next" button calling it with the follow-up. A follow-up's expected answer and the key
 * point it probes are the answer to it, so they are never shown beside the question: only the
 * follow-up this attempt answered (a.answered_followup) is shown in full.
 */
export function attemptView(a, { idPrefix = "grade", onAnswerNext } = {}) {
  const numbers = numbering(a.references);
  const fb = a.feedback || {};
  const headingId = `${idPrefix}-heading`;
  const parts = [
    el("h2", { id: headingId, tabindex: "-1" }, "Your grade"),
    scoreLine(a.score, a.band),
    ...graderNotices(a.grader, a.grounded, a.warnings),
  ];

  const answered = a.answered_followup;
  if (answered && !answered.answer_hidden) {
    parts.push(el("section", { class: "answered-followup", "aria-label": "The follow-up you answered" },
      el("h3", {}, "The follow-up you answered"),
      el("p", { class: "followup-question" }, answered.question),
      answered.target_text ? el("p", { class: "meta" }, "It probed: ", answered.target_text) : null,
      answered.expected_answer ? el("p", {}, el("strong", {}, "Expected answer: "), answered.expected_answer) : null));
  }

  // At a glance first: the checklist, what was wrong, what to improve. What is there to read at
  // length (the answer marked up, the model answer, references, follow-ups) is folded below, so the
  // history and progress that follow the grade stay a short scroll away, on a phone too.
  parts.push(el("h3", {}, "Key points"));
  if ((a.key_points || []).length) {
    parts.push(checklist(a.key_points, numbers));
  } else {
    parts.push(el("p", { class: "meta" }, "There were no key points to judge this answer against."));
  }

  if ((a.misconceptions || []).length) {
    parts.push(el("h3", {}, "Misconceptions"));
    parts.push(el("ul", { class: "misconceptions" }, a.misconceptions.map((m) => el("li", {},
      el("p", {}, el("strong", {}, "You said: "), el("q", {}, m.claim)),
      el("p", {}, el("strong", {}, "Correction: "), m.correction, cites([m.reference_id], numbers))))));
  }

  if (fb.summary || (fb.improvements || []).length || (fb.strengths || []).length) parts.push(el("h3", {}, "Feedback"));
  if (fb.summary) parts.push(el("p", { class: "summary" }, fb.summary));
  if ((fb.improvements || []).length) parts.push(el("h4", {}, "To improve"), remarks(fb.improvements, numbers));
  if ((fb.strengths || []).length) parts.push(el("h4", {}, "Strengths"), remarks(fb.strengths, numbers));

  if ((a.key_points || []).length && a.answer) {
    parts.push(el("details", { class: "fold evidence" },
      el("summary", {}, "Your answer, with the evidence"),
      el("p", { class: "meta" }, "Highlighted passages are the evidence for the numbered key points."),
      markedAnswer(a.answer || "", a.key_points)));
  }
  if (fb.model_answer) {
    parts.push(el("details", { class: "fold model-answer" },
      el("summary", {}, "Model answer"),
      prose(fb.model_answer, { class: "model-answer-text" }),
      cites(fb.model_answer_reference_ids, numbers) ? el("p", { class: "meta" }, "Built from", cites(fb.model_answer_reference_ids, numbers)) : null));
  }
  if ((a.references || []).length) {
    parts.push(el("details", { class: "fold references-fold" },
      el("summary", {}, `References (${a.references.length})`),
      referenceList(a.references, idPrefix)));
  }
  if ((a.followups || []).length) {
    const list = el("ol", { class: "followups" });
    a.followups.forEach((f, i) => {
      const qid = `${idPrefix}-fu-${i}`;
      const item = el("li", { class: "followup" }, el("p", { class: "followup-question", id: qid }, f.question));
      if (onAnswerNext) {
        const b = el("button", { type: "button", class: "secondary", "aria-describedby": qid }, "Answer this next");
        b.addEventListener("click", () => onAnswerNext(f, i, a.attempt_id));
        item.append(b);
      }
      list.append(item);
    });
    parts.push(el("details", { class: "fold followups-fold" },
      el("summary", {}, `Follow-up questions (${a.followups.length})`), list));
  }
  return el("article", { class: "card grade", "aria-labelledby": headingId }, parts);
}
