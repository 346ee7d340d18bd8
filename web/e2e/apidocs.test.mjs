// The API reference page renders the OpenAPI document the server serves, within its CSP.
import assert from "node:assert/strict";
import { test } from "node:test";
import { api, open, screenshots } from "./helpers.mjs";

test("the API reference page renders every operation of the served OpenAPI document", async () => {
  const doc = await api("/api/openapi.json");
  const operations = Object.values(doc.paths).flatMap((p) => Object.keys(p).filter((m) => m !== "parameters"));
  const app = await open("/");
  const { page } = app;
  try {
    const link = page.getByRole("contentinfo").getByRole("link", { name: "API reference" });
    await link.click();
    // The viewer is 1.7 MB of script: on a loaded machine it takes more than the default 10 s.
    await page.waitForURL(/\/api-docs\.html/, { waitUntil: "commit" });
    const blocks = page.locator(".opblock");
    await blocks.first().waitFor({ timeout: 60_000 });
    assert.equal(await blocks.count(), operations.length, "one block per operation");
    assert.match(await page.locator(".info .title").textContent(), new RegExp(doc.info.title));
    await page.locator(".opblock-summary-path", { hasText: "/api/v1/sessions/{id}/end" }).first().waitFor();
    assert.equal(await page.locator(".try-out__btn").count(), 0, "the page documents the API, it does not call it");
    await screenshots(page, "api-reference");
  } finally {
    await app.close();
  }
});
