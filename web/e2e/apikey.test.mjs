// The API key form: a saved key goes with every request, a malformed one is refused by the server
// with a message that points at the form, and forgetting it stops sending it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { open } from "./helpers.mjs";

test("a saved API key is sent with every request and can be forgotten", async () => {
  const app = await open("/#/bank");
  const { page } = app;
  try {
    await page.locator("#bank-list > li").first().waitFor();
    const footer = page.locator(".site-footer");
    await footer.getByText("API key", { exact: true }).click();
    await footer.getByLabel(/API key, for servers/).fill("not-a-coach-key");
    await footer.getByRole("button", { name: "Save key" }).click();
    await footer.getByText(/A key is saved/).waitFor();

    const sent = page.waitForRequest((r) => r.url().includes("/api/v1/questions"));
    await page.locator("#view-bank").getByRole("button", { name: "Search" }).click();
    assert.equal((await sent).headers().authorization, "Bearer not-a-coach-key");
    const alert = page.getByRole("alert");
    await alert.filter({ hasText: /API key can be saved at the foot of the page/ }).waitFor();

    await footer.getByRole("button", { name: "Forget key" }).click();
    await footer.getByText("No key saved.").waitFor();
    const again = page.waitForRequest((r) => r.url().includes("/api/v1/questions"));
    await page.locator("#view-bank").getByRole("button", { name: "Search" }).click();
    assert.equal((await again).headers().authorization, undefined);
  } finally {
    await app.close({ allow: /status of 401/ });
  }
});
