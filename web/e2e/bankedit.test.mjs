// The bank editor: an admin edits a question, adds, edits in place, moves and deletes references,
// reorders key points with the keyboard and with buttons, and merges a question into another after
// a confirmation that says what moves; creates a question, edits its tags, adds core and detail key
// points, deletes one and deletes the question after confirmations that say what goes. Failed
// changes keep what was typed and say why.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE, DESKTOP, PHONE, open, saveKey, screenshots } from "./helpers.mjs";

// The questions this file creates and deletes are of the Celery topic, which no practice session
// of the other files starts in: a session of theirs never draws a question deleted under it.

const ADMIN = process.env.E2E_ADMIN_KEY || "";

async function api(path, { method = "GET", body } = {}) {
  const headers = { Authorization: `Bearer ${ADMIN}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function ok(path, init) {
  const r = await api(path, init);
  assert.ok(r.status < 300, `${init?.method || "GET"} ${path} = ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** bankWith makes two questions named by word: the first with a reference of three key points. */
async function bankWith(word) {
  const a = await ok("/api/v1/questions", { method: "POST", body: { text: `What is a Quart ${word} context?`, topic: "celery" } });
  const b = await ok("/api/v1/questions", { method: "POST", body: { text: `How do Quart ${word} contexts work?`, topic: "celery" } });
  const withRef = await ok(`/api/v1/questions/${a.id}/references`, {
    method: "POST", body: { text: `A ${word} context holds the request while a view runs.`, source: "Quart notes" },
  });
  const ref = withRef.references[0].id;
  const kps = [];
  for (const text of ["It holds the request.", "It is pushed per request.", "It is popped at the end."]) {
    kps.push((await ok(`/api/v1/references/${ref}/key_points`, { method: "POST", body: { text } })).id);
  }
  return { a, b, ref, kps };
}

async function openAsAdmin(path, viewport) {
  const app = await open(path, { viewport });
  await saveKey(app.page, ADMIN);
  await app.page.reload();
  return app;
}

for (const [name, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
  test(`an admin edits a question and its references in the browser (${name})`, { skip: !ADMIN && "E2E_ADMIN_KEY is not set" }, async () => {
    const word = `Ctx${name}${Date.now().toString(36)}`;
    const { a, b, ref, kps } = await bankWith(word);
    const app = await openAsAdmin(`/#/bank/${a.id}`, viewport);
    const { page: tab } = app;
    try {
      const detail = tab.locator("#bank-detail");
      const result = detail.locator("#edit-result");
      await detail.getByRole("heading", { level: 2, name: new RegExp(word) }).waitFor();

      // The question's text: an empty one is refused where it was typed; a real one is saved.
      const text = detail.getByLabel("Question", { exact: true });
      await text.fill("   ");
      await detail.getByRole("button", { name: "Save question" }).click();
      await detail.getByRole("alert").filter({ hasText: "must not be empty" }).waitFor();
      await text.fill(`What does a Quart ${word} context hold?`);
      await detail.getByLabel("Difficulty", { exact: true }).selectOption("hard");
      await detail.getByRole("button", { name: "Save question" }).click();
      await result.getByText("Question saved (text, difficulty).").waitFor();
      await detail.getByRole("heading", { level: 2, name: `What does a Quart ${word} context hold?` }).waitFor();
      assert.equal(await tab.evaluate(() => document.activeElement?.id), "edit-text", "focus stays on the question's text");

      // Key points: Alt+Down moves the focused one, focus follows it; the Up button moves another.
      const items = detail.locator(".key-points.editable > li");
      await items.nth(0).focus();
      await tab.keyboard.press("Alt+ArrowDown");
      await result.getByText(/Moved “It holds the request\.” to position 2 of 3/).waitFor();
      await tab.waitForFunction((kp) => document.activeElement?.dataset.kp === kp, kps[0]);
      assert.match(await items.nth(1).getAttribute("aria-label"), /It holds the request\. \(2 of 3/);
      await detail.getByRole("button", { name: "Move up: It is popped at the end." }).click();
      await result.getByText("Moved “It is popped at the end.” to position 2 of 3.").waitFor();
      await tab.waitForFunction((kp) => document.activeElement?.closest("[data-kp]")?.dataset.kp === kp &&
        document.activeElement.dataset.move === "up", kps[2]);
      assert.equal(await detail.getByRole("button", { name: "Move up: It is pushed per request." }).isDisabled(), true,
        "the first key point cannot move up");
      let q = await ok(`/api/v1/questions/${a.id}`);
      assert.deepEqual(q.references[0].key_points.map((k) => k.id), [kps[1], kps[2], kps[0]]);

      // The reference edited in place: a bad address is refused and what was typed stays.
      const card = detail.locator(`[data-ref="${ref}"]`);
      await card.getByRole("button", { name: /^Edit reference/ }).click();
      const newText = `A ${word} context holds the request and the session while a view runs; Quart pushes it per request.`;
      await card.getByLabel("Reference text").fill(newText);
      await card.getByLabel("Source", { exact: true }).fill("Quart documentation");
      await card.getByLabel("Source address").fill("ftp://quart.example/contexts");
      await card.getByRole("button", { name: "Save reference" }).click();
      await card.getByRole("alert").filter({ hasText: /Not saved: .*source_url/ }).waitFor();
      assert.equal(await card.getByLabel("Reference text").inputValue(), newText, "the typed text is kept after an error");
      await card.getByLabel("Source address").fill("https://quart.example/contexts");
      if (viewport === DESKTOP) await screenshots(tab, "bank-edit-reference"); // at both widths
      await card.getByRole("button", { name: "Save reference" }).click();
      await result.getByText(/Reference saved: its passages were cut again from the new text; its 3 key points stay\./).waitFor();
      await tab.waitForFunction((id) => document.activeElement?.dataset.refEdit === id, ref);
      await card.getByRole("link", { name: "Quart documentation" }).waitFor();
      q = await ok(`/api/v1/questions/${a.id}`);
      assert.equal(q.references[0].text, newText);
      assert.equal(q.references[0].source_url, "https://quart.example/contexts");
      assert.equal(q.references[0].key_points.length, 3, "the key points stay");

      // Escape closes an editor without saving and gives focus back.
      await card.getByRole("button", { name: /^Edit reference/ }).click();
      await card.getByLabel("Reference text").fill("changed my mind");
      await tab.keyboard.press("Escape");
      await tab.waitForFunction((id) => document.activeElement?.dataset.refEdit === id, ref);
      assert.match(await card.locator(".reference-text").textContent(), /holds the request and the session/);

      // A second reference, added in the page, then moved to the other question.
      await detail.getByText("Add a reference answer").click();
      const add = detail.locator(".add-reference");
      await add.getByLabel("Reference text").fill(`Each ${word} context is popped when the response is sent.`);
      await add.getByLabel("Source", { exact: true }).fill("Quart talk");
      await add.getByRole("button", { name: "Add reference" }).click();
      await result.getByText(/Reference added/).waitFor();
      q = await ok(`/api/v1/questions/${a.id}`);
      assert.equal(q.references.length, 2);
      const second = q.references.find((r) => r.id !== ref);
      const secondCard = detail.locator(`[data-ref="${second.id}"]`);
      await secondCard.getByRole("button", { name: /^Move reference/ }).click();
      await secondCard.getByRole("button", { name: "Move reference", exact: true }).click();
      await secondCard.getByRole("alert").filter({ hasText: "pick the question" }).waitFor();
      await secondCard.getByLabel(/Find the question to move/).fill(`${word} contexts work`);
      await secondCard.getByLabel(/Find the question to move/).press("Enter");
      await secondCard.getByLabel("Matching questions").selectOption(b.id);
      await secondCard.getByRole("button", { name: "Move reference", exact: true }).click();
      await result.getByText(/Reference moved to “How do Quart/).waitFor();
      assert.equal((await ok(`/api/v1/questions/${b.id}`)).references.length, 1);

      // Delete asks first and says what goes.
      await card.getByRole("button", { name: /^Delete reference/ }).click();
      await card.getByText(/deletes the reference from Quart documentation with its 3 key points \(3 approved\)/).waitFor();
      await card.getByRole("button", { name: "Cancel" }).click();
      assert.equal((await ok(`/api/v1/questions/${a.id}`)).references.length, 1, "Cancel deletes nothing");

      // Merge: the confirmation lists what moves; the page then shows the question merged into.
      await detail.getByRole("button", { name: "Merge into another question…" }).click();
      await detail.getByLabel(/Find the question this one is the same as/).fill(`${word} contexts work`);
      await detail.getByRole("button", { name: "Find" }).click();
      await detail.getByLabel("Matching questions").selectOption(b.id);
      await detail.getByRole("button", { name: "Review the merge" }).click();
      const confirm = detail.locator(".merge-confirm");
      await confirm.getByText("Moves: 1 reference with 3 key points (3 approved):").waitFor();
      await confirm.getByText(/from Quart documentation: 3 key points/).waitFor();
      if (viewport === DESKTOP) await screenshots(tab, "bank-merge-confirm");
      await confirm.getByRole("button", { name: "Merge and delete this question" }).click();
      await detail.getByRole("heading", { level: 2, name: new RegExp(`How do Quart ${word}`) }).waitFor();
      await result.getByText(/Merged “What does a Quart .* into this question: 1 reference with 3 key points \(3 approved\) moved here\./).waitFor();
      assert.equal((await api(`/api/v1/questions/${a.id}`)).status, 404);
      assert.equal((await ok(`/api/v1/questions/${b.id}`)).references.length, 2);
      if (viewport === DESKTOP) await screenshots(tab, "bank-merged");

      // Back on the list, the merged question is gone and the edited one reads as saved.
      await tab.locator("#bank-back").click();
      await tab.locator("#bank-q").fill(word);
      await tab.locator("#bank-form").getByRole("button", { name: /Search/ }).click();
      await tab.locator("#bank-count").getByText(/^1 question/).waitFor();
      await tab.locator("#bank-list").getByRole("link", { name: new RegExp(`How do Quart ${word}`) }).waitFor();
    } finally {
      await app.close({ allow: /status of 400 \(Bad Request\)/ }); // the refused address
    }
    const trail = await ok(`/api/v1/bank/audit?entity=reference&id=${ref}`);
    assert.ok(trail.entries.some((e) => e.action === "update"), "the in-place edit is in the audit trail");
  });
}

// Creating and deleting questions, tags, and adding and deleting key points: each refused change
// keeps what was typed; deleting asks first and says what goes.
for (const [name, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
  test(`an admin creates a question, tags it, adds and deletes key points, then deletes it (${name})`, { skip: !ADMIN && "E2E_ADMIN_KEY is not set" }, async () => {
    const word = `App${name}${Date.now().toString(36)}`;
    const app = await openAsAdmin("/#/bank", viewport);
    const { page: tab } = app;
    let id = "";
    try {
      // A new question: an empty text is refused and the other fields stay as typed.
      const box = tab.locator("#bank-new");
      await box.getByText("New question", { exact: true }).click();
      await box.getByLabel("Topic", { exact: true }).selectOption("celery");
      await box.getByLabel("Difficulty", { exact: true }).selectOption("easy");
      await box.getByLabel("Tags").fill("request, quart, request");
      await box.getByRole("button", { name: "Create question" }).click();
      await box.getByRole("alert").filter({ hasText: "must not be empty" }).waitFor();
      assert.equal(await tab.evaluate(() => document.activeElement?.id), "new-q-text", "focus goes to the empty question");
      assert.equal(await box.getByLabel("Tags").inputValue(), "request, quart, request", "the tags typed are kept");
      assert.equal(await box.getByLabel("Topic", { exact: true }).inputValue(), "celery");
      if (viewport === DESKTOP) await screenshots(tab, "bank-new-question-refused");
      await box.getByLabel("Question", { exact: true }).fill(`What does a Quart ${word} context hold?`);
      await box.getByRole("button", { name: "Create question" }).click();

      const detail = tab.locator("#bank-detail");
      const result = detail.locator("#edit-result");
      await detail.getByRole("heading", { level: 2, name: new RegExp(word) }).waitFor();
      await result.getByText(/^Question created\./).waitFor();
      assert.equal(await tab.evaluate(() => document.activeElement?.id), "detail-title");
      id = decodeURIComponent(new URL(tab.url()).hash.replace("#/bank/", ""));
      let q = await ok(`/api/v1/questions/${id}`);
      assert.equal(q.topic, "celery");
      assert.equal(q.difficulty, "easy");
      assert.deepEqual(q.tags, ["request", "quart"], "tags are trimmed and repeats dropped");

      // Tags: a tag over 50 characters is refused by the server, the typed tags stay; then saved.
      const tags = detail.getByLabel("Tags");
      assert.equal(await tags.inputValue(), "request, quart");
      const long = `request, ${"x".repeat(51)}`;
      await tags.fill(long);
      await detail.getByRole("button", { name: "Save question" }).click();
      await detail.getByRole("alert").filter({ hasText: /Not saved: .*tags must be 1-50 characters/ }).waitFor();
      assert.equal(await tags.inputValue(), long, "the typed tags are kept after an error");
      await tags.fill("request,  async ,");
      await detail.getByRole("button", { name: "Save question" }).click();
      await result.getByText("Question saved (tags).").waitFor();
      await detail.locator(".meta").filter({ hasText: "request, async" }).first().waitFor();
      assert.deepEqual((await ok(`/api/v1/questions/${id}`)).tags, ["request", "async"]);

      // A reference, then its key points: an empty one is refused; core and detail ones are added.
      await detail.getByText("Add a reference answer").click();
      const add = detail.locator(".add-reference");
      await add.getByLabel("Reference text").fill(`A ${word} context holds the app while a request is handled.`);
      await add.getByLabel("Source", { exact: true }).fill("Quart notes");
      await add.getByRole("button", { name: "Add reference" }).click();
      await result.getByText(/Reference added/).waitFor();
      q = await ok(`/api/v1/questions/${id}`);
      const ref = q.references[0].id;
      const card = detail.locator(`[data-ref="${ref}"]`);
      const kpForm = card.getByRole("form", { name: "Add a key point to the reference from Quart notes" });
      await kpForm.getByRole("button", { name: "Add key point" }).click();
      await kpForm.getByRole("alert").filter({ hasText: "Write the key point first." }).waitFor();
      await kpForm.getByLabel("New key point").fill("It holds the app.");
      await kpForm.getByRole("button", { name: "Add key point" }).click();
      await result.getByText("Key point added (core): It holds the app.").waitFor();
      q = await ok(`/api/v1/questions/${id}`);
      const first = q.references[0].key_points[0];
      await tab.waitForFunction((kp) => document.activeElement?.dataset.kp === kp, first.id);
      await kpForm.getByLabel("New key point").fill("It is pushed with each request.");
      await kpForm.getByLabel("Weight").selectOption("Detail");
      await kpForm.getByRole("button", { name: "Add key point" }).press("Enter");
      await result.getByText("Key point added (detail): It is pushed with each request.").waitFor();
      q = await ok(`/api/v1/questions/${id}`);
      assert.deepEqual(q.references[0].key_points.map((k) => [k.text, k.weight, k.status]),
        [["It holds the app.", 1, "approved"], ["It is pushed with each request.", 0.5, "approved"]]);
      const second = q.references[0].key_points[1];
      const items = card.locator(".key-points.editable > li");
      assert.match(await items.nth(1).getAttribute("aria-label"), /It is pushed with each request\. \(2 of 2, approved, detail\)/);
      if (viewport === DESKTOP) await screenshots(tab, "bank-key-point-added");

      // Delete on a focused key point asks first; Escape cancels and focus comes back.
      await items.nth(0).focus();
      await tab.keyboard.press("Delete");
      const ask = card.getByRole("region", { name: "Delete this key point?" });
      await ask.getByText("“It holds the app.” leaves the rubric.").waitFor();
      await tab.keyboard.press("Escape");
      await ask.waitFor({ state: "detached" });
      assert.equal(await tab.evaluate(() => document.activeElement?.getAttribute("aria-label")), "Delete: It holds the app.");
      assert.equal((await ok(`/api/v1/questions/${id}`)).references[0].key_points.length, 2, "Escape deletes nothing");
      await card.getByRole("button", { name: "Delete: It holds the app." }).click();
      if (viewport === DESKTOP) await screenshots(tab, "bank-key-point-delete");
      await ask.getByRole("button", { name: "Delete key point" }).click();
      await result.getByText("Key point deleted: It holds the app.").waitFor();
      await tab.waitForFunction((kp) => document.activeElement?.dataset.kp === kp, second.id);
      q = await ok(`/api/v1/questions/${id}`);
      assert.deepEqual(q.references[0].key_points.map((k) => k.id), [second.id]);

      // An attempt graded now stays readable after the question is deleted.
      const graded = await ok("/api/v1/grade", { method: "POST", body: { question_id: id, answer: "It is pushed with each request." } });

      // Deleting the question asks first, says what goes, and comes back to the list.
      await detail.getByRole("button", { name: "Delete question…" }).click();
      const confirm = detail.getByRole("region", { name: "Delete this question?" });
      await confirm.getByText(`This deletes “What does a Quart ${word} context hold?” with its 1 reference, their 1 key point (1 approved) and passages. It cannot be undone.`).waitFor();
      await confirm.getByText(/Past attempts at it stay as they are/).waitFor();
      if (viewport === DESKTOP) await screenshots(tab, "bank-delete-question");
      await confirm.getByRole("button", { name: "Cancel" }).click();
      await tab.waitForFunction(() => document.activeElement?.id === "delete-open");
      assert.equal((await api(`/api/v1/questions/${id}`)).status, 200, "Cancel deletes nothing");
      await detail.getByRole("button", { name: "Delete question…" }).click();
      await confirm.getByRole("button", { name: "Delete question", exact: true }).click();
      await tab.locator("#bank-result").getByText(`Deleted “What does a Quart ${word} context hold?” with 1 reference and 1 key point.`).waitFor();
      assert.equal(await tab.locator("#bank-browse").isVisible(), true);
      assert.equal((await api(`/api/v1/questions/${id}`)).status, 404);
      id = "";
      const kept = await ok(`/api/v1/attempts/${graded.attempt_id}`);
      assert.equal(kept.attempt_id, graded.attempt_id, "the attempt stays");
      await tab.locator("#bank-q").fill(word);
      await tab.locator("#bank-form").getByRole("button", { name: /Search/ }).click();
      await tab.locator("#bank-count").getByText(/questions?\b/).waitFor();
      assert.equal(await tab.locator("#bank-list").getByRole("link", { name: new RegExp(word) }).count(), 0, "the deleted question is not listed");
    } finally {
      await app.close({ allow: /status of 400 \(Bad Request\)/ }); // the refused tag
      if (id) await api(`/api/v1/questions/${id}`, { method: "DELETE" });
    }
  });
}
