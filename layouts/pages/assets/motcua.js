// Shared by the four pages: the boot data the server rendered into the page, its texts,
// calls to the JSON API, and a few DOM helpers. No framework: the pages must load fast on
// a kiosk's small computer with no internet.
"use strict";

const Motcua = (() => {
  const boot = JSON.parse(document.getElementById("boot").textContent);

  /** A text of the page's language: t("kiosk", "take_number", {n: 3}). */
  function t(section, key, values) {
    let text = (boot.t[section] || {})[key];
    if (text === undefined) text = key;
    for (const [name, value] of Object.entries(values || {})) text = text.split("{" + name + "}").join(String(value));
    return text;
  }

  /** A refusal from the API, its message already in the page's language. */
  class ApiError extends Error {
    constructor(status, body) {
      const error = (body && body.error) || {};
      super(error.message || t("common", "offline"));
      this.status = status;
      this.code = error.code;
      this.field = error.field;
      this.details = error;
    }
  }

  /** Calls /api/v1/<path>; resolves with the JSON (null for 204), rejects with ApiError. */
  async function api(method, path, body) {
    const headers = { "Accept-Language": boot.lang };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch("/api/v1/" + path, {
        method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, null);
    }
    if (response.status === 204) return null;
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  /** el("button", {class: "big", onclick: f}, "text", child…) */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (name === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // The site's clock, as the server read it when it rendered the page: a kiosk whose own
  // clock drifted (or a demo run at another hour) still agrees with the server on "today".
  const skew = Date.parse(boot.now) - Date.now();
  const now = () => new Date(Date.now() + skew);

  const locale = boot.lang === "vi" ? "vi-VN" : "en-GB";
  const zone = boot.timeZone;
  const format = (options) => new Intl.DateTimeFormat(locale, Object.assign({ timeZone: zone }, options));
  const timeFormat = format({ hour: "2-digit", minute: "2-digit", hour12: false });
  const dayFormat = format({ weekday: "long", day: "numeric", month: "numeric", year: "numeric" });
  // A calendar day has no zone: it is formatted as the UTC noon of that day.
  const calendarDayFormat = new Intl.DateTimeFormat(locale, { timeZone: "UTC", weekday: "short", day: "numeric", month: "numeric" });

  /** "YYYY-MM-DD" of an instant in the site's zone. */
  function siteDay(instant) {
    const parts = Object.fromEntries(format({ year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(instant).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day}`;
  }

  /** The calendar day `days` after "YYYY-MM-DD". */
  function addDays(day, days) {
    const date = new Date(day + "T12:00:00Z");
    date.setUTCDate(date.getUTCDate() + days);
    return date.toISOString().slice(0, 10);
  }

  /** Shows the element with id `screen` among its siblings of class "screen". */
  function show(screen) {
    const target = document.getElementById(screen);
    for (const node of target.parentElement.children) {
      if (node.classList.contains("screen")) node.hidden = node !== target;
    }
    const focus = target.querySelector("[autofocus]") || target.querySelector("h1, h2");
    if (focus) {
      if (!focus.hasAttribute("tabindex") && /^H\d$/.test(focus.tagName)) focus.setAttribute("tabindex", "-1");
      focus.focus({ preventScroll: true });
    }
  }

  /** Puts `message` in the element's live region (role=alert), or clears it. */
  function say(node, message) {
    node.textContent = message || "";
    node.hidden = !message;
  }

  /** A console's sign-in: resolves with the session's identity once one of `roles` holds
   *  it. The server rendered the page knowing the session cookie (settings.identity). */
  async function signIn(form, roles) {
    const alert = form.querySelector("[role=alert]");
    const identity = boot.settings.identity;
    if (identity && roles.includes(identity.role)) return identity;
    return new Promise((resolve) => {
      form.hidden = false;
      if (identity) say(alert, t("common", "wrong_role"));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        say(alert, "");
        try {
          const identity = await api("POST", "session", {
            username: form.elements.username.value, password: form.elements.password.value,
          });
          if (!roles.includes(identity.role)) {
            await api("DELETE", "session");
            say(alert, t("common", "wrong_role"));
            return;
          }
          form.hidden = true;
          form.reset();
          resolve(identity);
        } catch (e) {
          say(alert, e.message);
        }
      });
    });
  }

  async function signOut() {
    await api("DELETE", "session");
    location.reload();
  }

  return {
    boot, t, api, ApiError, el, show, say, signIn, signOut, siteDay, addDays, now,
    time: (iso) => timeFormat.format(new Date(iso)),
    day: (iso) => dayFormat.format(new Date(iso)),
    shortDay: (day) => calendarDayFormat.format(new Date(day + "T12:00:00Z")),
  };
})();
