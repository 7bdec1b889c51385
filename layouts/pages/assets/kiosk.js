// The touch kiosk: take a number, check in a booking, book (and cancel) a slot, prepare a
// dossier (kiosk-dossier.js), look a dossier or booking up, scan a ticket to see it and rate
// the service. One screen at a time; the idle timer brings the start screen back and
// forgets everything the citizen entered.
"use strict";

const Kiosk = (() => {
  const { boot, t, api, el, show, say, time, day, siteDay, addDays, shortDay, now } = Motcua;
  const settings = boot.settings;
  const bookingDays = settings.bookingDays;
  const history = [];
  let current = "start";
  let choice = {}; // what the citizen chose in the flow under way
  let idleTimer = null;
  let thanksTimer = null;
  // Long enough to read the thanks; the citizen who rated has nothing left to do here.
  const thanksSeconds = 6;

  const serviceName = (id) => (settings.services.find((s) => s.id === id) || { name: id }).name;
  // Which kiosk's printer prints: added to a print path, which may carry a query already.
  const withKiosk = (path) => settings.kiosk ? `${path}${path.includes("?") ? "&" : "?"}kiosk=${encodeURIComponent(settings.kiosk)}` : path;

  function go(screen, remember = true) {
    clearTimeout(thanksTimer);
    if (screen === "start") return home();
    if (remember && current !== screen) history.push(current);
    current = screen;
    OnScreenKeyboard.hide();
    show(screen);
    if (screen === "dossier") KioskDossier.open(document.getElementById("dossier"));
  }

  function back() {
    // Inside the wizard, Back is a step of the dossier, not the way out of it.
    if (current === "dossier" && KioskDossier.back()) return;
    clearTimeout(thanksTimer);
    const previous = history.pop();
    if (!previous || previous === "start") return home();
    current = previous;
    OnScreenKeyboard.hide();
    show(previous);
  }

  /** The start screen, with nothing of the last citizen left on any screen. */
  function home() {
    clearTimeout(thanksTimer);
    history.length = 0;
    current = "start";
    choice = {};
    for (const form of document.querySelectorAll("form")) form.reset();
    for (const alert of document.querySelectorAll("[role=alert]")) say(alert, "");
    for (const id of ["lookup-result", "booking-code", "booking-when", "booking-service", "booking-cancel-what", "ticket-number",
      "ticket-status-number", "ticket-status-service", "ticket-status-text"]) {
      document.getElementById(id).replaceChildren();
    }
    for (const img of document.querySelectorAll("#ticket-qr, #booking-qr")) img.removeAttribute("src");
    KioskDossier.reset();
    OnScreenKeyboard.hide();
    show("start");
  }

  // ---- Take a number ----

  function chooseTicketService(serviceId) {
    choice = { serviceId };
    if (settings.priorities.length === 0) return issueTicket(null);
    go("priority");
  }

  async function issueTicket(priority) {
    const body = { serviceId: choice.serviceId };
    if (priority) body.priority = priority;
    try {
      showTicket(await api("POST", "tickets", body));
    } catch (error) {
      alertOn("priority", error.message);
    }
  }

  /** Shows a ticket's number and QR, and prints it; the screen keeps both if the paper fails. */
  async function showTicket(ticket) {
    document.getElementById("ticket-number").textContent = ticket.number;
    document.getElementById("ticket-service").textContent = serviceName(ticket.serviceId);
    const wait = document.getElementById("ticket-wait");
    if (ticket.position > 1) {
      wait.textContent = t("kiosk", "ticket_wait", { ahead: ticket.position - 1, minutes: ticket.estimatedWaitMinutes ?? "—" });
    } else if (ticket.position === 1) {
      wait.textContent = t("kiosk", "ticket_next");
    } else {
      wait.textContent = ticket.issuedAt ? t("kiosk", "ticket_issued", { time: time(ticket.issuedAt) }) : "";
    }
    document.getElementById("ticket-qr").src = `/api/v1/tickets/${ticket.id}/qr.svg?pass=${encodeURIComponent(ticket.qr)}`;
    go("ticket");
    await print(`tickets/${ticket.id}/print?pass=${encodeURIComponent(ticket.qr)}`, document.getElementById("print-state"));
  }

  async function print(path, line) {
    line.classList.remove("printed", "failed");
    say(line, t("kiosk", "printing"));
    try {
      const outcome = await api("POST", withKiosk(path));
      const failed = outcome.showOnScreen;
      say(line, failed ? t("kiosk", "print_failed") : t("kiosk", "printed"));
      line.classList.add(failed ? "failed" : "printed");
    } catch (error) {
      say(line, t("kiosk", "print_failed"));
      line.classList.add("failed");
    }
  }

  // ---- Check in a booking ----

  async function checkIn(event) {
    event.preventDefault();
    const form = event.target;
    const code = form.elements.code.value.trim();
    const alert = form.querySelector("[role=alert]");
    if (!code) return say(alert, t("kiosk", "check_in_empty"));
    // A scanner types the signed pass; a person types the short booking code.
    if (code.startsWith("MT1.")) return scanTicket(form, code);
    const body = code.startsWith("MC1.") ? { qr: code } : { bookingCode: code.toUpperCase() };
    try {
      const result = await api("POST", "checkins", body);
      say(alert, "");
      await showTicket(result.ticket);
      say(document.getElementById("ticket-wait"), [result.checkIn.message, document.getElementById("ticket-wait").textContent].join(" "));
    } catch (error) {
      say(alert, error.message);
    }
  }

  // ---- Book a slot ----

  async function chooseBookingService(serviceId) {
    choice = { serviceId };
    const unavailable = document.getElementById("book-unavailable");
    const today = siteDay(now());
    let slots;
    try {
      slots = await api("GET", `slots?service=${serviceId}&from=${today}&to=${addDays(today, bookingDays - 1)}`);
    } catch (error) {
      // No calendar (the centre is out of reach): say so; the other flows go on working.
      say(unavailable, error.status === 0 || error.status >= 500 ? t("kiosk", "book_unavailable") : error.message);
      return;
    }
    say(unavailable, "");
    const earliest = now().getTime() + settings.bookingLeadMinutes * 60000;
    const open = slots.filter((slot) => slot.available > 0 && Date.parse(slot.start) >= earliest);
    choice.slotsByDay = new Map();
    for (const slot of open) {
      const key = siteDay(new Date(slot.start));
      if (!choice.slotsByDay.has(key)) choice.slotsByDay.set(key, []);
      choice.slotsByDay.get(key).push(slot);
    }
    document.getElementById("book-day-service").textContent = serviceName(serviceId);
    const days = document.getElementById("book-days");
    if (choice.slotsByDay.size === 0) {
      days.replaceChildren(el("p", {}, t("kiosk", "book_no_days", { days: bookingDays })));
    } else {
      days.replaceChildren(...[...choice.slotsByDay].map(([key, daySlots]) => el("button", {
        type: "button", "data-day": key, onclick: () => chooseDay(key),
      }, el("strong", {}, shortDay(key)), el("span", { class: "hint" },
        t("kiosk", "book_places", { n: daySlots.reduce((sum, s) => sum + s.available, 0) })))));
    }
    go("book-day");
  }

  function chooseDay(key) {
    choice.day = key;
    document.getElementById("book-time-day").textContent = `${serviceName(choice.serviceId)} · ${shortDay(key)}`;
    document.getElementById("book-times").replaceChildren(...choice.slotsByDay.get(key).map((slot) => el("button", {
      type: "button", "data-slot": slot.id, onclick: () => chooseSlot(slot),
    }, el("strong", {}, time(slot.start)), el("span", { class: "hint" }, t("kiosk", "book_places", { n: slot.available })))));
    go("book-time");
  }

  function chooseSlot(slot) {
    choice.slot = slot;
    document.getElementById("book-form-slot").textContent =
      `${serviceName(slot.serviceId)} · ${t("kiosk", "booking_when", { day: day(slot.start), time: time(slot.start) })}`;
    go("book-notice");
  }

  async function book(event) {
    event.preventDefault();
    const form = event.target;
    const alert = form.querySelector("[role=alert]");
    const citizen = {
      fullName: form.elements.fullName.value.trim().normalize("NFC"),
      idNumber: form.elements.idNumber.value.trim(),
      phone: form.elements.phone.value.trim(),
    };
    try {
      const booking = await api("POST", "bookings", { slotId: choice.slot.id, citizen });
      form.reset();
      say(alert, "");
      await showBooking(booking);
    } catch (error) {
      say(alert, error.message);
      const field = { fullName: "fullName", idNumber: "idNumber", phone: "phone" }[(error.field || "").split(".").pop()];
      if (field) form.elements[field].focus();
    }
  }

  /** A booking's code, time and QR; printed when it was just made. */
  async function showBooking(booking, { found = false } = {}) {
    choice.booking = booking;
    document.getElementById("booking-title").textContent = t("kiosk", found ? "booking_found" : "booking_done");
    document.getElementById("booking-code").textContent = booking.code;
    document.getElementById("booking-when").textContent = t("kiosk", "booking_when", { day: day(booking.start), time: time(booking.start) });
    const status = booking.status && booking.status !== "booked" ? ` · ${t("kiosk", "booking_status_" + booking.status)}` : "";
    document.getElementById("booking-service").textContent = serviceName(booking.serviceId) + status;
    document.getElementById("booking-qr").src = `/api/v1/bookings/${encodeURIComponent(booking.code)}/qr.svg`;
    // Offered only while the rules allow it: booked, and not yet within the cut-off.
    const cutoff = Date.parse(booking.start) - settings.cancellationCutoffMinutes * 60000;
    document.getElementById("booking-cancel").hidden = booking.status !== "booked" || now().getTime() > cutoff;
    const line = document.getElementById("booking-state");
    go("booking");
    if (found) say(line, t("kiosk", "booking_keep"));
    else await print(`bookings/${encodeURIComponent(booking.code)}/print`, line);
  }

  function askCancel() {
    const booking = choice.booking;
    document.getElementById("booking-cancel-what").textContent =
      `${booking.code} · ${t("kiosk", "booking_when", { day: day(booking.start), time: time(booking.start) })}`;
    go("booking-cancel-confirm");
  }

  async function cancelBooking() {
    const screen = document.getElementById("booking-cancel-confirm");
    try {
      const code = choice.booking.code;
      await api("POST", `bookings/${encodeURIComponent(code)}/cancel`);
      history.length = 0;
      document.getElementById("lookup-result").replaceChildren(el("p", { class: "notice" }, t("kiosk", "booking_cancelled", { code })));
      go("lookup", false);
    } catch (error) {
      say(screen.querySelector("[role=alert]"), error.message);
    }
  }

  // ---- Look a dossier or a booking up ----

  async function lookUp(event) {
    event.preventDefault();
    const form = event.target;
    const alert = form.querySelector("[role=alert]");
    const result = document.getElementById("lookup-result");
    const typed = form.elements.code.value.trim();
    const code = typed.toUpperCase();
    result.replaceChildren();
    say(alert, "");
    if (!code) return;
    if (typed.startsWith("MT1.")) return scanTicket(form, typed);
    try {
      const dossier = await api("GET", `dossiers/${encodeURIComponent(code)}/status`);
      const rows = [[t("kiosk", "dossier_status", { code: dossier.code, status: dossier.statusText[boot.lang] || dossier.status })],
        [dossier.procedureName]];
      if (dossier.expectedReturnDate) rows.push([t("kiosk", "dossier_return", { day: shortDay(dossier.expectedReturnDate) })]);
      result.replaceChildren(...rows.map(([text]) => el("p", {}, text)));
      return;
    } catch (error) {
      if (error.status !== 404) return say(alert, error.message);
    }
    try {
      await showBooking(await api("GET", `bookings/${encodeURIComponent(code)}`), { found: true });
    } catch (error) {
      say(alert, error.status === 404 ? t("kiosk", "lookup_not_found") : error.message);
    }
  }

  // ---- A scanned ticket: where it stands, and its rating once served ----

  function scanTicketForm(event) {
    event.preventDefault();
    const form = event.target;
    const code = form.elements.code.value.trim();
    if (code) scanTicket(form, code);
  }

  /** Shows the ticket a scanner typed into `form`'s input. The input is emptied either way:
   *  a scanner types after what is there, and a second scan must not join the first. */
  async function scanTicket(form, qr) {
    const alert = form.querySelector("[role=alert]");
    form.elements.code.value = "";
    try {
      const ticket = await api("POST", "tickets/scan", { qr });
      say(alert, "");
      await showTicketStatus(ticket);
    } catch (error) {
      say(alert, error.message);
      form.elements.code.focus();
    }
  }

  async function showTicketStatus(ticket) {
    choice = { ticket };
    document.getElementById("ticket-status-number").textContent = ticket.number;
    document.getElementById("ticket-status-service").textContent = serviceName(ticket.serviceId);
    const rating = document.getElementById("rating");
    say(rating.querySelector("[role=alert]"), "");
    for (const button of rating.querySelectorAll("[data-score]")) button.disabled = false;
    rating.hidden = !(ticket.status === "done" && ticket.rating == null);
    const line = document.getElementById("ticket-status-text");
    let text;
    if (ticket.status === "waiting") {
      text = [t("kiosk", "ticket_waiting"), ticket.position > 1
        ? t("kiosk", "ticket_wait", { ahead: ticket.position - 1, minutes: ticket.estimatedWaitMinutes ?? "—" })
        : t("kiosk", "ticket_next")].join(" ");
    } else if (ticket.status === "called") {
      text = await calledTo(ticket.counterId);
    } else if (ticket.status === "done") {
      text = ticket.rating == null ? t("kiosk", "ticket_done") : ratedText(ticket.rating);
    } else {
      text = t("kiosk", "ticket_no_show");
    }
    say(line, text);
    go("ticket-status");
  }

  /** Where a called citizen should go; the hall display says it too if the counters are out of reach. */
  async function calledTo(counterId) {
    try {
      const counter = (await api("GET", "counters")).find((c) => c.id === counterId);
      if (counter) return t("kiosk", "ticket_called", { counter: counter.name });
    } catch (error) {
      // Fall through to the hall display.
    }
    return t("kiosk", "ticket_called_somewhere");
  }

  const ratedText = (score) => t("kiosk", "rating_given", { level: t("common", "rating_" + score) });

  async function rate(score) {
    const rating = document.getElementById("rating");
    const buttons = rating.querySelectorAll("[data-score]");
    for (const button of buttons) button.disabled = true;
    const line = document.getElementById("ticket-status-text");
    try {
      await api("POST", `tickets/${choice.ticket.id}/rating`, { score, pass: choice.ticket.qr });
      rating.hidden = true;
      say(line, t("kiosk", "rating_thanks"));
      line.focus({ preventScroll: true });
      thanksTimer = setTimeout(home, thanksSeconds * 1000);
    } catch (error) {
      if (error.code === "already_rated") {
        rating.hidden = true;
        say(line, error.message);
        return;
      }
      for (const button of buttons) button.disabled = false;
      say(rating.querySelector("[role=alert]"), error.message);
    }
  }

  // ---- Screen-wide behaviour ----

  function alertOn(screen, message) {
    const alert = document.querySelector(`#${screen} [role=alert]`);
    if (alert) say(alert, message);
    else {
      const node = el("p", { role: "alert" }, message);
      document.getElementById(screen).prepend(node);
    }
  }

  function toggle(button, className) {
    const on = document.body.classList.toggle(className);
    button.setAttribute("aria-pressed", String(on));
  }

  /** Untouched for the kiosk's idle time: back to the start, text size and contrast too. */
  function touched() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      home();
      for (const [id, className] of [["larger-text", "large"], ["high-contrast", "contrast"]]) {
        document.body.classList.remove(className);
        document.getElementById(id).setAttribute("aria-pressed", "false");
      }
    }, settings.idleTimeoutSeconds * 1000);
  }

  function start() {
    document.body.addEventListener("click", (event) => {
      const target = event.target.closest("[data-go]");
      if (target) go(target.dataset.go);
    });
    document.getElementById("ticket-services").addEventListener("click", (event) => {
      const button = event.target.closest("[data-service]");
      if (button) chooseTicketService(button.dataset.service);
    });
    const priorities = document.getElementById("priority-choices");
    for (const category of settings.priorities) {
      priorities.append(el("button", { type: "button", "data-priority": category.id },
        el("strong", {}, category.label), el("span", { class: "hint" }, category.explanation)));
    }
    priorities.addEventListener("click", (event) => {
      const button = event.target.closest("[data-priority]");
      if (button) issueTicket(button.dataset.priority || null);
    });
    document.getElementById("book-services").addEventListener("click", (event) => {
      const button = event.target.closest("[data-service]");
      if (button) chooseBookingService(button.dataset.service);
    });
    document.getElementById("book-notice-agree").addEventListener("click", () => go("book-form"));
    document.getElementById("check-in-form").addEventListener("submit", checkIn);
    document.getElementById("booking-form").addEventListener("submit", book);
    document.getElementById("lookup-form").addEventListener("submit", lookUp);
    document.getElementById("ticket-scan-form").addEventListener("submit", scanTicketForm);
    document.getElementById("rating").addEventListener("click", (event) => {
      const button = event.target.closest("[data-score]");
      if (button) rate(Number(button.dataset.score));
    });
    document.getElementById("booking-cancel").addEventListener("click", askCancel);
    document.getElementById("booking-cancel-yes").addEventListener("click", cancelBooking);
    document.getElementById("booking-cancel-no").addEventListener("click", back);
    document.getElementById("go-back").addEventListener("click", back);
    document.getElementById("larger-text").addEventListener("click", (e) => toggle(e.currentTarget, "large"));
    document.getElementById("high-contrast").addEventListener("click", (e) => toggle(e.currentTarget, "contrast"));
    OnScreenKeyboard.attach(document.getElementById("screens"), document.getElementById("keyboard"));
    for (const kind of ["pointerdown", "keydown", "input"]) document.addEventListener(kind, touched, { passive: true });
    touched();
    document.body.dataset.ready = "true";
  }

  start();
  return { showTicket, showBooking, home, go, settings };
})();
