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
