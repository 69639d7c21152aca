// Tabs for translated fields in the admin: the boxes of one field in each language (modeltranslation
// marks them "mt mt-field-<field>-<language>") become a tab list, one language shown at a time. Tab
// names are the languages' names in the page's language (Intl.DisplayNames). A tab whose box has an
// error is marked, and shown first. No library, no inline script or style (the CSP allows neither).
(function () {
  "use strict";

  function languageName(code, pageLanguage) {
    try {
      var name = new Intl.DisplayNames([pageLanguage], { type: "language" }).of(code);
      return name.charAt(0).toUpperCase() + name.slice(1);
    } catch (error) {
      return code;
    }
  }

  function boxLanguage(box, field) {
    var prefix = "mt-field-" + field + "-";
    for (var i = 0; i < box.classList.length; i++) {
      if (box.classList[i].indexOf(prefix) === 0) {
        return box.classList[i].slice(prefix.length).replace("_", "-");
      }
    }
    return "";
  }

  function groups(form) {
    // {key: [{row, language}]}, in page order; the key is the field and its form prefix (inlines).
    var found = {};
    var order = [];
    form.querySelectorAll(".mt").forEach(function (box) {
      var match = /(?:^|\s)mt-field-(.+?)-([a-z]{2,3}(?:_[a-z]+)?)(?:\s|$)/.exec(box.className);
      var row = box.closest(".form-row, td");
      if (!match || !row || row.tagName === "TD") {
        return; // tabular inlines keep one column per language
      }
      var field = match[1];
      var key = field + "|" + (box.name || "").replace(/_[a-z]{2,3}(?:_[a-z]+)?$/, "");
      if (!found[key]) {
        found[key] = [];
        order.push(key);
      }
      found[key].push({ row: row, language: boxLanguage(box, field) });
    });
    return order.map(function (key) { return found[key]; });
  }

  function show(boxes, tabs, index) {
    boxes.forEach(function (box, i) {
      box.row.hidden = i !== index;
      tabs[i].setAttribute("aria-selected", i === index ? "true" : "false");
      tabs[i].tabIndex = i === index ? 0 : -1;
    });
  }

  function makeTabs(boxes, pageLanguage, number) {
    var list = document.createElement("div");
    list.className = "translation-tabs";
    list.setAttribute("role", "tablist");
    var tabs = boxes.map(function (box, i) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.className = "translation-tab";
      tab.setAttribute("role", "tab");
      tab.id = "translation-tab-" + number + "-" + i;
      tab.textContent = languageName(box.language, pageLanguage);
      box.row.setAttribute("role", "tabpanel");
      box.row.setAttribute("aria-labelledby", tab.id);
      if (box.row.querySelector(".errorlist, .errors")) {
        tab.classList.add("translation-tab-error");
      }
      tab.addEventListener("click", function () { show(boxes, tabs, i); });
      tab.addEventListener("keydown", function (event) {
        var step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        if (step) {
          var next = (i + step + tabs.length) % tabs.length;
          show(boxes, tabs, next);
          tabs[next].focus();
        }
      });
      list.appendChild(tab);
      return tab;
    });
    boxes[0].row.parentNode.insertBefore(list, boxes[0].row);
    var first = boxes.findIndex(function (box) { return box.row.querySelector(".errorlist, .errors"); });
    if (first < 0) {
      first = Math.max(0, boxes.findIndex(function (box) { return box.language === pageLanguage; }));
    }
    show(boxes, tabs, first);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("#content-main form");
    if (!form) {
      return;
    }
    var pageLanguage = (document.documentElement.lang || "en").toLowerCase();
    groups(form).forEach(function (boxes, number) {
      if (boxes.length > 1) {
        makeTabs(boxes, pageLanguage, number);
      }
    });
  });
})();
