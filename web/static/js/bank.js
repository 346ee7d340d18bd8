// The Question bank page: browse and search questions, open one with its references and key points.
import { bank } from "./api.js";
import { $, busy, clearAlert, el, loading, prose, showAlert, titleCase } from "./dom.js";
import { fillTopicSelect, topicName, topics } from "./topics.js";
import { practise } from "./practice.js";

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
  }
}

async function init() {
  $("bank-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    filter = { q: $("bank-q").value.trim(), topic: $("bank-topic").value, difficulty: $("bank-difficulty").value };
    search();
  });
  $("bank-topic").addEventListener("change", () => $("bank-form").requestSubmit());
  $("bank-difficulty").addEventListener("change", () => $("bank-form").requestSubmit());
  $("bank-more").addEventListener("click", loadMore);
  try {
    await fillTopicSelect($("bank-topic"));
  } catch (e) {
    showAlert(e.message);
  }
  search();
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
      el("span", { class: `pill difficulty-${q.difficulty}` }, titleCase(q.difficulty)),
      (q.tags || []).length ? ` · ${q.tags.join(", ")}` : ""));
}

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
  body.replaceChildren(
    el("h2", { id: "detail-title", tabindex: "-1" }, q.text),
    el("p", { class: "meta" },
      el("span", { class: "pill" }, topicName(q.topic)), " ",
      el("span", { class: `pill difficulty-${q.difficulty}` }, titleCase(q.difficulty)),
      (q.tags || []).length ? ` · ${q.tags.join(", ")}` : ""),
    el("div", { class: "actions" }, practiseButton),
    el("h3", {}, refs.length === 1 ? "Reference answer" : `Reference answers (${refs.length})`),
    refs.length ? el("ol", { class: "bank-references" }, refs.map(reference)) : el("p", { class: "meta" }, "No reference answers."));
  if (focus) $("detail-title").focus();
}

const origins = { authored: "written with the bank", extracted: "split from the answer", llm: "extracted by the language model" };

function reference(r) {
  return el("li", { class: "card reference" },
    el("p", { class: "meta" }, "Source: ", el("span", { class: "source" }, r.source || "unknown"), r.location ? ` (${r.location})` : ""),
    prose(r.text, { class: "reference-text" }),
    el("h4", {}, `Key points (${(r.key_points || []).length})`),
    el("ol", { class: "key-points" }, (r.key_points || []).map((k) =>
      el("li", {}, k.text, k.origin ? el("span", { class: "meta" }, ` (${origins[k.origin] || k.origin})`) : null))));
}
