// The hall display: the queue as a Server-Sent Events stream (EventSource reconnects by
// itself), the last calls highlighted, and each call's chime and announcement played once,
// in order, never the history a display finds when it (re)connects.
"use strict";

(() => {
  const { boot, t, el, time, now } = Motcua;
  const settings = boot.settings;
  const freshSeconds = 20;
  let lastSequence = null;
  const pending = [];
  let playing = false;
  let latestStatus = null;

  const serviceName = (service) => (boot.lang === "vi" ? service.name : service.nameEn);

  function tick() {
    document.getElementById("clock").textContent = time(now().toISOString());
  }

  function render(status) {
    const shown = new Set(settings.services);
    const at = now().getTime();
    const calls = status.recentCalls || [];
    const freshTickets = new Set(
      calls.filter((call) => at - Date.parse(call.calledAt) < freshSeconds * 1000).map((call) => call.ticketId),
    );
    const counters = status.counters.filter((counter) => counter.serviceIds.some((id) => shown.has(id)));
    document.getElementById("counters").replaceChildren(...counters.map((counter) => {
      const ticket = counter.ticket;
      return el("tr", { class: ticket && freshTickets.has(ticket.id) ? "fresh" : null, "data-counter": counter.id },
        el("td", {}, counter.name),
        el("td", { class: ticket || counter.isOpen ? "ticket number" : "closed number" },
          ticket ? ticket.number : counter.isOpen ? "—" : t("display", "closed")));
    }));
    document.getElementById("services").replaceChildren(...status.services.filter((s) => shown.has(s.id)).map((service) =>
      el("tr", { "data-service": service.id },
        el("td", {}, `${service.prefix} · ${serviceName(service)}`),
        el("td", { class: "number" }, service.waiting),
        el("td", { class: "number" }, service.waiting > 0 ? t("common", "minutes", { n: service.estimatedWaitMinutes }) : "—"))));
    const latest = calls.find((call) => shown.size === 0 || status.counters.some((c) => c.id === call.counterId));
    const banner = document.getElementById("latest-call");
    if (latest && at - Date.parse(latest.calledAt) < freshSeconds * 1000) {
      banner.replaceChildren(el("strong", {}, latest.number), latest.counterName);
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
    document.getElementById("connection").textContent = t("display", "connected", { time: time(status.updatedAt) });
    document.getElementById("connection").classList.remove("lost");
  }

  /** Queues the calls not heard yet, oldest first; the first status only sets the mark. */
  function announce(calls) {
    const sequences = calls.filter((c) => c.announcement).map((c) => c.announcement.sequence);
    if (lastSequence === null) {
      lastSequence = sequences.length ? Math.max(...sequences) : 0;
      return;
    }
    const news = calls.filter((c) => c.announcement && c.announcement.sequence > lastSequence)
      .sort((a, b) => a.announcement.sequence - b.announcement.sequence);
    for (const call of news) {
      lastSequence = call.announcement.sequence;
      if (settings.audio) pending.push(call.announcement.url);
    }
    playNext();
  }

  async function playNext() {
    if (playing || pending.length === 0) return;
    playing = true;
    const url = pending.shift();
    // Counted on the page, so a test (or an installer with devtools) can tell a TV that
    // plays from one that refuses; a refusal still shows the call, and the next one tries.
    let outcome = "announced";
    try {
      await chime();
      await play(url);
    } catch (e) {
      outcome = "unannounced";
    }
    document.body.dataset[outcome] = String(Number(document.body.dataset[outcome] || 0) + 1);
    playing = false;
    playNext();
  }

  let audioContext;
  /** Two soft tones, made here: no sound file to ship. */
  function chime() {
    audioContext = audioContext || new AudioContext();
    const start = audioContext.currentTime;
    for (const [offset, frequency] of [[0, 880], [0.35, 660]]) {
      const oscillator = audioContext.createOscillator();
      const gain = audioContext.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.3, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.3);
      oscillator.connect(gain).connect(audioContext.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.32);
    }
    return new Promise((resolve) => setTimeout(resolve, 700));
  }

  function play(url) {
    return new Promise((resolve, reject) => {
      const audio = new Audio(url);
      audio.addEventListener("ended", resolve);
      audio.addEventListener("error", reject);
      audio.play().catch(reject);
    });
  }

  function connect() {
    const query = settings.hall ? `?hall=${encodeURIComponent(settings.hall)}` : "";
    const source = new EventSource(`/api/v1/queue/events${query}`);
    source.addEventListener("status", (event) => {
      latestStatus = JSON.parse(event.data);
      render(latestStatus);
      announce(latestStatus.recentCalls || []);
    });
    source.addEventListener("error", () => {
      const line = document.getElementById("connection");
      line.textContent = t("display", "reconnecting");
      line.classList.add("lost");
    });
  }

  tick();
  setInterval(tick, 1000);
  // Highlights fade as calls age even when nothing else changes.
  setInterval(() => latestStatus && render(latestStatus), 5000);
  connect();
})();
