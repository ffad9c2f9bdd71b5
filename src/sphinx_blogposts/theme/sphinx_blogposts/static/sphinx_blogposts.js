/* sphinx_blogposts theme: colour scheme toggle, small-screen menu, keyboard access to
   scrolling code blocks and tables, a folded "On this page" on narrow screens.
   Everything here is an enhancement: without it the page works in the system's scheme. */
(function () {
  "use strict";
  var doc = document, root = doc.documentElement, KEY = "sphinx-blogposts-scheme";
  var darkQuery = window.matchMedia("(prefers-color-scheme: dark)");
  var wideQuery = window.matchMedia("(min-width: 64em)");
  var tocQuery = window.matchMedia("(min-width: 80em)");

  function scheme() {
    var chosen = root.getAttribute("data-scheme");
    return chosen === "light" || chosen === "dark" ? chosen : (darkQuery.matches ? "dark" : "light");
  }

  function setupSchemeToggle() {
    var buttons = doc.querySelectorAll(".bp-scheme-toggle");
    function sync() {
      var dark = scheme() === "dark";
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", dark ? "true" : "false"); });
    }
    buttons.forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var next = scheme() === "dark" ? "light" : "dark";
        try { localStorage.setItem(KEY, next); } catch (e) { /* private mode: this page only */ }
        window.bpScheme(next);
        sync();
      });
    });
    if (darkQuery.addEventListener) darkQuery.addEventListener("change", sync);
    sync();
  }

  function setupMenu() {
    var button = doc.querySelector(".bp-menu-button");
    if (!button) return;
    button.hidden = false;
    function set(open) {
      root.classList.toggle("bp-menu-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    button.addEventListener("click", function () { set(!root.classList.contains("bp-menu-open")); });
    doc.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && root.classList.contains("bp-menu-open") && !wideQuery.matches) {
        set(false);
        button.focus();
      }
    });
  }

  /* A region that scrolls must be reachable with the keyboard (WCAG 2.1.1). */
  function markScrollable() {
    doc.querySelectorAll(".bp-main pre, .bp-main table, .bp-main .bp-scroll").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) {
        el.setAttribute("tabindex", "0");
      } else if (el.getAttribute("tabindex") === "0") {
        el.removeAttribute("tabindex");
      }
    });
  }

  function setupToc() {
    var details = doc.querySelector(".bp-toc-details");
    if (!details) return;
    function sync() { details.open = tocQuery.matches; }
    sync();
    if (tocQuery.addEventListener) tocQuery.addEventListener("change", sync);
  }

  /* The blog's tabs are one row that scrolls sideways on a phone: show the current tab. */
  function showCurrentTab() {
    doc.querySelectorAll(".bp-tabs ul").forEach(function (list) {
      var current = list.querySelector("[aria-current]");
      if (!current) return;
      var box = list.getBoundingClientRect(), tab = current.getBoundingClientRect();
      if (tab.right > box.right || tab.left < box.left) {
        list.scrollLeft += tab.left - box.left - 16;
      }
    });
  }

  function start() {
    setupSchemeToggle();
    setupMenu();
    setupToc();
    showCurrentTab();
    markScrollable();
    var timer;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(markScrollable, 150);
    });
  }

  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", start);
  else start();
})();
