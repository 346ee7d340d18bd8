// The server's JSON API. Every failure becomes an ApiError whose message can be shown as is.

/** Message shown when no answer comes back at all. */
export const UNREACHABLE = "The server cannot be reached. Check that it is running, then try again.";

/** ApiError is a failed API call: status 0 means the server could not be reached. */
export class ApiError extends Error {
  constructor(message, { status = 0, code = "", details = null } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    /** details is the whole error object the server sent (e.g. closest questions of no_reference). */
    this.details = details;
  }
}

const statusOfCode = {
  invalid: 400, unauthorized: 401, forbidden: 403, not_found: 404, conflict: 409,
  too_large: 413, no_reference: 422, rate_limited: 429, internal: 500, upstream_error: 502, unavailable: 503,
};

/** errorFrom turns an error response (status and decoded body, if any) into an ApiError. */
export function errorFrom(status, body) {
  const e = body && typeof body === "object" ? body.error : null;
  const code = (e && e.code) || "";
  if (!status) status = statusOfCode[code] || 500;
  let message = e && typeof e.message === "string" && e.message ? e.message : "";
  if (!message) {
    // No JSON error: a proxy in front of a stopped server, or something that is not this API.
    if (status === 502 || status === 503 || status === 504) return new ApiError(UNREACHABLE, { status, code });
    message = `The server answered with status ${status}.`;
  }
  if (status === 503 && /language model/i.test(message)) {
    message = `The language model is unavailable (${message}). Try again later.`;
  } else if (code === "upstream_error") {
    message = `The language model refused the request as the server is configured (${message}). The server's operator must change its settings.`;
  } else if (status === 401) {
    message = `Not allowed: ${message} (an API key can be saved at the foot of the page).`;
  } else if (status === 403) {
    message = `Not allowed: ${message}`;
  }
  return new ApiError(message, { status, code, details: e });
}

const API_KEY = "coach.apiKey";

/** apiKey returns the API key saved in this browser, or "" (servers with open practice need none). */
export function apiKey() {
  try {
    return localStorage.getItem(API_KEY) || "";
  } catch {
    return "";
  }
}

/** setAPIKey saves key for every later call, or forgets the saved one when key is empty. */
export function setAPIKey(key) {
  try {
    if (key) localStorage.setItem(API_KEY, key);
    else localStorage.removeItem(API_KEY);
  } catch {
    // storage is off: the key cannot be kept
  }
}

function headers(token, extra) {
  const h = { Accept: "application/json", ...extra };
  if (token) h["X-Session-Token"] = token;
  const key = apiKey();
  if (key) h.Authorization = `Bearer ${key}`;
  return h;
}

async function send(path, { method = "GET", body, token, signal, accept } = {}) {
  const init = { method, headers: headers(token, accept ? { Accept: accept } : {}), signal };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch(path, init);
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError(UNREACHABLE);
  }
}

async function readJSON(res) {
  let text;
  try {
    text = await res.text();
  } catch {
    throw new ApiError(UNREACHABLE);
  }
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) throw errorFrom(res.status, data);
  if (data === null) throw new ApiError("The server sent a response that is not JSON.", { status: res.status });
  return data;
}

/** request calls the API and returns the decoded JSON body. */
export async function request(path, options = {}) {
  return readJSON(await send(path, options));
}

/** text calls the API and returns the body as text (for reports). */
export async function text(path, options = {}) {
  const res = await send(path, { ...options, accept: options.accept || "*/*" });
  if (!res.ok) return readJSON(res); // throws the error
  try {
    return await res.text();
  } catch {
    throw new ApiError(UNREACHABLE);
  }
}

/** grade posts an answer for grading and returns the attempt, without streaming. */
export function grade(body, { token, signal } = {}) {
  return request("/api/v1/grade", { method: "POST", body, token, signal });
}

/**
 * gradeStreaming grades over Server-Sent Events, calling onReferences with the references as soon
 * as the server has found them. It falls back to a plain POST when the server does not stream or
 * the stream breaks; errors the server reports are thrown as they are.
 */
export async function gradeStreaming(body, { token, signal, onReferences } = {}) {
  let res;
  try {
    res = await send("/api/v1/grade?stream=true", {
      method: "POST", body, token, signal, accept: "text/event-stream, application/json",
    });
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    return grade(body, { token, signal });
  }
  const type = res.headers.get("Content-Type") || "";
  if (!type.startsWith("text/event-stream")) {
    if ([404, 405, 406, 415, 501].includes(res.status)) return grade(body, { token, signal });
    return readJSON(res); // a server that ignores ?stream answers with the attempt itself
  }
  try {
    for await (const ev of events(res.body)) {
      if (ev.event === "references") {
        if (onReferences) onReferences(JSON.parse(ev.data));
      } else if (ev.event === "grade") {
        return JSON.parse(ev.data);
      } else if (ev.event === "error") {
        let data = null;
        try {
          data = JSON.parse(ev.data);
        } catch {
          data = null;
        }
        throw errorFrom(0, data);
      }
    }
  } catch (err) {
    if (err instanceof ApiError || (err && err.name === "AbortError")) throw err;
    // A broken stream: fall through to the plain request.
  }
  return grade(body, { token, signal });
}

/** events parses a Server-Sent Events body into {event, data} objects. */
export async function* events(stream) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (value) buf += value;
      let cut;
      while ((cut = buf.search(/\r?\n\r?\n/)) >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + buf.slice(cut).match(/^\r?\n\r?\n/)[0].length);
        const ev = parseEvent(block);
        if (ev) yield ev;
      }
      if (done) break;
    }
    const ev = parseEvent(buf);
    if (ev) yield ev;
  } finally {
    reader.releaseLock();
  }
}

function parseEvent(block) {
  let event = "message";
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (!line || line.startsWith(":")) continue;
    const i = line.indexOf(":");
    const field = i < 0 ? line : line.slice(0, i);
    let value = i < 0 ? "" : line.slice(i + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return data.length ? { event, data: data.join("\n") } : null;
}

/** Sessions API: every call but create carries the session's token. */
export const sessions = {
  create: (fields) => request("/api/v1/sessions", { method: "POST", body: fields }),
  get: (s) => request(`/api/v1/sessions/${encodeURIComponent(s.id)}`, { token: s.token }),
  /**
   * lookup reads several sessions in brief in one request, each with its token ({id, token} each,
   * at most 50); each answer holds the session or the error its own route would give.
   */
  lookup: (list) => request("/api/v1/sessions/lookup", {
    method: "POST", body: { sessions: list.map((s) => ({ id: s.id, token: s.token })) },
  }),
  next: (s) => request(`/api/v1/sessions/${encodeURIComponent(s.id)}/next`, { token: s.token }),
  end: (s) => request(`/api/v1/sessions/${encodeURIComponent(s.id)}/end`, { method: "POST", token: s.token }),
  remove: async (s) => {
    const res = await send(`/api/v1/sessions/${encodeURIComponent(s.id)}`, { method: "DELETE", token: s.token });
    if (!res.ok) await readJSON(res); // throws the error
  },
  /** attempt reads one graded attempt of the session in full. */
  attempt: (s, id) => request(`/api/v1/attempts/${encodeURIComponent(id)}`, { token: s.token }),
  report: (s, format) =>
    text(`/api/v1/sessions/${encodeURIComponent(s.id)}/report?format=${encodeURIComponent(format)}`, {
      token: s.token, accept: format === "json" ? "application/json" : "text/markdown, text/plain, */*",
    }),
};

/** Bank API. */
export const bank = {
  topics: () => request("/api/v1/topics"),
  questions: ({ topic = "", difficulty = "", q = "", limit = 20, cursor = "" } = {}) => {
    const p = new URLSearchParams();
    if (topic) p.set("topic", topic);
    if (difficulty) p.set("difficulty", difficulty);
    if (q) p.set("q", q);
    if (limit) p.set("limit", String(limit));
    if (cursor) p.set("cursor", cursor);
    return request(`/api/v1/questions?${p}`);
  },
  question: (id) => request(`/api/v1/questions/${encodeURIComponent(id)}`),
  /** review is what waits for an admin's review; it fails with 401/403 for anyone else. */
  review: () => request("/api/v1/bank/review"),
  /** createQuestion adds a question (text, topic, difficulty, tags) without references and returns it (admins). */
  createQuestion: (q) => request("/api/v1/questions", { method: "POST", body: q }),
  /** deleteQuestion deletes a question with its references and key points; attempts keep their own copy (admins). */
  deleteQuestion: (id) => noContent(`/api/v1/questions/${encodeURIComponent(id)}`, { method: "DELETE" }),
  /** updateQuestion changes a question's text, topic, difficulty or tags (admins). */
  updateQuestion: (id, change) => request(`/api/v1/questions/${encodeURIComponent(id)}`, { method: "PATCH", body: change }),
  /** editKeyPoint changes a key point's text, weight or status (admins). */
  editKeyPoint: (id, change) => noContent(`/api/v1/key_points/${encodeURIComponent(id)}`, { method: "PATCH", body: change }),
  /** addKeyPoint adds a key point (text, weight) to a reference and returns it (admins; an interviewer's is a draft). */
  addKeyPoint: (refID, kp) => request(`/api/v1/references/${encodeURIComponent(refID)}/key_points`, { method: "POST", body: kp }),
  /** deleteKeyPoint deletes a key point (admins). */
  deleteKeyPoint: (id) => noContent(`/api/v1/key_points/${encodeURIComponent(id)}`, { method: "DELETE" }),
  /** reorderKeyPoints sets the order of a reference's key points (admins). */
  reorderKeyPoints: (refID, ids) => noContent(`/api/v1/references/${encodeURIComponent(refID)}/key_points/order`, { method: "PUT", body: { ids } }),
  /** addReference adds a reference answer to a question and returns the question (admins). */
  addReference: (id, ref) => request(`/api/v1/questions/${encodeURIComponent(id)}/references`, { method: "POST", body: ref }),
  /** editReference changes a reference's text, source or source_url and returns it (admins). */
  editReference: (id, change) => request(`/api/v1/references/${encodeURIComponent(id)}`, { method: "PATCH", body: change }),
  /** moveReference gives a reference to another question (admins). */
  moveReference: (id, questionID) => noContent(`/api/v1/references/${encodeURIComponent(id)}`, { method: "PATCH", body: { question_id: questionID } }),
  /** deleteReference deletes a reference with its key points (admins). */
  deleteReference: (id) => noContent(`/api/v1/references/${encodeURIComponent(id)}`, { method: "DELETE" }),
  /** mergeQuestion moves every reference of question id into question into, deletes id and returns into (admins). */
  mergeQuestion: (id, into) => request(`/api/v1/questions/${encodeURIComponent(id)}/merge`, { method: "POST", body: { into } }),
};

/** noContent calls an API route that answers 204, throwing the server's error otherwise. */
async function noContent(path, options) {
  const res = await send(path, options);
  if (res.status !== 204) await readJSON(res);
}

/** followups asks for follow-up questions (with the grade) for an answer. */
export function followups(body) {
  return request("/api/v1/followups", { method: "POST", body });
}
