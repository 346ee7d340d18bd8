// The Practice page: a candidate's session of questions, answers, grades, history and progress.
import { bank, gradeStreaming, sessions } from "./api.js";
import {
  $, announce, busy, clearAlert, copyText, counter, download, el, loading, showAlert, storage, titleCase, when,
} from "./dom.js";
import { attemptView, graderNotices, noGradeView, referenceList } from "./grade.js";
import { attachDictation } from "./dictation.js";
import { historyList, progressChart } from "./progress.js";
import { fillTopicSelect, topicName, topics } from "./topics.js";

// What this browser keeps. Every session token it was given stays in SESSIONS_KEY until the session
// is deleted, so starting another never loses one; each session keeps its own question, draft and
// last grade (stateKey), so that a reload or a resume comes back exactly where the candidate was.
const SESSION_KEY = "coach.session"; // the current session
const SESSIONS_KEY = "coach.sessions"; // every session held: [{id, token, name, topic, difficulty, created_at}]
const QUESTION_KEY = "coach.question"; // the question on screen
const DRAFT_KEY = "coach.draft"; // the draft on screen, without a session
const stateKey = (id) => `coach.state.${id}`; // {question, draft, attempt_id} of a session

/** session is the current session ({id, token, name, topic, difficulty, created_at}) or null. */
let session = null;
/** question is what is being answered: a bank question, or a follow-up ({text, followup}). */
let question = null;
/** sessionless is set when the server has no sessions API: answers are graded, nothing is kept. */
let sessionless = null;
/** pending is a bank question chosen elsewhere ("Practise this") before the page was set up. */
let pending = null;
let started = null;
let withinLimit = () => true;

/**
 * enter shows the page, setting it up the first time. With "resume/{id}/{token}" (a resume link made
 * in another browser) it takes that session in, then drops the token from the address bar.
 */
export async function enter(arg = "") {
  const resumeLink = arg.startsWith("resume/") ? arg.split("/") : null;
  if (resumeLink) history.replaceState(null, "", "#/practice");
  if (!started) started = init();
  await started;
  if (resumeLink && resumeLink.length === 3) await takeIn(resumeLink[1], resumeLink[2]);
  if (pending) {
    const q = pending;
    pending = null;
    await practiseNow(q);
  }
}

/**
 * practise makes a bank question the next one to answer, starting a session when there is none. It
 * switches to the Practice page, whose router call does the work.
 */
export function practise(q) {
  pending = q;
  if (location.hash !== "#/practice") location.hash = "#/practice";
  else enter();
}

async function practiseNow(q) {
  if (!session && !sessionless) {
    if (!(await startSession({ topic: q.topic }))) return;
  }
  setQuestion({ id: q.id, text: q.text, topic: q.topic, difficulty: q.difficulty, tags: q.tags || [] });
  $("answer").focus();
}

async function init() {
  $("start-form").addEventListener("submit", onStart);
  $("new-session").addEventListener("click", onNewSession);
  $("answer-form").addEventListener("submit", onSubmit);
  $("skip-question").addEventListener("click", onSkip);
  $("export-md").addEventListener("click", (ev) => exportReport("md", ev.currentTarget));
  $("export-json").addEventListener("click", (ev) => exportReport("json", ev.currentTarget));
  $("answer").addEventListener("input", () => {
    if (!question) return;
    if (session) saveState({ draft: $("answer").value });
    else storage.set(DRAFT_KEY, { question: question.text, answer: $("answer").value });
  });
  $("back-to-session").addEventListener("click", () => resume(session));
  $("end-session").addEventListener("click", onEndSession);
  $("answer").addEventListener("keydown", (ev) => {
    // Ctrl+Enter (Cmd+Enter on a Mac) grades the answer from the keyboard.
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      $("answer-form").requestSubmit();
    }
  });
  document.addEventListener("keydown", onShortcut);
  withinLimit = counter($("answer"), $("answer-count"));
  attachDictation($("dictate"), $("answer"), $("dictation-status"));
  const topicsLoaded = fillTopicSelect($("start-topic")).catch((e) => showAlert(e.message));
  // Topics that could not be loaded (server down) are asked for again when the list is opened.
  $("start-topic").addEventListener("focus", () => {
    if ($("start-topic").options.length < 2) fillTopicSelect($("start-topic")).catch(() => {});
  });

  await topicsLoaded; // topic names for the session bar, the question and the history
  topics().then(fillTopicChecks).catch(() => {});
  session = storage.get(SESSION_KEY);
  if (session && session.id && session.token) {
    remember(session);
    // A page from before sessions kept their own state held the question and draft on their own.
    const old = storage.get(QUESTION_KEY);
    if (old && !storage.get(stateKey(session.id))) {
      const draft = storage.get(DRAFT_KEY);
      saveState({ question: old, draft: draft && draft.question === old.text ? draft.answer : "" });
      storage.remove(DRAFT_KEY);
    }
  } else {
    session = null;
  }
  renderSessionList();
  if (!session) {
    question = storage.get(QUESTION_KEY);
    showStart();
    if (question && !pending) showQuestion(question); // a question kept from a server without sessions
    return;
  }
  await open(session);
}

/** held returns the sessions this browser holds, newest first. */
function held() {
  const list = storage.get(SESSIONS_KEY);
  return Array.isArray(list) ? list.filter((s) => s && s.id && s.token) : [];
}

/** remember adds s to the sessions held, or updates it. */
function remember(s) {
  const list = held().filter((x) => x.id !== s.id);
  list.push(plain(s));
  list.sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
  storage.set(SESSIONS_KEY, list);
}

/** plain is what this browser keeps of a session. */
function plain(s) {
  return {
    id: s.id, token: s.token, name: s.name || "", topic: s.topic || "", topic_ids: s.topic_ids || [],
    difficulty: s.difficulty || "", question_count: s.question_count || 0, answer_seconds: s.answer_seconds || 0,
    created_at: s.created_at || "",
  };
}

/** topicsOf names the topics of a session's plan. */
function topicsOf(s) {
  const ids = s.topic_ids && s.topic_ids.length ? s.topic_ids : s.topic ? [s.topic] : [];
  return ids.length ? ids.map(topicName).join(", ") : "Any topic";
}

/** fillTopicChecks offers every topic as a check box, to plan a session of several topics. */
function fillTopicChecks(list) {
  $("start-topics").replaceChildren(...list.map((t) => el("label", { class: "check" },
    el("input", { type: "checkbox", value: t.id, name: "topic_ids" }), ` ${t.name}`)));
}

/** forget drops session id from this browser, with its state. */
function forget(id) {
  storage.set(SESSIONS_KEY, held().filter((x) => x.id !== id));
  storage.remove(stateKey(id));
  if (session && session.id === id) {
    session = null;
    question = null;
    storage.remove(SESSION_KEY);
    storage.remove(QUESTION_KEY);
    $("history").replaceChildren(el("p", { class: "meta" }, "Start a session to keep a history of your answers."));
    $("progress").replaceChildren(el("p", { class: "meta" }, "Your scores per topic appear here."));
  }
}

/** saveState records part of the current session's state: its question, draft or last grade. */
function saveState(patch) {
  if (!session) return;
  storage.set(stateKey(session.id), { ...(storage.get(stateKey(session.id)) || {}), ...patch });
}

/**
 * open makes s the current session and shows it where it was left: its question, the draft answer
 * and, when that question was graded, its grade.
 */
async function open(s) {
  session = s;
  sessionless = false;
  storage.set(SESSION_KEY, s);
  remember(s);
  renderSessionBar();
  markCurrent();
  stopCountdown(null);
  $("countdown").hidden = true;
  $("result").replaceChildren();
  $("session-end").hidden = true;
  let sum = null;
  try {
    sum = await sessions.get(session);
    renderProgress(sum);
  } catch (e) {
    if (e.status === 401 || e.status === 403 || e.status === 404) {
      forget(s.id);
      renderSessionList();
      showStart();
      showAlert("This practice session is no longer available on the server. Start a new one, or resume another.");
      return;
    }
    showAlert(e.message); // keep the session: the server may be back soon
  }
  if (pending) return; // practise() shows its question
  const st = storage.get(stateKey(s.id)) || {};
  if (!st.question) {
    question = null;
    if (sum && sum.done) await showSessionEnd(sum);
    else await nextQuestion();
    return;
  }
  question = st.question;
  storage.set(QUESTION_KEY, question);
  showQuestion(question);
  $("answer").value = st.draft || "";
  $("answer").dispatchEvent(new Event("input"));
  if (st.attempt_id) await showAttempt(st.attempt_id, { current: true });
  else startCountdown();
  if (sum && sum.done) await showSessionEnd(sum);
}

/** takeIn adds a session given by a resume link to those this browser holds, and opens it. */
async function takeIn(id, token) {
  clearAlert();
  try {
    const sum = await sessions.get({ id, token });
    remember({ ...sum, token });
    renderSessionList();
    await open(plain({ ...sum, token }));
    announce("Session resumed from its link.");
  } catch (e) {
    showAlert(e.status === 403 || e.status === 404
      ? "This resume link does not open a session: it may have been deleted, or the link is incomplete."
      : e.message);
  }
}

/** copyResumeLink copies a link that opens session s in another browser. The token is its secret. */
async function copyResumeLink(s) {
  const link = `${location.origin}/#/practice/resume/${encodeURIComponent(s.id)}/${encodeURIComponent(s.token)}`;
  if (await copyText(link)) {
    announce("Resume link copied.");
    showNote(`Resume link copied. It holds this session's secret token: whoever has it can read and add to the session, so keep it to yourself.`);
  } else {
    showAlert(`Copy this link to resume the session in another browser (it holds the session's secret token): ${link}`);
  }
}

function showNote(message) {
  const region = $("alert");
  const dismiss = el("button", { type: "button", class: "link-button" }, "Dismiss");
  dismiss.addEventListener("click", () => region.replaceChildren());
  region.replaceChildren(el("div", { class: "alert alert-info" }, el("p", {}, message), dismiss));
}

/** resume opens a session held, as the candidate left it. */
async function resume(s) {
  clearAlert();
  await open(s);
  $("question-title").focus();
}

function showStart() {
  $("session-start").hidden = false;
  $("session-bar").hidden = true;
  $("back-to-session").hidden = !session;
  setExport(false);
  if (!question || session) $("question-card").hidden = true;
}

function renderSessionBar() {
  $("session-start").hidden = true;
  $("session-bar").hidden = false;
  const parts = [];
  if (session) {
    parts.push(el("strong", {}, session.name ? `${session.name}'s session` : "Your session"));
    parts.push(`: ${topicsOf(session)}, ${session.difficulty || "any difficulty"}`);
    if (session.answer_seconds) parts.push(`, ${Math.round(session.answer_seconds / 60 * 10) / 10} min per answer`);
    parts.push(". ", el("span", { id: "plan-progress" }));
  } else {
    parts.push(el("strong", {}, "Practising without a session"),
      ": this server keeps no sessions, so there is no history or report.");
  }
  $("session-summary").replaceChildren(...parts);
  $("end-session").hidden = !session;
  $("skip-question").hidden = false;
  setExport(Boolean(session));
  markCurrent();
}

function setExport(on) {
  $("export-md").disabled = !on;
  $("export-json").disabled = !on;
}

/** startSession creates a session; on a server without sessions it carries on without one. */
async function startSession(fields) {
  const body = {};
  for (const [k, v] of Object.entries(fields)) if (v && !(Array.isArray(v) && !v.length)) body[k] = v;
  try {
    const s = await sessions.create(body);
    session = plain(s);
    $("session-end").hidden = true;
    sessionless = false;
    storage.set(SESSION_KEY, session);
    remember(session);
    renderSessionList();
  } catch (e) {
    if (e.status !== 404 && e.status !== 405) {
      showAlert(e.message);
      return false;
    }
    sessionless = { topic: body.topic || "", difficulty: body.difficulty || "" };
    session = null;
  }
  renderSessionBar();
  if (session) renderProgress({ history: [], topics: [] });
  return true;
}

async function onStart(ev) {
  ev.preventDefault();
  clearAlert();
  const done = busy(ev.submitter || ev.target.querySelector("button[type=submit]"), "Starting…");
  try {
    const ids = [...new Set([$("start-topic").value,
      ...[...$("start-topics").querySelectorAll("input:checked")].map((i) => i.value)].filter(Boolean))];
    const ok = await startSession({
      ...(ids.length > 1 ? { topic_ids: ids } : { topic: ids[0] || "" }),
      difficulty: $("start-difficulty").value, name: $("start-name").value.trim(),
      question_count: Number($("start-count").value), answer_seconds: Number($("start-time").value),
    });
    if (ok) {
      question = null;
      await nextQuestion();
      $("answer").focus();
    }
  } finally {
    done();
  }
}

/**
 * onNewSession shows the form to start another session. The current one is kept, with its question,
 * draft and grade, in the list of sessions, from which it can be resumed.
 */
function onNewSession() {
  clearAlert();
  $("question-card").hidden = true;
  $("result").replaceChildren();
  showStart();
  $("start-topic").focus();
}

/** onShortcut: "n" asks for the next question when the focus is not in a text field. */
function onShortcut(ev) {
  if (ev.key !== "n" || ev.ctrlKey || ev.metaKey || ev.altKey || $("view-practice").hidden) return;
  const t = ev.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  if ($("question-card").hidden || $("skip-question").hidden || $("skip-question").disabled) return;
  ev.preventDefault();
  onSkip();
}

/** nextQuestion asks the session (or, without one, the bank) for the next question. */
async function nextQuestion() {
  const card = $("question-card");
  card.hidden = false;
  card.setAttribute("aria-busy", "true");
  $("question-text").replaceChildren(loading("Choosing a question…"));
  $("question-meta").replaceChildren();
  $("question-note").replaceChildren();
  try {
    if (session) {
      const r = await sessions.next(session);
      setQuestion({ ...r.question, reason: r.reason, review_key_points: r.review_key_points || [] });
    } else {
      const f = sessionless || {};
      const r = await bank.questions({ topic: f.topic, difficulty: f.difficulty, limit: 100 });
      const choices = r.questions.filter((q) => !question || q.id !== question.id);
      if (!choices.length) throw new Error("No question in the bank matches this topic and difficulty.");
      setQuestion(choices[Math.floor(Math.random() * choices.length)]);
    }
  } catch (e) {
    if (e.status === 409 && session) {
      card.hidden = true;
      card.removeAttribute("aria-busy");
      await showSessionEnd(await sessions.get(session));
      return;
    }
    $("question-text").replaceChildren(el("span", { class: "meta" }, "No question to show."));
    showAlert(e.message);
  } finally {
    card.removeAttribute("aria-busy");
  }
}

function setQuestion(q) {
  question = q;
  storage.set(QUESTION_KEY, q);
  storage.remove(DRAFT_KEY);
  saveState({ question: q, draft: "", attempt_id: null, started_at: Date.now() });
  $("answer").value = "";
  $("answer").dispatchEvent(new Event("input"));
  $("result").replaceChildren();
  showQuestion(q);
  startCountdown();
}

const reasons = {
  unseen: "A question you have not answered yet.",
  review: "A question to review: last time you missed these key points.",
  only: "The only question that matches this session.",
};

function showQuestion(q) {
  $("skip-question").textContent = "Another question";
  $("question-card").hidden = false;
  $("question-title").textContent = q.followup ? "Follow-up question" : "Question";
  $("question-text").textContent = q.text;
  const meta = [];
  if (q.topic) meta.push(topicName(q.topic));
  if (q.difficulty) meta.push(titleCase(q.difficulty));
  if (q.tags && q.tags.length) meta.push(q.tags.join(", "));
  $("question-meta").textContent = meta.join(" · ");
  const note = [];
  if (q.followup) {
    if (q.followup.after) note.push(el("p", { class: "meta" }, "Follow-up to: ", q.followup.after));
  } else if (q.reason && reasons[q.reason]) {
    note.push(el("p", { class: "meta" }, reasons[q.reason]));
    if (q.reason === "review" && q.review_key_points && q.review_key_points.length) {
      note.push(el("ul", { class: "review-points" }, q.review_key_points.map((k) => el("li", {}, k.text))));
    }
  }
  $("question-note").replaceChildren(...note);
  const draft = session ? null : storage.get(DRAFT_KEY);
  if (draft && draft.question === q.text && !$("answer").value) {
    $("answer").value = draft.answer;
    $("answer").dispatchEvent(new Event("input"));
  }
}

async function onSkip() {
  clearAlert();
  const done = busy($("skip-question"), "Choosing…");
  try {
    await nextQuestion();
  } finally {
    done();
  }
  $("answer").focus();
}

async function onSubmit(ev) {
  ev.preventDefault();
  clearAlert();
  if (!question) return;
  const answer = $("answer").value;
  if (!answer.trim()) {
    showAlert("Write your answer first.");
    $("answer").focus();
    return;
  }
  if (!withinLimit()) {
    showAlert("Your answer is over the 6000-character limit: shorten it, then grade it.");
    $("answer").focus();
    return;
  }
  const body = question.id && !question.followup
    ? { question_id: question.id, answer }
    : { question: question.text, answer };
  if (question.followup && question.followup.attempt_id) {
    // Graded against the key point the follow-up probes, not against what its wording resembles.
    body.followup = { attempt_id: question.followup.attempt_id, index: question.followup.index };
  }
  if (session) body.session_id = session.id;
  const timing = answerTiming();
  if (timing) body.timing = timing;

  const result = $("result");
  result.setAttribute("aria-busy", "true");
  result.replaceChildren(el("div", { class: "card" }, loading("Grading your answer…")));
  const done = busy($("grade-button"), "Grading…");
  try {
    const attempt = await gradeStreaming(body, {
      token: session && session.token,
      onReferences: (r) => result.replaceChildren(el("div", { class: "card" },
        loading("Grading your answer against these references…"),
        ...graderNotices(null, r.grounded, []),
        el("h2", {}, "References found"),
        referenceList(r.references, "wait"))),
    });
    result.replaceChildren(attemptView(attempt, { idPrefix: "practice", onAnswerNext: answerNext }));
    $("skip-question").textContent = "Next question";
    storage.remove(DRAFT_KEY);
    saveState({ attempt_id: attempt.attempt_id });
    stopCountdown(timing);
    announce(`Graded: ${attempt.score} out of 100, ${attempt.band}.`);
    if (session) refreshProgress();
  } catch (e) {
    result.replaceChildren();
    if (e.code === "no_reference") {
      result.replaceChildren(noGradeView(e));
      announce("Not graded: nothing in the bank is close enough to this question.");
    } else {
      showAlert(e.message);
    }
  } finally {
    result.removeAttribute("aria-busy");
    done();
  }
}

/** answerNext makes a follow-up question the one to answer, in one click. */
function answerNext(f, index, attemptId) {
  clearAlert();
  // What the follow-up probes is the answer to it: it is shown once the follow-up is answered.
  setQuestion({ text: f.question, followup: { after: question && question.text, attempt_id: attemptId, index } });
  $("question-card").scrollIntoView({ block: "start" });
  $("answer").focus({ preventScroll: true });
  announce("Follow-up question ready: write your answer.");
}

async function refreshProgress() {
  try {
    const sum = await sessions.get(session);
    renderProgress(sum);
    updateListed(session.id, sum);
    if (sum.done) await showSessionEnd(sum);
  } catch (e) {
    showAlert(e.message);
  }
}

function renderProgress(s) {
  $("history").replaceChildren(historyList(s.history, (h) => showAttempt(h.attempt_id, { scroll: true })));
  $("progress").replaceChildren(progressChart(s));
}

/**
 * showAttempt shows a graded attempt of the current session in full: the grade of the current
 * question (current), or an earlier one opened from the history.
 */
async function showAttempt(id, { current = false, scroll = false } = {}) {
  if (!session) return;
  const result = $("result");
  result.setAttribute("aria-busy", "true");
  try {
    const a = await sessions.attempt(session, id);
    const view = attemptView(a, { idPrefix: "practice", onAnswerNext: answerNext });
    if (!current) {
      view.prepend(el("p", { class: "notice earlier" }, el("strong", {}, "An earlier answer. "),
        "This is the grade of an answer from your history, to the question: ", el("q", {}, a.question)));
    } else {
      $("skip-question").textContent = "Next question";
    }
    result.replaceChildren(view);
    if (scroll) {
      result.scrollIntoView({ block: "start" });
      $("practice-heading").focus({ preventScroll: true });
    }
  } catch (e) {
    showAlert(e.message);
  } finally {
    result.removeAttribute("aria-busy");
  }
}

/** renderSessionList lists the sessions this browser holds, each with its figures from the server. */
async function renderSessionList() {
  const box = $("sessions");
  const list = held();
  if (!list.length) {
    box.replaceChildren(el("p", { class: "meta" }, "Sessions you start are kept in this browser and listed here."));
    return;
  }
  const ul = el("ul", { class: "session-list" }, list.map(sessionItem));
  box.replaceChildren(ul);
  markCurrent();
  // One request for every session held, 50 at a time (the server's limit per request).
  const answers = [];
  try {
    for (let i = 0; i < list.length; i += LOOKUP_LIMIT) {
      answers.push(...(await sessions.lookup(list.slice(i, i + LOOKUP_LIMIT))).sessions);
    }
  } catch {
    for (const s of list) showUnlisted(box, s.id, false);
    return;
  }
  for (const [i, s] of list.entries()) {
    const a = answers[i];
    if (a && a.session) updateListed(s.id, a.session);
    else showUnlisted(box, s.id, Boolean(a && a.error && ["unauthorized", "forbidden", "not_found"].includes(a.error.code)));
  }
}

/** LOOKUP_LIMIT is the most sessions one lookup request may name. */
const LOOKUP_LIMIT = 50;

/** showUnlisted says in the list why session id shows no figures: gone from the server, or not loaded. */
function showUnlisted(box, id, gone) {
  const item = box.querySelector(`[data-session="${CSS.escape(id)}"]`);
  if (!item) return;
  item.querySelector(".session-figures").textContent = gone
    ? "No longer on the server." : "Its figures could not be loaded.";
  if (gone) {
    item.classList.add("session-gone");
    item.querySelector(".resume").hidden = true;
    item.querySelector(".copy-link").hidden = true;
    item.querySelector(".delete").textContent = "Remove from this list";
  }
}

function sessionName(s) {
  return s.name ? `${s.name}'s session` : "Unnamed session";
}

function sessionItem(s) {
  const nameId = `session-name-${s.id}`;
  const resumeButton = el("button", { type: "button", class: "secondary resume", "aria-describedby": nameId }, "Resume");
  resumeButton.addEventListener("click", () => resume(s));
  const deleteButton = el("button", { type: "button", class: "link-button delete", "aria-describedby": nameId }, "Delete");
  deleteButton.addEventListener("click", () => onDelete(s, deleteButton));
  const linkButton = el("button", { type: "button", class: "link-button copy-link", "aria-describedby": nameId }, "Copy resume link");
  linkButton.addEventListener("click", () => copyResumeLink(s));
  return el("li", { class: "session-item", "data-session": s.id },
    el("p", { class: "session-name", id: nameId }, sessionName(s), el("span", { class: "current-mark" }, " (current)")),
    el("p", { class: "meta" }, `${topicsOf(s)} · ${s.difficulty ? titleCase(s.difficulty) : "any difficulty"} · `,
      el("time", { datetime: s.created_at }, when(s.created_at)), " ", el("span", { class: "session-plan" })),
    el("p", { class: "meta session-figures" }, "…"),
    el("div", { class: "actions" }, resumeButton, linkButton, deleteButton));
}

/** updateListed shows a session's answers and mean score in the list. */
function updateListed(id, sum) {
  const item = $("sessions").querySelector(`[data-session="${CSS.escape(id)}"]`);
  if (!item) return;
  item.querySelector(".session-figures").textContent = sum.answers
    ? `${sum.answers} ${sum.answers === 1 ? "answer" : "answers"} · mean score ${Math.round(sum.mean_score)}`
    : "No answers yet.";
  if (sum.done) item.querySelector(".session-figures").append(" · finished");
  const plan = item.querySelector(".session-plan");
  if (plan && sum.question_count) plan.textContent = `· ${sum.asked} of ${sum.question_count} questions`;
  if (session && id === session.id && sum.question_count && $("plan-progress")) {
    $("plan-progress").textContent = sum.done
      ? `Plan done: ${sum.asked} of ${sum.question_count} questions.`
      : `Question ${sum.asked + 1} of ${sum.question_count}.`;
  }
}

/** markCurrent marks the current session in the list; it needs no resuming. */
function markCurrent() {
  for (const item of $("sessions").querySelectorAll(".session-item")) {
    const current = Boolean(session) && item.dataset.session === session.id && $("session-start").hidden;
    item.classList.toggle("is-current", current);
    item.querySelector(".resume").hidden = current || item.classList.contains("session-gone");
  }
}

/** onDelete erases a session on the server, after asking, and drops it from this browser. */
async function onDelete(s, button) {
  const gone = button.closest(".session-item").classList.contains("session-gone");
  if (!gone && !window.confirm(`Delete ${sessionName(s)} and every answer in it? This cannot be undone.`)) return;
  clearAlert();
  const done = busy(button, "Deleting…");
  try {
    if (!gone) await sessions.remove(s);
  } catch (e) {
    if (e.status !== 403 && e.status !== 404) {
      done();
      showAlert(e.message);
      return;
    }
  }
  const wasCurrent = session && session.id === s.id;
  forget(s.id);
  renderSessionList();
  announce(`${sessionName(s)} deleted.`);
  if (wasCurrent) {
    $("result").replaceChildren();
    showStart();
  }
}

async function exportReport(format, button) {
  if (!session) return;
  clearAlert();
  const done = busy(button, "Preparing…");
  try {
    const body = await sessions.report(session, format);
    const day = new Date().toISOString().slice(0, 10);
    if (format === "json") download(`interview-coach-report-${day}.json`, body, "application/json");
    else download(`interview-coach-report-${day}.md`, body, "text/markdown");
    announce("Report downloaded.");
  } catch (e) {
    showAlert(e.message);
  } finally {
    done();
  }
}

// ---------------------------------------------------------------------------------------------
// The plan's countdown: shown while an answer is written, recorded with it, never enforced.

let ticking = null;

/** answerTiming is the time the current answer took against the plan's, or null without a plan time. */
function answerTiming() {
  if (!session || !session.answer_seconds) return null;
  const st = storage.get(stateKey(session.id)) || {};
  const started = Number(st.started_at) || Date.now();
  return { limit_seconds: session.answer_seconds, elapsed_seconds: Math.min(86400, Math.max(0, Math.round((Date.now() - started) / 1000))) };
}

const clock = (sec) => `${Math.floor(sec / 60)}:${String(sec % 60).padStart(2, "0")}`;

function startCountdown() {
  clearInterval(ticking);
  const box = $("countdown");
  box.hidden = !(session && session.answer_seconds);
  if (box.hidden) return;
  const tick = () => {
    const t = answerTiming();
    const left = t.limit_seconds - t.elapsed_seconds;
    box.classList.toggle("over", left < 0);
    box.textContent = left >= 0
      ? `${clock(left)} left of ${clock(t.limit_seconds)}`
      : `Over time by ${clock(-left)}: finish your answer, it will still be graded.`;
  };
  tick();
  ticking = setInterval(tick, 1000);
}

function stopCountdown(timing) {
  clearInterval(ticking);
  if (timing) {
    $("countdown").textContent = `Answered in ${clock(timing.elapsed_seconds)} of ${clock(timing.limit_seconds)}.`;
  }
}

// ---------------------------------------------------------------------------------------------
// The end of a session: when its plan is done or the candidate ends it.

async function onEndSession() {
  if (!session) return;
  if (!window.confirm("End this session? It will ask no more questions; your answers and grades are kept.")) return;
  clearAlert();
  const done = busy($("end-session"), "Ending…");
  try {
    const sum = await sessions.end(session);
    renderProgress(sum);
    updateListed(session.id, sum);
    stopCountdown(null);
    $("question-card").hidden = true;
    await showSessionEnd(sum);
  } catch (e) {
    showAlert(e.message);
  } finally {
    done();
  }
}

/** showSessionEnd shows the summary of a finished session: scores by topic, key points, what next. */
async function showSessionEnd(sum) {
  stopCountdown(null);
  $("countdown").hidden = true;
  $("skip-question").hidden = true;
  $("end-session").hidden = true;
  const parts = [el("p", {}, sum.ended_at
    ? "You ended this session. "
    : `This session's plan of ${sum.question_count} questions is done. `,
  sum.answers ? `${sum.answers} ${sum.answers === 1 ? "answer" : "answers"}, mean score ${Math.round(sum.mean_score)}.` : "No answers.")];

  if ((sum.topics || []).length) {
    parts.push(el("h3", {}, "Score by topic"));
    parts.push(el("table", { class: "summary-table" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Topic"), el("th", { scope: "col" }, "Answers"), el("th", { scope: "col" }, "Mean score"))),
      el("tbody", {}, sum.topics.map((t) => el("tr", {},
        el("th", { scope: "row" }, topicName(t.topic)), el("td", {}, String(t.attempts)), el("td", {}, String(Math.round(t.mean_score))))))));
  }
  const strong = sum.strongest_key_points || [];
  if (strong.length) {
    parts.push(el("h3", {}, "Strongest key points"));
    parts.push(el("ul", { class: "strong-points" }, strong.map((k) => el("li", {}, k.text,
      el("span", { class: "meta" }, ` (covered ${k.covers}×)`)))));
  }
  const weak = (sum.topics || []).flatMap((t) => (t.weakest_key_points || []).map((k) => ({ ...k, topic: t.topic })))
    .sort((a, b) => b.misses - a.misses).slice(0, 5);
  if (weak.length) {
    parts.push(el("h3", {}, "Weakest key points"));
    parts.push(el("ul", { class: "weak-points" }, weak.map((k) => el("li", {}, k.text,
      el("span", { class: "meta" }, ` (${topicName(k.topic)}, missed ${k.misses}×)`)))));
  }
  const review = sum.review_next || [];
  parts.push(el("h3", {}, "What to review next"));
  parts.push(review.length
    ? el("ul", { class: "review-next" }, review.map((a) => el("li", {}, a.question, " ",
      el("span", { class: `pill band-${a.band}` }, `${a.score} · ${titleCase(a.band)}`))))
    : el("p", {}, "Nothing: every question's latest answer scored 85 or more."));
  const md = el("button", { type: "button", class: "secondary" }, "Download the report (Markdown)");
  md.addEventListener("click", () => exportReport("md", md));
  const js = el("button", { type: "button", class: "secondary" }, "JSON");
  js.addEventListener("click", () => exportReport("json", js));
  parts.push(el("div", { class: "actions" }, md, js));
  $("end-body").replaceChildren(...parts);
  $("session-end").hidden = false;
  announce("Session summary ready.");
}
