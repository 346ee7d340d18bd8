// The rubric editor of the bank page: an admin reviews the draft key points of an imported question
// with the keyboard, and the question is then graded against the approved rubric.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, open, screenshots } from "./helpers.mjs";

const ADMIN = process.env.E2E_ADMIN_KEY || "";

async function api(path, { method = "GET", body, form } = {}) {
  const headers = { Authorization: `Bearer ${ADMIN}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(BASE + path, { method, headers, body: form || (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path} = ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

test("an admin approves, weighs and rejects the drafts of an imported question in the browser", { skip: !ADMIN && "E2E_ADMIN_KEY is not set" }, async () => {
  const word = `Blueprint${Date.now().toString(36)}`;
  const page = `# Flask notes\n\n## What is a Flask ${word}?\n\nA ${word} groups the views and templates of one part of an application. ` +
    `It is registered on the application with a URL prefix. It lets a large application be split into modules.\n`;
  const form = new FormData();
  form.append("file", new Blob([page], { type: "text/markdown" }), "flask-notes.md");
  const sum = await api("/api/v1/bank/import", { method: "POST", form });
  assert.ok(sum.draft_key_points >= 3, `the page gives drafts: ${JSON.stringify(sum)}`);
  const found = await api(`/api/v1/questions?q=${word}`);
  assert.equal(found.questions.length, 1);
  const id = found.questions[0].id;
  const before = await api(`/api/v1/questions/${id}`);
  const kps = before.references[0].key_points;
  assert.ok(kps.every((k) => k.status === "draft"), "imported key points are drafts");

  const app = await open("/#/bank");
  const { page: tab } = app;
  try {
    const footer = tab.locator(".site-footer");
    await footer.getByText("API key", { exact: true }).click();
    await footer.getByLabel(/API key, for servers/).fill(ADMIN);
    await footer.getByRole("button", { name: "Save key" }).click();
    await tab.reload();

    const review = tab.locator("#bank-review");
    await review.getByText(/draft key points wait/).waitFor();
    await review.getByRole("link", { name: new RegExp(word) }).click();
    const detail = tab.locator("#bank-detail");
    await detail.getByRole("heading", { level: 2, name: new RegExp(word) }).waitFor();
    const items = detail.locator(".key-points.editable > li");
    assert.equal(await items.count(), kps.length);
    assert.equal(await items.locator(".pill", { hasText: "Draft" }).count(), kps.length, "every key point shows as a draft");
    await screenshots(tab, "bank-review");

    // Keyboard: approve the first, make the second a detail and approve it, reject the third.
    await items.nth(0).focus();
    await tab.keyboard.press("a");
    await items.nth(0).locator(".pill", { hasText: "Approved" }).waitFor();
    await tab.waitForFunction((kp) => document.activeElement?.dataset.kp === kp, kps[0].id);
    await tab.keyboard.press("ArrowDown");
    await tab.keyboard.press("w");
    await items.nth(1).locator(".pill", { hasText: "Detail" }).waitFor();
    await tab.keyboard.press("a");
    await items.nth(1).locator(".pill", { hasText: "Approved" }).waitFor();
    await tab.keyboard.press("ArrowDown");
    await tab.keyboard.press("r");
    await items.nth(2).locator(".pill", { hasText: "Rejected" }).waitFor();
    // The mouse works too: approve whatever drafts are left.
    const rest = detail.getByRole("button", { name: /Approve all/ });
    if (await rest.count()) {
      await rest.click();
      await detail.getByRole("button", { name: /Approve all/ }).waitFor({ state: "detached" });
    }
    await screenshots(tab, "bank-reviewed");

    // The page states no difficulty (and the question may be unsorted): the admin sorts it.
    const meta = detail.locator("p.meta").first();
    assert.match(await meta.textContent(), /Difficulty unknown/);
    await detail.getByLabel("Topic", { exact: true }).selectOption("celery");
    await detail.getByLabel("Difficulty", { exact: true }).selectOption("easy");
    await detail.getByRole("button", { name: "Save question" }).click();
    await detail.locator("p.meta", { hasText: "Easy" }).first().waitFor();
    assert.match(await detail.locator("p.meta").first().textContent(), /Celery.*Easy/);
  } finally {
    await app.close();
  }

  const after = await api(`/api/v1/questions/${id}`);
  const byID = Object.fromEntries(after.references[0].key_points.map((k) => [k.id, k]));
  assert.equal(byID[kps[0].id].status, "approved");
  assert.equal(byID[kps[1].id].status, "approved");
  assert.equal(byID[kps[1].id].weight, 0.5);
  assert.equal(byID[kps[2].id].status, "rejected");
  assert.ok(after.rubric_version > before.rubric_version, "the review changed the rubric version");
  assert.equal(after.topic, "celery");
  assert.equal(after.difficulty, "easy");
  const trail = await api(`/api/v1/bank/audit?entity=key_point&id=${kps[0].id}`);
  assert.equal(trail.entries[0].action, "approve");

  const graded = await api("/api/v1/grade", { method: "POST", body: { question_id: id, answer: `A ${word} groups views and templates, registered with a URL prefix.` } });
  assert.equal(graded.rubric_status, "approved");
  assert.equal(graded.rubric_version, after.rubric_version);
  assert.equal(graded.key_points.length, kps.length - 1, "the rejected key point is not judged");
});
