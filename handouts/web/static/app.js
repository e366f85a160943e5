// The front desk's page: sends the form to the API and shows its answers. No framework; every
// request is a POST with the page's CSRF token, so nothing of a patient goes in a URL.
"use strict";
(function () {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const $ = (s, root) => (root || document).querySelector(s);
  const $$ = (s, root) => Array.from((root || document).querySelectorAll(s));

  function post(path, body) {
    return fetch(path, {method: "POST", body: body, headers: {"X-CSRF-Token": token},
                        credentials: "same-origin"});
  }
  async function problemsOf(response) {
    try {
      const data = await response.json();
      return data.problems && data.problems.length ? data.problems : [data.error];
    } catch (e) {
      return ["The server answered " + response.status + "."];
    }
  }
  function showProblems(box, problems) {
    box.textContent = "";
    if (!problems.length) return;
    const h = document.createElement("p");
    h.textContent = problems.length === 1 ? "Problem:" : problems.length + " problems:";
    const ul = document.createElement("ul");
    for (const p of problems) { const li = document.createElement("li"); li.textContent = p; ul.appendChild(li); }
    box.append(h, ul);
  }
  function saveBlob(blob, name) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 60000);
  }
  function fileName(response, fallback) {
    const m = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
    return m ? m[1] : fallback;
  }
  function b64(data, type) {
    const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
    return new Blob([bytes], {type: type});
  }

  // -- the front desk's form --------------------------------------------------------------
  const form = $("#handout");
  if (form) {
    const order = $("#order");
    const picked = [];  // exercise ids in the order chosen
    // a loaded prescription's list (id -> the id it is another version of, or ""): while set,
    // the exercises in the order list are the handout's, in place of the program's, as in the file
    let listed = null;
    const changes = {};  // exercise id -> {dose: "sets=3,reps=8", note: "..."}: each one kept
    let editing = "";  // the exercise the dose and note boxes show

    function saveChange() {  // the boxes -> changes[editing]
      if (!editing) return;
      const dose = $$("[data-dose]").filter(i => i.value.trim()).map(i => i.dataset.dose + "=" + i.value.trim()).join(",");
      const note = $("#x-note").value.trim();
      if (dose || note) changes[editing] = {dose: dose, note: note};
      else delete changes[editing];
      drawChanges();
    }
    function showChange(id) {  // changes[id] -> the boxes
      editing = id;
      const change = changes[id] || {dose: "", note: ""};
      const values = {};
      for (const part of change.dose.split(",")) { const at = part.indexOf("="); if (at > 0) values[part.slice(0, at)] = part.slice(at + 1); }
      for (const input of $$("[data-dose]")) { input.value = values[input.dataset.dose] || ""; input.disabled = !id; }
      $("#x-note").value = change.note; $("#x-note").disabled = !id;
    }
    function drawChanges() {
      const place = id => { const i = picked.indexOf(id); return i < 0 ? picked.length : i; };
      const ids = Object.keys(changes).sort((a, b) => place(a) - place(b));  // (as they print)
      $("#changed").textContent = ids.length ? "Changed for this patient: "
        + ids.map(id => { const li = $('li[data-id="' + id + '"]'); return li ? li.dataset.title : id; }).join(", ") + "." : "";
    }
    function fields() {
      saveChange();
      const data = new FormData(form);
      data.delete("ids");
      data.delete("choose");
      for (const id of picked) {
        if (listed === null) data.append("ids", id);
        else data.append("exercises", listed[id] ? id + ":" + listed[id] : id);
      }
      for (const s of $$("select[name=choose]", form)) if (!s.disabled && s.value) data.append("choose", s.value);
      for (const [id, change] of Object.entries(changes)) {
        if (change.dose) data.append("dose", id + ":" + change.dose);
        if (change.note) data.append("note", id + ":" + change.note);
      }
      return data;
    }
    function drawOrder() {
      order.textContent = "";
      picked.forEach((id, i) => {
        const li = document.createElement("li");
        const title = $('li[data-id="' + id + '"]').dataset.title;
        const span = document.createElement("span");
        span.textContent = title;
        li.appendChild(span);
        for (const [words, step] of [["Up", -1], ["Down", 1]]) {
          const b = document.createElement("button");
          b.type = "button";
          b.textContent = words;
          b.setAttribute("aria-label", "Move " + title + " " + words.toLowerCase());
          b.disabled = (step < 0 && i === 0) || (step > 0 && i === picked.length - 1);
          b.addEventListener("click", () => {
            picked.splice(i, 1); picked.splice(i + step, 0, id); drawOrder(); refresh();
            const again = $$("button", order.children[i + step]).find(x => x.textContent === words);
            if (again && !again.disabled) again.focus();
          });
          li.appendChild(b);
        }
        order.appendChild(li);
      });
    }
    function filter() {
      const words = $("#search").value.trim().toLowerCase();
      const c = $("#f-condition").value, r = $("#f-region").value, k = $("#f-kind").value;
      let shown = 0;
      for (const li of $$("ul.exercises > li")) {
        const ok = (!words || li.dataset.search.includes(words))
          && (!c || li.dataset.conditions.split("|").includes(c))
          && (!r || li.dataset.regions.split("|").includes(r))
          && (!k || li.dataset.kind === k);
        li.hidden = !ok;
        if (ok) shown++;
      }
      $("#shown").textContent = shown + (shown === 1 ? " exercise" : " exercises") + " shown.";
    }
    let versionsAsked = 0;
    async function versionsChanged(wanted) {  // the groups of versions in it: the server's compose says
      const mine = ++versionsAsked;
      const keep = wanted || $$("select[name=choose]", form).map(s => s.value).filter(v => v);
      const data = new FormData();
      const all = fields();
      for (const key of ["program", "ids", "exercises"]) for (const v of all.getAll(key)) data.append(key, v);
      const response = await post("/api/versions", data);
      if (mine !== versionsAsked || !response.ok) return;  // (a bad id: the preview says why)
      const box = $("#versions");
      box.textContent = "";
      (await response.json()).groups.forEach((group, n) => {
        const p = document.createElement("p");
        const label = document.createElement("label");
        const select = document.createElement("select");
        select.id = "choose-" + n; select.name = "choose";
        label.htmlFor = select.id;
        label.textContent = "Which version: " + group.titles.join(" or ");
        const all = document.createElement("option");
        all.value = ""; all.textContent = "Print all of them";
        select.appendChild(all);
        group.ids.forEach((id, i) => {
          const o = document.createElement("option");
          o.value = id; o.textContent = "Only " + group.titles[i];
          o.selected = keep.includes(id);
          select.appendChild(o);
        });
        p.append(label, select);
        box.appendChild(p);
      });
    }
    function leaveRx() {  // the program chosen again: its exercises, and the ones ticked after them
      if (listed === null) return;
      listed = null;
      $("#order-help").textContent = orderHelp;
    }
    const orderHelp = $("#order-help").textContent;
    function programChanged() {
      const option = $("#program").selectedOptions[0];
      $("#program-about").textContent = option && option.dataset.intro ? option.dataset.intro
        : "Choose a program to print its exercises, or tick exercises below.";
    }

    const statusBox = $("#preview-status");
    new MutationObserver(() => { $("#status-copy").textContent = statusBox.textContent; })
      .observe(statusBox, {childList: true, characterData: true, subtree: true});
    $("#status-copy").textContent = statusBox.textContent;
    let timer = null, asked = 0;
    function refresh() { clearTimeout(timer); timer = setTimeout(preview, 400); }
    function clearPreview() {
      const box = $("#preview");
      box.textContent = ""; box.classList.remove("stale"); box.removeAttribute("aria-busy");
      $("#preview-pages").textContent = "";
    }
    function showPage(m) {  // page m.page of m.pages, in its place, with its button
      const box = $("#preview");
      const figure = document.createElement("figure");
      figure.id = "preview-page-" + m.page;
      figure.tabIndex = -1;
      const img = document.createElement("img");
      img.src = "data:image/png;base64," + m.image;
      img.alt = "Page " + m.page + " of " + m.pages + " of the handout " + m.title;
      const caption = document.createElement("figcaption");
      caption.textContent = "Page " + m.page + " of " + m.pages;
      figure.append(caption, img);
      box.appendChild(figure);
      if (m.pages > 1) {
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = String(m.page);
        b.setAttribute("aria-label", "Show page " + m.page + " of " + m.pages);
        b.addEventListener("click", () => { figure.scrollIntoView({block: "start"}); figure.focus({preventScroll: true}); });
        $("#preview-pages").appendChild(b);
      }
    }
    async function preview() {
      const mine = ++asked;
      const data = fields();
      const status = $("#preview-status"), box = $("#preview"), problems = $("#problems");
      if (!data.get("program") && !data.getAll("ids").length && !data.getAll("exercises").length) {
        clearPreview(); showProblems(problems, []);
        status.textContent = "Choose a program or exercises to see the handout.";
        return;
      }
      status.textContent = "Making the preview…";
      if (box.children.length) { box.classList.add("stale"); box.setAttribute("aria-busy", "true"); }
      const response = await post("/api/preview", data);
      if (mine !== asked) return;  // a newer preview is on its way
      if (!response.ok) {
        clearPreview();  // (an old preview would show a handout that is not the one asked for)
        showProblems(problems, await problemsOf(response));
        status.textContent = "The handout cannot be made yet: see the problems listed with the preview.";
        return;
      }
      const made = await response.json();
      showProblems(problems, []);
      clearPreview();
      showPage(made);
      status.textContent = "Preview: " + made.title + ", " + made.pages + (made.pages === 1 ? " page." : " pages.")
        + (made.warnings.length ? " Warning: " + made.warnings.join(" ") : "");
      for (let page = 2; page <= made.pages; page++) {  // the others, once page 1 shows
        const more = fields();
        more.append("page", String(page));
        const next = await post("/api/preview", more);
        if (mine !== asked || !next.ok) return;
        showPage(await next.json());
      }
    }

    form.addEventListener("change", e => {
      const t = e.target;
      if (t.name === "ids") {
        const i = picked.indexOf(t.value);
        if (t.checked && i < 0) picked.push(t.value);
        if (!t.checked && i >= 0) picked.splice(i, 1);
        if (listed !== null && !t.checked) {  // (a version of it is a version no longer)
          delete listed[t.value];
          for (const id in listed) if (listed[id] === t.value) listed[id] = "";
        }
        drawOrder();
      }
      if (t.id === "x-dose-exercise") { saveChange(); showChange(t.value); return; }
      if (t.id === "program") { programChanged(); leaveRx(); }
      if (t.matches("#search, #f-condition, #f-region, #f-kind")) return;
      if (t.matches("#email, #password")) return;
      if (t.name === "ids" || t.id === "program") { versionsChanged().then(refresh); return; }
      refresh();
    });
    form.addEventListener("input", e => {
      if (e.target.matches("#search")) filter();
      else if (e.target.matches("#x-note, [data-dose]")) { saveChange(); refresh(); }
      else if (e.target.matches("#patient, #therapist, #notes")) refresh();
    });
    for (const s of ["#f-condition", "#f-region", "#f-kind"]) $(s).addEventListener("change", filter);

    form.addEventListener("submit", async e => {
      e.preventDefault();
      const button = e.submitter;
      const path = button ? button.getAttribute("formaction") : "/api/handouts";
      const how = button ? button.dataset.how : "download";
      const view = how === "open" ? window.open("", "_blank") : null;
      const response = await post(path, fields());
      if (!response.ok) {
        if (view) view.close();
        showProblems($("#problems"), await problemsOf(response));
        $("#problems").focus();
        return;
      }
      showProblems($("#problems"), []);
      const blob = await response.blob();
      if (view) view.location.href = URL.createObjectURL(blob);
      else saveBlob(blob, fileName(response, "handout.pdf"));
    });
    for (const button of $$("#send-email, #send-print")) {
      button.addEventListener("click", async () => {
        const sent = $("#sent");
        sent.textContent = "Sending…";
        const response = await post(button.dataset.path, fields());
        if (!response.ok) {
          sent.textContent = "";
          showProblems($("#problems"), await problemsOf(response));
          return;
        }
        const done = await response.json();
        sent.textContent = done.sent_to ? "Sent it to " + done.sent_to + "." : "Printed it on " + done.printed + ".";
      });
    }

    const rx = $("#rx-load");
    rx.addEventListener("submit", async e => {
      e.preventDefault();
      const response = await post("/api/rx/load", new FormData(rx));
      if (!response.ok) { $("#rx-status").textContent = ""; showProblems($("#problems"), await problemsOf(response)); return; }
      const f = await response.json();
      const said = $("#rx-status");
      said.textContent = "Loaded the prescription." + (f.warnings.length ? " " + f.warnings.join(" ") : "");
      for (const key of ["program", "patient", "therapist", "notes", "date", "layout", "paper", "lang", "weeks", "email"]) {
        const input = form.elements[key];
        if (input && f[key] !== undefined) input.value = f[key];
      }
      programChanged();
      picked.length = 0;
      listed = f.exercises.length ? {} : null;
      for (const item of f.exercises) {  // "id" or "id:the id it is a version of"
        const [id, of] = item.split(":");
        picked.push(id); listed[id] = of || "";
      }
      for (const id of f.ids) if (!picked.includes(id)) picked.push(id);
      for (const box of $$("input[name=ids]")) { box.checked = picked.includes(box.value); }
      if (listed !== null) $("#order-help").textContent = "The exercises of the prescription, in this order (in place of the program's).";
      for (const id in changes) delete changes[id];
      const at = text => text.indexOf(":");
      for (const d of f.dose) (changes[d.slice(0, at(d))] ||= {dose: "", note: ""}).dose = d.slice(at(d) + 1);
      for (const n of f.note) (changes[n.slice(0, at(n))] ||= {dose: "", note: ""}).note = n.slice(at(n) + 1);
      editing = "";
      const first = Object.keys(changes)[0] || "";
      $("#x-dose-exercise").value = first;
      showChange(first);
      drawChanges();
      drawOrder();
      await versionsChanged(f.choose);
      preview();
    });
    programChanged();
    showChange("");
  }

  // -- the day's batch ------------------------------------------------------------------------
  const batch = $("#batch");
  if (batch) {
    batch.addEventListener("submit", async e => {
      e.preventDefault();
      const status = $("#batch-status"), bar = $("#batch-progress"), out = $("#batch-result");
      out.textContent = "";
      status.textContent = "Uploading…";
      const response = await post("/api/batches", new FormData(batch));
      if (!response.ok) { showProblems(out, await problemsOf(response)); status.textContent = ""; return; }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let text = "";
      bar.hidden = false;
      for (;;) {
        const {value, done} = await reader.read();
        if (value) text += decoder.decode(value, {stream: true});
        let end;
        while ((end = text.indexOf("\n")) >= 0) {
          const line = JSON.parse(text.slice(0, end));
          text = text.slice(end + 1);
          if (line.total !== undefined) {
            bar.max = line.total; bar.value = line.done;
            status.textContent = "Built " + line.done + " of " + line.total + " rows.";
          } else if (line.error) {
            showProblems(out, line.problems || [line.error]); status.textContent = "";
          } else {
            finished(line, status, out);
          }
        }
        if (done) break;
      }
    });
  }
  function finished(r, status, out) {
    status.textContent = "Built " + r.written + (r.written === 1 ? " handout." : " handouts.")
      + (r.sent ? " Emailed " + r.sent + " of them." : "")
      + (r.printed ? " Printed them on " + r.printed + "." : "")
      + (r.failed.length ? " " + r.failed.length + (r.failed.length === 1 ? " row failed." : " rows failed.") : "");
    const p = document.createElement("p");
    for (const [data, words, name, type] of [[r.merged, "Download the merged PDF", "batch.pdf", "application/pdf"],
                                            [r.zip, "Download the PDFs as a zip", "batch.zip", "application/zip"]]) {
      if (!data) continue;
      const b = document.createElement("button");
      b.type = "button"; b.textContent = words;
      b.addEventListener("click", () => saveBlob(b64(data, type), name));
      p.appendChild(b);
    }
    out.appendChild(p);
    if (r.print_problem) { const m = document.createElement("p"); m.className = "problem"; m.textContent = r.print_problem; out.appendChild(m); }
    if (r.merge_problem) { const m = document.createElement("p"); m.className = "problem"; m.textContent = r.merge_problem; out.appendChild(m); }
    if (r.failed.length) {
      const h = document.createElement("h2"); h.textContent = "Rows that failed";
      const ul = document.createElement("ul");
      for (const f of r.failed) { const li = document.createElement("li"); li.textContent = f.problem; ul.appendChild(li); }
      out.append(h, ul);
    }
  }
})();
