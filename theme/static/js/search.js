// The search page, after Pagefind's Component UI has loaded: configure its instance, then put
// the components in place.
const ui = document.getElementById("search-ui");
const bundle = new URL(ui.dataset.bundle, document.baseURI);
const baseUrl = ui.dataset.baseUrl; // result links: the index holds root-relative paths

// Pagefind searches the index of the page's <html lang>; the other languages' indexes, from the
// same bundle, are merged in at half weight, so that results in the page's language tend to come
// first and the language facet narrows them. Pagefind skips a merge whose address the page's own
// index address starts with, taking it for the same index: so the bundle is named by its path
// for the page's own index and by its full address for the merged ones. The components read
// their instance when they connect, so it is configured first and they are put in place after.
window.PagefindComponents.configureInstance("default", {
  bundlePath: bundle.pathname,
  baseUrl,
  mergeIndex: ui.dataset.merge
    .split(" ")
    .filter(Boolean)
    .map((language) => ({ bundlePath: bundle.href, baseUrl, language, indexWeight: 0.5 })),
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
