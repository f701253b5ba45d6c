import contactsCss from '../contacts/contacts.css?inline';
import { addStyles } from '../ui/styles';
import uiCss from '../ui/ui.css?inline';
import appCss from './app.css?inline';
import responsiveCss from './responsive.css?inline';

// The sheets of what shows at first paint; parts loaded on demand add theirs (ui/styles.ts).
addStyles('app', appCss);
addStyles('ui', uiCss);
addStyles('contacts', contactsCss);
addStyles('responsive', responsiveCss);
