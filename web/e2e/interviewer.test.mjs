// Interviewer: follow-up questions for a pasted answer, each with a copy button.
import assert from "node:assert/strict";
import { test } from "node:test";
import { answerFor, newKey, open, saveKey, screenshots } from "./helpers.mjs";

test("the interviewer page returns follow-ups with what they probe, expected answers and copy buttons", async () => {
  const app = await open("/#/interviewer", { clipboard: true });
  const { page } = app;
  try {
    // What a follow-up probes, and its expected answer, go to interviewer keys only.
    await saveKey(page, await newKey("interviewer"));
    const view = page.locator("#view-interviewer");
    const pick = view.getByLabel(/Pick a question from the bank/);
    await pick.locator("option[value='orm-select-related-prefetch']").waitFor({ state: "attached" });
    await pick.selectOption("orm-select-related-prefetch");
    const { question, answer } = await answerFor("orm-select-related-prefetch", 1);
    assert.equal(await view.getByLabel("Question", { exact: true }).inputValue(), question.text);
    await view.getByLabel("Candidate's answer").fill(answer);
    await view.getByLabel("Follow-up questions").selectOption("2");
    await view.getByRole("button", { name: "Get follow-up questions" }).click();

    const cards = page.locator("#iv-result .followups > li");
    await cards.first().waitFor();
    assert.equal(await cards.count(), 2, "as many follow-ups as asked for");
    for (const card of await cards.all()) {
      assert.match(await card.textContent(), /Probes: .+/);
      assert.match(await card.textContent(), /Expected answer: .+/);
      assert.equal(await card.getByRole("button", { name: "Copy question" }).count(), 1);
    }
    assert.equal(await page.getByText(/shown to interviewers: save an interviewer key/).count(), 0);
    assert.match(await page.locator("#iv-result .notice-offline").textContent(), /offline grader/);

    const first = (await cards.first().locator(".followup-question").textContent()).trim();
    await cards.first().getByRole("button", { name: "Copy question" }).click();
    await cards.first().getByRole("button", { name: "Copied" }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), first);

    // The grade is folded away until asked for.
    const grade = page.locator("#iv-result details.grade-details");
    assert.equal(await grade.getAttribute("open"), null);
    assert.equal(await grade.locator(".checklist").isVisible(), false);
    await grade.locator("summary").click();
    assert.ok(await grade.locator(".checklist").isVisible());
    assert.match(await grade.locator("summary").textContent(), /^Grade: \d+ \/ 100/);

    await screenshots(page, "interviewer");
  } finally {
    await app.close();
  }
});

test("a typed question close to a bank question gets follow-ups too", async () => {
  const app = await open("/#/interviewer");
  const { page } = app;
  try {
    const view = page.locator("#view-interviewer");
    await view.getByLabel("Question", { exact: true }).fill("How do you spot and fix the N+1 query problem in Django?");
    await view.getByLabel("Candidate's answer").fill("I would use select_related for foreign keys so the rows come back in one join.");
    await view.getByRole("button", { name: "Get follow-up questions" }).click();
    await page.locator("#iv-result .followups > li").first().waitFor();
    assert.equal(await page.locator("#iv-result .followups > li").count(), 3, "three follow-ups by default");
    // Without an interviewer key the answers to the follow-ups stay on the server, and the page says
    // how to see them.
    const result = await page.locator("#iv-result").textContent();
    assert.doesNotMatch(result, /Probes:|Expected answer:/);
    assert.match(result, /shown to interviewers: save an interviewer key/);
  } finally {
    await app.close();
  }
});
