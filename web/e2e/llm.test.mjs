// A language model that does not answer: the page says so, whether the server gives up (503, after
// streaming the references) or falls back to the offline grader.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FALLBACK, MODEL_DOWN, answerFor, open, questionShown, screenshots } from "./helpers.mjs";

test("a 503 from an unreachable language model is explained, in practice and for interviewers", async () => {
  const app = await open("/#/practice", { base: MODEL_DOWN });
  const { page } = app;
  try {
    await page.getByRole("button", { name: "Start session" }).click();
    const q = await questionShown(page);
    await page.getByLabel("Your answer").fill((await answerFor(q.id, 1)).answer);
    await page.getByRole("button", { name: "Grade my answer" }).click();

    // The model stays silent for 3 s, twice (a timed-out call is sent once more): meanwhile the streamed references are on show.
    const waiting = page.locator("#result");
    await waiting.getByRole("heading", { name: "References found" }).waitFor();
    assert.ok((await waiting.locator(".references li .source").count()) >= 1, "the references show their sources");
    assert.match(await waiting.textContent(), /Grading your answer against these references/);
    assert.equal(await page.getByRole("button", { name: "Grading…" }).isDisabled(), true);
    await screenshots(page, "practice-waiting");

    const alert = page.getByRole("alert").filter({ hasText: /^The language model is unavailable/ });
    await alert.waitFor();
    assert.equal(await page.locator("#result").textContent(), "", "no half-drawn grade is left");
    assert.equal(await page.getByRole("button", { name: "Grade my answer" }).isEnabled(), true, "the answer can be sent again");
    assert.equal(await page.getByLabel("Your answer").inputValue() !== "", true, "the answer is kept");
    await screenshots(page, "model-down");

    await page.goto(`${MODEL_DOWN}/#/interviewer`);
    const view = page.locator("#view-interviewer");
    await view.getByLabel("Question", { exact: true }).fill("What is the difference between select_related and prefetch_related?");
    await view.getByLabel("Candidate's answer").fill("select_related joins; prefetch_related runs a second query.");
    await view.getByRole("button", { name: "Get follow-up questions" }).click();
    await alert.waitFor();
  } finally {
    await app.close({ allow: /status of 503/ });
  }
});

test("a grade from the offline fallback says the language model was unavailable", async () => {
  const app = await open("/#/practice", { base: FALLBACK });
  const { page } = app;
  try {
    await page.getByRole("button", { name: "Start session" }).click();
    const q = await questionShown(page);
    await page.getByLabel("Your answer").fill((await answerFor(q.id, 1)).answer);
    await page.getByRole("button", { name: "Grade my answer" }).click();
    const notice = page.locator("#result .notice-offline");
    await notice.waitFor();
    assert.match(await notice.textContent(), /The language model was unavailable/);
  } finally {
    await app.close();
  }
});
