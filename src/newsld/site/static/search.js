/* newsld site search: the static index in search/ (see newsld.site.search), no server.
   Index files are loaded as <script> elements: fetch() cannot read file:// URLs. */
(function () {
  "use strict";
  var state = { meta: null, shards: {}, docs: {}, waiting: {} };
  var KIND_WEIGHT = { speaker: 4, outlet: 3, entity: 2, article: 1, claim: 0 };
  var KIND_LABEL = { speaker: "Speaker", outlet: "Outlet", entity: "Entity", article: "Article", claim: "Claim" };

  function words(text) {
    var plain = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    return (plain.match(/[\p{L}\p{N}]+/gu) || []).filter(function (w) { return w.length >= 2; });
  }

  function shardName(word) {
    var prefix = Array.from(word).slice(0, 2).join("");
    if (/^[a-z0-9]{2}$/.test(prefix)) { return prefix; }
    var bytes = new TextEncoder().encode(prefix);
    return "x" + Array.from(bytes).map(function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function load(src, key) {
    if (state.waiting[key]) { return state.waiting[key]; }
    state.waiting[key] = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(script);
    });
    return state.waiting[key];
  }

  window.NLDSearch = {
    meta: function (data) { state.meta = data; },
    shard: function (data) { state.shards[data[0]] = data[1]; },
    docs: function (data) { state.docs[data[0]] = data[1]; }
  };

  function matches(word) {
    var name = shardName(word);
    if (state.meta.shards.indexOf(name) < 0) { return Promise.resolve({}); }
    return load(state.root + "search/t-" + name + ".js", "t" + name).then(function () {
      var shard = state.shards[name] || {};
      var hits = {};
      Object.keys(shard).forEach(function (token) {
        if (token.indexOf(word) === 0) {
          shard[token].forEach(function (doc) {
            hits[doc] = Math.max(hits[doc] || 0, token === word ? 2 : 1);
          });
        }
      });
      return hits;
    });
  }

  function find(query) {
    var wanted = words(query);
    if (!wanted.length || !state.meta) { return Promise.resolve([]); }
    return Promise.all(wanted.map(matches)).then(function (lists) {
      var scores = lists.reduce(function (acc, hits) {
        if (acc === null) { return Object.assign({}, hits); }
        var next = {};
        Object.keys(acc).forEach(function (doc) {
          if (doc in hits) { next[doc] = acc[doc] + hits[doc]; }
        });
        return next;
      }, null) || {};
      var ids = Object.keys(scores).map(Number);
      var chunks = {};
      ids.forEach(function (id) { chunks[Math.floor(id / state.meta.chunk)] = true; });
      return Promise.all(Object.keys(chunks).map(function (n) {
        return load(state.root + "search/d-" + n + ".js", "d" + n);
      })).then(function () {
        var found = ids.map(function (id) {
          var doc = state.docs[Math.floor(id / state.meta.chunk)][id % state.meta.chunk];
          return { id: id, score: scores[id] * 10 + (KIND_WEIGHT[doc[0]] || 0), doc: doc };
        });
        found.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
        return found;
      });
    });
  }

  function show(results, query, list, status) {
    list.textContent = "";
    var shown = results.slice(0, 50);
    status.textContent = results.length
      ? results.length + " result" + (results.length === 1 ? "" : "s") + " for “" + query + "”" +
        (results.length > shown.length ? " (first " + shown.length + " shown)" : "")
      : "Nothing found for “" + query + "”.";
    shown.forEach(function (hit) {
      var item = document.createElement("li");
      item.className = "result result-" + hit.doc[0];
      var kind = document.createElement("span");
      kind.className = "badge";
      kind.textContent = KIND_LABEL[hit.doc[0]] || hit.doc[0];
      var anchor = document.createElement("a");
      anchor.href = state.root + hit.doc[2];
      anchor.textContent = hit.doc[1];
      var detail = document.createElement("span");
      detail.className = "detail";
      detail.textContent = hit.doc[3];
      item.append(kind, " ", anchor, " ", detail);
      list.appendChild(item);
    });
  }

  function start() {
    var form = document.getElementById("search-form");
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    if (!form || !list || !status) { return; }
    state.root = form.getAttribute("data-root") || "";
    var input = form.querySelector("input[name=q]");
    var run = function () {
      var query = input.value.trim();
      if (!query) { list.textContent = ""; status.textContent = ""; return; }
      status.textContent = "Searching…";
      find(query).then(function (results) { show(results, query, list, status); },
        function (error) { status.textContent = "Search failed: " + error.message; });
    };
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      try {
        var url = new URL(window.location.href);
        url.searchParams.set("q", input.value.trim());
        window.history.replaceState(null, "", url.toString());
      } catch (ignored) { /* file:// may refuse: the results still show */ }
      run();
    });
    var params = new URLSearchParams(window.location.search);
    if (params.get("q")) { input.value = params.get("q"); run(); }
  }

  // deferred like search/meta.js after it: DOMContentLoaded comes once both have run
  document.addEventListener("DOMContentLoaded", start);
}());
