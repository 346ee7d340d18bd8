// Small DOM helpers. Text from users and from the server only ever becomes text nodes.

/** $ returns the element with the given id. */
export const $ = (id) => document.getElementById(id);

/**
 * el builds an element: attrs are set as attributes (true for boolean attributes; false, null and
 * undefined are skipped), children are nodes or strings (as text), arrays of them, or nothing.
 */
export function el(tag, attrs, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    n.setAttribute(k, v === true ? "" : String(v));
  }
  append(n, children);
  return n;
}

const SVG = "http://www.w3.org/2000/svg";

/** svg builds an SVG element, like el. */
export function svg(tag, attrs, ...children) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    n.setAttribute(k, String(v));
  }
  append(n, children);
  return n;
}

function append(n, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** showAlert puts message in the page's alert region (role=alert) with a button to dismiss it. */
export function showAlert(message) {
  const region = $("alert");
  const dismiss = el("button", { type: "button", class: "link-button" }, "Dismiss");
  dismiss.addEventListener("click", () => region.replaceChildren());
  region.replaceChildren(el("div", { class: "alert" }, el("p", {}, message), dismiss));
}

/** clearAlert empties the alert region. */
export function clearAlert() {
  $("alert").replaceChildren();
}

/** announce tells screen reader users about something that happened out of their focus. */
export function announce(message) {
  const s = $("status");
  s.textContent = "";
  // A new text node after a tick is announced even when the message repeats.
  setTimeout(() => { s.textContent = message; }, 50);
}

/** busy marks a button as working: disabled, with a label saying so. It returns a function to undo it. */
export function busy(button, label) {
  const old = button.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  if (label) button.textContent = label;
  return () => {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = old;
  };
}

/** loading is a paragraph with a spinner and a message. */
export function loading(message) {
  return el("p", { class: "loading" }, el("span", { class: "spinner", "aria-hidden": "true" }), message);
}

/** chars counts characters as the server does (code points, not UTF-16 units). */
export const chars = (s) => Array.from(s).length;

/** MAX_ANSWER is the longest answer the server grades, in characters. */
export const MAX_ANSWER = 6000;

/**
 * counter keeps a "n / 6000 characters" line under a textarea up to date. It returns a function
 * that reports whether the text is within the limit.
 */
export function counter(textarea, output, max = MAX_ANSWER) {
  let wasOver = false;
  const update = () => {
    const n = chars(textarea.value);
    const over = n > max;
    output.textContent = over
      ? `${n} / ${max} characters: ${n - max} over the limit`
      : `${n} / ${max} characters`;
    output.classList.toggle("over", over);
    textarea.setAttribute("aria-invalid", over ? "true" : "false");
    if (over !== wasOver) announce(over ? `The answer is over the ${max}-character limit.` : "The answer is within the limit again.");
    wasOver = over;
    return !over;
  };
  textarea.addEventListener("input", update);
  update();
  return update;
}

/** download saves text as a file. */
export function download(filename, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = el("a", { href: url, download: filename, class: "sr-only" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** copyText copies text to the clipboard, falling back to a hidden textarea and execCommand. */
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the old way
    }
  }
  const ta = el("textarea", { class: "offscreen", readonly: true, "aria-hidden": "true", tabindex: "-1" });
  ta.value = text;
  const focused = document.activeElement;
  document.body.append(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  ta.remove();
  if (focused && focused.focus) focused.focus();
  return ok;
}

/** when formats a timestamp for people. */
export function when(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** storage is localStorage that tolerates being unavailable (private modes, disabled storage). */
export const storage = {
  get(key) {
    try {
      const v = localStorage.getItem(key);
      return v ? JSON.parse(v) : null;
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // the session lasts only until the page is closed
    }
  },
  remove(key) {
    try {
      localStorage.removeItem(key);
    } catch {
      // nothing to remove
    }
  },
};

/**
 * prose lays out reference text for reading: paragraphs are reflowed (sources wrap lines at ~70
 * characters), indented lines stay as code, list items keep their own lines.
 */
export function prose(text, attrs) {
  const box = el("div", attrs);
  for (const para of String(text || "").split(/\n[ \t]*\n/)) {
    let code = [];
    let words = [];
    const flushWords = () => {
      if (words.length) box.append(el("p", {}, words.join(" ")));
      words = [];
    };
    const flushCode = () => {
      if (code.length) {
        const indent = Math.min(...code.filter((l) => l.trim()).map((l) => l.match(/^\s*/)[0].length));
        box.append(el("pre", {}, el("code", {}, code.map((l) => l.slice(indent)).join("\n"))));
      }
      code = [];
    };
    for (const line of para.split("\n")) {
      if (/^( {4}|\t)/.test(line) && line.trim()) {
        flushWords();
        code.push(line);
      } else if (line.trim()) {
        flushCode();
        if (/^\s*([-*•]|\d+[.)])\s/.test(line)) flushWords();
        words.push(line.trim());
      }
    }
    flushWords();
    flushCode();
  }
  return box;
}

/** titleCase turns "weak" into "Weak". */
export const titleCase = (s) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : "");
