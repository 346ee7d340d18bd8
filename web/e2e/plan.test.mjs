// A session plan: several topics, a number of questions and a countdown per answer, ending with
// its summary; and a session the candidate ends early.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { BASE, answerFor, open, questionShown, screenshots } from "./helpers.mjs";

async function gradeAnswer(page, answer) {
  await page.getByLabel("Your answer").fill(answer);
  await page.getByLabel("Your answer").press("Control+Enter"); // the keyboard shortcut grades
  await page.locator("#result article.grade .score").waitFor();
}

describe("session plan", () => {
  it("asks the planned number of questions from several topics, with a countdown, then sums the session up", async () => {
    const app = await open("/#/practice");
    const { page } = app;
    try {
      const form = page.getByRole("region", { name: "Start a practice session" });
      await page.locator("#start-topic option[value='orm']").waitFor({ state: "attached" });
      await form.getByLabel("Topic", { exact: true }).selectOption("orm");
      await form.getByText(/^Plan:/).click();
      await form.getByLabel("Security").check();
      await form.getByLabel("Number of questions").selectOption("3");
      await form.getByLabel("Time per answer").selectOption("60");
      await form.getByLabel(/Your name/).fill("Linus");
      await screenshots(page, "practice-plan-form");
      await page.getByRole("button", { name: "Start session" }).click();

      let q = await questionShown(page);
      assert.match(await page.locator("#session-summary").textContent(), /ORM and QuerySets, Security/);
      await page.locator("#plan-progress").filter({ hasText: "Question 1 of 3." }).waitFor();
      assert.match(await page.getByRole("timer").textContent(), /^\d:\d\d left of 1:00$/);
      await screenshots(page, "practice-plan-countdown");

      const seen = [];
      for (let n = 1; n <= 3; n++) {
        assert.ok(["orm", "security"].includes(q.topic), `question ${n} is of topic ${q.topic}`);
        seen.push(q.id);
        await gradeAnswer(page, n === 2 ? "I don't know." : (await answerFor(q.id, 20)).answer);
        if (n < 3) {
          assert.match(await page.getByRole("timer").textContent(), /^Answered in \d:\d\d of 1:00\.$/);
          await page.locator("#skip-question").click();
          await page.waitForFunction((ids) => {
            const cur = JSON.parse(localStorage.getItem("coach.question") || "null");
            return cur && !ids.includes(cur.id);
          }, seen);
          q = await questionShown(page);
        }
      }

      // The plan is done: the summary follows the last grade, and no more questions are asked.
      const summary = page.getByRole("region", { name: "Session summary" });
      await summary.waitFor();
      assert.match(await summary.textContent(), /plan of 3 questions is done\. 3 answers, mean score \d+/);
      const rows = await summary.locator("table tbody th").allTextContents();
      assert.ok(rows.length >= 1 && rows.every((r) => ["ORM and QuerySets", "Security"].includes(r)), `topics ${rows}`);
      assert.ok((await summary.getByRole("heading", { name: "Strongest key points" }).count()) === 1);
      assert.ok((await summary.getByRole("heading", { name: "Weakest key points" }).count()) === 1);
      assert.ok((await summary.locator(".review-next li").count()) >= 1, "the weak answer is one to review next");
      assert.ok(await page.locator("#skip-question").isHidden(), "no next question once the plan is done");
      await screenshots(page, "practice-plan-summary");

      // Each answer's time was recorded with it; the report says who graded.
      const s = await page.evaluate(() => JSON.parse(localStorage.getItem("coach.session")));
      const report = await (await fetch(`${BASE}/api/v1/sessions/${s.id}/report`, { headers: { "X-Session-Token": s.token } })).json();
      assert.deepEqual(report.attempts.map((a) => a.timing && a.timing.limit_seconds), [60, 60, 60]);
      assert.equal(report.question_count, 3);
      // The strongest key points shown are the server's, in its order.
      const sum = await (await fetch(`${BASE}/api/v1/sessions/${s.id}`, { headers: { "X-Session-Token": s.token } })).json();
      const strong = await summary.locator(".strong-points li").allTextContents();
      assert.ok(sum.strongest_key_points.length >= 1, "two answers covered key points");
      assert.deepEqual(strong, sum.strongest_key_points.map((k) => `${k.text} (covered ${k.covers}×)`));
      assert.deepEqual(await summary.locator(".review-next li").count(), sum.review_next.length);
      const [md] = await Promise.all([page.waitForEvent("download"), summary.getByRole("button", { name: /Markdown/ }).click()]);
      assert.match(await readFile(await md.path(), "utf8"), /Graded by:\*\* the offline grader/);

      // A reload comes back to the summary.
      await page.reload();
      await summary.waitFor();
      assert.ok(await page.locator("#skip-question").isHidden());
    } finally {
      await app.close();
    }
  });

  it("ends a session when the candidate chooses, after asking", async () => {
    const app = await open("/#/practice");
    const { page } = app;
    try {
      await page.locator("#start-topic option[value='orm']").waitFor({ state: "attached" });
      await page.getByRole("button", { name: "Start session" }).click();
      const q = await questionShown(page);
      await gradeAnswer(page, (await answerFor(q.id, 3)).answer);
      page.once("dialog", (d) => d.accept());
      await page.getByRole("button", { name: "End session" }).click();
      const summary = page.getByRole("region", { name: "Session summary" });
      await summary.waitFor();
      assert.match(await summary.textContent(), /You ended this session\. 1 answer/);
      assert.ok(await page.locator("#question-card").isHidden());
      const s = await page.evaluate(() => JSON.parse(localStorage.getItem("coach.session")));
      const next = await fetch(`${BASE}/api/v1/sessions/${s.id}/next`, { headers: { "X-Session-Token": s.token } });
      assert.equal(next.status, 409, "an ended session asks nothing more");
      await screenshots(page, "practice-ended");
    } finally {
      await app.close();
    }
  });
});
