/**
 * Loads the template editor. The widget's build replaces this module with loadEditor.script.tsx,
 * which loads the editor's own script; tests and the dev server import the component directly.
 */
export const loadEditor = () => import('./TemplateEditor');
