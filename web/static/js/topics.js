// Topics of the bank, loaded once and shared by every page.
import { bank } from "./api.js";
import { el } from "./dom.js";

let loaded = null;
const names = new Map();

/** topics returns the bank's topics ([{id, name, question_count}]), asking the server once. */
export function topics() {
  if (!loaded) {
    loaded = bank.topics().then((res) => {
      for (const t of res.topics || []) names.set(t.id, t.name);
      return res.topics || [];
    });
    loaded.catch(() => { loaded = null; }); // ask again next time
  }
  return loaded;
}

/** topicName is the display name of a topic id (the id itself until topics are loaded). */
export const topicName = (id) => names.get(id) || id || "";

/** fillTopicSelect adds an option per topic to a <select>, keeping its first ("any") option. */
export async function fillTopicSelect(select, { counts = true } = {}) {
  const list = await topics();
  const keep = select.value;
  const first = select.options[0];
  select.replaceChildren(first, ...list.map((t) =>
    el("option", { value: t.id }, counts ? `${t.name} (${t.question_count})` : t.name)));
  select.value = keep;
}
