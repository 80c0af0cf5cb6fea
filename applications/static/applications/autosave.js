// Autosave of long text fields (htmx). The endpoint answers 400 when the value is refused and 409 when the text
// changed in the meantime (a co-editor's or a later save): show its message instead of ignoring the response, as
// htmx does by default for errors.
document.addEventListener("htmx:beforeSwap", function (event) {
  var target = event.detail.target;
  if ((event.detail.xhr.status === 400 || event.detail.xhr.status === 409) && target && target.classList.contains("autosave-status")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
