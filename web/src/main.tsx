/**
 * The widget's ES module entry (`widget/main-[hash].js`). Pages never load it directly: the classic
 * script `widget.js` (src/loader.ts) imports it from beside its own URL and forwards
 * `InboxWidget.mount(element, { endpoint, getToken, theme })` and the tag's data attributes to it.
 */
export { optionsFromScript } from './app/config';
export { mount } from './app/mount';
export type { WidgetOptions, Theme } from './app/config';
