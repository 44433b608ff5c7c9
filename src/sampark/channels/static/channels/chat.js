// Web chat (sampark.channels.web). The page works without this file, through form posts; with
// it, messages go to the JSON API and the replies appear without a reload, and a poll fetches
// agents' replies: often right after a message, slower while nothing comes, rarely while the
// tab is hidden. Plain ES2020, no framework, no build step.
"use strict";

(() => {
  const stateNode = document.getElementById("wc-state");
  const form = document.getElementById("wc-form");
  if (!stateNode || !form || !window.fetch) return;

  const state = JSON.parse(stateNode.textContent);
  const labels = state.labels;
  const list = document.getElementById("wc-messages");
  const optionsForm = document.getElementById("wc-options");
  const optionList = document.getElementById("wc-option-list");
  const input = document.getElementById("wc-text");
  const errorBox = document.getElementById("wc-error");
  const statusBox = document.getElementById("wc-status");
  const csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  const DEVANAGARI = /[\u0900-\u097F]/;
  const POLL_FIRST = 3000; // ms after a message: an agent may be typing
  const POLL_MAX = 30000; // ms: the interval grows to this while nothing comes
  const POLL_HIDDEN = 60000; // ms while the tab is hidden
  const pageTitle = document.title;
  const clock = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: state.time_zone,
  });

  let lastId = state.last_id; // the highest message id shown
  let offered = state.options; // [{id, title}] of the latest bot or agent message
  let active = lastId > 0; // there is a conversation: worth polling
  let sending = false;
  let delay = POLL_FIRST;
  let timer = 0;
  let unseen = 0;

  const langOf = (text) => (DEVANAGARI.test(text) ? "hi" : "en");

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text; // never innerHTML: the text is the user's
    return node;
  }

  // One message into the list, in id order (a poll and a send answer may cross). False when
  // the page shows it already.
  function render(message) {
    if (document.getElementById(`wc-m${message.id}`)) return false;
    let text = message.text;
    if (message.author === "user") {
      const chosen = offered.find((option) => option.id === text);
      if (chosen) text = chosen.title; // a tapped button shows as its title
    } else {
      offered = message.options;
    }
    const item = element("li", `wc-msg wc-${message.author}`);
    item.id = `wc-m${message.id}`;
    item.dataset.id = String(message.id);
    const meta = element("p", "wc-meta");
    const time = element("time", "", clock.format(new Date(message.at)));
    time.dateTime = message.at;
    meta.append(element("span", "wc-who", labels[message.author] || ""), " ", time);
    const body = element("p", "wc-text", text);
    body.lang = langOf(text);
    item.append(meta, body);
    const later = [...list.children].find((node) => Number(node.dataset.id) > message.id);
    list.insertBefore(item, later || null);
    lastId = Math.max(lastId, message.id);
    return true;
  }

  // The buttons of the last message, unless the last message is the user's own.
  function showOptions() {
    const last = list.lastElementChild;
    const choices = last && !last.classList.contains("wc-user") ? offered : [];
    optionList.replaceChildren(
      ...choices.map((option) => {
        const button = element("button", "button", option.title);
        button.type = "submit";
        button.name = "text";
        button.value = option.id;
        button.lang = langOf(option.title);
        return button;
      }),
    );
    optionsForm.hidden = choices.length === 0;
  }

  function nearBottom() {
    const root = document.documentElement;
    return root.scrollHeight - (window.scrollY + window.innerHeight) < 200;
  }

  function add(messages, { scroll = false } = {}) {
    const follow = scroll || nearBottom();
    const fresh = [...messages].sort((a, b) => a.id - b.id).filter(render);
    if (!fresh.length) return 0;
    showOptions();
    if (follow) window.scrollTo(0, document.documentElement.scrollHeight);
    if (document.hidden) {
      unseen += fresh.filter((message) => message.author !== "user").length;
      if (unseen) document.title = `(${unseen}) ${pageTitle}`;
    }
    return fresh.length;
  }

  // The answer's messages, or an Error whose message is for the user.
  async function request(url, options) {
    let response;
    try {
      response = await fetch(url, {
        credentials: "same-origin",
        ...options,
        headers: { Accept: "application/json", ...(options && options.headers) },
      });
    } catch {
      throw new Error(labels.offline);
    }
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (response.ok && data && Array.isArray(data.messages)) return data.messages;
    if (response.status === 403) throw new Error(labels.expired); // CSRF: an old page
    if (data && data.message) {
      throw new Error([data.message, ...Object.values(data.fields || {})].join(" "));
    }
    throw new Error(labels.failed);
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(poll, ms);
  }

  function pollSoon() {
    delay = POLL_FIRST;
    schedule(delay);
  }

  async function poll() {
    if (!active) return;
    try {
      const found = add(await request(`${state.api}?after=${lastId}`));
      delay = found ? POLL_FIRST : Math.min(delay * 1.5, POLL_MAX);
    } catch {
      delay = Math.min(delay * 2, POLL_MAX);
    }
    schedule(document.hidden ? Math.max(delay, POLL_HIDDEN) : delay);
  }

  function showError(text) {
    errorBox.textContent = text;
    if (text) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  async function send(text, typed) {
    if (sending) return;
    sending = true;
    form.setAttribute("aria-busy", "true");
    showError("");
    statusBox.textContent = labels.sending;
    if (typed) input.value = "";
    try {
      const messages = await request(state.api, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
        body: JSON.stringify({ text, after: lastId }),
      });
      add(messages, { scroll: true });
      active = true;
      statusBox.textContent = "";
      pollSoon();
    } catch (error) {
      if (typed && !input.value) input.value = text; // nothing typed is lost
      statusBox.textContent = "";
      showError(error.message);
    } finally {
      sending = false;
      form.removeAttribute("aria-busy");
      input.focus();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) {
      showError(labels.empty);
      input.focus();
      return;
    }
    send(text, true);
  });

  optionsForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = event.submitter;
    if (button && button.value) send(button.value, false);
  });

  input.addEventListener("input", () => {
    if (errorBox.textContent) showError("");
  });

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) return;
    unseen = 0;
    document.title = pageTitle;
    if (active) schedule(0);
  });

  if (active) {
    window.scrollTo(0, document.documentElement.scrollHeight);
    schedule(POLL_FIRST);
  }
})();
