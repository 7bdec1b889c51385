// The kiosk's dossier wizard ("Chuẩn bị hồ sơ"): the citizen picks a procedure, says who
// they are (typed, or the chip ID card's QR through the scanner), fills the e-form, ticks the
// documents they bring, chooses how to receive the result, checks everything and submits now
// (a queue ticket) or books a slot. Every step is a request on a saved draft
// (/api/v1/dossiers/drafts/{code}/…); the draft's `step` and `steps` say which screen to show.
// kiosk.js opens it inside <section id="dossier"> and calls reset() when the kiosk idles out
// or goes home: the state and every node are dropped, so nothing personal stays on screen.
"use strict";

const KioskDossier = (() => {
  const { boot, api, el, say } = Motcua;
  const t = (key, values) => Motcua.t("kiosk_dossier", key, values);
  const english = boot.lang !== "vi";
  /** name/nameEn, label/labelEn, help/helpEn: the page's language, Vietnamese when missing. */
  const local = (object, key) => (english && object[key + "En"]) || object[key] || "";
  const ALL_STEPS = ["procedure", "applicant", "eform", "documents", "review", "finish"];
  const APPLICANT = [["fullName", "telex"], ["idNumber", "digits"], ["phone", "digits"], ["address", "telex"]];
  const TYPED_SOURCES = ["fullName", "idNumber", "address"]; // what a typed applicant can prefill
  const SAVE_DELAY_MS = 1500; // typing is saved as it goes: it keeps the draft from idling
  const CANCELLED = new Error("reset"); // thrown into work that outlived a reset()

  let section = null;
  let epoch = 0;
  let busy = false;
  let searchTimer = null;
  let state = blank();

  function blank() {
    return {
      draft: null, procedure: null, agreed: false, view: null, flash: null, query: "", finish: null,
      printed: false, printNote: "", queue: Promise.resolve(), timers: new Map(), collect: null,
      cache: { applicant: {}, answers: {} },
    };
  }

  const kiosk = () => (typeof Kiosk !== "undefined" ? Kiosk : window.Kiosk);
  const settings = () => (kiosk() && kiosk().settings) || boot.settings || {};
  /** The site's clock (the server's, as the page was rendered), else this computer's. */
  const now = () => (Motcua.now ? Motcua.now() : new Date());
  const bookingDays = () => settings().bookingDays || 14;
  const keyboard = () => (typeof OnScreenKeyboard !== "undefined" ? OnScreenKeyboard : null);
  const hideKeyboard = () => keyboard() && keyboard().hide();
  const draftPath = (action) => "dossiers/drafts/" + encodeURIComponent(state.draft.code) + (action ? "/" + action : "");
  const isDraft = (value) => value && typeof value.code === "string" && Array.isArray(value.steps);
  const hasApplicant = (draft) => Boolean(draft.applicant && draft.applicant.fullName);
  const stepIndex = (draft, step) => draft.steps.indexOf(step);

  // ---- Requests ----

  /** An API call whose answer is dropped (CANCELLED) when the kiosk was reset meanwhile. */
  async function call(method, path, body) {
    const mine = epoch;
    const answer = await api(method, path, body);
    if (mine !== epoch) throw CANCELLED;
    return answer;
  }

  /** One change on the draft, after the ones before it; the draft answered becomes the state. */
  function change(action, body) {
    if (!state.draft) return Promise.reject(CANCELLED); // a late save after reset()
    const path = draftPath(action);
    const run = async () => {
      const answer = await call("POST", path, body);
      if (isDraft(answer)) state.draft = answer;
      return answer;
    };
    const next = state.queue.then(run, run);
    state.queue = next.catch(() => {});
    return next;
  }

  /** Runs a citizen's action, one at a time; a refusal is shown on the screen. */
  async function act(work) {
    if (busy || !section) return;
    busy = true;
    section.setAttribute("aria-busy", "true");
    const mine = epoch;
    try {
      await work();
    } catch (error) {
      if (mine === epoch && error !== CANCELLED) {
        try { await refused(error); } catch (again) { if (again !== CANCELLED) showProblems(again); }
      }
    } finally {
      if (mine === epoch) {
        busy = false;
        section.removeAttribute("aria-busy");
      }
    }
  }

  function stopTimers() {
    for (const timer of state.timers.values()) clearTimeout(timer);
    state.timers.clear();
  }

  /** Saves a typed value a moment after the last key (errors wait for `forward`). */
  function saveSoon(kind, key, read) {
    const name = kind + ":" + key;
    clearTimeout(state.timers.get(name));
    state.timers.set(name, setTimeout(() => {
      state.timers.delete(name);
      const value = read();
      const body = kind === "answers" ? { answers: { [key]: value } } : { [key]: value };
      change(kind, body).catch(() => {});
    }, SAVE_DELAY_MS));
  }

  /** Saves what the screen holds (applicant, e-form), without checking it. */
  async function saveScreen() {
    stopTimers();
    if (state.collect) await state.collect();
  }

  async function loadProcedure() {
    const chosen = state.draft && state.draft.procedure;
    if (!chosen || (state.procedure && state.procedure.code === chosen.code)) return;
    try {
      state.procedure = await call("GET", "procedures/" + encodeURIComponent(chosen.code));
    } catch (error) {
      if (error === CANCELLED) throw error;
      state.procedure = null; // the draft's own fields and checklist still carry the screens
    }
  }

  async function go() {
    await loadProcedure();
    render();
  }

  async function forward() {
    await saveScreen();
    await change("forward");
    await go();
  }

  async function goBack(step) {
    await saveScreen();
    await change("back", step ? { step } : {});
    state.finish = null;
    await go();
  }

  // ---- Refusals ----

  async function refused(error) {
    const code = error.code;
    if (state.draft && code === "draft_idle") return recoverIdle();
    if (state.draft && (code === "draft_expired" || code === "draft_not_found")) return viewGone(error.message);
    if (state.draft && code === "wrong_step") {
      state.draft = await call("GET", draftPath());
      state.flash = error.message;
      return go();
    }
    showProblems(error);
  }

  /** The draft sat idle (its personal data is gone): resume it and enter again what this screen still holds. */
  async function recoverIdle() {
    await change("resume");
    const draft = state.draft;
    const applicant = state.cache.applicant;
    if (Object.keys(applicant).length && stepIndex(draft, draft.step) > stepIndex(draft, "applicant")) {
      await change("back", { step: "applicant" });
      await change("applicant", applicant);
    }
    state.flash = t("idle_resumed");
    await go();
  }

  function problemsOf(error) {
    const body = error.details;
    const list = Array.isArray(body) ? body : body && Array.isArray(body.details) ? body.details : [];
    return list.length ? list : [{ field: error.field || "", message: error.message }];
  }

  /** The slot for a field's problem on this screen: `answers.x`, else `answers`, else none. */
  function slotFor(field) {
    let name = field || "";
    while (name) {
      const slot = section.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
      if (slot && !slot.parentElement.closest("[hidden]")) return slot;
      const dot = name.lastIndexOf(".");
      if (dot < 0) break;
      name = name.slice(0, dot);
    }
    return null;
  }

  function clearProblems() {
    if (!section) return;
    for (const slot of section.querySelectorAll("[data-error-for], [data-general]")) say(slot, "");
    for (const node of section.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  }

  /** Each field's message next to the field; the others at the top of the screen. */
  function showProblems(error) {
    if (!section) return;
    clearProblems();
    const general = [];
    let first = null;
    for (const problem of problemsOf(error)) {
      const slot = slotFor(problem.field);
      if (!slot) {
        if (!general.includes(problem.message)) general.push(problem.message);
        continue;
      }
      say(slot, slot.hidden ? problem.message : slot.textContent + " " + problem.message);
      const row = slot.closest("[data-field]");
      const control = row && row.querySelector("input, [role=radiogroup]");
      if (control) control.setAttribute("aria-invalid", "true");
      first = first || slot;
    }
    const alert = section.querySelector("[data-general]");
    if (general.length && alert) {
      say(alert, general.join(" "));
      first = alert;
    }
    if (first) first.scrollIntoView({ block: "center" });
  }

  // ---- Shared pieces ----

  const errorSlot = (field, id) => el("p", { role: "alert", hidden: true, "data-error-for": field, id });
  const actions = (...buttons) => el("div", { class: "actions" }, ...buttons);
  const button = (text, onclick, attributes) => el("button", Object.assign({ type: "button", onclick }, attributes || {}), text);

  /** Replaces the section with a screen: title, the steps, the chosen procedure, the draft code. */
  function screen(view, title, step, ...content) {
    state.view = view;
    state.collect = null; // a screen that holds typing sets it again
    const draft = state.draft;
    const parts = [el("h2", { tabindex: "-1" }, title)];
    if (step) {
      const steps = draft ? draft.steps : ALL_STEPS;
      parts.push(el("ol", { class: "steps", "aria-label": t("steps_label") },
        steps.map((name) => el("li", { "aria-current": name === step ? "step" : null }, t("step_" + name)))));
    }
    if (draft && draft.procedure && step && step !== "procedure") {
      parts.push(el("p", { class: "kd-procedure" }, local(draft.procedure, "name")));
    }
    content = content.flat().filter(Boolean);
    const bigCode = content.some((node) => node.classList && node.classList.contains("kd-codebox"));
    if (draft && step && !bigCode) {
      parts.push(el("p", { class: "kd-code" }, t("draft_code"), " ", el("strong", { id: "kd-draft-code" }, draft.code),
        " ", el("span", { class: "hint" }, t("draft_code_hint"))));
    }
    parts.push(el("p", { class: "notice", role: "status", hidden: !state.flash }, state.flash || ""));
    state.flash = null;
    parts.push(el("p", { role: "alert", hidden: true, "data-general": "" }), ...content);
    hideKeyboard(); // its input is gone with the last screen
    section.replaceChildren(...parts);
    window.scrollTo(0, 0);
    parts[0].focus({ preventScroll: true });
  }

  const money = (amount) => t("money", { amount: new Intl.NumberFormat(english ? "en-GB" : "vi-VN").format(amount) });
  const days = (n) => (n === 0 ? t("days_same") : t("days", { n }));

  function feeSummary(fees) {
    if (!fees || !fees.length) return t("fees_none");
    if (fees.every((fee) => fee.amount === 0)) return t("fees_free");
    const amounts = [...new Set(fees.map((fee) => fee.amount))].sort((a, b) => a - b);
    return t("fees", { amounts: amounts.map((a) => (a === 0 ? t("free") : money(a))).join("; ") });
  }

  const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
  const shownDate = (value) => value.replace(isoDate, "$3/$2/$1");

  /** An answer as the citizen reads it: a choice's label, Có/Không, dd/mm/yyyy. */
  function shownAnswer(field, value) {
    if (!value) return "";
    if (field.type === "choice") {
      const choice = field.choices.find((c) => c.value === value);
      return choice ? local(choice, "label") : value;
    }
    if (field.type === "yesno") return value === "yes" ? t("answer_yes") : value === "no" ? t("answer_no") : value;
    if (field.type === "date") return shownDate(value);
    return value;
  }

  /** Buttons acting as radio buttons; `pick` is told the value chosen (false from it: not taken). */
  function radioGroup(options, current, labelledBy, pick) {
    const group = el("div", { class: "kd-options", role: "radiogroup", "aria-labelledby": labelledBy });
    group.dataset.chosen = current || "";
    const mark = () => {
      for (const option of group.children) option.setAttribute("aria-checked", String(option.dataset.value === group.dataset.chosen));
    };
    for (const [value, label, hint] of options) {
      group.append(el("button", {
        type: "button", role: "radio", dataset: { value },
        onclick: () => {
          if (pick(value) === false) return;
          group.dataset.chosen = value;
          mark();
        },
      }, label, hint ? el("span", { class: "hint" }, hint) : null));
    }
    mark();
    return group;
  }

  // ---- Procedure ----

  function viewProcedures() {
    const input = el("input", {
      id: "kd-search", type: "search", autocomplete: "off", spellcheck: "false", "data-keyboard": "telex",
      value: state.query, "aria-controls": "kd-results",
    });
    const list = el("div", { class: "choices kd-procedures", id: "kd-results" });
    input.addEventListener("input", () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => search(input.value, list), 300);
    });
    const form = el("form", {
      novalidate: true, role: "search",
      onsubmit: (event) => { event.preventDefault(); clearTimeout(searchTimer); search(input.value, list); },
    },
    el("label", { for: "kd-search" }, t("search_label"), " ", el("span", { class: "hint" }, t("search_hint"))),
    el("div", { class: "kd-search" }, input, el("button", { type: "submit", class: "primary" }, t("search_submit"))));
    screen("procedure", t("title_procedure"), "procedure", form,
      el("p", { class: "hint", id: "kd-results-count", role: "status" }), list,
      actions(button(t("resume_open"), viewResume, { id: "kd-resume-open" })));
    search(input.value, list);
  }

  async function search(query, list) {
    state.query = query;
    const mine = ++search.sequence;
    const q = query.trim();
    let found;
    try {
      found = await call("GET", "procedures" + (q ? "?q=" + encodeURIComponent(q) : ""));
    } catch (error) {
      if (error !== CANCELLED && mine === search.sequence && list.isConnected) list.replaceChildren(el("p", { role: "alert" }, error.message));
      return;
    }
    if (mine !== search.sequence || !list.isConnected) return;
    const count = section.querySelector("#kd-results-count");
    if (count) count.textContent = found.length ? t("search_count", { n: found.length }) : "";
    list.replaceChildren(...(found.length ? found.map(procedureButton) : [el("p", { class: "notice" }, t("search_none"))]));
  }
  search.sequence = 0;

  function procedureButton(procedure) {
    const chosen = state.draft && state.draft.procedure && state.draft.procedure.code === procedure.code;
    return el("button", {
      type: "button", "data-procedure": procedure.code, "aria-current": chosen ? "true" : null,
      onclick: () => act(() => choose(procedure)),
    },
    el("strong", {}, local(procedure, "name")),
    el("span", { class: "hint" }, procedure.agency),
    el("span", { class: "hint" }, days(procedure.processingDays) + " · " + feeSummary(procedure.fees)));
  }

  async function choose(procedure) {
    if (!state.draft) state.draft = await call("POST", "dossiers/drafts");
    if (!state.draft.procedure || state.draft.procedure.code !== procedure.code) {
      await change("procedure", { procedureCode: procedure.code });
      state.cache.answers = {}; // they belonged to the other procedure's form
    }
    state.procedure = procedure;
    await change("forward");
    await go();
  }

  // ---- Resume ----

  function viewResume() {
    const input = el("input", {
      id: "kd-resume-code", name: "code", autocomplete: "off", autocapitalize: "characters", spellcheck: "false", "data-keyboard": "code",
      "aria-describedby": "kd-resume-error",
    });
    const form = el("form", { novalidate: true, onsubmit: (event) => { event.preventDefault(); act(() => resume(input.value)); } },
      el("label", { for: "kd-resume-code" }, t("resume_label"), " ", el("span", { class: "hint" }, t("resume_hint"))),
      input, errorSlot("code", "kd-resume-error"),
      actions(el("button", { type: "submit", class: "primary" }, t("resume_submit")),
        button(t("back"), () => { state.draft = null; viewProcedures(); })));
    screen("resume", t("title_resume"), null, form);
    input.focus({ preventScroll: true });
  }

  /** A code as typed, or as the slip's QR gives it (the code, or a look-up URL ending with it). */
  function codeFrom(text) {
    const last = text.trim().split("?")[0].split("/").filter(Boolean).pop() || "";
    return last.replace(/[^0-9A-Za-z-]/g, "").toUpperCase();
  }

  async function resume(text) {
    const code = codeFrom(text);
    if (!code) return showProblems({ field: "code", message: t("resume_empty") });
    try {
      const found = await call("GET", "dossiers/drafts/" + encodeURIComponent(code));
      state.draft = found;
      await change("resume");
      const draft = state.draft;
      state.agreed = false;
      if ((found.idle || !hasApplicant(draft)) && stepIndex(draft, draft.step) > stepIndex(draft, "applicant")) {
        await change("back", { step: "applicant" });
        state.flash = t("resume_idle");
      } else {
        state.flash = t("resumed");
      }
    } catch (error) {
      if (error !== CANCELLED) state.draft = null;
      throw error;
    }
    await go();
  }

  // ---- Applicant ----

  function viewNotice() {
    const draft = state.draft;
    const hours = Math.max(1, Math.round((Date.parse(draft.resumableUntil) - Date.parse(draft.lastActivity)) / 3600000));
    screen("notice", t("notice_title"), "applicant",
      el("div", { class: "notice kd-notice" },
        el("p", {}, t("notice_what")), el("p", {}, t("notice_why")), el("p", {}, t("notice_keep", { hours }))),
      actions(button(t("notice_agree"), () => { state.agreed = true; render(); }, { class: "primary", id: "kd-agree" }),
        button(t("back"), () => act(() => goBack()))));
  }

  function viewApplicant() {
    const draft = state.draft;
    const entered = draft.applicant || {};
    const inputs = {};
    const scan = el("input", {
      id: "kd-scan", autocomplete: "off", spellcheck: "false", "aria-describedby": "kd-scan-help kd-scan-error",
    });
    const rows = APPLICANT.map(([name, keyboard]) => {
      const id = "kd-applicant-" + name;
      const input = el("input", {
        id, name, autocomplete: "off", spellcheck: "false", "data-keyboard": keyboard,
        autocapitalize: name === "fullName" ? "words" : null,
        inputmode: name === "phone" ? "tel" : keyboard === "digits" ? "numeric" : null,
        value: entered[name] || "", "aria-describedby": id + "-error",
      });
      input.addEventListener("input", () => saveSoon("applicant", name, () => input.value.trim()));
      inputs[name] = input;
      return el("div", { class: "kd-field", "data-field": "applicant." + name },
        el("label", { for: id }, t("applicant_" + name), " ", el("span", { class: "hint" }, t("applicant_" + name + "_hint"))),
        input, errorSlot("applicant." + name, id + "-error"));
    });
    const collect = () => {
      const values = {};
      for (const [name] of APPLICANT) values[name] = inputs[name].value.trim();
      state.cache.applicant = values;
      return values;
    };
    const form = el("form", {
      novalidate: true, id: "kd-applicant",
      onsubmit: (event) => { event.preventDefault(); act(forward); },
    }, ...rows, actions(
      el("button", { type: "submit", class: "primary", id: "kd-next" }, t("next")),
      button(t("back"), () => act(() => goBack()))));
    // A scanner types the card's QR (items joined by "|") and Enter into whichever input has the focus.
    const scanned = (event) => {
      if (event.key !== "Enter" || !event.target.value || !event.target.value.includes("|")) return;
      event.preventDefault();
      const text = event.target.value;
      event.target.value = event.target === scan ? "" : entered[event.target.name] || "";
      act(() => readCard(text));
    };
    scan.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      if (scan.value.includes("|")) scanned(event);
      else if (scan.value.trim()) showProblems({ field: "qr", message: t("scan_not_card") });
    });
    form.addEventListener("keydown", scanned);
    const card = draft.fromIdentityCard ? el("p", { class: "kd-auto kd-card-read" }, t("card_read")) : null;
    screen("applicant", t("title_applicant"), "applicant",
      el("div", { class: "notice kd-scan" },
        el("label", { for: "kd-scan" }, t("scan_label")),
        el("p", { class: "hint", id: "kd-scan-help" }, t("scan_hint")),
        scan, errorSlot("qr", "kd-scan-error")),
      el("p", { class: "kd-or" }, t("or_type")), card, form);
    state.collect = () => change("applicant", collect());
    scan.focus({ preventScroll: true });
  }

  async function readCard(text) {
    await saveScreen();
    await change("identity-card", { qr: text.trim() });
    state.flash = t("card_read_flash");
    render();
  }

  // ---- E-form ----

  function askedNow(field, values, byId, depth = 0) {
    const when = field.askedWhen;
    if (!when) return true;
    const other = byId.get(when.field);
    if (other && depth < 10 && !askedNow(other, values, byId, depth + 1)) return false;
    const value = values[when.field] || "";
    return when.equals !== undefined ? value === when.equals : (when.oneOf || []).includes(value);
  }

  /** The control of one e-form question, with its label, help, card mark and error slot. */
  function questionRow(field, value, mark, onChange) {
    const id = "kd-answer-" + field.id;
    const labelId = id + "-label";
    const errorId = id + "-error";
    const badge = mark ? el("span", { class: "kd-auto" }, t(mark === "card" ? "from_card" : "from_applicant")) : null;
    const dropBadge = () => badge && badge.remove();
    let control;
    let read;
    if (field.type === "choice" || field.type === "yesno") {
      const options = field.type === "yesno" ? [["yes", t("answer_yes")], ["no", t("answer_no")]]
        : field.choices.map((choice) => [choice.value, local(choice, "label")]);
      control = radioGroup(options, value, labelId, () => {
        dropBadge();
        setTimeout(() => onChange(true)); // once the choice shows: what is asked next depends on it
      });
      control.setAttribute("aria-describedby", errorId);
      read = () => control.dataset.chosen;
    } else {
      const digits = field.type !== "text";
      control = el("input", {
        id, name: field.id, autocomplete: "off", spellcheck: "false", "data-keyboard": digits ? "digits" : "telex",
        autocapitalize: field.source === "fullName" || /Name$/.test(field.id) ? "words" : null, // names, as on ID cards
        inputmode: field.type === "phone" ? "tel" : digits ? "numeric" : null, "aria-describedby": errorId,
        placeholder: field.type === "date" ? t("date_placeholder") : null,
        value: field.type === "date" ? shownDate(value || "") : value || "",
      });
      let length = control.value.length;
      control.addEventListener("input", () => {
        // dd/mm/yyyy: the slashes come by themselves (the digits keyboard may have none).
        if (field.type === "date") {
          let typed = control.value.replace(/\/{2,}/g, "/");
          if (typed.length > length && /^(\d\d|\d\d\/\d\d)$/.test(typed)) typed += "/";
          if (typed !== control.value) control.value = typed;
        }
        length = control.value.length;
        dropBadge();
        onChange(false);
      });
      read = () => control.value.trim();
    }
    const label = field.type === "choice" || field.type === "yesno"
      ? el("p", { class: "kd-label", id: labelId }, local(field, "label"))
      : el("label", { for: id, id: labelId }, local(field, "label"));
    if (!field.required) label.append(" ", el("span", { class: "hint" }, t("optional")));
    if (badge) label.append(" ", badge);
    const help = local(field, "help");
    const row = el("div", { class: "kd-field", "data-field": "answers." + field.id },
      label, help ? el("p", { class: "hint" }, help) : null, control, errorSlot("answers." + field.id, errorId));
    return { row, read };
  }

  function viewEform() {
    const draft = state.draft;
    const fields = state.procedure && state.procedure.eform.length ? state.procedure.eform : draft.fields;
    const byId = new Map(fields.map((field) => [field.id, field]));
    const fromCard = new Set(draft.autofilled || []);
    const questions = new Map();
    const values = () => Object.fromEntries([...questions].map(([id, q]) => [id, q.read()]));
    const refresh = () => {
      const now = values();
      for (const field of fields) questions.get(field.id).row.hidden = !askedNow(field, now, byId);
    };
    for (const field of fields) {
      let value = draft.answers[field.id];
      let mark = value !== undefined && fromCard.has(field.id) ? "card" : null;
      if (value === undefined) value = state.cache.answers[field.id];
      if (!value && TYPED_SOURCES.includes(field.source) && draft.applicant && draft.applicant[field.source]) {
        value = draft.applicant[field.source];
        mark = "applicant";
      }
      const question = questionRow(field, value || "", mark, (picked) => {
        refresh();
        const read = () => questions.get(field.id).read();
        if (!picked) return saveSoon("answers", field.id, read);
        clearTimeout(state.timers.get("answers:" + field.id));
        change("answers", { answers: { [field.id]: read() } }).catch(() => {});
      });
      questions.set(field.id, question);
    }
    const collect = () => {
      const answers = {};
      for (const field of fields) {
        const question = questions.get(field.id);
        if (!question.row.hidden) answers[field.id] = question.read();
        else if (state.draft.answers[field.id]) answers[field.id] = ""; // no longer asked: not kept
      }
      state.cache.answers = Object.assign({}, state.cache.answers, answers);
      return Object.keys(answers).length ? change("answers", { answers }) : Promise.resolve();
    };
    const share = draft.fromIdentityCard && fromCard.size ? el("p", { class: "kd-auto" }, t("eform_from_card", { n: fromCard.size })) : null;
    screen("eform", t("title_eform"), "eform",
      el("p", { class: "hint" }, t("eform_hint")), share,
      el("form", { novalidate: true, id: "kd-eform", onsubmit: (event) => { event.preventDefault(); act(forward); } },
        ...[...questions.values()].map((q) => q.row),
        actions(el("button", { type: "submit", class: "primary", id: "kd-next" }, t("next")),
          button(t("back"), () => act(() => goBack())))));
    refresh();
    state.collect = collect;
  }

  // ---- Documents ----

  function copiesText(item) {
    const parts = [];
    if (item.originals) parts.push(t("originals", { n: item.originals }));
    if (item.copies) parts.push(t("copies", { n: item.copies }));
    return parts.join(" · ");
  }

  function viewDocuments() {
    const draft = state.draft;
    const summary = el("p", { class: "kd-summary", role: "status", id: "kd-doc-summary" });
    const update = (checklist) => {
      for (const item of checklist) {
        const box = section.querySelector(`[data-document="${item.index}"]`);
        if (box) box.setAttribute("aria-checked", String(item.ticked));
      }
      const required = checklist.filter((item) => item.required);
      summary.textContent = t("docs_summary", { ticked: required.filter((item) => item.ticked).length, total: required.length });
    };
    const tick = (index) => act(async () => {
      const ticked = section.querySelector(`[data-document="${index}"]`).getAttribute("aria-checked") !== "true";
      update((await change("documents", { index, ticked })).checklist);
    });
    const items = draft.checklist.map((item) => el("li", { "data-field": "documents." + item.index },
      el("button", {
        type: "button", role: "checkbox", "aria-checked": String(item.ticked), "data-document": item.index,
        onclick: () => tick(item.index),
      },
      el("span", { class: "kd-box", "aria-hidden": "true" }),
      el("span", { class: "kd-doc" },
        el("strong", {}, item.name),
        el("span", { class: "hint" }, copiesText(item)),
        item.condition ? el("span", { class: "hint" }, t("doc_condition", { condition: item.condition })) : null,
        el("span", { class: item.required ? "kd-tag" : "kd-tag optional" }, t(item.required ? "doc_required" : "doc_if_applies")))),
      errorSlot("documents." + item.index)));
    screen("documents", t("title_documents"), "documents",
      el("p", { class: "hint" }, t("docs_hint")), summary,
      items.length ? el("ul", { class: "checklist kd-checklist" }, items) : el("p", { class: "notice" }, t("docs_none")),
      printLine(),
      actions(button(t("next"), () => act(forward), { class: "primary", id: "kd-next" }),
        button(t("back"), () => act(() => goBack())),
        settings().printer ? button(t("print"), () => printSlip(), { id: "kd-print" }) : null));
    update(draft.checklist);
  }

  // ---- Review ----

  function viewReview() {
    const draft = state.draft;
    const procedure = state.procedure;
    const applicant = draft.applicant || {};
    const list = (pairs) => el("dl", { class: "kd-list" },
      pairs.filter(([, value]) => value).flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]));
    const part = (title, step, slot, ...content) => el("section", { class: "kd-part", "data-part": step },
      el("h3", {}, title), ...content, slot ? errorSlot(slot) : null,
      step && draft.steps.includes(step) ? button(t("edit"), () => act(() => goBack(step)), { class: "kd-edit", "data-edit": step }) : null);
    const fromCard = new Set(draft.autofilled || []);
    const parts = [
      part(t("review_procedure"), "procedure", "procedure", list([
        [t("review_procedure_name"), local(draft.procedure, "name") + " (" + draft.procedure.code + ")"],
        [t("review_agency"), procedure && procedure.agency],
        [t("review_days"), procedure && days(procedure.processingDays)],
        [t("review_fees"), procedure && (procedure.fees.length
          ? procedure.fees.map((fee) => fee.name + ": " + (fee.amount ? money(fee.amount) : t("free"))).join("; ") : t("fees_none"))],
      ])),
      part(t("review_applicant"), "applicant", "applicant", list([
        [t("applicant_fullName"), applicant.fullName],
        [t("applicant_idNumber"), applicant.idNumber],
        [t("applicant_phone"), applicant.phone],
        [t("applicant_address"), applicant.address || "—"],
      ]), draft.fromIdentityCard ? el("p", { class: "kd-auto" }, t("card_read")) : null),
    ];
    if (draft.steps.includes("eform")) {
      parts.push(part(t("review_eform"), "eform", "answers", list(draft.fields.map((field) => [
        local(field, "label"),
        draft.answers[field.id] ? shownAnswer(field, draft.answers[field.id]) + (fromCard.has(field.id) ? " ✓" : "") : null,
      ])), fromCard.size ? el("p", { class: "hint" }, t("review_autofill", {
        autofilled: draft.autofill.autofilled, filled: draft.autofill.filled,
      })) : null));
    }
    parts.push(part(t("review_documents"), "documents", "documents", el("ul", { class: "kd-doclist" },
      draft.checklist.map((item) => el("li", { class: item.ticked ? "ticked" : item.required ? "missing" : "" },
        (item.ticked ? "✓ " : "✗ ") + item.name + (item.ticked ? "" : " — " + t(item.required ? "doc_missing" : "doc_not_ticked")))))));
    const options = draft.resultDeliveryOptions.map((option) => [option, t("delivery_" + option), t("delivery_" + option + "_hint")]);
    const delivery = radioGroup(options, draft.resultDelivery || draft.resultDeliveryOptions[0], "kd-delivery-title",
      (value) => (busy ? false : act(() => change("result-delivery", { resultDelivery: value }).then(clearProblems))));
    parts.push(el("section", { class: "kd-part", "data-field": "resultDelivery" },
      el("h3", { id: "kd-delivery-title" }, t("review_delivery")), delivery,
      errorSlot("resultDelivery"), errorSlot("applicant.address")));
    screen("review", t("title_review"), "review", el("p", { class: "hint" }, t("review_hint")), ...parts,
      actions(button(t("review_confirm"), () => act(forward), { class: "primary", id: "kd-next" }),
        button(t("back"), () => act(() => goBack()))));
  }

  // ---- Finish: submit now or book a slot ----

  function printLine() {
    return el("p", { class: "notice", role: "status", id: "kd-print-state", hidden: !state.printNote }, state.printNote);
  }

  /** Prints the checklist slip with the draft code; a printer problem is only noted. */
  async function printSlip() {
    if (!state.draft) return;
    const mine = epoch;
    const code = state.draft.code;
    const note = (text) => {
      if (mine !== epoch) return;
      state.printNote = text;
      const line = section.querySelector("#kd-print-state");
      if (line) say(line, text);
    };
    note(t("printing"));
    const kioskId = settings().kiosk;
    try {
      const outcome = await api("POST", draftPath("print") + (kioskId ? "?kiosk=" + encodeURIComponent(kioskId) : ""));
      note(outcome.state === "failed" || outcome.showOnScreen ? t("print_failed", { code }) : t("printed"));
    } catch (error) {
      note(t("print_failed", { code }));
    }
  }

  function viewFinish() {
    const draft = state.draft;
    const mode = state.finish || { mode: "choose" };
    const codeBox = el("div", { class: "kd-codebox" },
      el("p", {}, t("finish_code")), el("p", { class: "kd-bigcode", id: "kd-finish-code" }, draft.code),
      el("p", { class: "hint" }, t("finish_code_hint")));
    if (mode.mode === "choose") {
      const missing = draft.checklist.filter((item) => item.required && !item.ticked);
      screen("finish", t("title_finish"), "finish", codeBox, printLine(),
        missing.length ? el("div", { class: "notice kd-missing" },
          el("p", {}, t("finish_missing")), el("ul", {}, missing.map((item) => el("li", {}, item.name))),
          button(t("finish_tick"), () => act(() => goBack("documents")), { class: "kd-edit" })) : null,
        // Without every required document the counter cannot take it today: booking comes first.
        el("div", { class: "choices kd-finish" },
          el("button", {
            type: "button", class: missing.length ? null : "primary", id: "kd-submit-now", disabled: missing.length > 0,
            onclick: () => submitNow(),
          }, el("strong", {}, t("submit_now")), el("span", { class: "hint" }, t(missing.length ? "submit_now_missing" : "submit_now_hint"))),
          el("button", { type: "button", class: missing.length ? "primary" : null, id: "kd-book", onclick: () => act(chooseDay) },
            el("strong", {}, t("book_slot")), el("span", { class: "hint" }, t("book_slot_hint")))),
        actions(button(t("back"), () => act(() => goBack())),
          settings().printer ? button(t("print_again"), () => printSlip(), { id: "kd-print" }) : null,
          button(t("later"), home, { id: "kd-later" })));
      if (!state.printed && settings().printer) {
        state.printed = true;
        printSlip();
      }
    } else if (mode.mode === "priority") {
      const offered = settings().priorities || [];
      screen("finish", t("priority_question"), "finish", el("p", { class: "hint" }, t("priority_hint")),
        el("div", { class: "choices" },
          button(t("no_priority"), () => act(() => finishNow(null)), { class: "primary", "data-priority": "" }),
          offered.map((p) => el("button", { type: "button", "data-priority": p.id, onclick: () => act(() => finishNow(p.id)) },
            el("strong", {}, p.label), p.explanation ? el("span", { class: "hint" }, p.explanation) : null))),
        actions(button(t("back"), () => { state.finish = null; render(); })));
    } else if (mode.mode === "days") {
      screen("finish", t("book_day"), "finish",
        mode.days.length ? el("div", { class: "choices", id: "kd-days" }, mode.days.map((day) =>
          el("button", { type: "button", "data-day": day.day, onclick: () => { state.finish = { mode: "times", days: mode.days, day }; render(); } },
            el("strong", {}, Motcua.day(day.slots[0].start)),
            el("span", { class: "hint" }, t("places", { n: day.slots.reduce((sum, slot) => sum + slot.available, 0) })))))
          : el("p", { class: "notice" }, t("book_none", { days: bookingDays() })),
        actions(button(t("back"), () => { state.finish = null; render(); })));
    } else if (mode.mode === "times") {
      screen("finish", t("book_time"), "finish", el("p", { class: "hint" }, Motcua.day(mode.day.slots[0].start)),
        el("div", { class: "slot-grid", id: "kd-times" }, mode.day.slots.map((slot) =>
          el("button", { type: "button", "data-slot": slot.id, onclick: () => { state.finish = Object.assign({}, mode, { mode: "confirm", slot }); render(); } },
            Motcua.time(slot.start)))),
        actions(button(t("back"), () => { state.finish = { mode: "days", days: mode.days }; render(); })));
    } else if (mode.mode === "confirm") {
      screen("finish", t("book_confirm_title"), "finish",
        el("p", { class: "kd-when" }, t("book_confirm", { day: Motcua.day(mode.slot.start), time: Motcua.time(mode.slot.start) })),
        el("p", { class: "hint" }, t("book_confirm_hint")),
        actions(button(t("book_confirm_yes"), () => act(() => finishBooking(mode.slot)), { class: "primary", id: "kd-book-confirm" }),
          button(t("book_other_time"), () => act(chooseDay))));
    }
  }

  function submitNow() {
    if ((settings().priorities || []).length) {
      state.finish = { mode: "priority" };
      render();
    } else {
      act(() => finishNow(null));
    }
  }

  async function chooseDay() {
    const serviceId = state.draft.procedure.serviceId;
    const from = Motcua.siteDay(now());
    const to = Motcua.addDays(from, bookingDays() - 1);
    const slots = await call("GET", `slots?service=${encodeURIComponent(serviceId)}&from=${from}&to=${to}`);
    const soon = now().getTime() + (settings().bookingLeadMinutes || 0) * 60000; // the rules refuse sooner ones
    const byDay = new Map();
    for (const slot of slots) {
      if (slot.available <= 0 || Date.parse(slot.start) < soon) continue;
      const day = Motcua.siteDay(new Date(slot.start));
      if (!byDay.has(day)) byDay.set(day, { day, slots: [] });
      byDay.get(day).slots.push(slot);
    }
    state.finish = { mode: "days", days: [...byDay.values()] };
    render();
  }

  async function finishNow(priority) {
    const body = { submission: "submit_now" };
    if (priority) body.priority = priority;
    let done;
    try {
      done = await change("finish", body);
    } catch (error) {
      state.finish = null;
      if (error !== CANCELLED) render();
      throw error;
    }
    let ticket = done.ticket;
    try {
      ticket = Object.assign({}, ticket, await call("GET", `tickets/${ticket.id}?pass=${encodeURIComponent(ticket.qr)}`));
    } catch (error) {
      if (error === CANCELLED) throw error; // the short form still makes a ticket on screen
    }
    handOff("showTicket", Object.assign(ticket, { dossier: done.dossier }));
  }

  async function finishBooking(slot) {
    const done = await change("finish", { submission: "book_slot", slotId: slot.id });
    let booking = Object.assign({ serviceId: state.draft.procedure.serviceId }, done.booking);
    try {
      booking = Object.assign(booking, await call("GET", "bookings/" + encodeURIComponent(booking.code)));
    } catch (error) {
      if (error === CANCELLED) throw error;
    }
    handOff("showBooking", Object.assign(booking, { dossier: done.dossier }));
  }

  /** The dossier is made: kiosk.js shows the ticket or booking; nothing of it stays here. */
  function handOff(method, object) {
    const target = kiosk();
    const holder = section;
    reset();
    if (target && typeof target[method] === "function") {
      target[method](object);
      return;
    }
    section = holder; // no kiosk.js: say it here
    section.replaceChildren(el("h2", { tabindex: "-1" }, t(method === "showTicket" ? "done_ticket" : "done_booking")),
      el("div", { class: "ticket-card" }, el("div", { class: "ticket-number" }, object.number || object.code),
        el("p", {}, t("done_dossier", { code: object.dossier.code }))));
  }

  function home() {
    const target = kiosk();
    if (target && typeof target.home === "function") target.home();
    else reset();
  }

  // ---- Gone ----

  function viewGone(message) {
    state.draft = null;
    screen("gone", t("title_gone"), null, el("p", { role: "alert" }, message || t("gone")),
      actions(button(t("start_again"), () => open(section), { class: "primary" }), button(t("home"), home)));
  }

  // ---- Entry points ----

  function render() {
    clearTimeout(searchTimer);
    const draft = state.draft;
    if (!draft) return viewProcedures();
    switch (draft.step) {
      case "applicant": return state.agreed || hasApplicant(draft) ? viewApplicant() : viewNotice();
      case "eform": return viewEform();
      case "documents": return viewDocuments();
      case "review": return viewReview();
      case "finish": return viewFinish();
      default: return viewProcedures();
    }
  }

  /** Starts the wizard afresh in `target` (kiosk.js's <section id="dossier">). */
  function open(target) {
    reset();
    if (section !== target) {
      // The keyboard shows for text inputs; a touch on anything else here puts it away.
      target.addEventListener("focusin", (event) => {
        if (!event.target.matches("input[data-keyboard]")) hideKeyboard();
      });
      // Shown again without open() (the kiosk's Back after a ticket): start afresh, never blank.
      new MutationObserver(() => {
        if (!target.hidden && !target.firstChild && section === target) viewProcedures();
      }).observe(target, { attributes: true, attributeFilter: ["hidden"] });
    }
    section = target;
    section.classList.add("kd");
    viewProcedures();
  }

  /** Forgets the citizen: state, pending saves and every node of the section. */
  function reset() {
    epoch += 1;
    busy = false;
    clearTimeout(searchTimer);
    stopTimers();
    state = blank();
    hideKeyboard();
    if (section) {
      section.removeAttribute("aria-busy");
      section.replaceChildren();
    }
  }

  /** The kiosk's own Back button: true when the wizard went back a screen, false at its first one. */
  function back() {
    if (!section || !section.firstChild) return false;
    if (busy) return true;
    if (state.view === "resume" || state.view === "gone") {
      state.draft = state.view === "resume" ? null : state.draft;
      viewProcedures();
      return true;
    }
    if (!state.draft || state.draft.step === "procedure") return false;
    if (state.view === "finish" && state.finish) {
      const mode = state.finish;
      state.finish = mode.mode === "confirm" ? Object.assign({}, mode, { mode: "times" })
        : mode.mode === "times" ? { mode: "days", days: mode.days } : null;
      render();
      return true;
    }
    act(() => goBack());
    return true;
  }

  const api_ = { open, reset, back };
  window.KioskDossier = api_;
  return api_;
})();
