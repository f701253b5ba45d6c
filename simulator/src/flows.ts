/**
 * WhatsApp Flows in the simulator: Meta's checks of an interactive `flow` send, and the customer's
 * answer to a sent Flow played back as Meta delivers it (an inbound `interactive` `nfm_reply`).
 */
import { fail, SimulatorError } from './meta-errors.js';
import type { FlowCompletion, InboundInput, SentMessage } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const textOf = (part: unknown): unknown => (isObj(part) ? part.text : undefined);

/** Validates an interactive `flow` like Meta does (the common cases); throws a `MetaError` otherwise. */
export function validateFlow(i: Obj, action: Obj): void {
  const p = action.parameters;
  if (action.name !== 'flow' || !isObj(p)) fail(131008, "The parameters interactive['action']['name'] = flow and interactive['action']['parameters'] are required.");
  if (!nonEmpty(textOf(i.body))) fail(131008, "The parameter interactive['body']['text'] is required.");
  for (const part of ['header', 'footer'] as const) {
    const text = textOf(i[part]);
    if (typeof text === 'string' && text.length > 60) fail(100, `Param interactive['${part}']['text'] must be at most 60 characters long.`);
  }
  if (p.flow_message_version === undefined) fail(131008, "The parameter interactive['action']['parameters']['flow_message_version'] is required.");
  if (p.flow_message_version !== '3') fail(100, "Param interactive['action']['parameters']['flow_message_version'] must be \"3\".");
  if (nonEmpty(p.flow_id) === nonEmpty(p.flow_name)) fail(100, "Exactly one of interactive['action']['parameters']['flow_id'] and ['flow_name'] must be set.");
  if (!nonEmpty(p.flow_cta)) fail(131008, "The parameter interactive['action']['parameters']['flow_cta'] is required.");
  if ([...p.flow_cta].length > 30) fail(100, "Param interactive['action']['parameters']['flow_cta'] must be at most 30 characters long.");
  if (p.mode !== undefined && p.mode !== 'draft' && p.mode !== 'published') fail(100, "Param interactive['action']['parameters']['mode'] must be one of {draft, published}.");
  const flowAction = p.flow_action ?? 'navigate';
  if (flowAction !== 'navigate' && flowAction !== 'data_exchange') fail(100, "Param interactive['action']['parameters']['flow_action'] must be one of {navigate, data_exchange}.");
  const payload = p.flow_action_payload;
  if (payload === undefined) return;
  if (flowAction !== 'navigate') fail(100, "Param interactive['action']['parameters']['flow_action_payload'] must be omitted for data_exchange.");
  if (!isObj(payload) || (payload.screen !== undefined && !nonEmpty(payload.screen))) fail(100, "Param interactive['action']['parameters']['flow_action_payload']['screen'] must be a screen id.");
  if (payload.data !== undefined && (!isObj(payload.data) || Object.keys(payload.data).length === 0)) {
    fail(100, "Param interactive['action']['parameters']['flow_action_payload']['data'] must be a non-empty object.");
  }
}

const isFlow = (s: SentMessage): boolean => {
  const i = s.body.interactive;
  return s.body.type === 'interactive' && isObj(i) && i.type === 'flow';
};
const digits = (v: string) => v.replace(/\D/g, '');

/**
 * The inbound message a customer's completed Flow becomes: the answers and the Flow's token in
 * `response_json`, quoting the Flow message. The Flow is the sent one with `wamid`, else the latest
 * sent to `to`, else the latest sent at all.
 */
export function flowReply(sent: SentMessage[], c: FlowCompletion): InboundInput {
  if (!isObj(c.response)) throw new SimulatorError(400, '`response` (an object of the answers) is required');
  const flows = sent.filter(isFlow);
  const match = c.wamid
    ? flows.find((s) => s.waMessageId === c.wamid)
    : [...flows].reverse().find((s) => c.to === undefined || s.to === c.to || (digits(c.to) !== '' && digits(s.to) === digits(c.to)));
  if (!match) throw new SimulatorError(404, `no Flow message sent${c.wamid ? ` with id ${c.wamid}` : c.to ? ` to ${c.to}` : ''}`);
  const params = ((match.body.interactive as Obj).action as Obj).parameters as Obj;
  // Meta puts the token the business sent (or its default, "unused") beside the answers.
  const responseJson = JSON.stringify({ ...c.response, flow_token: nonEmpty(params.flow_token) ? params.flow_token : 'unused' });
  const toUser = match.body.to === undefined && nonEmpty(match.body.recipient);
  return {
    ...(toUser ? { userId: match.to } : { from: digits(match.to) }),
    ...(c.name ? { name: c.name } : {}),
    type: 'interactive',
    contextMessageId: match.waMessageId,
    message: { interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: responseJson } } },
  };
}
