// The bank page's editor, for admins: a question's text, topic and difficulty; its references
// (added, edited in place, moved to another question, deleted); the order of key points; merging
// the question into another. Each change calls the API, then the page shows the question again
// with a line saying what changed and focus where it was. A failed change leaves every field as
// it was typed and says why next to it.
import { bank } from "./api.js";
import { $, announce, busy, el, titleCase } from "./dom.js";
import { topicName, topics } from "./topics.js";

/**
 * Each editor part takes ctx: { q, refresh(message, focusSelector) }, where refresh shows the
 * question again (or another one, with ctx.show(id, message)) and puts focus back.
 */

let uid = 0;
const nextID = (prefix) => `${prefix}-${++uid}`;

/** problem is an error line of a form: role=alert, so it is read out when it appears. */
function problem() {
  return el("p", { class: "form-problem", role: "alert", hidden: true });
}

function say(line, message) {
  line.textContent = message;
  line.hidden = !message;
}

/**
 * attempt runs call with button busy (labelled label). It returns what call returns, true when
 * that is nothing, or false once the error is said in line after failure ("Not saved: …").
 */
async function attempt(button, label, line, failure, call) {
  const done = busy(button, label);
  try {
    return (await call()) ?? true;
  } catch (e) {
    say(line, `${failure}: ${e.message}`);
    return false;
  } finally {
    done();
  }
}

/** field is a labelled input, select or textarea. */
function field(label, control, { wide = false, hint = "" } = {}) {
  const hintID = hint ? nextID("hint") : null;
  if (hintID) control.setAttribute("aria-describedby", hintID);
  return el("div", { class: wide ? "field field-wide" : "field" },
    el("label", { for: control.id }, label),
    control,
    hint ? el("p", { class: "meta", id: hintID }, hint) : null);
}

/** changedFields returns the entries of next that differ from before (trimmed), or null when none do. */
function changedFields(before, next) {
  const out = {};
  for (const [k, v] of Object.entries(next)) if (v !== before[k]) out[k] = v;
  return Object.keys(out).length ? out : null;
}

/** questionForm edits a question's text, topic and difficulty. */
export function questionForm(ctx) {
  const { q } = ctx;
  const text = el("textarea", { id: "edit-text", rows: "2", required: true, maxlength: "2000" });
  text.value = q.text;
  const topic = el("select", { id: "edit-topic" }, el("option", { value: q.topic }, topicName(q.topic)));
  topics().then((list) => {
    topic.append(...list.filter((t) => t.id !== q.topic).map((t) => el("option", { value: t.id }, t.name)));
  }).catch(() => {});
  const difficulty = el("select", { id: "edit-difficulty" },
    ["", "easy", "medium", "hard"].map((d) => el("option", { value: d }, d ? titleCase(d) : "Unknown")));
  difficulty.value = q.difficulty || "";
  const save = el("button", { type: "submit", class: "secondary" }, "Save question");
  const line = problem();
  const form = el("form", { class: "card form-grid", "aria-label": "Edit the question" },
    field("Question", text, { wide: true }),
    field("Topic", topic),
    field("Difficulty", difficulty),
    el("div", { class: "field-wide" }, line),
    el("div", { class: "actions field-wide" }, save));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    say(line, "");
    const change = changedFields({ text: q.text, topic: q.topic, difficulty: q.difficulty || "" },
      { text: text.value.trim(), topic: topic.value, difficulty: difficulty.value });
    if (!change) {
      say(line, "Nothing to save: the question is as it was.");
      return;
    }
    if (change.text === "") {
      say(line, "The question must not be empty.");
      text.setAttribute("aria-invalid", "true");
      text.focus();
      return;
    }
    text.removeAttribute("aria-invalid");
    if (!(await attempt(save, "Saving…", line, "Not saved", () => bank.updateQuestion(q.id, change)))) return;
    const what = Object.keys(change).join(", ");
    await ctx.refresh(`Question saved (${what}).`, "#edit-text");
  });
  return form;
}

/** questionPicker lets an admin find another question by its words and pick it. */
function questionPicker(exclude, purpose) {
  const search = el("input", { id: nextID("pick-q"), type: "search", autocomplete: "off" });
  const find = el("button", { type: "button", class: "secondary" }, "Find");
  const list = el("select", { id: nextID("pick-list"), hidden: true });
  const listLabel = el("label", { for: list.id, hidden: true }, "Matching questions");
  const count = el("p", { class: "meta", "aria-live": "polite" });
  const run = async () => {
    const done = busy(find, "Finding…");
    try {
      const r = await bank.questions({ q: search.value.trim(), limit: 20 });
      const found = r.questions.filter((o) => o.id !== exclude);
      list.replaceChildren(...found.map((o) => el("option", { value: o.id }, `${o.text} (${topicName(o.topic)})`)));
      list.hidden = listLabel.hidden = !found.length;
      count.textContent = found.length ? `${plural(found.length, "question")} found: pick one.` : "No other question matches these words.";
      if (found.length) list.focus();
    } catch (e) {
      count.textContent = `Could not search: ${e.message}`;
    } finally {
      done();
    }
  };
  find.addEventListener("click", run);
  search.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      run();
    }
  });
  return {
    node: el("div", { class: "picker" },
      el("label", { for: search.id }, `Find the question ${purpose}`),
      el("div", { class: "picker-row" }, search, find),
      count, listLabel, list),
    /** picked is the chosen question's id and label; without one, it says in line what to do and is null. */
    picked(line, purpose) {
      if (!list.hidden && list.value) return { id: list.value, text: list.selectedOptions[0].textContent };
      say(line, `Find and pick the question ${purpose} first.`);
      search.focus();
      return null;
    },
  };
}

/**
 * panel is a titled card that opens under a reference or the question, with a Cancel button;
 * Cancel and Escape close it, run onClose and give focus back to its opener.
 */
function panel(title, opener, { onClose } = {}, ...children) {
  const heading = el("h4", { tabindex: "-1" }, title);
  const cancel = el("button", { type: "button", class: "secondary" }, "Cancel");
  const p = el("section", { class: "edit-panel", "aria-label": title }, heading, ...children);
  const close = () => {
    p.remove();
    if (onClose) onClose();
    opener.setAttribute("aria-expanded", "false");
    opener.focus();
  };
  cancel.addEventListener("click", close);
  p.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") {
      ev.preventDefault();
      close();
    }
  });
  return { node: p, heading, cancel, close };
}

/** openPanel shows one panel in slot, opened by opener, and moves focus to its heading. */
function openPanel(slot, opener, p) {
  slot.replaceChildren(p.node);
  opener.setAttribute("aria-expanded", "true");
  p.heading.focus();
}

/** plural is "1 reference", "2 references". */
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** describeKeyPoints describes key points by status: "3 key points (2 approved, 1 draft)". */
export function describeKeyPoints(kps) {
  const by = {};
  for (const k of kps) by[k.status || "approved"] = (by[k.status || "approved"] || 0) + 1;
  const parts = ["approved", "draft", "rejected"].filter((s) => by[s]).map((s) => `${by[s]} ${s === "draft" ? "drafts" : s}`);
  return `${plural(kps.length, "key point")}${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

/** referenceTools are the Edit, Move and Delete buttons of a reference, and the slot their panels open in. */
export function referenceTools(ctx, r, shown) {
  const slot = el("div", { class: "edit-slot" });
  const label = (what) => `${what} reference from ${r.source || "unknown source"}`;
  const edit = el("button", { type: "button", class: "secondary", "data-ref-edit": r.id, "aria-label": label("Edit"), "aria-expanded": "false" }, "Edit");
  const move = el("button", { type: "button", class: "secondary", "data-ref-move": r.id, "aria-label": label("Move"), "aria-expanded": "false" }, "Move…");
  const del = el("button", { type: "button", class: "secondary", "data-ref-delete": r.id, "aria-label": label("Delete"), "aria-expanded": "false" }, "Delete…");
  edit.addEventListener("click", () => openPanel(slot, edit, editReferencePanel(ctx, r, edit, shown)));
  move.addEventListener("click", () => openPanel(slot, move, moveReferencePanel(ctx, r, move)));
  del.addEventListener("click", () => openPanel(slot, del, deleteReferencePanel(ctx, r, del)));
  return { tools: el("div", { class: "actions ref-tools" }, edit, move, del), slot };
}

// editReferencePanel edits a reference's text and source in place: the text shown is hidden
// meanwhile and comes back as it was on Cancel.
function editReferencePanel(ctx, r, opener, shown) {
  const text = el("textarea", { id: nextID("ref-text"), rows: "8", required: true });
  text.value = r.text;
  const source = el("input", { id: nextID("ref-source"), type: "text", maxlength: "200" });
  source.value = r.source || "";
  const url = el("input", { id: nextID("ref-url"), type: "url", inputmode: "url", placeholder: "https://…" });
  url.value = r.source_url || "";
  const line = problem();
  const save = el("button", { type: "submit", class: "primary" }, "Save reference");
  const p = panel("Edit the reference", opener, { onClose: () => { if (shown) shown.hidden = false; } });
  const form = el("form", { class: "form-grid" },
    field("Reference text", text, { wide: true, hint: "Saving cuts the text into passages again; its key points stay as they are." }),
    field("Source", source),
    field("Source address", url, { hint: "Shared by every reference of this source." }),
    el("div", { class: "field-wide" }, line),
    el("div", { class: "actions field-wide" }, save, p.cancel));
  p.node.append(form);
  if (shown) shown.hidden = true;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    say(line, "");
    const change = changedFields({ text: r.text, source: r.source || "", source_url: r.source_url || "" },
      { text: text.value.trim(), source: source.value.trim(), source_url: url.value.trim() });
    if (!change) {
      say(line, "Nothing to save: the reference is as it was.");
      return;
    }
    if (change.text === "") {
      say(line, "The reference text must not be empty.");
      text.focus();
      return;
    }
    if ("source_url" in change && change.source_url === "") {
      delete change.source_url; // the API keeps a source's address when given none
      if (!Object.keys(change).length) {
        say(line, "A source's address can be replaced here, not removed.");
        url.focus();
        return;
      }
    }
    if (!(await attempt(save, "Saving…", line, "Not saved", () => bank.editReference(r.id, change)))) return;
    const kept = (r.key_points || []).length;
    await ctx.refresh(change.text
      ? `Reference saved: its passages were cut again from the new text; its ${kept} key ${kept === 1 ? "point stays" : "points stay"}.`
      : "Reference source saved.", `[data-ref-edit="${CSS.escape(r.id)}"]`);
  });
  return p;
}

function moveReferencePanel(ctx, r, opener) {
  const picker = questionPicker(ctx.q.id, "to move this reference to");
  const line = problem();
  const go = el("button", { type: "button", class: "primary" }, "Move reference");
  const p = panel("Move the reference to another question", opener, {},
    el("p", { class: "meta" }, `The reference goes with its ${describeKeyPoints(r.key_points || [])} and its passages.`),
    picker.node, line);
  p.node.append(el("div", { class: "actions" }, go, p.cancel));
  go.addEventListener("click", async () => {
    say(line, "");
    const to = picker.picked(line, "to move the reference to");
    if (!to) return;
    if (!(await attempt(go, "Moving…", line, "Not moved", () => bank.moveReference(r.id, to.id)))) return;
    await ctx.refresh(`Reference moved to “${to.text}”.`, "#detail-title", { link: to.id });
  });
  return p;
}

function deleteReferencePanel(ctx, r, opener) {
  const line = problem();
  const go = el("button", { type: "button", class: "danger" }, "Delete reference");
  const p = panel("Delete the reference?", opener, {},
    el("p", {}, `This deletes the reference from ${r.source || "an unknown source"} with its ${describeKeyPoints(r.key_points || [])} and its passages. It cannot be undone; past attempts keep what they were graded against.`),
    line);
  p.node.append(el("div", { class: "actions" }, go, p.cancel));
  go.addEventListener("click", async () => {
    say(line, "");
    if (!(await attempt(go, "Deleting…", line, "Not deleted", () => bank.deleteReference(r.id)))) return;
    await ctx.refresh("Reference deleted.", "#detail-title");
  });
  return p;
}

/** addReferenceForm adds a reference answer to the question. */
export function addReferenceForm(ctx) {
  const text = el("textarea", { id: "new-ref-text", rows: "6", required: true });
  const source = el("input", { id: "new-ref-source", type: "text", maxlength: "200", placeholder: "editor" });
  const url = el("input", { id: "new-ref-url", type: "url", inputmode: "url", placeholder: "https://…" });
  const line = problem();
  const save = el("button", { type: "submit", class: "secondary" }, "Add reference");
  const form = el("form", { class: "form-grid" },
    field("Reference text", text, { wide: true }),
    field("Source", source, { hint: "A readable name; “editor” when empty." }),
    field("Source address", url),
    el("div", { class: "field-wide" }, line),
    el("div", { class: "actions field-wide" }, save));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    say(line, "");
    if (!text.value.trim()) {
      say(line, "Write the reference text first.");
      text.focus();
      return;
    }
    const body = { text: text.value.trim() };
    if (source.value.trim()) body.source = source.value.trim();
    if (url.value.trim()) body.source_url = url.value.trim();
    const q = await attempt(save, "Adding…", line, "Not added", () => bank.addReference(ctx.q.id, body));
    if (!q) return;
    const added = (q.references || []).find((r) => !(ctx.q.references || []).some((o) => o.id === r.id));
    await ctx.refresh("Reference added. Add its key points through the API, or review the drafts an import brings.",
      added ? `[data-ref-edit="${CSS.escape(added.id)}"]` : "#detail-title");
  });
  return el("details", { class: "card add-reference" }, el("summary", {}, "Add a reference answer"), form);
}

/** mergeTools is the button that merges the question into another, with a confirmation showing what moves. */
export function mergeTools(ctx) {
  const { q } = ctx;
  const slot = el("div", { class: "edit-slot" });
  const open = el("button", { type: "button", class: "secondary", id: "merge-open", "aria-expanded": "false" }, "Merge into another question…");
  open.addEventListener("click", () => {
    const picker = questionPicker(q.id, "this one is the same as");
    const line = problem();
    const next = el("button", { type: "button", class: "primary" }, "Review the merge");
    const confirm = el("div", { class: "merge-confirm" });
    const p = panel("Merge this question into another", open, {},
      el("p", { class: "meta" }, "Merge when two questions ask the same thing: this question's references and key points move to the other, then this question is deleted."),
      picker.node, line, confirm);
    p.node.append(el("div", { class: "actions" }, next, p.cancel));
    next.addEventListener("click", async () => {
      say(line, "");
      const to = picker.picked(line, "to merge into");
      if (!to) return;
      const target = await attempt(next, "Loading…", line, "Could not load that question", () => bank.question(to.id));
      if (!target) return;
      confirm.replaceChildren(mergeConfirmation(ctx, target, p, line));
      confirm.querySelector("h5").focus();
    });
    openPanel(slot, open, p);
  });
  return { button: open, slot };
}

// mergeConfirmation says what the merge moves and does it on request.
function mergeConfirmation(ctx, target, p, line) {
  const { q } = ctx;
  const refs = q.references || [];
  const kps = refs.flatMap((r) => r.key_points || []);
  const go = el("button", { type: "button", class: "danger" }, "Merge and delete this question");
  go.addEventListener("click", async () => {
    say(line, "");
    if (!(await attempt(go, "Merging…", line, "Not merged", () => bank.mergeQuestion(q.id, target.id)))) return;
    await ctx.show(target.id, `Merged “${q.text}” into this question: ${plural(refs.length, "reference")} with ${describeKeyPoints(kps)} moved here.`);
  });
  return el("div", { class: "card confirm", role: "group", "aria-labelledby": "merge-confirm-title" },
    el("h5", { id: "merge-confirm-title", tabindex: "-1" }, "Confirm the merge"),
    el("p", {}, `Into: “${target.text}” (${topicName(target.topic)}), which has ${plural((target.references || []).length, "reference")} now.`),
    el("p", {}, `Moves: ${plural(refs.length, "reference")} with ${describeKeyPoints(kps)}${refs.length ? ":" : "."}`),
    refs.length ? el("ul", {}, refs.map((r) => el("li", {}, `from ${r.source || "unknown source"}: ${describeKeyPoints(r.key_points || [])}`))) : null,
    el("p", {}, `Then “${q.text}” is deleted. Past attempts keep what they were graded against.`),
    el("div", { class: "actions" }, go));
}

/**
 * moveKeyPoint moves key point k of reference r by delta places and keeps focus on it: on the
 * button that moved it (byButton) while that button can move it further, else on the key point.
 */
export async function moveKeyPoint(ctx, r, k, delta, byButton = false) {
  const ids = (r.key_points || []).map((x) => x.id);
  const i = ids.indexOf(k.id);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= ids.length) {
    announce(delta < 0 ? "Already the first key point." : "Already the last key point.");
    return;
  }
  [ids[i], ids[j]] = [ids[j], ids[i]];
  try {
    await bank.reorderKeyPoints(r.id, ids);
  } catch (e) {
    ctx.fail(`Not moved: ${e.message}`);
    return;
  }
  const item = `[data-kp="${CSS.escape(k.id)}"]`;
  const further = delta < 0 ? j > 0 : j < ids.length - 1;
  const focus = byButton && further ? `${item} [data-move="${delta < 0 ? "up" : "down"}"]` : item;
  await ctx.refresh(`Moved “${k.text}” to position ${j + 1} of ${ids.length}.`, focus);
}

/** resultLine is where the page says what the last change did (role=status). */
export function resultLine() {
  return el("p", { id: "edit-result", class: "edit-result", role: "status" });
}

/** showResult fills the result line, with a link to another question when given. */
export function showResult(message, link) {
  const line = $("edit-result");
  if (!line) return;
  line.replaceChildren(message, link ? " " : "", link ? el("a", { href: `#/bank/${encodeURIComponent(link)}` }, "Open that question") : "");
}
