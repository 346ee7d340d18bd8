// Dictation into a textarea with the browser's speech recognition, where the browser has it.
import { announce, showAlert } from "./dom.js";

const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;

const problems = {
  "not-allowed": "Dictation needs permission to use the microphone.",
  "service-not-allowed": "This browser does not allow dictation here.",
  "audio-capture": "No microphone was found.",
  network: "Dictation needs the browser's speech service, which cannot be reached.",
  "language-not-supported": "Dictation does not support this language.",
};

/**
 * attachDictation makes button toggle dictation into textarea, showing what is being heard in
 * status. Where the browser has no speech recognition the button stays hidden.
 */
export function attachDictation(button, textarea, status) {
  if (!Recognition) return;
  button.hidden = false;
  let rec = null;

  const stop = () => {
    button.setAttribute("aria-pressed", "false");
    button.textContent = "Dictate";
    status.hidden = true;
    status.textContent = "";
    rec = null;
  };

  button.addEventListener("click", () => {
    if (rec) {
      rec.stop();
      return;
    }
    rec = new Recognition();
    rec.lang = document.documentElement.lang || navigator.language || "en";
    rec.continuous = true;
    rec.interimResults = true;
    rec.addEventListener("result", (ev) => {
      let interim = "";
      for (let i = ev.resultIndex; i < ev.results.length; i++) {
        const r = ev.results[i];
        if (r.isFinal) {
          const said = r[0].transcript.trim();
          if (said) {
            const sep = textarea.value && !/\s$/.test(textarea.value) ? " " : "";
            textarea.value += sep + said;
            textarea.dispatchEvent(new Event("input", { bubbles: true }));
          }
        } else {
          interim += r[0].transcript;
        }
      }
      status.textContent = interim ? `Hearing: ${interim}` : "Listening…";
    });
    rec.addEventListener("error", (ev) => {
      if (ev.error !== "no-speech" && ev.error !== "aborted") {
        showAlert(problems[ev.error] || `Dictation stopped (${ev.error}).`);
      }
    });
    rec.addEventListener("end", stop);
    try {
      rec.start();
    } catch {
      stop();
      showAlert("Dictation could not start.");
      return;
    }
    button.setAttribute("aria-pressed", "true");
    button.textContent = "Stop dictation";
    status.hidden = false;
    status.textContent = "Listening…";
    announce("Dictation started: speak your answer.");
  });
}
