import auditCss from '../audit/audit.css?inline';
import contactsCss from '../contacts/contacts.css?inline';
import messagesCss from '../messages/messages.css?inline';
import notesCss from '../notes/notes.css?inline';
import cannedCss from '../canned/canned.css?inline';
import presenceCss from '../presence/presence.css?inline';
import teamCss from '../team/team.css?inline';
import uiCss from '../ui/ui.css?inline';
import appCss from './app.css?inline';
import responsiveCss from './responsive.css?inline';

/**
 * The widget's stylesheet, which mount.tsx puts in its Shadow DOM. Later rules win over earlier ones
 * of equal specificity (the back button is also an icon button; responsive.css overrides every
 * folder), so the parts keep the order of the one stylesheet they were split from.
 */
export const css = [appCss, uiCss, contactsCss, messagesCss, notesCss, cannedCss, presenceCss, teamCss, auditCss, responsiveCss].join('\n');
