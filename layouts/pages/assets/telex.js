// Vietnamese typing for the kiosk's on-screen keyboard, Telex style, as UniKey types it:
// aa â, aw ă, ee ê, oo ô, ow ơ, uw ư, w ư, dd đ; tones s sắc, f huyền, r hỏi, x ngã,
// j nặng, z none; the same key again undoes the mark and types the letter. Tones go where
// Vietnamese spelling puts them (the old style of names on ID cards: Hòa, Thủy).
"use strict";

const Telex = (() => {
  const toned = {
    a: "aáàảãạ", "ă": "ăắằẳẵặ", "â": "âấầẩẫậ", e: "eéèẻẽẹ", "ê": "êếềểễệ", i: "iíìỉĩị",
    o: "oóòỏõọ", "ô": "ôốồổỗộ", "ơ": "ơớờởỡợ", u: "uúùủũụ", "ư": "ưứừửữự", y: "yýỳỷỹỵ",
  };
  const toneKeys = { s: 1, f: 2, r: 3, x: 4, j: 5, z: 0 };
  // What a, e, o, w do to a base vowel.
  const doubled = { a: "â", e: "ê", o: "ô" };
  const horn = { a: "ă", o: "ơ", u: "ư" };
  const marked = new Set(["ă", "â", "ê", "ô", "ơ", "ư"]);

  /** {base, tone, upper} of a character, or null when it is not a vowel. */
  function vowel(ch) {
    const lower = ch.toLowerCase();
    for (const [base, forms] of Object.entries(toned)) {
      const tone = forms.indexOf(lower);
      if (tone >= 0) return { base, tone, upper: ch !== lower };
    }
    return null;
  }

  function make(base, tone, upper) {
    const ch = toned[base][tone];
    return upper ? ch.toUpperCase() : ch;
  }

  /** Indices of the word's last run of vowels; "qu" and "gi" before a vowel are consonants. */
  function lastVowels(chars) {
    let end = chars.length - 1;
    while (end >= 0 && !vowel(chars[end])) end--;
    if (end < 0) return [];
    let start = end;
    while (start > 0 && vowel(chars[start - 1])) start--;
    const run = [];
    for (let i = start; i <= end; i++) run.push(i);
    const first = chars[start].toLowerCase();
    const before = start > 0 ? chars[start - 1].toLowerCase() : "";
    if (run.length > 1 && ((first === "u" && before === "q") || (first === "i" && before === "g"))) run.shift();
    return run;
  }

  /** Where the tone of the word goes. */
  function tonePosition(chars, run) {
    const marks = run.filter((i) => marked.has(vowel(chars[i]).base));
    if (marks.length) return marks[marks.length - 1]; // ươ: on ơ
    if (run.length === 1) return run[0];
    const closed = run[run.length - 1] < chars.length - 1; // a consonant ends the word
    if (closed) return run[run.length - 1];
    if (run.length === 3) return run[1];
    return run[0];
  }

  function currentTone(chars, run) {
    for (const i of run) {
      const v = vowel(chars[i]);
      if (v.tone) return v.tone;
    }
    return 0;
  }

  function setTone(chars, run, tone) {
    for (const i of run) {
      const v = vowel(chars[i]);
      chars[i] = make(v.base, 0, v.upper);
    }
    if (tone) {
      const at = tonePosition(chars, run);
      const v = vowel(chars[at]);
      chars[at] = make(v.base, tone, v.upper);
    }
  }

  /** The word after typing `key` at its end. */
  function apply(word, key) {
    const chars = Array.from(word);
    const k = key.toLowerCase();
    const upperKey = key !== k;
    const run = lastVowels(chars);

    if (k in toneKeys && run.length) {
      const tone = toneKeys[k];
      const now = currentTone(chars, run);
      if (tone === now) {
        if (tone === 0) return word + key;
        setTone(chars, run, 0);
        return chars.join("") + key;
      }
      setTone(chars, run, tone);
      return chars.join("");
    }
    if (k === "d" && chars.length) {
      const last = chars[chars.length - 1];
      if (last === "d" || last === "D") {
        chars[chars.length - 1] = last === "D" ? "Đ" : "đ";
        return chars.join("");
      }
      if (last === "đ" || last === "Đ") {
        chars[chars.length - 1] = last === "Đ" ? "D" : "d";
        return chars.join("") + key;
      }
    }
    if (k in doubled && run.length) {
      const tone = currentTone(chars, run);
      for (const i of run.slice().reverse()) {
        const v = vowel(chars[i]);
        if (v.base === k || v.base === doubled[k]) {
          const undo = v.base === doubled[k];
          chars[i] = make(undo ? k : doubled[k], 0, v.upper);
          setTone(chars, run, tone);
          return chars.join("") + (undo ? key : "");
        }
      }
    }
    if (k === "w") {
      const tone = run.length ? currentTone(chars, run) : 0;
      const bases = run.map((i) => vowel(chars[i]).base);
      const uo = bases.findIndex((b, n) => b === "u" && bases[n + 1] === "o");
      if (uo >= 0) {
        for (const n of [uo, uo + 1]) {
          const v = vowel(chars[run[n]]);
          chars[run[n]] = make(horn[v.base], 0, v.upper);
        }
        setTone(chars, run, tone);
        return chars.join("");
      }
      for (const i of run.slice().reverse()) {
        const v = vowel(chars[i]);
        if (horn[v.base]) {
          chars[i] = make(horn[v.base], 0, v.upper);
          setTone(chars, run, tone);
          return chars.join("");
        }
        if (Object.values(horn).includes(v.base)) {
          // ww: the mark off again, and the letter typed.
          const plain = Object.keys(horn).find((b) => horn[b] === v.base);
          chars[i] = make(plain, 0, v.upper);
          setTone(chars, run, tone);
          return chars.join("") + key;
        }
      }
      return word + (upperKey ? "Ư" : "ư");
    }
    return word + key;
  }

  /** Text typed key by key, as the on-screen keyboard does it. */
  function type(keys) {
    let text = "";
    for (const key of Array.from(keys)) {
      if (key === " ") {
        text += " ";
        continue;
      }
      const cut = text.search(/[^\s]*$/);
      text = text.slice(0, cut) + apply(text.slice(cut), key);
    }
    return text.normalize("NFC");
  }

  return { apply, type };
})();

/** The kiosk's on-screen keyboard: letters typed through Telex (data-keyboard="telex"),
 *  codes in capitals and digits with no Telex ("code"), or digits only ("digits"). */
const OnScreenKeyboard = (() => {
  const letterRows = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];
  const codeRows = ["1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM-"];
  const digitRows = ["123", "456", "789", "0"];
  let target = null;
  let shift = false;
  let panel;

  function insert(key) {
    if (!target) return;
    const start = target.selectionStart ?? target.value.length;
    const end = target.selectionEnd ?? start;
    const before = target.value.slice(0, start);
    const after = target.value.slice(end);
    let head;
    if (key === "\b") {
      head = Array.from(before).slice(0, -1).join("");
    } else if (target.dataset.keyboard === "telex" && key !== " ") {
      const cut = before.search(/[^\s]*$/);
      const word = before.slice(cut);
      // Names (autocapitalize="words") start each word with a capital, as on an ID card.
      const typed = word === "" && target.getAttribute("autocapitalize") === "words" ? key.toUpperCase() : key;
      head = before.slice(0, cut) + Telex.apply(word, typed);
    } else {
      head = before + key;
    }
    head = head.normalize("NFC");
    target.value = head + after;
    target.setSelectionRange(head.length, head.length);
    target.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function render() {
    const { el, t } = Motcua;
    const kind = target ? target.dataset.keyboard : "telex";
    const digits = kind === "digits";
    const letters = kind === "telex";
    const key = (label, value, extra) => el("button", Object.assign({
      type: "button", "data-key": value, tabindex: "-1",
      onpointerdown: (e) => e.preventDefault(), // keep the input focused
      onclick: () => {
        if (value === "shift") { shift = !shift; render(); return; }
        if (value === "done") { hide(); return; }
        insert(shift && value.length === 1 ? value.toUpperCase() : value);
        if (shift && value.length === 1 && value !== " ") { shift = false; render(); }
      },
    }, extra || {}), label);
    const rows = (digits ? digitRows : letters ? letterRows : codeRows).map((row) =>
      el("div", { class: "row" }, Array.from(row).map((ch) => key(shift ? ch.toUpperCase() : ch, ch))));
    const last = el("div", { class: "row" },
      letters ? key(t("kiosk", "keyboard_shift"), "shift", { class: "wide", "aria-pressed": String(shift) }) : null,
      letters ? key(t("kiosk", "keyboard_space"), " ", { class: "space" }) : null,
      key(t("kiosk", "keyboard_delete"), "\b", { class: "wide" }),
      key(t("kiosk", "keyboard_done"), "done", { class: "wide primary" }));
    const hint = letters ? el("p", { class: "hint" }, t("kiosk", "keyboard_hint")) : null;
    panel.replaceChildren(...rows, last, hint || "");
  }

  function show(input) {
    target = input;
    shift = false;
    render();
    panel.hidden = false;
  }

  function hide() {
    panel.hidden = true;
    target = null;
  }

  /** Shows itself for inputs marked data-keyboard="telex|digits" inside `root`. */
  function attach(root, keyboardPanel) {
    panel = keyboardPanel;
    root.addEventListener("focusin", (event) => {
      const input = event.target;
      if (input.matches && input.matches("input[data-keyboard]")) show(input);
    });
  }

  return { attach, hide };
})();
