// dossier serve: reload this page when a saved change shows on it. Injected by the server into
// the pages it serves; never part of a built site.
(() => {
  const page = encodeURIComponent(location.pathname);
  const events = new EventSource(`/_dossier/events?page=${page}`);
  let lost = false;
  events.addEventListener("reload", () => location.reload());
  // The server went away (stopped, or restarted with other settings): reload once it is back.
  events.addEventListener("error", () => { lost = true; });
  events.addEventListener("open", () => { if (lost) location.reload(); });
})();
