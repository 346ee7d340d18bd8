// Keyboard only: skip link, visible focus, start a session, answer and submit with Tab and Enter.
import assert from "node:assert/strict";
import { test } from "node:test";
import { open, questionShown, screenshots } from "./helpers.mjs";

/** focused describes the focused element and whether its focus can be seen. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    return {
      id: el.id, tag: el.tagName.toLowerCase(), text: (el.textContent || "").trim().slice(0, 40),
      visible: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
    };
  });
}

/** tabTo presses Tab until match(focused) holds, checking that every stop shows its focus. */
async function tabTo(page, match, what, max = 15) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    assert.ok(f.visible, `focus on <${f.tag} id="${f.id}"> "${f.text}" is not visible`);
    if (match(f)) return f;
  }
  throw new Error(`Tab never reached ${what}`);
}

test("a keyboard-only candidate starts a session, answers and gets a grade", async () => {
  const app = await open("/");
  const { page } = app;
  try {
    await page.locator("#start-topic option[value='views']").waitFor({ state: "attached" });
    await screenshots(page, "practice-start");

    await page.keyboard.press("Tab");
    let f = await focused(page);
    assert.equal(f.text, "Skip to content", "the skip link comes first");
    assert.ok(f.visible);
    await page.keyboard.press("Enter");
    assert.equal((await focused(page)).id, "main", "the skip link moves to the content");

    await tabTo(page, (x) => x.id === "start-topic", "the topic");
    await page.keyboard.press("End"); // the last topic, chosen from the keyboard
    assert.notEqual(await page.locator("#start-topic").inputValue(), "");
    await tabTo(page, (x) => x.id === "start-name", "the name");
    await page.keyboard.type("Grace");
    await tabTo(page, (x) => x.text === "Start session", "Start session");
    await page.keyboard.press("Enter");

    await questionShown(page);
    await page.waitForFunction(() => document.activeElement.id === "answer");
    await page.keyboard.type("A view receives a request and returns a response; the URLconf maps paths to views.");
    await tabTo(page, (x) => x.text === "Grade my answer", "Grade my answer");
    await page.keyboard.press("Enter");
    await page.locator("#result article.grade .score").waitFor();

    // The results are reachable from the keyboard too: the follow-ups unfold, then one keypress.
    await tabTo(page, (x) => x.tag === "summary" && x.text.startsWith("Follow-up questions"), "the follow-ups", 60);
    await page.keyboard.press("Enter");
    await tabTo(page, (x) => x.text === "Answer this next", "Answer this next", 5);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement.id === "answer");
    assert.equal(await page.locator("#question-title").textContent(), "Follow-up question");
  } finally {
    await app.close();
  }
});

test("pages have one h1, labelled controls and the API link in the footer", async () => {
  const app = await open("/");
  const { page } = app;
  try {
    for (const hash of ["#/practice", "#/interviewer", "#/bank"]) {
      await page.goto(`${page.url().split("#")[0]}${hash}`);
      await page.waitForLoadState("networkidle");
      const report = await page.evaluate(() => {
        const visible = (el) => el.offsetParent !== null || el.getClientRects().length > 0;
        const h1 = [...document.querySelectorAll("h1")].filter(visible).map((h) => h.textContent);
        const unlabelled = [...document.querySelectorAll("input, select, textarea")]
          .filter((c) => visible(c) && !(c.labels && c.labels.length) && !c.getAttribute("aria-label"))
          .map((c) => c.id || c.name);
        const buttons = [...document.querySelectorAll("button")].filter((b) => visible(b) && !b.textContent.trim());
        return { h1, unlabelled, buttons: buttons.length, inline: document.querySelectorAll("[style], style, script:not([src])").length };
      });
      assert.equal(report.h1.length, 1, `${hash}: one h1 (${report.h1})`);
      assert.deepEqual(report.unlabelled, [], `${hash}: controls without labels`);
      assert.equal(report.buttons, 0, `${hash}: buttons without text`);
      assert.equal(report.inline, 0, `${hash}: inline styles or scripts`);
      assert.equal(await page.locator("nav a[aria-current='page']").getAttribute("href"), hash);
    }
    assert.equal(await page.getByRole("contentinfo").getByRole("link", { name: /API description/ }).getAttribute("href"), "/api/openapi.json");
  } finally {
    await app.close();
  }
});
