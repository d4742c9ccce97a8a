// The search page, after Pagefind's Component UI has loaded: configure its instance, then put
// the components in place.
const ui = document.getElementById("search-ui");
const baseUrl = ui.dataset.baseUrl; // result links: the index holds root-relative paths
const lang = ui.dataset.lang;
// Every shard of the index (search_index.py): this language's first, newest first, then the
// other languages'. Pagefind opens the first and merges the others in: this language's at full
// weight, the other languages' at half, searched with this page's stemming, so that results in
// the page's language tend to come first and the language facet narrows them. Pagefind skips a
// merge whose address the opened index's address starts with, taking it for the same index:
// so the opened shard is named by its path and the merged ones by their full address. The
// components read their instance when they connect, so it is configured first and they are put
// in place after.
const [first, ...rest] = JSON.parse(ui.dataset.bundles).map((bundle) => ({
  ...bundle,
  url: new URL(bundle.href, document.baseURI),
}));
window.PagefindComponents.configureInstance("default", {
  bundlePath: first ? first.url.pathname : undefined,
  baseUrl,
  mergeIndex: rest.map((bundle) =>
    bundle.lang === lang
      ? { bundlePath: bundle.url.href, baseUrl }
      : { bundlePath: bundle.url.href, baseUrl, language: lang, indexWeight: 0.5 },
  ),
});
ui.replaceWith(ui.content.cloneNode(true));

// Pagefind's filter dropdowns render a button with role="combobox", whose visible label is not
// its accessible name for screen readers; give each the name of its label as it appears.
const nameFilterButtons = () => {
  for (const button of document.querySelectorAll(".pf-dropdown-trigger:not([aria-label])")) {
    const label = button.querySelector(".pf-dropdown-trigger-label");
    if (label) button.setAttribute("aria-label", label.textContent.trim());
  }
};
new MutationObserver(nameFilterButtons).observe(document.body, { childList: true, subtree: true });
nameFilterButtons();
