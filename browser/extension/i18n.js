// Fills the page's texts from _locales: an element with data-i18n="name" gets the message
// as its text, data-i18n-title and data-i18n-placeholder fill those attributes. The browser
// picks the language (its own UI language, English when there is no translation).

/* exported ferryText, ferryLocalize, ferryShowHowTo */
/* global ext */
'use strict';

function ferryText(name, substitutions) {
  return ext.i18n.getMessage(name, substitutions) || name;
}

function ferryLocalize(root) {
  for (const el of root.querySelectorAll('[data-i18n]'))
    el.textContent = ferryText(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-title]'))
    el.title = ferryText(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]'))
    el.placeholder = ferryText(el.dataset.i18nPlaceholder);
  document.documentElement.lang = ext.i18n.getUILanguage();
}

// The how-to that names the command registering ferry-browser-host; the command is shown as
// code and never broken across lines.
function ferryShowHowTo(el) {
  const marker = '\u0001';
  const [before, after] = ferryText('statusMissingHowTo', [marker]).split(marker);
  const code = document.createElement('code');
  code.textContent = 'ferry-browser-host --register';
  el.replaceChildren(before || '', code, after || '');
}
