// Disables a form's submit buttons while it is being sent, so a double-click sends one post (issue 12
// item 7). Progressive: without this script the forms work as before. The buttons are disabled after the
// submit event (a disabled submitter would not send its name and value), re-enabled when the page is
// shown again from the back/forward cache, and after a while in case the answer was a download.
(function () {
  'use strict';
  function buttonsOf(form) {
    return Array.prototype.slice.call(form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]'));
  }
  function setBusy(form, busy) {
    buttonsOf(form).forEach(function (b) {
      b.disabled = busy;
      if (busy) b.setAttribute('aria-disabled', 'true');
      else b.removeAttribute('aria-disabled');
    });
    if (busy) form.setAttribute('aria-busy', 'true');
    else form.removeAttribute('aria-busy');
  }
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented || form.hasAttribute('data-allow-resubmit') || form.target === '_blank') return;
    if (form.getAttribute('aria-busy') === 'true') {
      event.preventDefault();
      return;
    }
    setTimeout(function () {
      setBusy(form, true);
    }, 0);
    setTimeout(function () {
      setBusy(form, false);
    }, 15000);
  });
  window.addEventListener('pageshow', function () {
    Array.prototype.forEach.call(document.forms, function (f) {
      if (f.getAttribute('aria-busy') === 'true') setBusy(f, false);
    });
  });
})();
