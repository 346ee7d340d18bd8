// Question bank: browse, search, load more, open a question and practise it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { open, screenshots } from "./helpers.mjs";

test("browses the bank, searches it and opens a question with its references and key points", async () => {
  const app = await open("/#/bank");
  const { page } = app;
  try {
    const list = page.locator("#bank-list > li");
    await list.nth(19).waitFor();
    assert.equal(await list.count(), 20, "a first page of questions");
    await page.getByRole("button", { name: "Load more" }).click();
    await list.nth(20).waitFor();
    assert.ok((await list.count()) > 20, "load more appends the next page");
    await screenshots(page, "bank");

    const view = page.locator("#view-bank");
    await view.getByLabel("Search questions").fill("prefetch");
    await view.getByRole("button", { name: "Search" }).click();
    await page.locator("#bank-count", { hasText: /matching/ }).waitFor();
    const found = await list.allTextContents();
    assert.ok(found.length >= 1, "the search finds questions");
    assert.ok(found.some((t) => /prefetch_related/.test(t)), `a question about prefetch_related: ${found}`);

    await view.getByLabel("Topic", { exact: true }).selectOption("security");
    await page.locator("#bank-count", { hasText: /Security/ }).waitFor();
    for (const item of await list.all()) assert.equal(await item.locator(".pill").first().textContent(), "Security");

    await view.getByLabel("Search questions").fill("");
    await view.getByRole("button", { name: "Search" }).click();
    await page.locator("#bank-count", { hasText: /^\d+ questions \(Security\)/ }).waitFor();
    const link = list.first().getByRole("link");
    const text = (await link.textContent()).trim();
    await link.click();

    const detail = page.locator("#bank-detail");
    await detail.getByRole("heading", { level: 2, name: text }).waitFor();
    assert.match(page.url(), /#\/bank\/.+/);
    assert.ok((await detail.locator(".reference").count()) >= 1, "references are listed");
    assert.match(await detail.locator(".reference .source").first().textContent(), /\S/);
    assert.ok((await detail.locator(".reference .key-points > li").count()) >= 1, "key points are listed");
    await screenshots(page, "bank-question");

    await detail.getByRole("button", { name: "Practise this" }).click();
    await page.locator("#view-practice:not([hidden]) #question-text", { hasText: text }).waitFor();
    await page.waitForFunction(() => document.activeElement.id === "answer");
    assert.ok(await page.locator("#session-bar").isVisible(), "a session was started for the question");
  } finally {
    await app.close();
  }
});

test("an unknown question shows the server's message", async () => {
  const app = await open("/#/bank/no-such-question");
  const { page } = app;
  try {
    const alert = page.getByRole("alert");
    await alert.filter({ hasText: /not found/i }).waitFor();
    assert.match(await page.locator("#bank-detail-body").textContent(), /could not be loaded/);
  } finally {
    await app.close({ allow: /404/ });
  }
});
