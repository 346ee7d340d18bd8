// The Interviewer page: follow-up questions for a candidate's answer, ready to ask.
import { bank, followups } from "./api.js";
import { $, announce, busy, clearAlert, copyText, counter, el, loading, showAlert, titleCase } from "./dom.js";
import { checklist, graderNotices, noGradeView, referenceList, scoreLine } from "./grade.js";
import { topics } from "./topics.js";

let started = null;
let pickedId = "";
let withinLimit = () => true;

/** enter shows the page, setting it up the first time. */
export function enter() {
  if (!started) started = init();
  return started;
}

async function init() {
  $("interviewer-form").addEventListener("submit", onSubmit);
  $("iv-pick").addEventListener("change", onPick);
  $("iv-question").addEventListener("input", () => {
    // An edited question is no longer the bank's: grade it as free text.
    if (pickedId) {
      pickedId = "";
      $("iv-pick").value = "";
    }
  });
  withinLimit = counter($("iv-answer"), $("iv-answer-count"));
  try {
    await loadBank();
  } catch (e) {
    showAlert(e.message);
  }
}

const texts = new Map();

/** loadBank fills the "pick a question" list, grouped by topic. */
async function loadBank() {
  const list = await topics();
  const all = [];
  let cursor = "";
  for (let page = 0; page < 20; page++) {
    const r = await bank.questions({ limit: 100, cursor });
    all.push(...r.questions);
    if (!r.next_cursor) break;
    cursor = r.next_cursor;
  }
  const select = $("iv-pick");
  const groups = list.map((t) => {
    const qs = all.filter((q) => q.topic === t.id);
    for (const q of qs) texts.set(q.id, q.text);
    return qs.length ? el("optgroup", { label: t.name }, qs.map((q) => el("option", { value: q.id }, q.text))) : null;
  }).filter(Boolean);
  select.replaceChildren(select.options[0], ...groups);
}

function onPick() {
  const id = $("iv-pick").value;
  if (!id) {
    pickedId = "";
    return;
  }
  $("iv-question").value = texts.get(id) || "";
  pickedId = id;
}

async function onSubmit(ev) {
  ev.preventDefault();
  clearAlert();
  const questionText = $("iv-question").value.trim();
  const answer = $("iv-answer").value;
  if (!questionText) {
    showAlert("Give the question that was asked: type it, or pick one from the bank.");
    $("iv-question").focus();
    return;
  }
  if (!answer.trim()) {
    showAlert("Paste the candidate's answer.");
    $("iv-answer").focus();
    return;
  }
  if (!withinLimit()) {
    showAlert("The answer is over the 6000-character limit: shorten it first.");
    $("iv-answer").focus();
    return;
  }
  const body = pickedId ? { question_id: pickedId, answer } : { question: questionText, answer };
  body.count = Number($("iv-count").value) || 3;

  const out = $("iv-result");
  out.setAttribute("aria-busy", "true");
  out.replaceChildren(el("div", { class: "card" }, loading("Reading the answer and writing follow-up questions…")));
  const done = busy(ev.submitter || ev.target.querySelector("button[type=submit]"), "Working…");
  try {
    const r = await followups(body);
    out.replaceChildren(render(r));
    announce(`${r.followups.length} follow-up ${r.followups.length === 1 ? "question" : "questions"} ready.`);
  } catch (e) {
    out.replaceChildren();
    if (e.code === "no_reference") {
      // Not an error to fix and resend: the bank has nothing to grade this question against.
      out.replaceChildren(noGradeView(e, { onPick: usePicked }));
      $("no-grade-heading").focus();
      announce("Not graded: nothing in the bank is close enough to this question.");
    } else {
      showAlert(e.message);
    }
  } finally {
    out.removeAttribute("aria-busy");
    done();
  }
}

/** usePicked makes a closest bank question the one asked, keeping the answer. */
function usePicked(c) {
  texts.set(c.question_id, c.question);
  $("iv-question").value = c.question;
  pickedId = c.question_id;
  const pick = $("iv-pick");
  if ([...pick.options].some((o) => o.value === c.question_id)) pick.value = c.question_id;
  $("iv-question").focus();
  announce("Question replaced by the bank's; send the answer again.");
}

function render(r) {
  const list = el("ol", { class: "followups followups-interviewer" });
  (r.followups || []).forEach((f, i) => {
    const qid = `iv-fu-${i}`;
    const copy = el("button", { type: "button", class: "secondary copy", "aria-describedby": qid }, "Copy question");
    copy.addEventListener("click", async () => {
      if (await copyText(f.question)) {
        copy.textContent = "Copied";
        announce("Question copied to the clipboard.");
        setTimeout(() => { copy.textContent = "Copy question"; }, 2000);
      } else {
        const range = document.createRange();
        range.selectNodeContents($(qid));
        const sel = getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        showAlert("Copying is not allowed here: the question is selected, press Ctrl+C (or ⌘C) to copy it.");
      }
    });
    list.append(el("li", { class: "card followup" },
      el("p", { class: "followup-question", id: qid }, f.question),
      f.target_text ? el("p", {}, el("strong", {}, "Probes: "), f.target_text) : null,
      f.expected_answer ? el("p", {}, el("strong", {}, "Expected answer: "), f.expected_answer) : null,
      copy));
  });

  // The server shows what a follow-up probes, and its expected answer, to interviewer keys only.
  const hidden = (r.followups || []).some((f) => f.answer_hidden)
    ? el("p", { class: "notice" }, "What each question probes and its expected answer are shown to interviewers: " +
      "save an interviewer key under \u201cAPI key\u201d at the foot of the page.")
    : null;

  const kp = r.key_points || [];
  const counts = ["covered", "partial", "missing", "contradicted"]
    .map((s) => [s, kp.filter((k) => k.status === s).length]).filter(([, n]) => n)
    .map(([s, n]) => `${n} ${s}`).join(", ");
  const grade = el("details", { class: "card grade-details" },
    el("summary", {}, `Grade: ${r.score} / 100, ${titleCase(r.band)}`, counts ? ` (${counts})` : ""),
    scoreLine(r.score, r.band),
    el("h3", {}, "Key points"),
    kp.length ? checklist(kp, null) : el("p", { class: "meta" }, "No key points were judged."),
    (r.references || []).length ? [el("h3", {}, "References"), referenceList(r.references, "iv")] : null);

  return el("div", {},
    el("h2", {}, "Follow-up questions"),
    ...graderNotices(r.grader, r.grounded, []),
    hidden,
    (r.followups || []).length ? list : el("p", {}, "The answer covers every key point: there is nothing left to probe."),
    grade);
}
