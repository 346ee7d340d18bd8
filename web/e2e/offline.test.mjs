// What the offline grader says of itself, and what the page shows when it gives no grade: the
// banner says plainly what it can and cannot tell; a typed question far from every bank question
// gets "Not graded", the closest bank questions and what to do, never a score.
import assert from "node:assert/strict";
import { test } from "node:test";
import { answerFor, open, questionShown, screenshots } from "./helpers.mjs";

test("the offline banner says what the offline grader can and cannot tell", async () => {
  const app = await open("/#/practice");
  const { page } = app;
  try {
    await page.getByRole("button", { name: "Start session" }).click();
    const q = await questionShown(page);
    await page.getByLabel("Your answer").fill((await answerFor(q.id, 2)).answer);
    await page.getByRole("button", { name: "Grade my answer" }).click();
    const banner = page.locator("#result .notice-offline");
    await banner.waitFor();
    const text = await banner.textContent();
    assert.match(text, /not by a language model/);
    assert.match(text, /compares the statements of the answer with the key terms of the reference/, "what it can tell");
    assert.match(text, /catches some reversals/, "what it can tell");
    assert.match(text, /cannot judge meaning the way an examiner does/, "what it cannot tell");
    assert.match(text, /configure a language model/, "what to do about it");
    assert.equal(await banner.getByRole("listitem").count(), 3);
    await screenshots(page, "offline-banner");
  } finally {
    await app.close();
  }
});

test("a typed question with no close reference is not graded, and the page says why", async () => {
  const app = await open("/#/interviewer");
  const { page } = app;
  try {
    const view = page.locator("#view-interviewer");
    await view.getByLabel("Question", { exact: true }).fill("Why put nginx in front of gunicorn?");
    await view.getByLabel("Candidate's answer").fill("nginx serves static files, terminates TLS and buffers slow clients, so gunicorn workers stay free.");
    await view.getByRole("button", { name: "Get follow-up questions" }).click();

    const card = page.locator("#iv-result .no-grade");
    await card.waitFor();
    assert.equal(await card.getByRole("heading", { level: 2 }).textContent(), "Not graded");
    assert.match(await card.textContent(), /Nothing in the question bank is close enough to this question/);
    assert.equal(await page.locator("#iv-result .scoreline").count(), 0, "no score is shown");
    assert.equal(await page.locator("#iv-result .followups > li").count(), 0, "no follow-ups from unrelated references");
    assert.equal(await page.getByRole("alert").filter({ hasText: /./ }).count(), 0, "not shown as a failure to retry");

    // The closest bank questions, with their similarity, and what to do.
    const closest = card.locator(".closest > li");
    assert.ok((await closest.count()) >= 1);
    const first = await closest.first().locator(".closest-question").textContent();
    assert.match(first, /gunicorn/, "the deployment question is the closest");
    assert.match(await closest.first().textContent(), /\d+% similar/);
    const help = await card.textContent();
    assert.match(help, /coach ingest/);
    assert.match(help, /OPENAI_API_KEY/);
    await screenshots(page, "no-grade");

    // Taking the closest bank question grades the same answer against it.
    await closest.first().getByRole("button", { name: "Use this question" }).click();
    assert.equal(await view.getByLabel("Question", { exact: true }).inputValue(), first);
    await view.getByRole("button", { name: "Get follow-up questions" }).click();
    await page.locator("#iv-result .followups > li").first().waitFor();
    assert.equal(await page.locator("#iv-result .no-grade").count(), 0);
  } finally {
    await app.close({ allow: /status of 422/ });
  }
});
