// The background: wires the listeners. Chromium loads it as a service worker through
// service-worker.js, Firefox lists it after the other scripts in the manifest. Listeners are
// added synchronously at the top level, which is what lets either browser wake the
// background for an event after it has been stopped.

/* global ext, FerryCapture, FerryMenus */
'use strict';

FerryCapture.install();
FerryMenus.install();

// The toolbar button says "off" while capture is switched off.
async function showEnabled() {
  const settings = await FerryCapture.currentSettings();
  await ext.action.setBadgeText({ text: settings.enabled ? '' : ext.i18n.getMessage('badgeOff') });
  await ext.action.setBadgeBackgroundColor({ color: '#777777' });
  await ext.action.setTitle({
    title: ext.i18n.getMessage(settings.enabled ? 'actionTitleOn' : 'actionTitleOff'),
  });
}

ext.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && 'enabled' in changes)
    showEnabled().catch(() => {});
});
ext.runtime.onInstalled.addListener(() => { showEnabled().catch(() => {}); });
ext.runtime.onStartup.addListener(() => { showEnabled().catch(() => {}); });

// The content script reports clicks on links made with a modifier key held.
ext.runtime.onMessage.addListener((message, sender) => {
  if (!message || sender.id !== ext.runtime.id)
    return;
  if (message.type === 'ferry-click')
    FerryCapture.noteClick(message).catch(() => {});
});

// Top-level const bindings are not properties of the global object; a test that reaches the
// Firefox background through runtime.getBackgroundPage() finds the modules here.
globalThis.ferry = { capture: FerryCapture, menus: FerryMenus };
