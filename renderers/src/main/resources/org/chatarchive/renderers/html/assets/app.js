/* chat-archive HTML site: theme switch, spoilers, conversation filter. Works offline; no network. */
(function () {
  'use strict';
  var KEY = 'chat-archive-theme';
  var root = document.documentElement;
  function stored() { try { return localStorage.getItem(KEY); } catch (e) { return null; } }
  function store(v) { try { if (v) { localStorage.setItem(KEY, v); } else { localStorage.removeItem(KEY); } } catch (e) { /* file:// may refuse */ } }
  function apply(v) { if (v === 'light' || v === 'dark') { root.setAttribute('data-theme', v); } else { root.removeAttribute('data-theme'); } }
  apply(stored());

  function setup() {
    var button = document.querySelector('button.theme');
    if (button) {
      button.hidden = false;
      var label = function () { var v = stored() || 'system'; button.title = 'Theme: ' + v + ' (click to switch)'; };
      label();
      button.addEventListener('click', function () {
        var order = [null, 'light', 'dark'];
        var now = stored();
        var next = order[(order.indexOf(now) + 1) % order.length];
        store(next);
        apply(next);
        label();
      });
    }

    function reveal(el) {
      var text = el.closest('.text') || el;
      var all = text.querySelectorAll('.spoiler');
      for (var i = 0; i < all.length; i++) { all[i].classList.add('shown'); all[i].removeAttribute('role'); all[i].removeAttribute('tabindex'); }
    }
    document.addEventListener('click', function (ev) {
      var s = ev.target.closest && ev.target.closest('.spoiler:not(.shown)');
      if (s) { ev.preventDefault(); reveal(s); }
    });
    document.addEventListener('keydown', function (ev) {
      if ((ev.key === 'Enter' || ev.key === ' ') && ev.target.classList && ev.target.classList.contains('spoiler')) {
        ev.preventDefault(); reveal(ev.target);
      }
    });

    // Printing shows every edit history: a printed page cannot be clicked open.
    window.addEventListener('beforeprint', function () {
      var all = document.querySelectorAll('details.edits');
      for (var i = 0; i < all.length; i++) { all[i].open = true; }
    });

    var input = document.getElementById('filter');
    if (input) {
      input.parentNode.hidden = false;
      var items = document.querySelectorAll('.conv');
      var count = input.parentNode.querySelector('.count');
      var none = document.querySelector('.nomatch');
      var run = function () {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        var shown = 0;
        for (var i = 0; i < items.length; i++) {
          var hay = items[i].getAttribute('data-filter') || '';
          var ok = words.every(function (w) { return hay.indexOf(w) >= 0; });
          items[i].hidden = !ok;
          if (ok) { shown++; }
        }
        count.textContent = words.length ? shown + ' of ' + items.length : '';
        if (none) { none.hidden = shown !== 0; }
      };
      input.addEventListener('input', run);
      run();
    }
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', setup); } else { setup(); }
})();
