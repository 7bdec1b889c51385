// The manager console: a manager's day at a desk. Slot capacity week by week, closing a day,
// the yearly holiday notice, the live queue, and reports with charts and a CSV export.
// Everything goes through the JSON API with the console session; charts are inline SVG.
"use strict";

(() => {
  const { boot, t, api, el, show, say, signIn, signOut, siteDay, addDays, shortDay, time, day, now } = Motcua;
  const tm = (key, values) => t("manager", key, values);
  const $ = (id) => document.getElementById(id);
  const locale = boot.lang === "vi" ? "vi-VN" : "en-GB";
  const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const SVG = "http://www.w3.org/2000/svg";

  let services = [];
  const today = () => siteDay(now());
  const serviceName = (service) => (boot.lang === "vi" ? service.name : service.nameEn);
  const serviceLabel = (id) => {
    const service = services.find((s) => s.id === id);
    return service ? `${service.prefix} · ${serviceName(service)}` : id;
  };
  /** "thứ Tư, 2/12/2026" for a calendar day "YYYY-MM-DD" (noon UTC is the same day at the site). */
  const longDay = (date) => day(date + "T12:00:00Z");
  const holidayName = (h) => (boot.lang === "vi" ? h.name : h.nameEn || h.name);
  const byId = (list) => new Map(list.map((item) => [item.id, item]));

  /** A refusal shown where it belongs; a session that ran out goes back to the sign-in form. */
  function problem(node, error) {
    if (error.status === 401) {
      location.reload();
      return;
    }
    say(node, error.message);
  }

  // ---- The confirmation dialog, shared by every change that asks first ----

  /** Opens the dialog; resolves true when the manager confirms. */
  function ask({ title, lead, items = [], detail = "", ok }) {
    const dialog = $("confirm");
    $("confirm-title").textContent = title;
    $("confirm-lead").textContent = lead;
    $("confirm-items").replaceChildren(...items.map((item) => el("li", {}, item)));
    $("confirm-items").hidden = items.length === 0;
    $("confirm-detail").textContent = detail;
    $("confirm-ok").textContent = ok;
    const returnTo = document.activeElement;
    dialog.returnValue = "";
    dialog.showModal();
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => {
        if (returnTo && document.contains(returnTo)) returnTo.focus();
        resolve(dialog.returnValue === "ok");
      }, { once: true });
    });
  }

  /**
   * A capacity change (slot, day or closure). A refusal with below_booked asks first, naming
   * the slots whose bookings would go, then sends the same change with force. Resolves with
   * the API's answer ({slots, displaced}) or null when the manager kept things as they were.
   */
  async function changeCapacity(method, path, body, over) {
    try {
      return await api(method, path, body);
    } catch (error) {
      if (error.code !== "below_booked") throw error;
      const capacity = body.capacity || 0;
      const count = over.reduce((sum, slot) => sum + Math.max(0, slot.booked - capacity), 0);
      // The refusal names whom forcing would displace.
      const listed = Array.isArray(error.details.displaced) ? error.details.displaced : [];
      const items = listed.length
        ? listed.map((b) => `${b.code} · ${b.fullName} · ${b.phone} · ${time(b.start)} ${shortDay(siteDay(new Date(b.start)))}`)
        : over.map((slot) => tm("confirm_slot_line", {
          time: time(slot.start), day: shortDay(siteDay(new Date(slot.start))),
          n: Math.max(0, slot.booked - capacity), booked: slot.booked,
        }));
      const confirmed = await ask({
        title: tm("confirm_title"),
        lead: count ? tm("confirm_lead", { n: count }) : tm("confirm_lead_unknown"),
        items, detail: error.message, ok: tm("confirm_force"),
      });
      if (!confirmed) return null;
      return await api(method, path, Object.assign({}, body, { force: true }));
    }
  }

  /** The bookings a change displaced, as a table for staff who will phone them. */
  function displacedTable(list, heading) {
    if (!list.length) return [];
    return [
      el("h3", {}, heading || tm("displaced_title", { n: list.length })),
      el("table", { class: "wide displaced-table" },
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, tm("booking_code")), el("th", { scope: "col" }, tm("full_name")),
          el("th", { scope: "col" }, tm("phone")), el("th", { scope: "col" }, tm("service")),
          el("th", { scope: "col" }, tm("slot_start")))),
        el("tbody", {}, list.map((b) => el("tr", { "data-code": b.code },
          el("td", { class: "code" }, b.code), el("td", {}, b.fullName),
          el("td", {}, el("a", { href: "tel:" + b.phone }, b.phone)), el("td", {}, serviceLabel(b.serviceId)),
          el("td", {}, `${time(b.start)} · ${longDay(siteDay(new Date(b.start)))}`))))),
    ];
  }

  function fillServices(select) {
    select.replaceChildren(...services.map((s) => el("option", { value: s.id }, `${s.prefix} · ${serviceName(s)}`)));
  }

  // ---- Tabs ----

  const tabs = [...document.querySelectorAll("#tabs [role=tab]")];
  const onShow = {};

  function selectTab(tab, focus) {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute("aria-selected", String(selected));
      other.tabIndex = selected ? 0 : -1;
      $(other.getAttribute("aria-controls")).hidden = !selected;
    }
    if (focus) tab.focus();
    // The tab survives a reload and a change of language.
    history.replaceState(null, "", location.pathname + location.search + "#" + tab.dataset.tab);
    for (const link of document.querySelectorAll("a.language")) {
      link.dataset.base = link.dataset.base || link.getAttribute("href");
      link.setAttribute("href", link.dataset.base + "#" + tab.dataset.tab);
    }
    if (onShow[tab.dataset.tab]) onShow[tab.dataset.tab]();
  }

  for (const tab of tabs) tab.addEventListener("click", () => selectTab(tab, false));
  $("tabs").addEventListener("keydown", (event) => {
    const index = tabs.indexOf(document.activeElement);
    if (index < 0) return;
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    selectTab(tabs[(next + tabs.length) % tabs.length], true);
  });

  // ---- 1. Capacity: a week of one service ----

  const capacity = { service: null, start: null, slots: [], cells: new Map(), heads: new Map(), request: 0 };
  const holidayCache = new Map();

  async function holidaysOf(year) {
    if (!holidayCache.has(year)) {
      holidayCache.set(year, api("GET", `calendar/holidays?year=${year}`).catch(() => []));
    }
    return holidayCache.get(year);
  }

  const weekDays = () => Array.from({ length: 7 }, (_, i) => addDays(capacity.start, i));

  async function loadCapacity() {
    const request = ++capacity.request;
    const days = weekDays();
    const from = days[0], to = days[6];
    $("cap-range").textContent = `${longDay(from)} – ${longDay(to)}`;
    say($("cap-alert"), "");
    try {
      const [slots, ...years] = await Promise.all([
        api("GET", `slots?service=${encodeURIComponent(capacity.service)}&from=${from}&to=${to}`),
        ...[...new Set([from.slice(0, 4), to.slice(0, 4)])].map(holidaysOf),
      ]);
      if (request !== capacity.request) return;
      capacity.slots = slots;
      capacity.holidays = new Map(years.flat().map((h) => [h.date, h]));
      renderGrid();
    } catch (error) {
      if (request === capacity.request) problem($("cap-alert"), error);
    }
  }

  function renderGrid() {
    const days = weekDays();
    const byDay = new Map(days.map((d) => [d, []]));
    for (const slot of capacity.slots) {
      const list = byDay.get(siteDay(new Date(slot.start)));
      if (list) list.push(slot);
    }
    const times = [...new Set(capacity.slots.map((slot) => time(slot.start)))].sort();
    const service = services.find((s) => s.id === capacity.service);
    $("cap-caption").textContent = tm("grid_caption", { service: service ? serviceName(service) : "", from: longDay(days[0]), to: longDay(days[6]) });
    capacity.cells = new Map();
    capacity.heads = new Map();

    const head = el("tr", {}, el("th", { scope: "col", class: "time" }, tm("time")), days.map((d) => {
      const slots = byDay.get(d);
      const holiday = capacity.holidays.get(d);
      const cell = el("th", { scope: "col", class: [d === today() ? "today" : "", slots.length ? "" : "off"].join(" ").trim() || null, "data-day": d },
        el("span", { class: "day-name" }, shortDay(d)));
      if (slots.length) {
        const totals = el("span", { class: "totals" });
        capacity.heads.set(d, totals);
        const input = el("input", {
          type: "number", min: 0, max: 1000, step: 1, inputmode: "numeric", name: "capacity", required: true,
          "aria-label": tm("day_capacity_label", { day: longDay(d) }), placeholder: "—", "data-key": "day-" + d,
        });
        const form = el("form", { class: "day-capacity", novalidate: true, onsubmit: (event) => {
          event.preventDefault();
          changeDay(d, input);
        } }, input, el("button", { type: "submit", "data-key": "set-" + d, title: tm("day_capacity_label", { day: longDay(d) }) }, tm("set_day")));
        cell.append(totals, form);
      } else {
        cell.append(el("span", { class: "day-off" }, holiday ? holidayName(holiday) : tm("no_slots")));
      }
      return cell;
    }));

    const past = now().getTime();
    const rows = times.map((start) => el("tr", {}, el("th", { scope: "row", class: "time" }, start), days.map((d) => {
      const slot = byDay.get(d).find((s) => time(s.start) === start);
      if (!slot) return el("td", { class: "none" });
      const input = el("input", {
        type: "number", min: 0, max: 1000, step: 1, inputmode: "numeric", "data-key": "slot-" + slot.id,
        "aria-label": tm("slot_capacity_label", { time: start, day: longDay(d) }),
        "aria-describedby": "booked-" + slot.id, disabled: Date.parse(slot.start) < past,
      });
      const booked = el("span", { class: "booked", id: "booked-" + slot.id });
      const td = el("td", { "data-slot": slot.id, "data-day": d, "data-time": start }, input, booked);
      input.addEventListener("keydown", (event) => slotKey(event, slot.id, input));
      input.addEventListener("change", () => { if (input.value.trim() !== "") changeSlot(slot.id, input); });
      // Left blank: the cell shows what is stored again.
      input.addEventListener("blur", () => { if (input.value.trim() === "") input.value = input.dataset.saved; });
      capacity.cells.set(slot.id, { td, input, booked });
      paintSlot(slot);
      return td;
    })));

    $("cap-grid").tHead.replaceChildren(head);
    $("cap-grid").tBodies[0].replaceChildren(...rows);
    $("cap-empty").hidden = times.length > 0;
    paintHeads();
  }

  function paintSlot(slot) {
    const cell = capacity.cells.get(slot.id);
    if (!cell) return;
    if (document.activeElement !== cell.input || cell.input.value === "") cell.input.value = slot.capacity;
    cell.input.dataset.saved = slot.capacity;
    cell.booked.textContent = tm("booked_n", { n: slot.booked });
    cell.td.classList.toggle("closed", slot.capacity === 0);
    cell.td.classList.toggle("full", slot.capacity > 0 && slot.booked >= slot.capacity);
    cell.td.classList.toggle("has-bookings", slot.booked > 0);
    cell.td.classList.toggle("past", cell.input.disabled);
  }

  function paintHeads() {
    for (const [d, node] of capacity.heads) {
      const slots = capacity.slots.filter((s) => siteDay(new Date(s.start)) === d);
      const booked = slots.reduce((n, s) => n + s.booked, 0);
      const places = slots.reduce((n, s) => n + s.capacity, 0);
      node.textContent = tm("day_totals", { booked, capacity: places });
    }
  }

  function mergeSlots(changed) {
    const index = byId(changed);
    capacity.slots = capacity.slots.map((slot) => index.get(slot.id) || slot);
    for (const slot of changed) paintSlot(slot);
    paintHeads();
  }

  function slotKey(event, id, input) {
    if (event.key === "Escape") {
      input.value = input.dataset.saved;
      event.preventDefault();
    } else if (event.key === "Enter") {
      event.preventDefault();
      changeSlot(id, input);
      // On to the same column in the next row, as in a spreadsheet.
      const td = input.closest("td");
      const column = [...td.parentElement.children].indexOf(td);
      let row = td.parentElement.nextElementSibling;
      while (row) {
        const next = row.children[column] && row.children[column].querySelector("input:not([disabled])");
        if (next) { next.focus(); next.select(); break; }
        row = row.nextElementSibling;
      }
    }
  }

  function parseCapacity(text) {
    const value = String(text).trim();
    if (!/^\d{1,4}$/.test(value) || Number(value) > 1000) return null;
    return Number(value);
  }

  function announce(message, displaced) {
    say($("cap-status"), message);
    $("cap-displaced").replaceChildren(...displacedTable(displaced || []));
  }

  async function changeSlot(id, input) {
    const slot = capacity.slots.find((s) => s.id === id);
    if (!slot || input.dataset.busy) return;
    const value = parseCapacity(input.value);
    say($("cap-alert"), "");
    if (value === null) {
      say($("cap-alert"), tm("capacity_invalid"));
      input.value = slot.capacity;
      return;
    }
    if (value === slot.capacity) return;
    input.dataset.busy = "1";
    const cell = capacity.cells.get(id);
    cell.td.classList.add("saving");
    const label = { time: time(slot.start), day: longDay(siteDay(new Date(slot.start))) };
    try {
      const result = await changeCapacity("PUT", `slots/${id}/capacity`, { capacity: value }, slot.booked > value ? [slot] : []);
      if (result) {
        mergeSlots(result.slots);
        announce(tm("capacity_changed", Object.assign({ before: slot.capacity, after: value }, label)), result.displaced);
      } else {
        input.value = slot.capacity;
        announce(tm("capacity_kept", label));
      }
    } catch (error) {
      input.value = slot.capacity;
      problem($("cap-alert"), error);
    } finally {
      delete input.dataset.busy;
      cell.td.classList.remove("saving");
    }
  }

  async function changeDay(d, input) {
    const value = parseCapacity(input.value);
    say($("cap-alert"), "");
    if (value === null) {
      say($("cap-alert"), tm("capacity_invalid"));
      input.focus();
      return;
    }
    const slots = capacity.slots.filter((s) => siteDay(new Date(s.start)) === d);
    try {
      const result = await changeCapacity("PUT", `services/${encodeURIComponent(capacity.service)}/days/${d}/capacity`,
        { capacity: value }, slots.filter((s) => s.booked > value));
      if (result) {
        mergeSlots(result.slots);
        input.value = "";
        announce(tm("day_capacity_changed", { capacity: value, n: result.slots.length, day: longDay(d) }), result.displaced);
      } else {
        announce(tm("capacity_kept_day", { day: longDay(d) }));
      }
    } catch (error) {
      problem($("cap-alert"), error);
    }
  }

  $("cap-service").addEventListener("change", () => {
    capacity.service = $("cap-service").value;
    loadCapacity();
  });
  $("cap-prev").addEventListener("click", () => { capacity.start = addDays(capacity.start, -7); loadCapacity(); });
  $("cap-next").addEventListener("click", () => { capacity.start = addDays(capacity.start, 7); loadCapacity(); });
  $("cap-this").addEventListener("click", () => { capacity.start = today(); loadCapacity(); });
  onShow.capacity = () => { if (capacity.service) loadCapacity(); };

  // ---- 2. Close a day ----

  $("closure-part").addEventListener("change", () => { $("closure-times").hidden = !$("closure-part").checked; });

  $("closure-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const alert = $("closure-alert");
    say(alert, "");
    const serviceId = form.elements.service.value;
    const date = form.elements.date.value;
    const reason = form.elements.reason.value.trim();
    const part = form.elements.part.checked;
    const from = form.elements.from.value, to = form.elements.to.value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) { say(alert, tm("date_required")); form.elements.date.focus(); return; }
    if (part && !(from && to && from < to)) { say(alert, tm("times_invalid")); form.elements.from.focus(); return; }
    if (!reason) { say(alert, tm("reason_required")); form.elements.reason.focus(); return; }
    const body = { date, reason };
    if (part) Object.assign(body, { from, to });
    $("closure-submit").disabled = true;
    try {
      // The day's slots, to name those whose bookings a closure would displace.
      const slots = await api("GET", `slots?service=${encodeURIComponent(serviceId)}&from=${date}&to=${date}`);
      const inRange = (slot) => !part || (time(slot.start) >= from && time(slot.start) < to);
      const result = await changeCapacity("POST", `services/${encodeURIComponent(serviceId)}/closures`, body,
        slots.filter((slot) => inRange(slot) && slot.booked > 0));
      if (!result) {
        say($("closure-status"), tm("closure_kept"));
        $("closure-displaced").replaceChildren();
        return;
      }
      const values = { service: serviceLabel(serviceId), day: longDay(date), n: result.slots.length, from, to, reason };
      say($("closure-status"), tm(part ? "closed_result_part" : "closed_result", values));
      $("closure-displaced").replaceChildren(...(result.displaced.length
        ? displacedTable(result.displaced)
        : [el("p", { class: "hint" }, tm("displaced_none"))]));
      form.elements.reason.value = "";
      loadContacts();
    } catch (error) {
      problem(alert, error);
    } finally {
      $("closure-submit").disabled = false;
    }
  });

  async function loadContacts() {
    try {
      const list = await api("GET", "displaced-bookings");
      $("contact-list").replaceChildren(...(list.length
        ? displacedTable(list, tm("needs_contact_count", { n: list.length }))
        : [el("p", { class: "hint" }, tm("needs_contact_none"))]));
    } catch (error) {
      $("contact-list").replaceChildren(el("p", { role: "alert" }, error.message));
    }
  }
  $("contact-refresh").addEventListener("click", loadContacts);
  onShow.closures = loadContacts;

  // ---- 3. Holidays: the yearly notice ----

  const holidays = { year: null, notice: null, days: [], dirty: false, loaded: null };

  async function loadYear(year) {
    say($("notice-alert"), "");
    say($("notice-status"), "");
    try {
      const [notice, list] = await Promise.all([
        api("GET", `calendar/notices/${year}`), api("GET", `calendar/holidays?year=${year}`),
      ]);
      holidayCache.set(String(year), Promise.resolve(list));
      Object.assign(holidays, { year, notice, days: (notice.daysOff || []).map((d) => Object.assign({}, d)), dirty: false, loaded: year });
      renderNotice();
      renderHolidayList(list);
    } catch (error) {
      problem($("notice-alert"), error);
    }
  }

  function setDirty(dirty) {
    holidays.dirty = dirty;
    $("notice-dirty").hidden = !dirty;
    $("notice-revert").hidden = !dirty;
  }

  function renderNotice() {
    const year = holidays.year;
    $("year-label").textContent = String(year);
    $("notice-title").textContent = tm("notice_title", { year });
    $("holidays-title").textContent = tm("holidays_title", { year });
    $("add-date").min = `${year}-01-01`;
    $("add-date").max = `${year}-12-31`;
    holidays.days.sort((a, b) => a.date.localeCompare(b.date));
    $("notice-days").replaceChildren(...holidays.days.map((d) => el("tr", { "data-date": d.date },
      el("td", {}, longDay(d.date)), el("td", {}, d.name), el("td", {}, d.nameEn || "—"),
      el("td", { class: "number" }, el("button", {
        type: "button", class: "danger small", "aria-label": tm("remove_day", { day: longDay(d.date) }),
        onclick: () => removeDay(d.date),
      }, tm("remove"))))));
    $("notice-empty").hidden = holidays.days.length > 0;
    const notice = holidays.notice || {};
    const other = [];
    if ((notice.removed || []).length) other.push(tm("notice_removed", { days: notice.removed.map(longDay).join("; ") }));
    for (const swap of notice.swaps || []) other.push(tm("notice_swap", { worked: longDay(swap.worked), off: longDay(swap.off) }));
    for (const closure of notice.closures || []) other.push(tm("notice_closure", { day: longDay(closure.date), site: closure.site, reason: closure.reason }));
    $("notice-other").replaceChildren(...other.map((line) => el("li", {}, line)));
    setDirty(holidays.dirty);
  }

  const kinds = { statutory: "kind_statutory", compensatory: "kind_compensatory", notice: "kind_notice", closure: "kind_closure" };
  function renderHolidayList(list) {
    $("holiday-list").replaceChildren(...list.map((h) => el("tr", { class: "kind-" + h.kind, "data-date": h.date },
      el("td", {}, longDay(h.date)), el("td", {}, holidayName(h)),
      el("td", {}, el("span", { class: "kind " + h.kind }, kinds[h.kind] ? tm(kinds[h.kind]) : h.kind)))));
  }

  function removeDay(date) {
    holidays.days = holidays.days.filter((d) => d.date !== date);
    setDirty(true);
    renderNotice();
    say($("notice-status"), tm("day_removed", { day: longDay(date) }));
    $("notice-save").focus();
  }

  $("notice-add").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const alert = $("notice-alert");
    say(alert, "");
    const date = form.elements.date.value;
    const name = form.elements.name.value.trim().normalize("NFC");
    const nameEn = form.elements.nameEn.value.trim().normalize("NFC");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) { say(alert, tm("date_required")); form.elements.date.focus(); return; }
    if (date.slice(0, 4) !== String(holidays.year)) { say(alert, tm("day_wrong_year", { year: holidays.year })); form.elements.date.focus(); return; }
    if (holidays.days.some((d) => d.date === date)) { say(alert, tm("day_duplicate")); form.elements.date.focus(); return; }
    if (!name) { say(alert, tm("day_name_required")); form.elements.name.focus(); return; }
    const entry = { date, name };
    if (nameEn) entry.nameEn = nameEn;
    holidays.days.push(entry);
    setDirty(true);
    renderNotice();
    form.reset();
    say($("notice-status"), tm("day_added", { day: longDay(date) }));
    form.elements.date.focus();
  });

  $("notice-save").addEventListener("click", async () => {
    const button = $("notice-save");
    say($("notice-alert"), "");
    const body = Object.assign({}, holidays.notice, { year: holidays.year, daysOff: holidays.days });
    button.disabled = true;
    try {
      const result = await api("PUT", `calendar/notices/${holidays.year}`, body);
      const message = [tm("notice_saved", { added: result.added, removed: result.removed })];
      if (result.displaced.length) message.push(tm("notice_displaced", { n: result.displaced.length, codes: result.displaced.join(", ") }));
      holidayCache.clear();
      await loadYear(holidays.year);
      say($("notice-status"), message.join(" "));
    } catch (error) {
      problem($("notice-alert"), error);
    } finally {
      button.disabled = false;
    }
  });

  $("notice-revert").addEventListener("click", () => loadYear(holidays.year));

  async function changeYear(by) {
    if (holidays.dirty && !(await ask({
      title: tm("discard_title"), lead: tm("discard_lead", { year: holidays.year }), ok: tm("discard_ok"),
    }))) return;
    loadYear(holidays.year + by);
  }
  $("year-prev").addEventListener("click", () => changeYear(-1));
  $("year-next").addEventListener("click", () => changeYear(1));
  onShow.holidays = () => { if (holidays.loaded === null) loadYear(Number(today().slice(0, 4))); };
  window.addEventListener("beforeunload", (event) => {
    if (holidays.dirty) event.preventDefault();
  });

  // ---- 4. The live queue ----

  let source = null;

  function connectQueue() {
    source = new EventSource("/api/v1/queue/events");
    source.addEventListener("status", (event) => {
      renderQueue(JSON.parse(event.data));
      refreshToday();
    });
    source.addEventListener("error", () => {
      $("queue-connection").textContent = tm("reconnecting");
      $("queue-connection").classList.add("lost");
    });
  }

  function renderQueue(status) {
    const total = status.services.reduce((n, s) => n + s.waiting, 0);
    $("queue-services").replaceChildren(...status.services.map((s) => el("tr", { "data-service": s.id },
      el("th", { scope: "row" }, `${s.prefix} · ${serviceName(s)}`),
      el("td", { class: "number waiting" + (s.waiting > 0 ? " some" : "") }, s.waiting),
      el("td", { class: "number" }, s.openCounters),
      el("td", { class: "number" }, s.waiting > 0 && s.estimatedWaitMinutes != null ? t("common", "minutes", { n: s.estimatedWaitMinutes }) : "—"))));
    $("queue-total").textContent = total;
    $("queue-badge").textContent = total ? `(${total})` : "";
    const prefixes = new Map(status.services.map((s) => [s.id, s.prefix]));
    $("queue-counters").replaceChildren(...status.counters.map((c) => el("tr", { "data-counter": c.id, class: c.isOpen ? null : "closed" },
      el("th", { scope: "row" }, c.name),
      el("td", {}, c.serviceIds.map((id) => prefixes.get(id) || id).join(", ")),
      el("td", { class: c.ticket ? "number ticket" : "number idle" }, c.ticket ? c.ticket.number : c.isOpen ? tm("counter_idle") : tm("counter_closed")),
      el("td", { class: "number" }, c.ticket && c.ticket.calledAt ? time(c.ticket.calledAt) : ""))));
    const calls = status.recentCalls || [];
    $("queue-calls").replaceChildren(...calls.map((call) => el("li", { "data-ticket": call.ticketId },
      el("strong", {}, call.number), " → ", call.counterName || "—",
      el("span", { class: "hint" }, call.calledAt ? " · " + time(call.calledAt) : "",
        call.recalls ? " · " + tm("recalls", { n: call.recalls }) : ""))));
    $("queue-no-calls").hidden = calls.length > 0;
    $("queue-connection").textContent = tm("connected", { time: time(status.updatedAt) });
    $("queue-connection").classList.remove("lost");
  }

  const todayFigures = { timer: null, last: 0 };
  /** Today's figures so far, fetched again a little after the queue changes (never more than every 5 s). */
  function refreshToday() {
    if (todayFigures.timer) return;
    const wait = Math.max(1000, todayFigures.last + 5000 - Date.now());
    todayFigures.timer = setTimeout(async () => {
      todayFigures.timer = null;
      todayFigures.last = Date.now();
      try {
        const stats = await api("GET", `queue/statistics?date=${today()}`);
        const f = figures("", stats.total);
        const cards = [
          ["issued", tm("issued"), whole.format(f.issued)],
          ["served", tm("served"), whole.format(f.served)],
          ["no-shows", tm("no_shows"), whole.format(f.noShows)],
          ["wait", tm("avg_wait"), f.wait === null ? "—" : t("common", "minutes", { n: decimal.format(f.wait) })],
          ["service-time", tm("avg_service"), f.serviceTime === null ? "—" : t("common", "minutes", { n: decimal.format(f.serviceTime) })],
          ["rating", tm("satisfaction"), f.rating === null ? "—" : decimal.format(f.rating)],
        ];
        $("today-figures").replaceChildren(...cards.flatMap(([key, term, value]) => [
          el("dt", { class: key }, term), el("dd", { "data-key": key }, value)]));
      } catch (error) {
        $("today-figures").replaceChildren();
      }
    }, wait);
  }

  /** At a centre node (the server says which node it is), the province's sites. */
  async function loadSites() {
    if (boot.settings.node !== "centre") return false;
    try {
      const sites = await api("GET", "sites");
      $("site-list").replaceChildren(...sites.map((s) => el("tr", { "data-site": s.id },
        el("th", { scope: "row" }, s.id), el("td", { class: "number" }, s.ticketsIssuedToday),
        el("td", { class: "number" }, s.waiting), el("td", { class: "number" }, s.served), el("td", { class: "number" }, s.noShows),
        el("td", {}, s.lastEventAt || s.lastBatchAt ? `${time(s.lastEventAt || s.lastBatchAt)} · ${shortDay(siteDay(new Date(s.lastEventAt || s.lastBatchAt)))}` : "—"))));
      await loadSiteWeek();
      $("sites").hidden = false;
      return true;
    } catch (error) {
      $("sites").hidden = true;
      return false;
    }
  }

  /** The report across sites for the last 7 days, newest day first within each site. */
  async function loadSiteWeek() {
    const to = today();
    const rows = await api("GET", `sites/report?from=${addDays(to, -6)}&to=${to}`);
    const minutes = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    rows.sort((a, b) => a.siteId.localeCompare(b.siteId) || b.date.localeCompare(a.date));
    $("site-week").replaceChildren(...rows.map((r) => el("tr", { "data-site": r.siteId, "data-date": r.date },
      el("th", { scope: "row" }, r.siteId), el("td", {}, shortDay(r.date)),
      el("td", { class: "number" }, whole.format(r.issued)), el("td", { class: "number" }, whole.format(r.served)),
      el("td", { class: "number" }, whole.format(r.noShows)), el("td", { class: "number" }, whole.format(r.bookingsCheckedIn)),
      el("td", { class: "number" }, r.averageWaitMinutes == null ? "—" : minutes.format(r.averageWaitMinutes)))));
    $("site-week-empty").hidden = rows.length > 0;
  }

  /** At a site node, how far its data is behind the centre, and whether sending fails. */
  async function loadSync() {
    if (boot.settings.node !== "site") return false;
    try {
      const sync = await api("GET", "sync/status");
      const lag = sync.pending ? tm("sync_lag_seconds", { n: whole.format(Math.round(sync.lagSeconds)) }) : tm("sync_up_to_date");
      const figures = [
        ["pending", tm("sync_pending"), whole.format(sync.pending)],
        ["lag", tm("sync_lag"), lag],
        ["last", tm("sync_last"), sync.lastSuccessAt ? `${time(sync.lastSuccessAt)} · ${shortDay(siteDay(new Date(sync.lastSuccessAt)))}` : "—"],
      ];
      $("sync-figures").replaceChildren(...figures.flatMap(([key, term, value]) => [
        el("dt", { class: key }, term), el("dd", { "data-key": key }, value)]));
      $("sync-trouble").textContent = sync.failures ? tm("sync_failing", { n: sync.failures }) : "";
      $("sync-trouble").hidden = !sync.failures;
      $("sync").hidden = false;
      return true;
    } catch (error) {
      $("sync").hidden = true;
      return false;
    }
  }

  // ---- 5. Reports ----

  const report = { url: null, rows: null };

  /** One day's (or one service's) figures, flattened. */
  function figures(label, f) {
    return {
      label, issued: f.tickets, served: f.served, noShows: f.noShows,
      wait: f.wait.count ? f.wait.averageMinutes : null, waitCount: f.wait.count,
      serviceTime: f.serviceTime.count ? f.serviceTime.averageMinutes : null, serviceCount: f.serviceTime.count,
      rating: f.ratings.count ? f.ratings.average : null, ratings: f.ratings.count,
      called: f.bookings.called, onTime: f.bookings.onTime,
      onTimeRate: f.bookings.called ? f.bookings.onTime / f.bookings.called : null,
    };
  }

  /** Sums the counts; averages weighted by what they average over. */
  function sum(label, rows) {
    const add = (key) => rows.reduce((n, r) => n + r[key], 0);
    const weighted = (key, weight) => {
      const w = add(weight);
      return w ? rows.reduce((n, r) => n + (r[key] || 0) * r[weight], 0) / w : null;
    };
    const called = add("called"), onTime = add("onTime");
    return {
      label, issued: add("issued"), served: add("served"), noShows: add("noShows"),
      wait: weighted("wait", "waitCount"), waitCount: add("waitCount"),
      serviceTime: weighted("serviceTime", "serviceCount"), serviceCount: add("serviceCount"),
      rating: weighted("rating", "ratings"), ratings: add("ratings"),
      called, onTime, onTimeRate: called ? onTime / called : null,
    };
  }

  const columns = [
    { key: "issued", label: "issued", show: (v) => whole.format(v) },
    { key: "served", label: "served", show: (v) => whole.format(v) },
    { key: "noShows", label: "no_shows", show: (v) => whole.format(v) },
    { key: "wait", label: "avg_wait_minutes", show: (v) => decimal.format(v) },
    { key: "serviceTime", label: "avg_service_minutes", show: (v) => decimal.format(v) },
    { key: "rating", label: "satisfaction", show: (v) => decimal.format(v) },
    { key: "ratings", label: "ratings", show: (v) => whole.format(v) },
    { key: "onTimeRate", label: "on_time", show: (v) => percent.format(v) },
    { key: "called", label: "bookings_called", show: (v) => whole.format(v) },
  ];

  function reportRow(row, first, cellTag, attributes) {
    return el("tr", attributes || {}, el(first === "th" ? "th" : "td", first === "th" ? { scope: "row" } : {}, row.label),
      columns.map((c) => el(cellTag || "td", { class: "number", "data-key": c.key },
        row[c.key] === null || row[c.key] === undefined ? "—" : c.show(row[c.key]))));
  }

  function reportHead(first) {
    return el("tr", {}, el("th", { scope: "col" }, first), columns.map((c) => el("th", { scope: "col", class: "number" }, tm(c.label))));
  }

  function dayLabel(date) {
    return `${shortDay(date)}`;
  }

  async function loadReport() {
    const form = $("report-form");
    const alert = $("report-alert");
    say(alert, "");
    const from = form.elements.from.value, to = form.elements.to.value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) { say(alert, tm("date_required")); return; }
    if (from > to) { say(alert, tm("range_invalid")); form.elements.to.focus(); return; }
    const days = [];
    for (let d = from; d <= to && days.length <= 31; d = addDays(d, 1)) days.push(d);
    if (days.length > 31) { say(alert, tm("range_too_long")); form.elements.from.focus(); return; }
    $("report-show").disabled = true;
    say($("report-status"), t("common", "loading"));
    try {
      const [daily, dossiers] = await Promise.all([
        Promise.all(days.map((d) => api("GET", `queue/statistics?date=${d}`))),
        api("GET", `dossiers/statistics?from=${from}&to=${to}`),
      ]);
      renderReport(from, to, daily, dossiers);
      say($("report-status"), tm("report_ready", { from: longDay(from), to: longDay(to) }));
    } catch (error) {
      problem(alert, error);
      say($("report-status"), "");
    } finally {
      $("report-show").disabled = false;
    }
  }

  function renderReport(from, to, daily, dossiers) {
    const rows = daily.map((s) => Object.assign(figures(dayLabel(s.day), s.total), { day: s.day }));
    const total = sum(tm("total"), rows);
    const table = $("report-days");
    $("report-caption").textContent = tm("report_title", { from: longDay(from), to: longDay(to) });
    table.tHead.replaceChildren(reportHead(tm("day")));
    table.tBodies[0].replaceChildren(...rows.map((r) => reportRow(r, "th", "td", { "data-day": r.day })));
    table.tFoot.replaceChildren(reportRow(total, "th", "td", { "data-day": "total" }));

    // Each service over the whole range.
    const perService = new Map();
    for (const s of daily) {
      for (const f of s.services) {
        if (!perService.has(f.serviceId)) perService.set(f.serviceId, []);
        perService.get(f.serviceId).push(figures("", f));
      }
    }
    const serviceRows = services.filter((s) => perService.has(s.id)).map((s) => sum(serviceLabel(s.id), perService.get(s.id)));
    const byService = $("report-services");
    byService.hidden = serviceRows.length === 0;
    byService.tHead.replaceChildren(reportHead(tm("service")));
    byService.tBodies[0].replaceChildren(...serviceRows.map((r) => reportRow(r, "th")));

    $("chart-queue").replaceChildren(barChart({
      labelledBy: "chart-queue-title", days: rows.map((r) => r.day), format: whole, integer: true,
      series: [
        { key: "issued", label: tm("issued"), values: rows.map((r) => r.issued) },
        { key: "served", label: tm("served"), values: rows.map((r) => r.served) },
        { key: "no-shows", label: tm("no_shows"), values: rows.map((r) => r.noShows) },
      ],
    }));
    $("chart-wait").replaceChildren(barChart({
      labelledBy: "chart-wait-title", days: rows.map((r) => r.day), format: decimal, unit: tm("minutes_unit"), floor: 1,
      series: [
        { key: "wait", label: tm("avg_wait"), values: rows.map((r) => r.wait) },
        { key: "service-time", label: tm("avg_service"), values: rows.map((r) => r.serviceTime) },
      ],
    }));

    const share = dossiers.autofill.share;
    const facts = [
      [tm("dossiers_total"), whole.format(dossiers.total)],
      [tm("status_prepared"), whole.format(dossiers.byStatus.prepared)],
      [tm("status_received"), whole.format(dossiers.byStatus.received)],
      [tm("status_supplement_requested"), whole.format(dossiers.byStatus.supplement_requested)],
      [tm("status_refused"), whole.format(dossiers.byStatus.refused)],
      [tm("autofill_share"), share === undefined || share === null ? "—" : percent.format(share)],
      [tm("autofill_fields"), tm("autofill_detail", { autofilled: dossiers.autofill.autofilled, filled: dossiers.autofill.filled })],
    ];
    $("dossier-facts").replaceChildren(...facts.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]));

    setCsv(from, to, rows, total, dossiers);
    $("report").hidden = false;
  }

  /** Grouped bars per day, drawn as SVG: no chart library, no inline style. */
  function barChart({ labelledBy, days, series, format, unit, integer, floor = 0 }) {
    const width = 560, height = 230, left = 44, right = 8, top = 12, bottom = 34;
    const plotWidth = width - left - right, plotHeight = height - top - bottom;
    const values = series.flatMap((s) => s.values).filter((v) => v !== null && v !== undefined);
    const top1 = niceMax(Math.max(integer ? 2 : floor, ...values));
    const node = (tag, attributes, ...children) => {
      const n = document.createElementNS(SVG, tag);
      for (const [name, value] of Object.entries(attributes)) n.setAttribute(name, value);
      for (const child of children) n.append(child);
      return n;
    };
    const svg = node("svg", {
      viewBox: `0 0 ${width} ${height}`, width: "100%", height, role: "img", "aria-labelledby": labelledBy,
      preserveAspectRatio: "xMidYMid meet", class: "bar-chart",
    });
    const y = (v) => top + plotHeight - (v / top1) * plotHeight;
    // Counts get whole-number ticks only.
    for (const tick of [0, top1 / 2, top1].filter((v) => !integer || Number.isInteger(v))) {
      svg.append(node("line", { x1: left, x2: width - right, y1: y(tick), y2: y(tick), class: tick ? "grid" : "axis" }));
      svg.append(node("text", { x: left - 6, y: y(tick) + 4, "text-anchor": "end", class: "tick" }, format.format(tick)));
    }
    const group = plotWidth / Math.max(days.length, 1);
    const barWidth = Math.max(2, Math.min(28, (group * 0.8) / series.length));
    const every = Math.ceil(days.length / 14);
    days.forEach((d, i) => {
      const x0 = left + i * group + (group - barWidth * series.length) / 2;
      series.forEach((s, j) => {
        const v = s.values[i];
        if (v === null || v === undefined) return;
        const h = Math.max(v > 0 ? 1 : 0, y(0) - y(v));
        svg.append(node("rect", {
          x: x0 + j * barWidth, y: y(0) - h, width: Math.max(1, barWidth - 1), height: h,
          class: `bar ${s.key}`, "data-day": d, "data-series": s.key, "data-value": v,
        }, node("title", {}, `${shortDay(d)} · ${s.label}: ${format.format(v)}${unit ? " " + unit : ""}`)));
      });
      if (i % every === 0) {
        svg.append(node("text", { x: left + i * group + group / 2, y: height - bottom + 16, "text-anchor": "middle", class: "tick" },
          `${Number(d.slice(8))}/${Number(d.slice(5, 7))}`));
      }
    });
    return svg;
  }

  function niceMax(value) {
    if (value <= 0) return 1;
    const power = Math.pow(10, Math.floor(Math.log10(value)));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (step * power >= value) return step * power;
    }
    return 10 * power;
  }

  /** The report as CSV in the page's language: UTF-8 with a BOM so spreadsheet programs read the diacritics. */
  function setCsv(from, to, rows, total, dossiers) {
    const number = (v, digits) => (v === null || v === undefined ? "" : digits ? String(Math.round(v * 10 ** digits) / 10 ** digits) : String(v));
    const quote = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const line = (cells) => cells.map((c) => quote(String(c))).join(",");
    const header = [tm("day"), tm("issued"), tm("served"), tm("no_shows"), tm("avg_wait_minutes"), tm("avg_service_minutes"),
      tm("satisfaction"), tm("ratings"), tm("on_time_percent"), tm("bookings_called")];
    const cells = (label, r) => [label, r.issued, r.served, r.noShows, number(r.wait, 2), number(r.serviceTime, 2),
      number(r.rating, 2), r.ratings, r.onTimeRate === null ? "" : number(r.onTimeRate * 100, 1), r.called];
    const lines = [line(header), ...rows.map((r) => line(cells(r.day, r))), line(cells(tm("total"), total))];
    lines.push("", line([tm("dossiers_title"), tm("dossiers_total"), tm("status_received"), tm("status_supplement_requested"), tm("status_refused"), tm("autofill_share_percent")]));
    lines.push(line([`${from} – ${to}`, dossiers.total, dossiers.byStatus.received, dossiers.byStatus.supplement_requested,
      dossiers.byStatus.refused, dossiers.autofill.share === undefined ? "" : number(dossiers.autofill.share * 100, 1)]));
    const text = "\uFEFF" + lines.join("\r\n") + "\r\n";
    if (report.url) URL.revokeObjectURL(report.url);
    report.url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
    const link = $("report-csv");
    link.href = report.url;
    link.download = `${tm("csv_name")}-${from}-${to}.csv`;
    link.hidden = false;
  }

  $("report-form").addEventListener("submit", (event) => {
    event.preventDefault();
    loadReport();
  });
  let reportShown = false;
  onShow.reports = () => {
    if (reportShown) return;
    reportShown = true;
    loadReport();
  };

  // ---- Start: sign in, then the console ----

  async function start() {
    const form = $("sign-in");
    const identity = await signIn(form, ["manager"]);
    $("who").textContent = t("common", "signed_in_as", { name: identity.name });
    $("who").hidden = false;
    $("sign-out").hidden = false;
    $("sign-out").addEventListener("click", () => signOut());

    try {
      services = await api("GET", "services");
    } catch (error) {
      services = [];
      problem($("cap-alert"), error);
    }
    fillServices($("cap-service"));
    fillServices($("closure-service"));
    capacity.service = services.length ? services[0].id : null;
    capacity.start = today();
    $("closure-date").value = addDays(today(), 1);
    $("report-from").value = addDays(today(), -6);
    $("report-to").value = today();

    show("console");
    connectQueue();
    const wanted = tabs.find((tab) => "#" + tab.dataset.tab === location.hash) || tabs[0];
    selectTab(wanted, true);
    document.body.dataset.ready = "true";
    if (await loadSites()) setInterval(loadSites, 30000);
    if (await loadSync()) setInterval(loadSync, 5000);
  }

  start();
})();
