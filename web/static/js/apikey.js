// The API key form in the footer: servers that close practice to anonymous callers need a key,
// which this browser then sends with every call.
import { $ } from "./dom.js";
import { apiKey, setAPIKey } from "./api.js";

/** init wires the form. */
export function init() {
  const input = $("api-key");
  const status = $("api-key-status");
  const show = () => {
    status.textContent = apiKey() ? "A key is saved in this browser and sent with every request." : "No key saved.";
  };
  $("api-key-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    setAPIKey(input.value.trim());
    input.value = "";
    show();
  });
  $("api-key-forget").addEventListener("click", () => {
    setAPIKey("");
    input.value = "";
    show();
  });
  show();
}
