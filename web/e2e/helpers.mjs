// Shared set-up of the browser tests: Debian's chromium driven by playwright-core, against the real
// server that scripts/e2e.sh starts (E2E_BASE_URL). No browser is ever downloaded.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

/** BASE is the address of the server under test. */
export const BASE = (process.env.E2E_BASE_URL || "").replace(/\/$/, "");
if (!BASE) throw new Error("E2E_BASE_URL is not set: run the browser tests with scripts/e2e.sh (or make e2e)");

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.E2E_SCREENSHOTS || join(process.cwd(), "test-artifacts", "screenshots");

/** MODEL_DOWN and FALLBACK serve the same bank with a language model that cannot be reached. */
export const MODEL_DOWN = (process.env.E2E_MODEL_DOWN_URL || "").replace(/\/$/, "");
export const FALLBACK = (process.env.E2E_FALLBACK_URL || "").replace(/\/$/, "");
/** ADMIN_KEY is the bootstrap admin key of the servers, to make keys of other roles with. */
const ADMIN_KEY = process.env.E2E_ADMIN_KEY || "";

/** CSP is the least Content-Security-Policy the UI must work under (the server may send a stricter one). */
export const CSP = "default-src 'self'";

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * open launches chromium with a fresh profile and opens path on base. Every document has a CSP (the
 * server's, or the one above); CSP violations, uncaught page errors and console errors are collected
 * in `problems`, which close() asserts to be empty unless told otherwise.
 */
export async function open(path = "/", { base = BASE, viewport = DESKTOP, clipboard = false } = {}) {
  const profile = await mkdtemp(join(tmpdir(), "coach-e2e-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
    viewport,
    locale: "en-GB",
    timezoneId: "UTC",
    acceptDownloads: true,
    permissions: clipboard ? ["clipboard-read", "clipboard-write"] : [],
  });
  const problems = [];
  await context.route((url) => url.origin === base && (url.pathname === "/" || url.pathname.endsWith(".html")), async (route) => {
    const response = await route.fetch();
    const headers = response.headers();
    assert.match(headers["content-type"] || "", /^text\/html/);
    if (!headers["content-security-policy"]) headers["content-security-policy"] = CSP;
    await route.fulfill({ response, headers });
  });
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(10_000);
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
  });
  await page.goto(base + path);
  return {
    context,
    page,
    problems,
    /** close ends the browser; unless allowed, any problem seen on the page fails the test. */
    async close({ allow = null } = {}) {
      await context.close();
      await rm(profile, { recursive: true, force: true });
      const left = allow ? problems.filter((p) => !allow.test(p)) : problems;
      assert.deepEqual(left, [], "the page logged errors or broke its Content-Security-Policy");
    },
  };
}

/** screenshots saves the page at desktop and at phone width (390px), full length. */
export async function screenshots(page, name) {
  await mkdir(SHOTS, { recursive: true });
  const size = page.viewportSize();
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  // Nothing may stick out sideways at phone width.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${name}: the page is ${overflow}px wider than a 390px phone screen`);
  await page.setViewportSize(size);
}

/** api calls the server under test directly (to learn what the page should show). */
export async function api(path, init) {
  const res = await fetch(BASE + path, init);
  assert.ok(res.ok, `${path}: ${res.status}`);
  return res.json();
}

/** newKey makes an API key of role on the server under test and returns it. */
export async function newKey(role) {
  assert.ok(ADMIN_KEY, "E2E_ADMIN_KEY is not set (run the browser tests with scripts/e2e.sh)");
  const r = await api("/api/v1/keys", {
    method: "POST",
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify({ role, name: `e2e ${role}` }),
  });
  return r.key;
}

/** saveKey saves key with the API key form at the foot of the page, as a user does. */
export async function saveKey(page, key) {
  const footer = page.locator(".site-footer");
  await footer.getByText("API key", { exact: true }).click();
  await footer.getByLabel(/API key, for servers/).fill(key);
  await footer.getByRole("button", { name: "Save key" }).click();
  await footer.getByText(/A key is saved/).waitFor();
}

/** answerFor builds an answer that states the first key points of a bank question word for word. */
export async function answerFor(questionId, points = 2) {
  const q = await api(`/api/v1/questions/${encodeURIComponent(questionId)}`);
  const kps = q.references.flatMap((r) => r.key_points).slice(0, points).map((k) => k.text);
  return { question: q, answer: `${kps.join(" ")} Beyond that I would have to look it up.`, keyPoints: kps };
}

/** questionShown waits until the Practice page shows a question ready to answer, and returns it. */
export async function questionShown(page) {
  await page.waitForFunction(() => {
    const q = JSON.parse(localStorage.getItem("coach.question") || "null");
    const card = document.getElementById("question-card");
    return q && !card.hidden && !card.hasAttribute("aria-busy") && document.getElementById("question-text").textContent === q.text;
  });
  return page.evaluate(() => JSON.parse(localStorage.getItem("coach.question")));
}
