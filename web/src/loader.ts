/**
 * `widget.js`, the one classic script a dashboard embeds. It is tiny: it defines `window.InboxWidget`
 * at once and imports the widget's ES module chunks (hashed, under `widget/`) from beside its own URL,
 * so a page on another origin works and existing embed code can call `InboxWidget.mount(...)` on the
 * next line. Calls made before the module has arrived are held and replayed. The build (vite.config.ts)
 * compiles this file on its own, puts the entry chunk's name in `__INBOX_ENTRY__` and minifies it.
 * It is a script, not a module: no import or export may appear here.
 */
declare const __INBOX_ENTRY__: string;

interface InboxModule {
  mount(element: Element, options?: object): { client: unknown; unmount(): void };
  optionsFromScript(script: HTMLScriptElement): object;
}

(() => {
  const w = window as unknown as { InboxWidget?: unknown };
  if (w.InboxWidget) return; // the tag twice on one page: the first one wins
  const script = document.currentScript as HTMLScriptElement | null;
  // Captured now: document.currentScript is null once this script has run.
  const entry = new URL(__INBOX_ENTRY__, script?.src || location.href).href;
  const ready: Promise<InboxModule> = import(/* @vite-ignore */ entry);
  ready.catch((err: unknown) => console.error('InboxWidget: could not load', entry, err));

  /** Mounts as soon as the module is there; the handle works at once (unmount before then cancels it). */
  function mount(element: Element, options?: object) {
    let real: ReturnType<InboxModule['mount']> | null = null;
    let gone = false;
    const mounted = ready.then((m) => {
      if (gone) throw new Error('InboxWidget: unmounted before it was loaded');
      real = m.mount(element, options);
      return real;
    });
    mounted.catch(() => undefined);
    return {
      /** Resolves with the mounted widget (its Apollo client and unmount) once the module is loaded. */
      ready: mounted,
      get client() {
        return real?.client;
      },
      unmount() {
        gone = true;
        real?.unmount();
        real = null;
      },
    };
  }

  w.InboxWidget = { mount, ready };
  if (script && ('token' in script.dataset || 'endpoint' in script.dataset || 'sessionUrl' in script.dataset)) {
    void ready.then((m) => {
      const start = () => m.mount(document.body, m.optionsFromScript(script));
      if (document.body) start();
      else document.addEventListener('DOMContentLoaded', start, { once: true });
    });
  }
})();
