// The counter console: an officer signs in, chooses a counter (remembered on this computer),
// opens it, and calls, recalls, finishes, transfers or picks tickets; the called ticket's
// dossier is shown here and received, sent back for a supplement or refused, and the citizen
// of a finished ticket may rate the service on this screen. The hall comes live from the
// queue's event stream; every change also refetches the waiting list.
"use strict";

(() => {
  const { boot, t, api, el, show, say, signIn, signOut, time } = Motcua;
  const tc = (key, values) => t("counter", key, values);
  const $ = (id) => document.getElementById(id);
  const english = boot.lang === "en";
  const storageKey = "motcua.counter.id";
  const shortcuts = { F2: "call-next", F4: "recall", F8: "no-show", F9: "done" };

  const state = {
    counters: [],
    services: [],
    counter: null, // the counter this console works at
    current: null, // {id, number, serviceId, calledAt, recalls} called at it now
    rating: null, // {id, number} of the ticket finished here whose citizen may rate it
    dossier: null,
    procedures: new Map(),
    busy: false,
    lastStatus: null,
  };

  const serviceOf = (id) => state.services.find((service) => service.id === id);
  const serviceName = (id) => {
    const service = serviceOf(id);
    return service ? `${service.prefix} · ${english ? service.nameEn : service.name}` : id;
  };
  const counterName = (id) => (state.counters.find((counter) => counter.id === id) || { name: String(id) }).name;

  // ---- Messages ----------------------------------------------------------------------

  function report(message) {
    say($("problem"), "");
    say($("result"), message);
  }

  function complain(error) {
    if (error && error.status === 401) {
      // The session ended (expired, or signed out elsewhere): sign in again.
      location.reload();
      return;
    }
    say($("result"), "");
    say($("problem"), error.message || String(error));
  }

  /** Runs one action at a time: a double click never calls two citizens. */
  async function act(action) {
    if (state.busy) return;
    state.busy = true;
    renderCurrent();
    say($("problem"), "");
    try {
      await action();
    } catch (error) {
      complain(error);
    } finally {
      state.busy = false;
      renderCurrent();
    }
    refreshWaiting();
  }

  // ---- Counter ------------------------------------------------------------------------

  function chooseCounter() {
    $("counter-choices").replaceChildren(...state.counters.map((counter) => el("li", {},
      el("button", {
        type: "button", class: "counter-choice", "data-counter": counter.id,
        onclick: () => {
          localStorage.setItem(storageKey, String(counter.id));
          enterDesk(counter);
        },
      },
      el("strong", {}, counter.name),
      el("span", {}, counter.serviceIds.map(serviceName).join(", ")),
      el("span", { class: counter.isOpen ? "state open" : "state closed" }, tc(counter.isOpen ? "state_open" : "state_closed"))))));
    show("choose");
  }

  async function enterDesk(counter) {
    state.counter = counter;
    state.current = null;
    state.dossier = null;
    closeRating();
    say($("result"), "");
    say($("problem"), "");
    renderCounter();
    fillTransfer();
    renderCurrent();
    renderDossier();
    $("waiting").replaceChildren();
    show("desk");
    if (state.lastStatus) applyStatus(state.lastStatus);
    try {
      applyStatus(await api("GET", "queue/status"));
    } catch (error) {
      complain(error);
    }
    refreshWaiting();
  }

  function renderCounter() {
    const counter = state.counter;
    $("desk-title").textContent = counter.name;
    $("desk-services").textContent = counter.serviceIds.map(serviceName).join(", ");
    const badge = $("counter-state");
    badge.textContent = tc(counter.isOpen ? "state_open" : "state_closed");
    badge.className = "state " + (counter.isOpen ? "open" : "closed");
    const toggle = $("toggle-open");
    toggle.textContent = tc(counter.isOpen ? "close_counter" : "open_counter");
    toggle.className = counter.isOpen ? "" : "primary";
    document.title = `${counter.name} · ${tc("title")} — ${boot.siteName}`;
  }

  async function toggleOpen() {
    const counter = state.counter;
    await act(async () => {
      const changed = await api("POST", `counters/${counter.id}/${counter.isOpen ? "close" : "open"}`);
      counter.isOpen = changed.isOpen;
      renderCounter();
      report(tc(changed.isOpen ? "counter_opened" : "counter_closed", { counter: changed.name }));
    });
  }

  function fillTransfer() {
    const others = state.counters.filter((counter) => counter.id !== state.counter.id);
    $("transfer-to").replaceChildren(
      el("option", { value: "" }, tc("transfer_choose")),
      el("optgroup", { label: tc("transfer_services") },
        state.services.map((service) => el("option", { value: "service:" + service.id }, serviceName(service.id)))),
      el("optgroup", { label: tc("transfer_counters") },
        others.map((counter) => el("option", { value: "counter:" + counter.id },
          counter.isOpen ? counter.name : `${counter.name} (${tc("state_closed")})`))),
    );
  }

  // ---- The called ticket ----------------------------------------------------------------

  function ticketOf(ticket) {
    return {
      id: ticket.id, number: ticket.number, serviceId: ticket.serviceId, calledAt: ticket.calledAt,
      recalls: ticket.recalls || 0,
    };
  }

  /** The ticket called at this counter now (or null); a new one brings its dossier. */
  function setCurrent(ticket) {
    const before = state.current;
    state.current = ticket;
    renderCurrent();
    if ((before && before.id) !== (ticket && ticket.id)) loadDossier();
  }

  function renderCurrent() {
    const current = state.current;
    $("current-number").textContent = current ? current.number : "—";
    $("current-number").classList.toggle("empty", !current);
    const detail = [];
    if (current) {
      detail.push(serviceName(current.serviceId));
      if (current.calledAt) detail.push(tc("called_at", { time: time(current.calledAt) }));
      if (current.recalls) detail.push(tc("recalls", { n: current.recalls }));
    } else {
      detail.push(tc("none_called"));
    }
    $("current-detail").textContent = detail.join(" · ");
    $("call-next").disabled = state.busy;
    for (const id of ["recall", "done", "no-show", "transfer-button", "transfer-to"]) $(id).disabled = state.busy || !current;
    $("call-next-hint").hidden = !current;
  }

  function applyStatus(status) {
    state.lastStatus = status;
    for (const line of status.counters) {
      const known = state.counters.find((counter) => counter.id === line.id);
      if (known) known.isOpen = line.isOpen;
    }
    if (!state.counter) return;
    const line = status.counters.find((counter) => counter.id === state.counter.id);
    if (!line) return;
    renderCounter();
    const ticket = line.ticket;
    if (!ticket) {
      setCurrent(null);
      return;
    }
    const call = (status.recentCalls || []).find((c) => c.ticketId === ticket.id);
    const kept = state.current && state.current.id === ticket.id ? state.current.recalls : 0;
    setCurrent(Object.assign(ticketOf(ticket), { recalls: call ? call.recalls : kept }));
  }

  async function callNext() {
    const before = state.current;
    await act(async () => {
      const ticket = await api("POST", `counters/${state.counter.id}/call-next`);
      // Calling the next finished the one served: its citizen may still rate it.
      if (before) offerRating(before);
      if (!ticket) {
        setCurrent(null);
        report(before ? tc("finished_nobody", { number: before.number }) : tc("nobody_for_counter"));
        return;
      }
      setCurrent(ticketOf(ticket));
      report(tc("called", { number: ticket.number, counter: state.counter.name }));
    });
  }

  async function ticketAction(path, message, body) {
    const current = state.current;
    if (!current) return;
    await act(async () => {
      const ticket = await api("POST", `tickets/${current.id}/${path}`, body);
      if (ticket.status === "called" && ticket.counterId === state.counter.id) setCurrent(ticketOf(ticket));
      else setCurrent(null);
      report(message(ticket));
      if (ticket.status === "done") offerRating(ticket);
    });
  }

  function transfer(event) {
    event.preventDefault();
    const [kind, id] = $("transfer-to").value.split(":");
    if (!kind) {
      complain(new Error(tc("transfer_pick_target")));
      $("transfer-to").focus();
      return;
    }
    const body = kind === "service" ? { serviceId: id } : { counterId: Number(id) };
    const target = kind === "service" ? serviceName(id) : counterName(Number(id));
    ticketAction("transfer", (ticket) => tc("transferred", { number: ticket.number, target }), body)
      .then(() => { $("transfer-to").value = ""; });
  }

  async function pick(ticket) {
    await act(async () => {
      const called = await api("POST", `counters/${state.counter.id}/pick`, { ticketId: ticket.id });
      setCurrent(ticketOf(called));
      report(tc("picked", { number: called.number }));
    });
    if (!state.busy) $("call-next").focus();
  }

  // ---- The citizen's rating ----------------------------------------------------------------

  /** Puts the rating pad up for a ticket just finished here. It stays until the citizen taps
   *  or the officer skips it, and never holds the queue: the next call goes on beside it. */
  function offerRating(ticket) {
    state.rating = { id: ticket.id, number: ticket.number };
    const pad = $("rating-pad");
    $("rating-pad-title").textContent = tc("rating_title", { number: ticket.number });
    say(pad.querySelector("[role=alert]"), "");
    for (const button of pad.querySelectorAll("[data-score]")) button.disabled = false;
    pad.hidden = false;
  }

  function closeRating() {
    state.rating = null;
    $("rating-pad").hidden = true;
  }

  async function rate(score) {
    const ticket = state.rating;
    if (!ticket) return;
    const pad = $("rating-pad");
    const buttons = pad.querySelectorAll("[data-score]");
    for (const button of buttons) button.disabled = true;
    try {
      await api("POST", `tickets/${ticket.id}/rating`, { score });
      closeRating();
      report(tc("rated", { number: ticket.number, level: t("common", "rating_" + score) }));
    } catch (error) {
      if (error.status === 401) return complain(error);
      if (error.code === "already_rated") {
        closeRating();
        report(error.message);
        return;
      }
      for (const button of buttons) button.disabled = false;
      say(pad.querySelector("[role=alert]"), error.message);
    }
  }

  // ---- Waiting list -------------------------------------------------------------------

  let waitingLoad = null;
  let waitingAgain = false;

  /** Refetches the waiting list; a change while one fetch runs makes one more after it. */
  async function refreshWaiting() {
    if (!state.counter) return;
    if (waitingLoad) {
      waitingAgain = true;
      return;
    }
    waitingLoad = (async () => {
      do {
        waitingAgain = false;
        try {
          // Every service: a ticket transferred to this counter may be of another service.
          renderWaiting(await api("GET", "queue/waiting"));
        } catch (error) {
          if (error.status === 401) location.reload();
        }
      } while (waitingAgain);
    })();
    await waitingLoad;
    waitingLoad = null;
  }

  function renderWaiting(list) {
    const counter = state.counter;
    const mine = list.filter((ticket) => (ticket.counterId == null
      ? counter.serviceIds.includes(ticket.serviceId) : ticket.counterId === counter.id));
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.pick : null;
    $("waiting").replaceChildren(...mine.map((ticket) => el("li", {
      class: ticket.priority || ticket.counterId ? "waiting-ticket marked" : "waiting-ticket", "data-ticket": ticket.id,
    },
    el("span", { class: "number" }, ticket.number),
    el("span", { class: "about" },
      counter.serviceIds.length > 1 || ticket.counterId ? el("span", {}, serviceName(ticket.serviceId)) : null,
      el("span", { class: "hint" }, tc("issued_at", { time: time(ticket.issuedAt) })),
      ticket.priority ? el("span", { class: "badge priority" }, tc("priority_" + ticket.priority)) : null,
      ticket.bookingCode ? el("span", { class: "badge booking" }, tc("booked", { code: ticket.bookingCode })) : null,
      ticket.counterId ? el("span", { class: "badge transfer" }, tc("transferred_here")) : null),
    el("button", {
      type: "button", class: "pick", "data-pick": ticket.id, disabled: state.busy,
      "aria-label": tc("pick_label", { number: ticket.number }), onclick: () => pick(ticket),
    }, tc("pick")))));
    $("waiting-count").textContent = mine.length ? `(${mine.length})` : "";
    $("waiting-empty").hidden = mine.length > 0;
    if (focused) {
      const again = $("waiting").querySelector(`[data-pick="${focused}"]`);
      if (again) again.focus();
    }
  }

  // ---- Dossier ------------------------------------------------------------------------

  let dossierRequest = 0;

  async function loadDossier() {
    const request = ++dossierRequest;
    state.dossier = null;
    const current = state.current;
    if (!current) {
      renderDossier();
      return;
    }
    renderDossier(tc("dossier_loading"));
    try {
      const dossier = await api("GET", `tickets/${current.id}/dossier`);
      if (request !== dossierRequest) return;
      await showDossier(dossier, request);
    } catch (error) {
      if (request !== dossierRequest) return;
      if (error.status === 404) renderDossier(tc("no_dossier", { number: current.number }));
      else {
        renderDossier(tc("no_dossier_shown"));
        complain(error);
      }
    }
  }

  async function lookUp(event) {
    event.preventDefault();
    const code = $("lookup-code").value.trim();
    if (!code) {
      $("lookup-code").focus();
      return;
    }
    const request = ++dossierRequest;
    try {
      const dossier = await api("GET", "dossiers/" + encodeURIComponent(code));
      if (request !== dossierRequest) return;
      await showDossier(dossier, request);
      $("lookup-code").value = "";
      report(tc("dossier_opened", { code: dossier.status.code }));
      focusDossier();
    } catch (error) {
      complain(error);
    }
  }

  async function procedure(code) {
    if (!state.procedures.has(code)) {
      try {
        state.procedures.set(code, await api("GET", "procedures/" + encodeURIComponent(code)));
      } catch (error) {
        return null; // answers then show by their field ids
      }
    }
    return state.procedures.get(code);
  }

  async function showDossier(dossier, request) {
    const found = await procedure(dossier.status.procedureCode);
    if (request !== undefined && request !== dossierRequest) return;
    state.dossier = { data: dossier, procedure: found, checked: new Set(), form: null };
    renderDossier();
    $("dossier-panel").scrollTop = 0;
  }

  function focusDossier() {
    const heading = $("dossier-procedure");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  const day = (iso) => (iso ? iso.slice(0, 10).split("-").reverse().join("/") : "");
  const money = new Intl.NumberFormat(english ? "en-GB" : "vi-VN");

  function facts(pairs) {
    return el("dl", { class: "facts" }, pairs.filter(([, value]) => value !== undefined && value !== null && value !== "")
      .flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]));
  }

  function answerText(field, value) {
    if (!field) return value;
    if (field.type === "choice") {
      const choice = field.choices.find((c) => c.value === value);
      return choice ? (english ? choice.labelEn : choice.label) : value;
    }
    if (field.type === "yesno") return tc(value === "yes" ? "answer_yes" : "answer_no");
    if (field.type === "date") return day(value);
    return value;
  }

  function renderDossier(message) {
    const box = $("dossier");
    const shown = state.dossier;
    if (!shown) {
      box.replaceChildren(el("p", { class: "hint empty-dossier" }, message || tc("dossier_none_called")));
      return;
    }
    const d = shown.data;
    const lookup = d.status;
    const procedureFound = shown.procedure;
    const status = lookup.status;
    const decidable = status === "prepared" || status === "supplement_requested";
    // The form to print: beside the title while the decision is to make, the main action once made.
    const formLink = el("a", {
      class: decidable ? "button secondary" : "button", id: "dossier-form",
      href: `/api/v1/dossiers/${encodeURIComponent(lookup.code)}/form.pdf`, target: "_blank", rel: "noopener",
    }, tc("form_" + status));
    const applicant = d.applicant;
    const fields = procedureFound ? procedureFound.eform : [];
    const answered = fields.filter((field) => d.answers[field.id] !== undefined).map((field) =>
      [english ? field.labelEn : field.label, answerText(field, d.answers[field.id])]);
    for (const [id, value] of Object.entries(d.answers)) {
      if (!fields.some((field) => field.id === id)) answered.push([id, value]);
    }
    const required = (doc) => !doc.condition || Boolean(doc.requiredWhen);

    box.replaceChildren(...[
      el("div", { class: "dossier-head" },
        el("h4", { id: "dossier-procedure" },
          (english && procedureFound ? procedureFound.nameEn : lookup.procedureName) + ` (${lookup.procedureCode})`),
        el("p", {},
          el("span", { class: "code", id: "dossier-code" }, lookup.code), " ",
          el("span", { class: "badge status-" + status, id: "dossier-status" }, english ? lookup.statusText.en : lookup.statusText.vi),
          decidable ? formLink : null)),
      el("div", { class: "actions dossier-actions" }, decidable ? [
        el("button", { type: "button", class: "primary", id: "receive", onclick: receive }, tc("receive")),
        el("button", { type: "button", id: "supplement", "aria-expanded": String(shown.form === "supplement"), onclick: () => openForm("supplement") }, tc("supplement")),
        el("button", { type: "button", class: "danger", id: "refuse", "aria-expanded": String(shown.form === "refuse"), onclick: () => openForm("refuse") }, tc("refuse")),
      ] : formLink),
      shown.form === "supplement" ? supplementForm(d) : null,
      shown.form === "refuse" ? refusalForm() : null,
      facts([
        [tc("lookup_code"), lookup.lookupCode],
        [tc("submission"), tc("submission_" + d.submission)],
        [tc("prepared_at"), `${time(lookup.preparedAt)} ${day(lookup.preparedAt)}`],
        [tc("received_at"), lookup.receivedAt ? `${time(lookup.receivedAt)} ${day(lookup.receivedAt)}` : null],
        [tc("register_number"), d.registerNumber],
        [tc("return_date"), day(lookup.expectedReturnDate)],
        [tc("processing_days"), tc("working_days", { n: d.processingDays })],
        [tc("result_delivery"), tc("delivery_" + d.resultDelivery)],
        [tc("agency"), d.agency],
        [tc("officer"), d.officer],
        [tc("reason"), d.reason],
      ]),
      d.supplementDocuments && d.supplementDocuments.length ? el("div", {},
        el("h5", {}, tc("supplement_documents")),
        el("ul", {}, d.supplementDocuments.map((item) => el("li", {}, item.name, item.note ? ` — ${item.note}` : "")))) : null,
      el("h5", {}, tc("applicant")),
      facts([
        [tc("full_name"), applicant.fullName],
        [tc("id_number"), applicant.idNumber],
        [tc("phone"), applicant.phone],
        [tc("address"), applicant.address],
        [tc("birth_date"), day(applicant.birthDate)],
        [tc("gender"), applicant.gender ? tc("gender_" + applicant.gender) : null],
        [tc("identity_card"), tc(applicant.fromIdentityCard ? "answer_yes" : "answer_no")],
      ]),
      answered.length ? el("h5", {}, tc("answers")) : null,
      answered.length ? facts(answered) : null,
      el("h5", {}, tc("documents")),
      el("p", { class: "hint" }, tc(d.submission === "submit_now" ? "documents_submit_now" : "documents_booked")),
      el("table", { class: "documents" },
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, tc("checked")),
          el("th", { scope: "col" }, tc("document")),
          el("th", { scope: "col" }, tc("quantity")),
          el("th", { scope: "col" }, tc("needed")))),
        el("tbody", {}, d.documents.map((doc, index) => el("tr", {},
          el("td", {}, el("input", {
            type: "checkbox", id: "doc-" + index, checked: shown.checked.has(index),
            onchange: (event) => { if (event.target.checked) shown.checked.add(index); else shown.checked.delete(index); },
          })),
          el("td", {}, el("label", { for: "doc-" + index }, doc.name), doc.condition ? el("span", { class: "hint" }, doc.condition) : null),
          el("td", {}, [doc.originals ? tc("originals", { n: doc.originals }) : null, doc.copies ? tc("copies", { n: doc.copies }) : null]
            .filter(Boolean).join(", ")),
          el("td", {}, tc(required(doc) ? "needed_always" : "needed_if")))))),
      d.fees.length ? el("h5", {}, tc("fees")) : null,
      d.fees.length ? el("ul", { class: "fees" }, d.fees.map((fee) => el("li", {},
        `${fee.name}: ${fee.amount ? tc("amount", { amount: money.format(fee.amount) }) : tc("free")}`,
        fee.note ? el("span", { class: "hint" }, fee.note) : null))) : null,
    ].filter(Boolean));
  }

  function openForm(which) {
    const shown = state.dossier;
    shown.form = shown.form === which ? null : which;
    renderDossier();
    const first = shown.form && $(shown.form + "-reason");
    if (first) first.focus();
    else if ($(which)) $(which).focus();
  }

  function supplementForm(d) {
    const checked = state.dossier.checked;
    return el("form", { class: "decision panel", id: "supplement-form", novalidate: true, onsubmit: sendSupplement },
      el("h5", {}, tc("supplement_title")),
      el("p", { role: "alert", hidden: true }),
      el("label", { for: "supplement-reason" }, tc("reason")),
      el("textarea", { id: "supplement-reason", name: "reason", rows: 3, "aria-required": "true" }),
      el("fieldset", {},
        el("legend", {}, tc("supplement_which")),
        d.documents.map((doc, index) => el("div", { class: "supplement-item" },
          el("input", { type: "checkbox", id: "supp-" + index, name: "doc", value: index, checked: !checked.has(index) }),
          el("label", { for: "supp-" + index }, doc.name),
          el("input", { type: "text", id: "supp-note-" + index, class: "note", "aria-label": tc("note_for", { name: doc.name }), placeholder: tc("note") }))),
        el("div", { class: "supplement-item other" },
          el("label", { for: "supp-other" }, tc("other_document")),
          el("input", { type: "text", id: "supp-other" }),
          el("input", { type: "text", id: "supp-other-note", class: "note", "aria-label": tc("note_for", { name: tc("other_document") }), placeholder: tc("note") }))),
      el("div", { class: "actions" },
        el("button", { type: "submit", class: "primary" }, tc("supplement_send")),
        el("button", { type: "button", onclick: () => openForm("supplement") }, t("common", "cancel"))));
  }

  function refusalForm() {
    return el("form", { class: "decision panel", id: "refuse-form", novalidate: true, onsubmit: sendRefusal },
      el("h5", {}, tc("refuse_title")),
      el("p", { role: "alert", hidden: true }),
      el("label", { for: "refuse-reason" }, tc("reason"), " ", el("span", { class: "hint" }, tc("refuse_reason_hint"))),
      el("textarea", { id: "refuse-reason", name: "reason", rows: 3, "aria-required": "true" }),
      el("div", { class: "actions" },
        el("button", { type: "submit", class: "danger" }, tc("refuse_send")),
        el("button", { type: "button", onclick: () => openForm("refuse") }, t("common", "cancel"))));
  }

  /** Sends a decision; the dossier comes back as decided and its form is offered. */
  async function decide(path, body, form, message) {
    const code = state.dossier.data.status.code;
    const alert = form ? form.querySelector("[role=alert]") : null;
    await act(async () => {
      try {
        const decision = await api("POST", `dossiers/${encodeURIComponent(code)}/${path}`, body);
        state.dossier.data = decision.dossier;
        state.dossier.form = null;
        renderDossier();
        $("dossier-panel").scrollTop = 0;
        report(message(decision.dossier));
        $("dossier-form").focus();
      } catch (error) {
        if (!alert || error.status === 401) throw error;
        say(alert, error.message);
        const field = error.field && form.querySelector(error.field === "reason" ? "textarea" : "input");
        if (field) field.focus();
      }
    });
  }

  function receive() {
    decide("receive", {}, null, (d) => tc("received", {
      code: d.status.code, register: d.registerNumber, date: day(d.status.expectedReturnDate),
    }));
  }

  function sendSupplement(event) {
    event.preventDefault();
    const form = event.target;
    const docs = state.dossier.data.documents;
    const documents = docs.map((doc, index) => ({ index, doc })).filter(({ index }) => $("supp-" + index).checked)
      .map(({ index, doc }) => ({ name: doc.name, note: $("supp-note-" + index).value.trim() }));
    const other = $("supp-other").value.trim();
    if (other) documents.push({ name: other, note: $("supp-other-note").value.trim() });
    decide("supplement", { reason: $("supplement-reason").value.trim(), documents }, form,
      (d) => tc("supplement_sent", { code: d.status.code }));
  }

  function sendRefusal(event) {
    event.preventDefault();
    decide("refuse", { reason: $("refuse-reason").value.trim() }, event.target,
      (d) => tc("refused", { code: d.status.code }));
  }

  // ---- Live hall --------------------------------------------------------------------------

  function connect() {
    const line = $("connection");
    const source = new EventSource("/api/v1/queue/events");
    source.addEventListener("status", (event) => {
      const status = JSON.parse(event.data);
      line.textContent = tc("live", { time: time(status.updatedAt) });
      line.classList.remove("lost");
      // An action under way answers for itself; its own change follows as a later event.
      if (!state.busy) applyStatus(status);
      else state.lastStatus = status;
      refreshWaiting();
    });
    source.addEventListener("error", () => {
      line.textContent = tc("reconnecting");
      line.classList.add("lost");
    });
  }

  // ---- Start --------------------------------------------------------------------------

  function wire() {
    $("sign-out").addEventListener("click", () => signOut().catch(complain));
    $("change-counter").addEventListener("click", () => {
      localStorage.removeItem(storageKey);
      state.counter = null;
      chooseCounter();
    });
    $("toggle-open").addEventListener("click", toggleOpen);
    $("call-next").addEventListener("click", callNext);
    $("recall").addEventListener("click", () => ticketAction("recall",
      (ticket) => tc("recalled", { number: ticket.number, n: ticket.recalls })));
    $("done").addEventListener("click", () => ticketAction("done", (ticket) => tc("finished", { number: ticket.number })));
    $("no-show").addEventListener("click", () => ticketAction("no-show", (ticket) => tc("no_show_marked", { number: ticket.number })));
    $("transfer").addEventListener("submit", transfer);
    $("rating-pad").addEventListener("click", (event) => {
      const button = event.target.closest("[data-score]");
      if (button) rate(Number(button.dataset.score));
    });
    $("rating-skip").addEventListener("click", closeRating);
    $("lookup").addEventListener("submit", lookUp);
    document.addEventListener("keydown", (event) => {
      const id = shortcuts[event.key];
      if (!id || event.altKey || event.ctrlKey || event.metaKey || $("desk").hidden) return;
      event.preventDefault();
      if (!$(id).disabled) $(id).click();
    });
    // signIn shows the form itself when nobody is signed in: put it on screen and focus it.
    const form = $("sign-in");
    new MutationObserver(() => {
      if (!form.hidden) show("sign-in");
    }).observe(form, { attributes: true, attributeFilter: ["hidden"] });
  }

  async function start() {
    wire();
    const identity = await signIn($("sign-in"), ["officer", "manager"]);
    $("who").textContent = t("common", "signed_in_as", { name: identity.name });
    $("who").hidden = false;
    $("sign-out").hidden = false;
    try {
      [state.counters, state.services] = await Promise.all([api("GET", "counters"), api("GET", "services")]);
    } catch (error) {
      show("choose");
      say($("choose-alert"), error.message);
      return;
    }
    const saved = state.counters.find((counter) => String(counter.id) === localStorage.getItem(storageKey));
    if (saved) enterDesk(saved);
    else chooseCounter();
    connect();
  }

  start();
})();
