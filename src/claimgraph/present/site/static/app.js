// claimgraph report and UI: table filters and the search page. No inline script anywhere;
// data from the database reaches the page through textContent only, never innerHTML.
"use strict";

(function () {
  function filterTables() {
    document.querySelectorAll("input[data-filter-table]").forEach(function (input) {
      var table = document.getElementById(input.getAttribute("data-filter-table"));
      if (!table) return;
      input.addEventListener("input", function () {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        table.querySelectorAll("tbody tr").forEach(function (row) {
          var text = row.textContent.toLowerCase();
          row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
        });
      });
    });
  }

  // Only links inside this site: a hit's url must be a path on this server.
  function sitePath(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" && url.charAt(1) !== "\\";
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  var FACETS = ["outlet", "speaker", "claim", "stance", "cue_type"];
  var PAGE = 20;

  function search() {
    var form = document.getElementById("search-form");
    if (!form) return;
    var hits = document.getElementById("hits");
    var facets = document.getElementById("facets");
    var status = document.getElementById("search-status");
    var more = document.getElementById("more");
    var offset = 0;

    function params() {
      var p = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        if (String(value).trim() !== "") p.set(key, String(value).trim());
      });
      return p;
    }

    function showFacets(data) {
      facets.replaceChildren();
      FACETS.forEach(function (name) {
        var values = (data.facets && data.facets[name]) || [];
        if (!values.length) return;
        facets.appendChild(el("h3", name.replace("_", " ")));
        var field = form.elements.namedItem(name);
        values.forEach(function (f) {
          var shown = f.label || (f.value === null || f.value === "" ? "(none)" : f.value);
          if (name === "cue_type" && !f.label) shown = String(shown).replace(/_/g, " ");  // loaded label
          var b = el("button", shown + " (" + f.count + ")");
          b.type = "button";
          b.setAttribute("data-facet", name);
          if (f.value === null || f.value === undefined) { b.disabled = true; facets.appendChild(b); return; }
          if (field && field.value === String(f.value)) b.className = "on";
          b.addEventListener("click", function () {
            if (!field) return;
            field.value = field.value === String(f.value) ? "" : String(f.value);
            run(false);
          });
          facets.appendChild(b);
        });
      });
    }

    function showHit(h) {
      var li = el("li", null, "hit");
      var title = h.label || h.title || h.article_id;  // the title, else the file's name
      var head = sitePath(h.url) ? el("a", title) : el("span", title);
      if (sitePath(h.url)) head.href = h.url;
      li.appendChild(head);
      var meta = [h.outlet || "", h.published || "", h.speaker ? "speaker: " + h.speaker : ""]
        .filter(Boolean).join(" · ");
      li.appendChild(el("div", meta, "meta"));
      li.appendChild(el("p", h.snippet || "", "snippet"));
      hits.appendChild(li);
    }

    function run(append) {
      if (!append) offset = 0;
      var p = params();
      p.set("limit", String(PAGE));
      p.set("offset", String(offset));
      history.replaceState(null, "", "?" + params().toString());
      status.textContent = "Searching…";
      fetch("/api/search?" + p.toString(), { headers: { Accept: "application/json" } })
        .then(function (r) {
          return r.json().then(function (body) { return { ok: r.ok, body: body }; });
        })
        .then(function (res) {
          if (!res.ok) {
            var d = res.body && res.body.detail;
            status.textContent = "Error: " + (typeof d === "string" ? d : JSON.stringify(d));
            return;
          }
          var data = res.body;
          if (!append) hits.replaceChildren();
          data.hits.forEach(showHit);
          offset += data.hits.length;
          status.replaceChildren();
          if (data.total === 0) {
            // say what was searched (variants included) and offer a looser query
            var kind = form.elements.namedItem("kind").value;
            status.appendChild(document.createTextNode(
              "No " + kind + " match " + (data.searched || "the filters") + "."));
            if (data.suggestion) {
              status.appendChild(document.createTextNode(" Try "));
              var looser = el("button", data.suggestion, "suggestion");
              looser.type = "button";
              looser.addEventListener("click", function () {
                form.elements.namedItem("q").value = data.suggestion;
                run(false);
              });
              status.appendChild(looser);
            }
          } else {
            status.textContent = data.total + " result" + (data.total === 1 ? "" : "s");
          }
          status.setAttribute("data-total", String(data.total));
          more.hidden = offset >= data.total;
          showFacets(data);
        })
        .catch(function (err) { status.textContent = "Error: " + err; });
    }

    form.addEventListener("submit", function (ev) { ev.preventDefault(); run(false); });
    more.addEventListener("click", function () { run(true); });
    var initial = new URLSearchParams(location.search);
    var any = false;
    initial.forEach(function (value, key) {
      var field = form.elements.namedItem(key);
      if (field && "value" in field) { field.value = value; any = true; }
    });
    if (any) run(false);
  }

  document.addEventListener("DOMContentLoaded", function () {
    filterTables();
    search();
  });
})();
