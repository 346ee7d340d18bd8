// Practice: a session from start to export, through a follow-up answered in one click.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { BASE, answerFor, api, open, questionShown, screenshots } from "./helpers.mjs";

describe("practice", () => {
  let app;
  let page;
  before(async () => {
    app = await open("/#/practice");
    page = app.page;
  });
  after(async () => {
    await app.close();
  });

  it("practises a question end to end: score, band, key points with evidence, follow-ups, offline notice", async () => {
    const start = page.getByRole("region", { name: "Start a practice session" });
    await start.getByLabel("Topic", { exact: true }).selectOption("orm");
    await start.getByLabel(/Your name/).fill("Ada");
    await page.getByRole("button", { name: "Start session" }).click();

    const text = page.locator("#question-text");
    const current = await questionShown(page);
    assert.ok(current && current.id, "the page keeps the current question");
    assert.equal(current.topic, "orm");
    assert.equal((await text.textContent()).trim(), current.text);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("coach.session")));
    assert.ok(stored && stored.id && stored.token, "the session id and token are kept in localStorage");
    await assert.doesNotReject(page.locator("#session-summary").getByText("Ada's session").waitFor());

    const { answer } = await answerFor(current.id, 2);
    const box = page.getByLabel("Your answer");
    await box.fill(answer);
    assert.match(await page.locator("#answer-count").textContent(), new RegExp(`^${Array.from(answer).length} / 6000 characters$`));

    // Record whether the references were shown before the grade (when the server streams).
    await page.evaluate(() => {
      window.sawReferences = false;
      new MutationObserver(() => {
        if (document.querySelector("#result h2")?.textContent === "References found") window.sawReferences = true;
      }).observe(document.getElementById("result"), { childList: true, subtree: true });
    });
    await page.getByRole("button", { name: "Grade my answer" }).click();

    const grade = page.locator("#result article.grade");
    await grade.waitFor();
    const score = Number(await grade.locator(".score").textContent());
    assert.ok(score > 0 && score <= 100, `score ${score}`);
    assert.match(await grade.locator(".band").textContent(), /^(Excellent|Good|Fair|Weak|Incorrect)$/);
    assert.match(await grade.locator(".notice-offline").textContent(), /offline grader/);

    const items = grade.locator(".checklist > li");
    assert.ok((await items.count()) >= 2, "key points are listed");
    const statuses = await grade.locator(".checklist .kp-status").allTextContents();
    // A verdict the grader is unsure of carries "(unconfirmed)" and the grader's reason next to it.
    for (const s of statuses) assert.match(s.trim(), /^(Covered|Partial|Missing|Contradicted)( \(unconfirmed\))?$/);
    assert.equal(await grade.locator(".checklist .kp-unsure-label").count(), await grade.locator(".checklist .kp-note").count(),
      "every unconfirmed verdict gives the grader's reason");
    assert.ok(statuses.some((s) => s.trim().startsWith("Covered")), `a key point stated word for word is covered: ${statuses}`);

    const marks = grade.locator(".answer-text mark.ev");
    assert.ok((await marks.count()) >= 1, "the evidence is highlighted in the answer");
    assert.ok(answer.includes((await marks.first().textContent()).trim()), "a mark holds text of the answer");

    assert.ok((await grade.locator("details.model-answer:not([open])").count()) === 1, "the model answer is folded away");
    assert.ok((await grade.locator(".references li .source").count()) >= 1, "references show their sources");
    // At a glance: score, band and checklist come before the folded parts, which start closed.
    assert.equal(await grade.locator("details.fold[open]").count(), 0, "the long parts of the grade are folded");
    await grade.locator("details.followups-fold > summary").click();
    const followups = grade.locator(".followups > li");
    assert.ok((await followups.count()) >= 1, "follow-up questions are offered");
    assert.equal(await followups.getByRole("button", { name: "Answer this next" }).count(), await followups.count());
    // A follow-up's expected answer, and the key point it probes, are the answer to it: neither is on
    // the page before the follow-up is answered.
    const graded = await page.evaluate(() => document.getElementById("result").textContent);
    assert.doesNotMatch(graded, /Probes:|It probes|Expected answer:/);

    // When the server streams (POST /api/v1/grade?stream=true), the references come first.
    const probe = await fetch(`${BASE}/api/v1/grade?stream=true`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ question_id: current.id, answer }),
    });
    await probe.text();
    if ((probe.headers.get("content-type") || "").startsWith("text/event-stream")) {
      assert.ok(await page.evaluate(() => window.sawReferences), "references are shown while the grade is awaited");
    }

    await screenshots(page, "practice-graded");
  });

  it("answers a follow-up in one click and grades it, and only then shows what it probed", async () => {
    const first = page.locator("#result .followups > li").first();
    const followup = (await first.locator(".followup-question").textContent()).trim();
    await first.getByRole("button", { name: "Answer this next" }).click();

    assert.equal((await page.locator("#question-title").textContent()).trim(), "Follow-up question");
    assert.equal((await page.locator("#question-text").textContent()).trim(), followup);
    assert.doesNotMatch(await page.locator("#question-card").textContent(), /probes|Expected answer/i);
    assert.equal(await page.getByLabel("Your answer").inputValue(), "");
    assert.equal(await page.evaluate(() => document.activeElement.id), "answer", "the answer box has the focus");
    assert.equal(await page.locator("#result").textContent(), "");

    await page.keyboard.type("It depends on the query: a join for single-valued relations, a second query for many-valued ones.");
    await page.getByRole("button", { name: "Grade my answer" }).click();
    const grade = page.locator("#result article.grade");
    await grade.waitFor();
    assert.match(await grade.locator(".score").textContent(), /^\d+$/);
    const answered = grade.getByRole("region", { name: "The follow-up you answered" });
    assert.equal((await answered.locator(".followup-question").textContent()).trim(), followup);
    assert.match(await answered.textContent(), /It probed: .+Expected answer: .+/);
    // The new follow-ups of this answer keep their answers back, in the page and in what the server
    // tells the session's token: only the follow-up answered is revealed.
    assert.doesNotMatch((await grade.locator(".followups").allTextContents()).join(" "), /Probes:|Expected answer:/);
    const session = await page.evaluate(() => JSON.parse(localStorage.getItem("coach.session")));
    const report = await api(`/api/v1/sessions/${session.id}/report`, { headers: { "X-Session-Token": session.token } });
    const [main, reply] = report.attempts;
    assert.deepEqual(main.followups.map((f) => f.answer_hidden), main.followups.map((_, i) => i !== 0));
    assert.ok(main.followups[0].expected_answer, "the answered follow-up shows its expected answer");
    assert.ok(reply.followups.every((f) => f.answer_hidden && !("expected_answer" in f) && !("target_text" in f)),
      "the server sends no expected answer of an unanswered follow-up");
  });

  it("shows both attempts in the history panel and the progress chart", async () => {
    await page.locator("#history .history-item").nth(1).waitFor();
    assert.equal(await page.locator("#history .history-item").count(), 2);
    assert.equal(await page.locator("#progress svg.chart circle.chart-dot").count(), 2);
    assert.match(await page.locator("#progress svg.chart desc").textContent(), /attempt/);
    await screenshots(page, "practice-history");
  });

  it("exports the report as Markdown and JSON", async () => {
    const question = (await page.locator("#history .history-question").last().textContent()).trim();
    const [md] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Markdown" }).click()]);
    assert.match(md.suggestedFilename(), /\.md$/);
    // Markdown escapes punctuation such as the underscores of select_related.
    const markdown = (await readFile(await md.path(), "utf8")).replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, "$1");
    assert.ok(markdown.includes(question), `the Markdown report names the question "${question}"`);

    const [js] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "JSON" }).click()]);
    assert.match(js.suggestedFilename(), /\.json$/);
    const report = JSON.parse(await readFile(await js.path(), "utf8"));
    assert.ok(JSON.stringify(report).includes(question), "the JSON report holds the question");
  });

  it("resumes the session after a reload", async () => {
    await page.reload();
    await page.locator("#history .history-item").nth(1).waitFor();
    assert.equal(await page.locator("#history .history-item").count(), 2);
    assert.ok(await page.locator("#session-summary").getByText("Ada's session").isVisible());
    await screenshots(page, "practice-question");
  });
});
