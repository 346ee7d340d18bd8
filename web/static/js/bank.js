// The Question bank page: browse and search questions, open one with its references and key points.
// For admins (the saved API key opens GET /api/v1/bank/review) it also lists what waits for review
// and lets them approve, reject, weigh, reorder, add and delete key points, with the mouse or the
// keyboard, create, edit and delete questions, and edit their references (bankedit.js).
import { apiKey, bank } from "./api.js";
import { $, busy, clearAlert, el, loading, prose, showAlert, titleCase } from "./dom.js";
import { fillTopicSelect, topicName, topics } from "./topics.js";
import { practise } from "./practice.js";
import {
  addKeyPointForm, addReferenceForm, deleteQuestionTools, mergeTools, moveKeyPoint, newQuestionForm, openDeleteKeyPoint,
  questionForm, referenceTools, resultLine, showResult,
} from "./bankedit.js";

const PAGE = 20;
let started = null;
let filter = { q: "", topic: "", difficulty: "" };
let cursor = "";
let shown = 0;

/** enter shows the list, or one question when id is given. */
export async function enter(id, { focus } = {}) {
  if (!started) started = init();
  await started;
  if (id) {
    $("bank-browse").hidden = true;
    $("bank-detail").hidden = false;
    await openQuestion(id, focus);
  } else {
    $("bank-detail").hidden = true;
    $("bank-browse").hidden = false;
    $("bank-result").textContent = left || "";
    left = null;
    if (reviewStale) {
      reviewStale = false;
      loadReview();
      search(); // a question's text may have changed, or a merge removed one
    }
  }
}

// reviewStale is set by each change made in the editor: the list of what waits for review and the
// list of questions are asked for again when they are next shown, not after every change (on a
// large bank the review's duplicate search takes a while).
let reviewStale = false;

// left is what the last change said when it left the question (a deletion), shown on the list.
let left = null;

async function init() {
  $("bank-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    filter = { q: $("bank-q").value.trim(), topic: $("bank-topic").value, difficulty: $("bank-difficulty").value };
    search();
  });
  $("bank-topic").addEventListener("change", () => $("bank-form").requestSubmit());
  $("bank-difficulty").addEventListener("change", () => $("bank-form").requestSubmit());
  $("bank-more").addEventListener("click", loadMore);
  $("bank-count").before(el("p", { id: "bank-result", class: "edit-result", role: "status" }));
  try {
    await fillTopicSelect($("bank-topic"));
  } catch (e) {
    showAlert(e.message);
  }
  search();
  await loadReview(); // before a question opens: it decides whether the editor shows
}

// admin is true once the server answered the review report: the saved key is an admin's.
let admin = false;

async function loadReview() {
  let rep;
  if (!apiKey()) { // only an admin's key opens the review: without one, do not ask
    showNewQuestion(false);
    return;
  }
  try {
    rep = await bank.review();
  } catch {
    showNewQuestion(false); // anyone but an admin: no review, no editor
    return;
  }
  showNewQuestion(true);
  const waiting = rep.drafts || [];
  $("bank-review").hidden = false;
  $("bank-review-summary").textContent = waiting.length
    ? `${rep.draft_key_points} draft key points wait in ${waiting.length} questions; ${(rep.without_rubric || []).length} questions have no approved rubric and are graded against drafts; ${(rep.unsorted || []).length} are unsorted; ${(rep.suspected_duplicates || []).length} pairs may be duplicates.`
    : "Nothing waits for review.";
  $("bank-review-list").replaceChildren(...waiting.slice(0, 10).map((q) =>
    el("li", { class: "question-item" },
      el("a", { href: `#/bank/${encodeURIComponent(q.id)}` }, q.text),
      el("p", { class: "meta" }, `${q.drafts} drafts, ${q.approved} approved · ${topicName(q.topic)}`))));
}

// showNewQuestion sets whether the key is an admin's, and shows the New question form to admins only
// (it is not on the page otherwise: its fields would sit beside the search form's).
function showNewQuestion(isAdmin) {
  admin = isAdmin;
  if (!admin) $("bank-review").hidden = true;
  const form = $("bank-new");
  if (!admin && form) form.remove();
  if (admin && !form) {
    $("bank-form").before(newQuestionForm(async (q) => {
      pending = { message: "Question created. Add its reference answer below, then its key points." };
      reviewStale = true;
      location.hash = `#/bank/${encodeURIComponent(q.id)}`;
    }));
  }
}

async function search() {
  clearAlert();
  cursor = "";
  shown = 0;
  $("bank-list").replaceChildren();
  $("bank-count").replaceChildren(loading("Loading questions…"));
  await page();
}

async function loadMore(ev) {
  const done = busy(ev.currentTarget, "Loading…");
  const first = $("bank-list").children.length;
  try {
    await page();
  } finally {
    done();
  }
  const next = $("bank-list").children[first];
  if (next) next.querySelector("a").focus(); // keyboard users carry on where the new items start
}

async function page() {
  try {
    const r = await bank.questions({ ...filter, limit: PAGE, cursor });
    $("bank-list").append(...r.questions.map(item));
    shown += r.questions.length;
    cursor = r.next_cursor || "";
    $("bank-more").hidden = !cursor;
    const what = [filter.topic && topicName(filter.topic), filter.difficulty, filter.q && `matching “${filter.q}”`].filter(Boolean).join(", ");
    const total = cursor ? await knownTotal() : shown;
    const count = total > shown ? `${shown} of ${total}` : cursor ? `${shown}+` : `${shown}`;
    $("bank-count").textContent = shown
      ? `${count} ${total === 1 ? "question" : "questions"}${what ? ` (${what})` : ""}.`
      : `No questions${what ? ` (${what})` : ""}.`;
  } catch (e) {
    $("bank-count").textContent = "";
    showAlert(e.message);
  }
}

/** knownTotal is how many questions the filter matches, when the topic counts tell (0 otherwise). */
async function knownTotal() {
  if (filter.q || filter.difficulty) return 0;
  const list = await topics().catch(() => []);
  return list.filter((t) => !filter.topic || t.id === filter.topic).reduce((n, t) => n + t.question_count, 0);
}

function item(q) {
  return el("li", { class: "question-item" },
    el("a", { href: `#/bank/${encodeURIComponent(q.id)}` }, q.text),
    el("p", { class: "meta" },
      el("span", { class: "pill" }, topicName(q.topic)), " ",
      difficultyPill(q.difficulty),
      (q.tags || []).length ? ` · ${q.tags.join(", ")}` : ""));
}

function difficultyPill(d) {
  return d ? el("span", { class: `pill difficulty-${d}` }, titleCase(d)) : el("span", { class: "pill" }, "Difficulty unknown");
}

// pending is what the last change did, shown once the question it left open is on screen.
let pending = null;

async function openQuestion(id, focus) {
  const body = $("bank-detail-body");
  body.replaceChildren(loading("Loading the question…"));
  let q;
  try {
    await topics().catch(() => []);
    q = await bank.question(id);
  } catch (e) {
    body.replaceChildren(el("p", {}, "This question could not be loaded."));
    showAlert(e.message);
    return;
  }
  document.title = `${q.text} · Interview Coach`;
  const practiseButton = el("button", { type: "button", class: "primary" }, "Practise this");
  practiseButton.addEventListener("click", () => practise(q));
  const refs = q.references || [];
  const ctx = editContext(q);
  const merge = admin ? mergeTools(ctx) : null;
  const del = admin ? deleteQuestionTools(ctx) : null;
  body.replaceChildren(
    el("h2", { id: "detail-title", tabindex: "-1" }, q.text),
    el("p", { class: "meta" },
      el("span", { class: "pill" }, topicName(q.topic)), " ",
      difficultyPill(q.difficulty),
      (q.tags || []).length ? ` · ${q.tags.join(", ")}` : "",
      q.rubric_version ? ` · rubric version ${q.rubric_version}` : ""),
    admin ? resultLine() : null,
    el("div", { class: "actions" }, practiseButton, admin && drafts(q).length ? approveAllButton(ctx) : null, merge && merge.button, del && del.button),
    merge && merge.slot,
    del && del.slot,
    admin ? questionForm(ctx) : null,
    admin ? el("p", { class: "meta", id: "kp-help" },
      "Key points: arrow keys move between them; A approves, R rejects, W switches core and detail, Delete asks to delete one; Alt with the up or down arrow moves one up or down.") : null,
    el("h3", {}, refs.length === 1 ? "Reference answer" : `Reference answers (${refs.length})`),
    refs.length ? el("ol", { class: "bank-references" }, refs.map((r) => reference(ctx, r))) : el("p", { class: "meta" }, "No reference answers."),
    admin ? addReferenceForm(ctx) : null);
  if (pending) {
    showResult(pending.message, pending.link);
    pending = null;
  }
  if (focus) $("detail-title").focus();
}

// editContext is what the editor's parts need to show the result of a change.
function editContext(q) {
  return {
    q,
    /** refresh shows the question again with message, focus on the element focusSel finds. */
    async refresh(message, focusSel, { link } = {}) {
      clearAlert();
      pending = { message, link };
      await openQuestion(q.id, false);
      const target = (focusSel && document.querySelector(`#bank-detail-body ${focusSel}`)) || $("detail-title");
      target.focus();
      reviewStale = true;
    },
    /** show opens another question (after a merge) with message. */
    async show(id, message) {
      pending = { message };
      location.hash = `#/bank/${encodeURIComponent(id)}`;
    },
    /** leave goes back to the list (the question is gone), which shows message. */
    leave(message) {
      left = message;
      reviewStale = true;
      location.hash = "#/bank";
    },
    /** fail says a change failed, leaving the page (and focus) as it is. */
    fail(message) {
      showAlert(message);
    },
  };
}

const origins = { authored: "written with the bank", extracted: "split from the answer", llm: "extracted by the language model" };

function drafts(q) {
  return (q.references || []).flatMap((r) => (r.key_points || []).filter((k) => k.status === "draft"));
}

function approveAllButton(ctx) {
  const waiting = drafts(ctx.q);
  const b = el("button", { type: "button", class: "secondary" }, `Approve all ${waiting.length} drafts`);
  b.addEventListener("click", async () => {
    const done = busy(b, "Approving…");
    let approved = 0;
    try {
      for (const k of waiting) {
        await bank.editKeyPoint(k.id, { status: "approved" });
        approved++;
      }
    } catch (e) {
      done();
      ctx.fail(`Approved ${approved} of ${waiting.length} drafts, then: ${e.message}`);
      await ctx.refresh(`Approved ${approved} of ${waiting.length} drafts.`, "#detail-title");
      return;
    }
    done();
    await ctx.refresh(`All ${approved} drafts approved.`, "#detail-title");
  });
  return b;
}

function reference(ctx, r) {
  const source = r.source_url
    ? el("a", { class: "source", href: r.source_url, rel: "noopener noreferrer" }, r.source || r.source_url)
    : el("span", { class: "source" }, r.source || "unknown");
  const kps = r.key_points || [];
  const shown = el("div", {},
    el("p", { class: "meta" }, "Source: ", source, r.location ? ` (${r.location})` : ""),
    prose(r.text, { class: "reference-text" }));
  const tools = admin ? referenceTools(ctx, r, shown) : null;
  return el("li", { class: "card reference", "data-ref": r.id },
    shown,
    tools && tools.tools,
    tools && tools.slot,
    el("h4", {}, `Key points (${kps.length})`),
    admin
      ? el("ol", { class: "key-points editable", "aria-describedby": "kp-help" }, kps.map((k, i) => editableKeyPoint(ctx, r, k, i)))
      : el("ol", { class: "key-points" }, kps.map((k) =>
        el("li", {}, k.text, k.origin ? el("span", { class: "meta" }, ` (${origins[k.origin] || k.origin})`) : null,
          k.status && k.status !== "approved" ? el("span", { class: `pill status-${k.status}` }, titleCase(k.status)) : null))),
    admin ? addKeyPointForm(ctx, r) : null);
}

const weightName = (w) => (w && w < 1 ? "detail" : "core");

// editableKeyPoint is a key point an admin reviews: its status, weight and place, with buttons and keys.
function editableKeyPoint(ctx, r, k, i) {
  const n = (r.key_points || []).length;
  const status = k.status || "approved";
  const change = async (body, said) => {
    try {
      await bank.editKeyPoint(k.id, body);
    } catch (e) {
      ctx.fail(`Not changed: ${e.message}`);
      return;
    }
    await ctx.refresh(said, `[data-kp="${CSS.escape(k.id)}"]`);
  };
  const approve = () => change({ status: "approved" }, `Approved: ${k.text}`);
  const reject = () => change({ status: "rejected" }, `Rejected: ${k.text}`);
  const reweigh = () => {
    const w = weightName(k.weight) === "core" ? 0.5 : 1;
    return change({ weight: w }, `${k.text}: now ${weightName(w)}`);
  };
  const button = (label, name, fn, hidden) => {
    const b = el("button", { type: "button", class: "secondary", "aria-label": `${label}: ${k.text}` }, name);
    b.addEventListener("click", fn);
    b.hidden = hidden;
    return b;
  };
  const move = (delta, byButton) => moveKeyPoint(ctx, r, k, delta, byButton);
  const up = button("Move up", "↑ Up", () => move(-1, true), false);
  const down = button("Move down", "↓ Down", () => move(1, true), false);
  up.dataset.move = "up";
  down.dataset.move = "down";
  up.disabled = i === 0;
  down.disabled = i === n - 1;
  const slot = el("div", { class: "edit-slot kp-slot" });
  const del = button("Delete", "Delete…", () => openDeleteKeyPoint(ctx, r, k, del, slot), false);
  del.setAttribute("aria-expanded", "false");
  const li = el("li", { class: status, tabindex: "0", "data-kp": k.id, "aria-label": `${k.text} (${i + 1} of ${n}, ${status}, ${weightName(k.weight)})` },
    el("span", { class: "kp-text" }, k.text),
    el("span", { class: `pill status-${status}` }, titleCase(status)),
    el("span", { class: "pill" }, titleCase(weightName(k.weight))),
    el("span", { class: "kp-tools" },
      button("Approve", "Approve", approve, status === "approved"),
      button("Reject", "Reject", reject, status === "rejected"),
      button("Switch weight", weightName(k.weight) === "core" ? "Make detail" : "Make core", reweigh, false),
      up, down, del),
    slot);
  li.addEventListener("keydown", (ev) => {
    if (ev.target !== li || ev.ctrlKey || ev.metaKey) return;
    if (ev.altKey) {
      if (ev.key !== "ArrowUp" && ev.key !== "ArrowDown") return;
      ev.preventDefault();
      move(ev.key === "ArrowUp" ? -1 : 1);
      return;
    }
    const all = [...document.querySelectorAll("#bank-detail-body .key-points.editable > li")];
    const i = all.indexOf(li);
    const key = ev.key.toLowerCase();
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      const next = all[i + (ev.key === "ArrowDown" ? 1 : -1)];
      if (next) next.focus();
    } else if (key === "a") approve();
    else if (key === "r") reject();
    else if (key === "w") reweigh();
    else if (ev.key === "Delete") del.click();
    else return;
    ev.preventDefault();
  });
  return li;
}
