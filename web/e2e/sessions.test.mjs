// Sessions that last: kept side by side and resumed, restored after a reload (draft and grade),
// history entries reopened, deleted with confirmation; review that brings a weak answer back soon.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { BASE, answerFor, open, questionShown, screenshots } from "./helpers.mjs";

/** start starts a session from the start form. */
async function start(page, { topic = "", name = "" } = {}) {
  const form = page.getByRole("region", { name: "Start a practice session" });
  await form.waitFor();
  await page.locator(`#start-topic option[value='${topic || "orm"}']`).waitFor({ state: "attached" });
  await form.getByLabel("Topic", { exact: true }).selectOption(topic);
  await form.getByLabel(/Your name/).fill(name);
  await page.getByRole("button", { name: "Start session" }).click();
  return questionShown(page);
}

/** grade grades what is in the answer box and returns the score shown. */
async function grade(page) {
  await page.getByRole("button", { name: "Grade my answer" }).click();
  const score = page.locator("#result article.grade .score");
  await score.waitFor();
  return Number(await score.textContent());
}

/** nextQuestion asks for the next question and waits until it differs from the one shown. */
async function nextQuestion(page, previous) {
  await page.locator("#skip-question").click();
  await page.waitForFunction((id) => {
    const q = JSON.parse(localStorage.getItem("coach.question") || "null");
    return q && q.id !== id;
  }, previous.id);
  return questionShown(page);
}

/** item is the entry of the session list named name. */
const item = (page, name) => page.locator("#sessions .session-item").filter({ hasText: name });

describe("sessions", () => {
  it("keeps two sessions side by side, restores drafts and grades after reloads, reopens history, deletes on confirmation", async () => {
    const app = await open("/#/practice");
    const { page } = app;
    try {
      const ada = await start(page, { topic: "orm", name: "Ada" });
      // A reload mid-answer keeps the question and the draft as typed.
      await page.getByLabel("Your answer").fill("Half an answer, still being wri");
      await page.reload();
      assert.equal((await questionShown(page)).id, ada.id);
      assert.equal(await page.getByLabel("Your answer").inputValue(), "Half an answer, still being wri");

      // A reload after the grade shows the same grade again, with the answer.
      const { answer } = await answerFor(ada.id, 2);
      await page.getByLabel("Your answer").fill(answer);
      const adaScore = await grade(page);
      await page.reload();
      await page.locator("#result article.grade .score").waitFor();
      assert.equal(Number(await page.locator("#result article.grade .score").textContent()), adaScore);
      assert.equal(await page.getByLabel("Your answer").inputValue(), answer);
      assert.equal((await page.locator("#question-text").textContent()).trim(), ada.text);
      await screenshots(page, "practice-reload-graded");

      // A new session keeps the first one, listed with its figures.
      await page.getByRole("button", { name: "New session" }).click();
      assert.ok(await page.getByRole("button", { name: "Back to my session" }).isVisible());
      const grace = await start(page, { topic: "views", name: "Grace" });
      await page.getByLabel("Your answer").fill("Grace's draft");
      await item(page, "Ada's session").locator(".session-figures").filter({ hasText: /1 answer · mean score \d+/ }).waitFor();
      assert.equal(await page.locator("#sessions .session-item").count(), 2);
      assert.match(await item(page, "Ada's session").textContent(), /ORM and QuerySets/);
      assert.match(await item(page, "Grace's session").textContent(), /\(current\)/);
      await screenshots(page, "practice-sessions");

      // Resuming each comes back exactly where it was left.
      await item(page, "Ada's session").getByRole("button", { name: "Resume", exact: true }).click();
      await page.locator("#result article.grade .score").waitFor();
      assert.equal((await page.locator("#question-text").textContent()).trim(), ada.text);
      assert.equal(Number(await page.locator("#result article.grade .score").textContent()), adaScore);
      await item(page, "Grace's session").getByRole("button", { name: "Resume", exact: true }).click();
      await page.waitForFunction((t) => document.getElementById("question-text").textContent === t, grace.text);
      assert.equal(await page.getByLabel("Your answer").inputValue(), "Grace's draft");
      assert.equal(await page.locator("#result").textContent(), "");

      // A history entry opens its full grade.
      await item(page, "Ada's session").getByRole("button", { name: "Resume", exact: true }).click();
      await page.locator("#result article.grade").waitFor();
      const adaQuestion = await nextQuestion(page, ada);
      assert.notEqual(adaQuestion.id, ada.id);
      await page.locator("#history").getByRole("button", { name: "See the grade" }).click();
      const earlier = page.locator("#result article.grade");
      await earlier.locator(".earlier").waitFor();
      assert.equal(Number(await earlier.locator(".score").textContent()), adaScore);
      assert.match(await earlier.locator(".earlier").textContent(), new RegExp(ada.text.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
      await screenshots(page, "practice-history-opened");
      // The page follows the system's dark mode.
      await page.emulateMedia({ colorScheme: "dark" });
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).colorScheme || getComputedStyle(document.documentElement).colorScheme), "dark");
      await screenshots(page, "practice-dark");
      await page.emulateMedia({ colorScheme: "light" });

      // The report says who graded, and names topics as the page does.
      const [md] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Markdown" }).click()]);
      const markdown = await readFile(await md.path(), "utf8");
      assert.match(markdown, /- \*\*Graded by:\*\* the offline grader/);
      assert.match(markdown, /\| ORM and QuerySets \| 1 \|/);
      assert.doesNotMatch(markdown, /\| orm \|/);

      // The list asks for the figures of every session held in one request, not one by one.
      const graceSession = await page.evaluate(() => JSON.parse(localStorage.getItem("coach.sessions")).find((s) => s.name === "Grace"));
      const asked = [];
      const record = (r) => {
        const { pathname } = new URL(r.url());
        if (pathname.startsWith("/api/v1/sessions")) asked.push(`${r.method()} ${pathname}`);
      };
      page.on("request", record);
      await page.reload();
      await item(page, "Grace's session").locator(".session-figures").filter({ hasText: /No answers yet\./ }).waitFor();
      await item(page, "Ada's session").locator(".session-figures").filter({ hasText: /1 answer · mean score \d+/ }).waitFor();
      page.off("request", record);
      assert.equal(asked.filter((r) => r === "POST /api/v1/sessions/lookup").length, 1, `requests: ${asked}`);
      assert.ok(!asked.includes(`GET /api/v1/sessions/${graceSession.id}`), `Grace's session was asked for alone: ${asked}`);

      // Deleting asks first; dismissed, nothing happens; accepted, the session is gone everywhere.
      page.once("dialog", (d) => d.dismiss());
      await item(page, "Grace's session").getByRole("button", { name: "Delete" }).click();
      assert.equal(await page.locator("#sessions .session-item").count(), 2);
      page.once("dialog", (d) => {
        assert.match(d.message(), /Grace's session/);
        d.accept();
      });
      await item(page, "Grace's session").getByRole("button", { name: "Delete" }).click();
      await page.waitForFunction(() => document.querySelectorAll("#sessions .session-item").length === 1);
      const res = await fetch(`${BASE}/api/v1/sessions/${graceSession.id}`, { headers: { "X-Session-Token": graceSession.token } });
      assert.equal(res.status, 403, "the deleted session is gone from the server");
      assert.ok(await page.locator("#session-summary").getByText("Ada's session").isVisible(), "the current session stays");
    } finally {
      await app.close();
    }
  });

  it("moves a session to another browser with its resume link, which leaves the address bar", async () => {
    const first = await open("/#/practice", { clipboard: true });
    let second = null;
    try {
      const q = await start(first.page, { topic: "orm", name: "Ada" });
      await first.page.getByLabel("Your answer").fill((await answerFor(q.id, 2)).answer);
      await grade(first.page);
      await item(first.page, "Ada's session").getByRole("button", { name: "Copy resume link" }).click();
      await first.page.getByText(/Resume link copied\. It holds this session's secret token/).waitFor();
      const link = await first.page.evaluate(() => navigator.clipboard.readText());
      const s = await first.page.evaluate(() => JSON.parse(localStorage.getItem("coach.session")));
      assert.equal(link, `${BASE}/#/practice/resume/${s.id}/${s.token}`);

      second = await open(link.slice(BASE.length));
      await second.page.locator("#session-summary").getByText("Ada's session").waitFor();
      await second.page.locator("#history .history-item").first().waitFor();
      assert.equal(await second.page.locator("#history .history-item").count(), 1);
      assert.ok(!second.page.url().includes(s.token), "the token leaves the address bar");
      const held = await second.page.evaluate(() => JSON.parse(localStorage.getItem("coach.sessions")));
      assert.deepEqual(held.map((x) => x.id), [s.id]);

      // A link whose token is wrong opens nothing, and says so.
      await second.page.goto(`${BASE}/#/practice/resume/${s.id}/wrong-token`);
      await second.page.getByText(/This resume link does not open a session/).waitFor();
    } finally {
      await first.close();
      if (second) await second.close({ allow: /403|Forbidden/ });
    }
  });

  it("brings a weak answer back as a review within five questions in an Any topic session", async () => {
    const app = await open("/#/practice");
    const { page } = app;
    try {
      const weak = await start(page, { topic: "" });
      await page.getByLabel("Your answer").fill("I don't know.");
      assert.ok((await grade(page)) < 50, "the weak answer scores under 50");
      let current = weak;
      for (let n = 2; ; n++) {
        current = await nextQuestion(page, current);
        if (current.id === weak.id) {
          assert.ok(n <= 5, `the weak answer came back as question ${n}`);
          assert.equal(current.reason, "review");
          assert.match(await page.locator("#question-note").textContent(), /A question to review/);
          assert.ok((await page.locator("#question-note .review-points li").count()) >= 1, "with the key points it missed");
          break;
        }
        assert.ok(n < 5, `question ${n} is not the weak answer's`);
        await page.getByLabel("Your answer").fill((await answerFor(current.id, 20)).answer);
        await grade(page);
      }
      await screenshots(page, "practice-review");
    } finally {
      await app.close();
    }
  });
});
