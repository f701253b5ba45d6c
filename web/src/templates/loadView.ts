/**
 * Loads the templates view and its editor. The widget's build replaces this module with
 * loadView.script.tsx, which loads their own script; tests and the dev server import them directly.
 */
export const loadView = () => import('./TemplatesView');
