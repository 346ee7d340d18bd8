// Failures the page must explain: the server gone, a bad answer, a lost session. (An unreachable
// language model is in llm.test.mjs.)
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { test } from "node:test";
import { BASE, open, questionShown, screenshots } from "./helpers.mjs";

/** closedPort returns a port on which nothing listens. */
function closedPort() {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

test("says the server cannot be reached when it is down, and recovers when it is back", async () => {
  const dead = `http://127.0.0.1:${await closedPort()}`;
  const app = await open("/#/bank"); // the page itself loads; then the API goes away
  const { page, context } = app;
  try {
    await page.locator("#bank-list > li").first().waitFor();
    // Every API call now goes to a port where nothing listens: a real refused connection.
    const isAPI = (url) => url.pathname.startsWith("/api/");
    const toDead = (route) => route.continue({ url: route.request().url().replace(BASE, dead) });
    await context.route(isAPI, toDead);
    await page.locator("#view-bank").getByRole("button", { name: "Search" }).click();
    const alert = page.getByRole("alert");
    await alert.filter({ hasText: "The server cannot be reached" }).waitFor();

    await page.goto(`${BASE}/#/practice`);
    await alert.filter({ hasText: "The server cannot be reached" }).waitFor();
    await page.getByRole("button", { name: "Start session" }).click();
    await alert.filter({ hasText: "The server cannot be reached" }).waitFor();
    assert.ok(await page.locator("#session-start").isVisible(), "the page stays usable");
    await screenshots(page, "server-down");

    await context.unroute(isAPI, toDead);
    await page.getByRole("button", { name: "Start session" }).click();
    await questionShown(page);
    assert.equal(await page.locator("#alert").textContent(), "", "the alert is cleared once the server answers");
  } finally {
    await app.close({ allow: /ERR_CONNECTION_REFUSED|Failed to load resource/ });
  }
});

test("explains gateway errors, refuses an over-long answer and forgets a session the server does not know", async () => {
  const app = await open("/#/practice");
  const { page } = app;
  try {
    // The message the page makes of a 503 from the grader, as the API and as a stream event.
    const messages = await page.evaluate(async () => {
      const api = await import("/js/api.js");
      const body = { error: { code: "unavailable", message: "language model unreachable: connection refused" } };
      const refused = { error: { code: "upstream_error", message: "the model refused parameter temperature: Unsupported value" } };
      return [api.errorFrom(503, body).message, api.errorFrom(0, body).message, api.errorFrom(502, null).message,
        api.errorFrom(502, refused).message, api.errorFrom(0, refused).message, api.errorFrom(0, refused).status];
    });
    assert.match(messages[0], /^The language model is unavailable/);
    assert.match(messages[1], /^The language model is unavailable/);
    assert.match(messages[2], /The server cannot be reached/);
    // A model that refuses the request as configured is no outage: the operator must act.
    assert.match(messages[3], /^The language model refused the request as the server is configured \(the model refused parameter temperature/);
    assert.equal(messages[4], messages[3]);
    assert.equal(messages[5], 502);

    // An over-long answer is refused before it is sent, with the reason.
    await page.getByRole("button", { name: "Start session" }).click();
    await questionShown(page);
    await page.getByLabel("Your answer").fill("x".repeat(6001));
    assert.match(await page.locator("#answer-count").textContent(), /6001 \/ 6000 characters: 1 over the limit/);
    await page.getByRole("button", { name: "Grade my answer" }).click();
    await page.getByRole("alert").filter({ hasText: "over the 6000-character limit" }).waitFor();

    // A session the server does not know is forgotten, with a message, after a reload.
    await page.evaluate(() => localStorage.setItem("coach.session", JSON.stringify({ id: "s-gone", token: "nope" })));
    await page.reload();
    await page.getByRole("alert").filter({ hasText: "no longer available" }).waitFor();
    assert.ok(await page.locator("#session-start").isVisible());
  } finally {
    await app.close({ allow: /status of 40[134]/ });
  }
});
