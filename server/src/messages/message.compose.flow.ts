import { MessageType } from './message.enums.js';
import { FLOW_MESSAGE_VERSION, LIMITS } from '../whatsapp/whatsapp.limits.js';
import { bad, checkLength, nonBlank, textParts } from './message.compose.checks.js';
import { FlowAction, FlowMode, type FlowInput } from './send.input.flow.js';
import type { Composed } from './message.compose.js';


/** A button that opens a WhatsApp Flow: Meta's interactive `flow`, stored like the other interactive messages. */
export function flow(f: FlowInput): Omit<Composed, 'needsWindow'> {
  if ((f.flowId == null) === (f.flowName == null)) bad('flow needs exactly one of flowId or flowName', 'flow');
  if (f.flowId != null && !/^\d+$/.test(f.flowId)) bad("flow.flowId must be a Flow's numeric id", 'flow.flowId');
  if (f.flowName != null) nonBlank(f.flowName, 'flow.flowName');
  nonBlank(f.cta, 'flow.cta');
  checkLength(f.cta, LIMITS.flowCta, 'flow.cta');
  if (/\p{Extended_Pictographic}/u.test(f.cta)) bad('flow.cta must not contain emoji', 'flow.cta');
  nonBlank(f.body, 'flow.body');
  checkLength(f.body, LIMITS.body, 'flow.body');
  checkLength(f.header, LIMITS.header, 'flow.header');
  checkLength(f.footer, LIMITS.footer, 'flow.footer');
  if (f.token != null) nonBlank(f.token, 'flow.token');
  const navigate = (f.action ?? FlowAction.NAVIGATE) === FlowAction.NAVIGATE;
  // Meta: the payload "should be omitted" for data_exchange, where the business's endpoint picks the screen.
  if (!navigate && f.screen != null) bad('flow.screen is only for the NAVIGATE action', 'flow.screen');
  if (!navigate && f.data != null) bad('flow.data is only for the NAVIGATE action', 'flow.data');
  if (f.screen != null) nonBlank(f.screen, 'flow.screen');
  if (f.data != null && Object.keys(f.data).length === 0) bad('flow.data must not be an empty object', 'flow.data');
  if (f.data != null && f.screen == null) bad('flow.screen is required with flow.data: the data is the input of that screen', 'flow.screen');
  const payload = f.screen != null ? { flow_action_payload: { screen: f.screen, ...(f.data != null ? { data: f.data } : {}) } } : {};
  const parameters = {
    flow_message_version: FLOW_MESSAGE_VERSION,
    ...(f.flowId != null ? { flow_id: f.flowId } : { flow_name: f.flowName }),
    flow_cta: f.cta,
    ...(f.mode ? { mode: f.mode === FlowMode.DRAFT ? 'draft' : 'published' } : {}),
    ...(f.token != null ? { flow_token: f.token } : {}),
    flow_action: navigate ? 'navigate' : 'data_exchange',
    ...payload,
  };
  const interactive = {
    type: 'flow',
    ...textParts(f.header, f.body, f.footer),
    action: { name: 'flow', parameters },
  };
  return { type: MessageType.INTERACTIVE, waType: 'interactive', text: f.body, payload: { interactive } };
}
