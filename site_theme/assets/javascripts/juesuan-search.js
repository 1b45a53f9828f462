// Site search with Pagefind (juesuan). Nothing is fetched until the reader opens the search box:
// then pagefind-ui.js/.css, and for each query only the index chunks and excerpts it needs.
(() => {
  "use strict";
  const button = document.querySelector(".juesuan-search__open");
  const panel = document.getElementById("juesuan-search-panel");
  if (!button || !panel) return;
  // The site root, absolute: instant navigation changes location but not where the site lives.
  const root = new URL(button.dataset.root || "./", location.href);
  let started = null;

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`搜索组件加载失败：${src}`));
      document.head.append(script);
    });
  }

  function start() {
    if (!started) {
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = new URL("pagefind/pagefind-ui.css", root).href;
      document.head.append(css);
      started = loadScript(new URL("pagefind/pagefind-ui.js", root).href).then(() => {
        // eslint-disable-next-line no-undef
        return new PagefindUI({
          element: "#juesuan-search-ui",
          bundlePath: new URL("pagefind/", root).pathname,
          baseUrl: root.pathname,
          showImages: false,
          showSubResults: true,
          resetStyles: false,
          excerptLength: 24,
        });
      });
    }
    return started;
  }

  function show() {
    panel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    start().then(() => {
      const input = panel.querySelector("input");
      if (input) input.focus();
    });
  }

  function hide() {
    panel.hidden = true;
    button.setAttribute("aria-expanded", "false");
  }

  button.addEventListener("click", () => (panel.hidden ? show() : hide()));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) {
      hide();
      button.focus();
    } else if (event.key === "/" && panel.hidden && !event.target.closest("input, textarea, select")) {
      event.preventDefault();
      show();
    }
  });
  // A result opens its page (by instant navigation when on): close the panel behind it.
  panel.addEventListener("click", (event) => {
    if (event.target.closest("a")) hide();
  });
})();
