// Buurtnet's own behaviour on top of htmx. It lives in this file rather than in inline scripts or
// hx-on attributes because the Content-Security-Policy allows neither.

// htmx leaves a 4xx answer unswapped. A part marked data-swap-refusals shows the server's refusal
// (400, with the form and its error) in place, as the page without JavaScript would.
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (event.detail.xhr.status === 400 && target && target.closest("[data-swap-refusals]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
