// The Practice page: a candidate's session of questions, answers, grades, history and progress.
import { bank, gradeStreaming, sessions } from "./api.js";
import {
  $, announce, busy, clearAlert, counter, download, el, loading, showAlert, storage, titleCase,
} from "./dom.js";
import { attemptView, graderNotices, noGradeView, referenceList } from "./grade.js";
import { attachDictation } from "./dictation.js";
import { historyList, progressChart } from "./progress.js";
import { fillTopicSelect, topicName } from "./topics.js";

const SESSION_KEY = "coach.session";
const QUESTION_KEY = "coach.question";
const DRAFT_KEY = "coach.draft";

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

/** enter shows the page, setting it up the first time. */
export async function enter() {
  if (!started) started = init();
  await started;
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
    if (question) storage.set(DRAFT_KEY, { question: question.text, answer: $("answer").value });
  });
  withinLimit = counter($("answer"), $("answer-count"));
  attachDictation($("dictate"), $("answer"), $("dictation-status"));
  const topicsLoaded = fillTopicSelect($("start-topic")).catch((e) => showAlert(e.message));
  // Topics that could not be loaded (server down) are asked for again when the list is opened.
  $("start-topic").addEventListener("focus", () => {
    if ($("start-topic").options.length < 2) fillTopicSelect($("start-topic")).catch(() => {});
  });

  await topicsLoaded; // topic names for the session bar, the question and the history
  session = storage.get(SESSION_KEY);
  question = storage.get(QUESTION_KEY);
  if (!session || !session.id || !session.token) {
    session = null;
    showStart();
    if (question && !pending) showQuestion(question); // a question kept from a server without sessions
    return;
  }
  renderSessionBar();
  try {
    renderProgress(await sessions.get(session));
  } catch (e) {
    if (e.status === 401 || e.status === 403 || e.status === 404) {
      forgetSession();
      showStart();
      showAlert("Your previous practice session is no longer available on the server. Start a new one.");
      return;
    }
    showAlert(e.message); // keep the session: the server may be back soon
  }
  if (pending) return; // practise() shows its question
  if (question) showQuestion(question);
  else await nextQuestion();
}

function showStart() {
  $("session-start").hidden = false;
  $("session-bar").hidden = true;
  setExport(false);
  if (!question) $("question-card").hidden = true;
}

function renderSessionBar() {
  $("session-start").hidden = true;
  $("session-bar").hidden = false;
  const parts = [];
  if (session) {
    parts.push(el("strong", {}, session.name ? `${session.name}'s session` : "Your session"));
    parts.push(`: ${session.topic ? topicName(session.topic) : "any topic"}, ${session.difficulty || "any difficulty"}.`);
  } else {
    parts.push(el("strong", {}, "Practising without a session"),
      ": this server keeps no sessions, so there is no history or report.");
  }
  $("session-summary").replaceChildren(...parts);
  setExport(Boolean(session));
}

function setExport(on) {
  $("export-md").disabled = !on;
  $("export-json").disabled = !on;
}

function forgetSession() {
  session = null;
  question = null;
  storage.remove(SESSION_KEY);
  storage.remove(QUESTION_KEY);
  storage.remove(DRAFT_KEY);
  $("history").replaceChildren(el("p", { class: "meta" }, "Start a session to keep a history of your answers."));
  $("progress").replaceChildren(el("p", { class: "meta" }, "Your scores per topic appear here."));
}

/** startSession creates a session; on a server without sessions it carries on without one. */
async function startSession(fields) {
  const body = {};
  for (const [k, v] of Object.entries(fields)) if (v) body[k] = v;
  try {
    const s = await sessions.create(body);
    session = { id: s.id, token: s.token, name: s.name || "", topic: s.topic || "", difficulty: s.difficulty || "", created_at: s.created_at };
    sessionless = false;
    storage.set(SESSION_KEY, session);
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
    const ok = await startSession({
      topic: $("start-topic").value, difficulty: $("start-difficulty").value, name: $("start-name").value.trim(),
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

function onNewSession() {
  forgetSession();
  sessionless = null;
  $("question-card").hidden = true;
  $("result").replaceChildren();
  showStart();
  $("start-topic").focus();
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
  $("answer").value = "";
  $("answer").dispatchEvent(new Event("input"));
  $("result").replaceChildren();
  showQuestion(q);
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
  const draft = storage.get(DRAFT_KEY);
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
    renderProgress(await sessions.get(session));
  } catch (e) {
    showAlert(e.message);
  }
}

function renderProgress(s) {
  $("history").replaceChildren(historyList(s.history));
  $("progress").replaceChildren(progressChart(s));
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
