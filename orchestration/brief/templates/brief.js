// The morning brief's script: draw the charts (Vega-Embed, inlined above), filter the claims
// and the sources, open every <details> for printing. The page reads fine without it.
(function () {
  "use strict";

  // -- charts ------------------------------------------------------------------------------------
  var specsNode = document.getElementById("brief-charts");
  var specs = specsNode ? JSON.parse(specsNode.textContent) : {};
  var pending = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var spec = specs[el.getAttribute("data-chart")];
    if (!spec || typeof vegaEmbed !== "function") {
      return;
    }
    pending.push(
      vegaEmbed(el, spec, { actions: false, renderer: "svg" })
        .then(function () {
          el.setAttribute("data-rendered", "true");
        })
        .catch(function (error) {
          el.setAttribute("data-rendered", "failed");
          el.textContent = "This chart could not be drawn; its numbers are in the table below.";
          el.classList.add("chart-error");
          console.error("chart " + el.getAttribute("data-chart") + ": " + error);
        })
    );
  });
  window.briefChartsDone = Promise.all(pending);

  // -- filters -----------------------------------------------------------------------------------
  function words(text) {
    return (text || "").toLowerCase().split(/\s+/).filter(Boolean);
  }

  function setupClaims() {
    var form = document.getElementById("claim-filters");
    if (!form) {
      return;
    }
    var cards = Array.prototype.slice.call(document.querySelectorAll(".card[data-claim-id]"));
    var shown = document.getElementById("claims-shown");
    var none = document.getElementById("claims-none");
    function apply() {
      var statuses = {};
      form.querySelectorAll("input[name=status]").forEach(function (box) {
        statuses[box.value] = box.checked;
      });
      var terms = words(form.elements.text.value);
      var source = form.elements.source.value;
      var affiliation = form.elements.affiliation.value;
      var n = 0;
      cards.forEach(function (card) {
        var text = card.getAttribute("data-text");
        var ok =
          statuses[card.getAttribute("data-status")] !== false &&
          terms.every(function (t) { return text.indexOf(t) >= 0; }) &&
          (!source || card.getAttribute("data-sources").split("|").indexOf(source) >= 0) &&
          (!affiliation ||
            card.getAttribute("data-affiliations").split("|").indexOf(affiliation) >= 0);
        card.hidden = !ok;
        n += ok ? 1 : 0;
      });
      shown.textContent = "Showing " + n + " of " + cards.length + " claims";
      none.hidden = n > 0;
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    document.getElementById("claims-reset").addEventListener("click", function () {
      form.reset();
      apply();
    });
    form.hidden = false;
    apply();
  }

  function setupSources() {
    var form = document.getElementById("source-filters");
    if (!form) {
      return;
    }
    var rows = Array.prototype.slice.call(document.querySelectorAll("#track-record tbody tr"));
    var shown = document.getElementById("sources-shown");
    function apply() {
      var affiliation = form.elements.affiliation.value;
      var type = form.elements.type.value;
      var terms = words(form.elements.text.value);
      var n = 0;
      rows.forEach(function (row) {
        var name = row.getAttribute("data-name");
        var ok =
          (!affiliation || row.getAttribute("data-affiliation") === affiliation) &&
          (!type || row.getAttribute("data-type") === type) &&
          terms.every(function (t) { return name.indexOf(t) >= 0; });
        row.hidden = !ok;
        n += ok ? 1 : 0;
      });
      shown.textContent = "Showing " + n + " of " + rows.length + " sources";
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
    apply();
  }

  setupClaims();
  setupSources();

  // -- printing: every folded table and list on paper ------------------------------------------
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
