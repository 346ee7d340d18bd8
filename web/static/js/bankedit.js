// The bank page's editor, for admins: new questions; a question's text, topic, difficulty and
// tags; its references (added, edited in place, moved to another question, deleted); key points
// added, reordered and deleted; merging the question into another, or deleting it. Each change calls the API, then the page shows the question again
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

/**
 * gridForm is a form of fields with its error line and buttons under them; on submit it clears
 * the line and runs submit. It validates itself (novalidate): its messages say what to do.
 */
function gridForm(attrs, fields, line, buttons, submit) {
  const form = el("form", { class: "form-grid", ...attrs, novalidate: true },
    ...fields,
    el("div", { class: "field-wide" }, line),
    el("div", { class: "actions field-wide" }, ...buttons));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    say(line, "");
    submit();
  });
  return form;
}

/** changedFields returns the entries of next that differ from before (trimmed), or null when none do. */
function changedFields(before, next) {
  const out = {};
  for (const [k, v] of Object.entries(next)) if (v !== before[k]) out[k] = v;
  return Object.keys(out).length ? out : null;
}

/** tagList reads a comma-separated list of tags: trimmed, without empty ones or repeats. */
const tagList = (s) => [...new Set(s.split(",").map((t) => t.trim()).filter(Boolean))];

/** questionFields are the labelled controls of a question (ids start with prefix), filled from q. */
function questionFields(prefix, q = {}) {
  const text = el("textarea", { id: `${prefix}-text`, rows: "2", required: true, maxlength: "2000" });
  text.value = q.text || "";
  const topic = el("select", { id: `${prefix}-topic` },
    q.topic ? el("option", { value: q.topic }, topicName(q.topic)) : el("option", { value: "" }, "Unsorted"));
  topics().then((list) => {
    topic.append(...list.filter((t) => t.id !== q.topic && t.id !== "unsorted").map((t) => el("option", { value: t.id }, t.name)));
  }).catch(() => {});
  const difficulty = el("select", { id: `${prefix}-difficulty` },
    ["", "easy", "medium", "hard"].map((d) => el("option", { value: d }, d ? titleCase(d) : "Unknown")));
  difficulty.value = q.difficulty || "";
  const tags = el("input", { id: `${prefix}-tags`, type: "text", autocomplete: "off", maxlength: "500" });
  tags.value = (q.tags || []).join(", ");
  return {
    text, topic, difficulty, tags,
    nodes: [
      field("Question", text, { wide: true }),
      field("Topic", topic),
      field("Difficulty", difficulty),
      field("Tags", tags, { wide: true, hint: "Separated by commas, up to 50 characters each." }),
    ],
    /** values are the fields as the API takes them, tags as one string to compare. */
    values: () => ({ text: text.value.trim(), topic: topic.value, difficulty: difficulty.value, tags: tagList(tags.value).join(", ") }),
    /** emptyText says in line that the question is empty, when it is, and moves focus there. */
    emptyText(line, value) {
      if (value !== "") {
        text.removeAttribute("aria-invalid");
        return false;
      }
      say(line, "The question must not be empty.");
      text.setAttribute("aria-invalid", "true");
      text.focus();
      return true;
    },
  };
}

/** withTagList turns the tags of a change from the compared string back into a list. */
function withTagList(change) {
  if ("tags" in change) change.tags = tagList(change.tags);
  return change;
}

/** questionForm edits a question's text, topic, difficulty and tags. */
export function questionForm(ctx) {
  const { q } = ctx;
  const f = questionFields("edit", q);
  const save = el("button", { type: "submit", class: "secondary" }, "Save question");
  const line = problem();
  const form = gridForm({ class: "card form-grid", "aria-label": "Edit the question" }, [
    ...f.nodes,
  ], line, [save], async () => {
    const change = changedFields({ text: q.text, topic: q.topic, difficulty: q.difficulty || "", tags: (q.tags || []).join(", ") }, f.values());
    if (!change) {
      say(line, "Nothing to save: the question is as it was.");
      return;
    }
    if (f.emptyText(line, change.text)) return;
    if (!(await attempt(save, "Saving…", line, "Not saved", () => bank.updateQuestion(q.id, withTagList(change))))) return;
    const what = Object.keys(change).join(", ");
    await ctx.refresh(`Question saved (${what}).`, "#edit-text");
  });
  return form;
}

/**
 * newQuestionForm creates a question from the bank's list; created(q) then opens it. A refused
 * question leaves every field as typed.
 */
export function newQuestionForm(created) {
  const f = questionFields("new-q");
  const line = problem();
  const save = el("button", { type: "submit", class: "primary" }, "Create question");
  const form = gridForm({ "aria-label": "New question" }, [
    ...f.nodes,
  ], line, [save], async () => {
    const v = f.values();
    if (f.emptyText(line, v.text)) return;
    const body = { text: v.text, tags: tagList(v.tags) };
    if (v.topic) body.topic = v.topic;
    if (v.difficulty) body.difficulty = v.difficulty;
    const q = await attempt(save, "Creating…", line, "Not created", () => bank.createQuestion(body));
    if (!q) return;
    form.reset();
    f.text.removeAttribute("aria-invalid");
    box.open = false;
    await created(q);
  });
  const box = el("details", { class: "card add-question", id: "bank-new" }, el("summary", {}, "New question"), form);
  return box;
}

/** deleteQuestionTools is the button that deletes the question, after a confirmation saying what goes. */
export function deleteQuestionTools(ctx) {
  const { q } = ctx;
  const slot = el("div", { class: "edit-slot" });
  const open = el("button", { type: "button", class: "secondary", id: "delete-open", "aria-expanded": "false" }, "Delete question…");
  open.addEventListener("click", () => {
    const refs = q.references || [];
    const kps = refs.flatMap((r) => r.key_points || []);
    const line = problem();
    const go = el("button", { type: "button", class: "danger" }, "Delete question");
    const p = panel("Delete this question?", open, {},
      el("p", {}, refs.length
        ? `This deletes “${q.text}” with its ${plural(refs.length, "reference")}, their ${describeKeyPoints(kps)} and passages. It cannot be undone.`
        : `This deletes “${q.text}”, which has no references or key points. It cannot be undone.`),
      el("p", { class: "meta" }, "Past attempts at it stay as they are: each keeps its own copy of what it was graded against."),
      line);
    p.node.append(el("div", { class: "actions" }, go, p.cancel));
    go.addEventListener("click", async () => {
      say(line, "");
      if (!(await attempt(go, "Deleting…", line, "Not deleted", () => bank.deleteQuestion(q.id)))) return;
      ctx.leave(`Deleted “${q.text}” with ${plural(refs.length, "reference")} and ${plural(kps.length, "key point")}.`);
    });
    openPanel(slot, open, p);
  });
  return { button: open, slot };
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
  const form = gridForm({}, [
    field("Reference text", text, { wide: true, hint: "Saving cuts the text into passages again; its key points stay as they are." }),
    field("Source", source),
    field("Source address", url, { hint: "Shared by every reference of this source." }),
  ], line, [save, p.cancel], async () => {
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
  p.node.append(form);
  if (shown) shown.hidden = true;
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
  const form = gridForm({}, [
    field("Reference text", text, { wide: true }),
    field("Source", source, { hint: "A readable name; “editor” when empty." }),
    field("Source address", url),
  ], line, [save], async () => {
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
    await ctx.refresh("Reference added. Add its key points under it, or review the drafts an import brings.",
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

/** addKeyPointForm adds a key point, core or detail, to reference r; an admin's is approved at once. */
export function addKeyPointForm(ctx, r) {
  const text = el("input", { id: nextID("kp-new"), type: "text", autocomplete: "off", maxlength: "1000", "data-kp-new": r.id });
  const weight = el("select", { id: nextID("kp-weight") },
    el("option", { value: "1" }, "Core"), el("option", { value: "0.5" }, "Detail"));
  const line = problem();
  const save = el("button", { type: "submit", class: "secondary" }, "Add key point");
  const form = gridForm({ class: "form-grid add-key-point", "aria-label": `Add a key point to the reference from ${r.source || "unknown source"}` }, [
    field("New key point", text, { wide: true }),
    field("Weight", weight, { hint: "Core counts fully, a detail half." }),
  ], line, [save], async () => {
    const t = text.value.trim();
    if (!t) {
      say(line, "Write the key point first.");
      text.setAttribute("aria-invalid", "true");
      text.focus();
      return;
    }
    text.removeAttribute("aria-invalid");
    const w = Number(weight.value);
    const kp = await attempt(save, "Adding…", line, "Not added", () => bank.addKeyPoint(r.id, { text: t, weight: w }));
    if (!kp) return;
    await ctx.refresh(`Key point added (${w < 1 ? "detail" : "core"}): ${t}`, `[data-kp="${CSS.escape(kp.id)}"]`);
  });
  return form;
}

/**
 * deleteKeyPointPanel asks before deleting key point k of reference r; focus then goes to the key
 * point after it, else the one before, else the reference's new key point field.
 */
function deleteKeyPointPanel(ctx, r, k, opener) {
  const line = problem();
  const go = el("button", { type: "button", class: "danger" }, "Delete key point");
  const p = panel("Delete this key point?", opener, {},
    el("p", {}, `“${k.text}” leaves the rubric. It cannot be undone; past attempts keep what they were graded against.`),
    line);
  p.node.append(el("div", { class: "actions" }, go, p.cancel));
  go.addEventListener("click", async () => {
    say(line, "");
    if (!(await attempt(go, "Deleting…", line, "Not deleted", () => bank.deleteKeyPoint(k.id)))) return;
    const ids = (r.key_points || []).map((x) => x.id);
    const i = ids.indexOf(k.id);
    const near = ids[i + 1] || ids[i - 1];
    await ctx.refresh(`Key point deleted: ${k.text}`,
      near ? `[data-kp="${CSS.escape(near)}"]` : `[data-kp-new="${CSS.escape(r.id)}"]`);
  });
  return p;
}

/** openDeleteKeyPoint opens deleteKeyPointPanel in slot. */
export function openDeleteKeyPoint(ctx, r, k, opener, slot) {
  openPanel(slot, opener, deleteKeyPointPanel(ctx, r, k, opener));
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
