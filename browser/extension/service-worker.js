// Chromium's entry point: a service worker is one script, so it pulls in the others in the
// order Firefox's manifest lists them.

/* global importScripts */
importScripts('rules.js', 'common.js', 'cookies.js', 'capture.js', 'menus.js', 'background.js');
