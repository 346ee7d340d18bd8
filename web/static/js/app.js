// Entry point: a hash router over the three pages (#/practice, #/interviewer, #/bank[/id]).
import { $, showAlert } from "./dom.js";
import * as practice from "./practice.js";
import * as interviewer from "./interviewer.js";
import * as bank from "./bank.js";
import * as apikey from "./apikey.js";

const pages = {
  practice: { title: "Practice", enter: (arg) => practice.enter(arg) },
  interviewer: { title: "Interviewer", enter: () => interviewer.enter() },
  bank: { title: "Question bank", enter: (id, opts) => bank.enter(id, opts) },
};

let first = true;

async function route() {
  const hash = location.hash;
  // Other fragments (the skip link's #main) are in-page anchors, not pages.
  if (hash && !hash.startsWith("#/")) {
    if (!first) return;
  }
  const [name, ...rest] = hash.startsWith("#/") ? hash.slice(2).split("/") : [];
  const key = pages[name] ? name : "practice";
  const page = pages[key];
  for (const k of Object.keys(pages)) $(`view-${k}`).hidden = k !== key;
  for (const a of document.querySelectorAll("nav a[data-view]")) {
    if (a.dataset.view === key) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  document.title = `${page.title} · Interview Coach`;
  const focus = !first;
  // Moving focus to the new page's heading tells keyboard and screen reader users where they are.
  if (focus && !(key === "bank" && rest.length)) $(`${key}-title`).focus();
  first = false;
  try {
    await page.enter(rest.length ? decodeURIComponent(rest.join("/")) : "", { focus });
  } catch (e) {
    showAlert(e.message || "Something went wrong on this page.");
  }
}

apikey.init();
window.addEventListener("hashchange", route);
window.addEventListener("unhandledrejection", (ev) => {
  showAlert((ev.reason && ev.reason.message) || "Something went wrong.");
});
route();
