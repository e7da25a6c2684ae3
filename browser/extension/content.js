// Runs in every page and frame from the start: notices a click on a link made with a
// modifier key held, which is the user's way of saying "let the browser download this one".
// The background decides whether the key held is the one chosen in the options, so pages
// never need the settings.

(() => {
  'use strict';
  const api = globalThis.browser || globalThis.chrome;
  let lastSent = '';

  function linkOf(event) {
    const path = typeof event.composedPath === 'function' ? event.composedPath() : [event.target];
    for (const node of path) {
      if (node && node.nodeType === 1 && (node.localName === 'a' || node.localName === 'area') && node.hasAttribute('href'))
        return node;
    }
    return null;
  }

  function onPress(event) {
    // Only the user's own presses: a page could otherwise fake them to keep its downloads
    // away from Ferry.
    if (!event.isTrusted || (!event.altKey && !event.shiftKey && !event.ctrlKey))
      return;
    const link = linkOf(event);
    if (!link)
      return;
    let url;
    try {
      url = new URL(typeof link.href === 'string' ? link.href : link.getAttribute('href'), document.baseURI).href;
    } catch (e) {
      return;
    }
    // mousedown and click of the same press: one message is enough.
    const key = url + '|' + event.altKey + event.shiftKey + event.ctrlKey;
    if (event.type === 'click' && key === lastSent)
      return;
    lastSent = key;
    try {
      const sent = api.runtime.sendMessage({
        type: 'ferry-click', url,
        alt: event.altKey, shift: event.shiftKey, ctrl: event.ctrlKey,
      });
      if (sent && typeof sent.catch === 'function')
        sent.catch(() => {});
    } catch (e) {
      // The extension was reloaded; this page keeps an orphaned script until it reloads.
    }
  }

  window.addEventListener('mousedown', onPress, true);
  window.addEventListener('click', onPress, true);
})();
