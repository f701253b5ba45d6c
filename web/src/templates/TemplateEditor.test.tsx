// @vitest-environment happy-dom
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, test } from 'vitest';
import { createCache } from '../shared/cache';
import TemplatesView from './TemplatesView';
import { CreateTemplate, DeleteTemplate, ManagedTemplatesQuery, UpdateTemplate } from './templates';

afterEach(cleanup);

const row = (id: string, name: string, status: string, components: object[]) => ({
  __typename: 'Template' as const, id, name, language: 'en_US', status, category: 'UTILITY', parameterFormat: 'POSITIONAL', rejectedReason: null, components,
});
const list = (...templates: ReturnType<typeof row>[]) => ({ request: { query: ManagedTemplatesQuery }, result: { data: { templates } } });
const change = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const preview = () => screen.getByRole('figure', { name: 'Preview' });

const COMPONENTS = [
  { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['#42'] } },
  { type: 'BODY', text: 'Hi {{1}}, it ships {{2}}.', example: { body_text: [['Ada', 'today']] } },
  { type: 'FOOTER', text: 'Shop Inc.' },
  { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Track it' }] },
];
const INPUT = { name: 'order_ships', language: 'en_US', category: 'UTILITY', parameterFormat: 'POSITIONAL', components: COMPONENTS };

describe('TemplateEditor', () => {
  test('the preview follows the form with the examples filled in; the server refusal shows beside the form, then a submit goes through', async () => {
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          list(),
          { request: { query: CreateTemplate, variables: { input: INPUT } }, result: { errors: [new GraphQLError('components[0].text: at most 60 characters', { extensions: { code: 'BAD_USER_INPUT', field: 'components[0].text' } })] } },
          { request: { query: CreateTemplate, variables: { input: INPUT } }, result: { errors: [new GraphQLError('Meta refused the template: Content in this language already exists', { extensions: { code: 'WHATSAPP_ERROR' } })] } },
          { request: { query: CreateTemplate, variables: { input: INPUT } }, result: { data: { createTemplate: { __typename: 'Template', id: '9' } } } },
          list(row('9', 'order_ships', 'PENDING', COMPONENTS)),
        ]}
      >
        <TemplatesView />
      </MockedProvider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'New template' }));
    await screen.findByRole('form', { name: 'New template' });
    change('Name', 'order_ships');
    change('Body', 'Hi {{1}}, it ships {{2}}.');
    expect(preview().textContent).toContain('Hi {{1}}, it ships {{2}}.');
    change('Body example for {{1}}', 'Ada');
    change('Body example for {{2}}', 'today');
    expect(preview().textContent).toContain('Hi Ada, it ships today.');
    change('Header', 'TEXT');
    change('Header text', 'Order {{1}}');
    change('Header example for {{1}}', '#42');
    change('Footer', 'Shop Inc.');
    fireEvent.click(screen.getByRole('button', { name: 'Add button' }));
    change('Button 1 text', 'Track it');
    expect(within(preview()).getByText('Order #42')).toBeTruthy();
    expect(within(preview()).getByText('Shop Inc.')).toBeTruthy();
    expect(within(preview()).getByRole('listitem').textContent).toContain('Track it');

    fireEvent.click(screen.getByRole('button', { name: 'Submit for review' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('components[0].text: at most 60 characters'));
    fireEvent.click(screen.getByRole('button', { name: 'Submit for review' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Meta refused the template: Content in this language already exists'));
    expect(screen.getByRole('form', { name: 'New template' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Submit for review' }));
    const back = await screen.findByRole('region', { name: 'Templates' });
    await within(back).findByText('order_ships');
  });

  test('a named variable makes the template NAMED; a media header shows in the preview and asks for its sample', async () => {
    const components = [
      { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1n'] } },
      { type: 'BODY', text: 'Oi {{first_name}}!', example: { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] } },
    ];
    const input = { name: 'oi', language: 'pt_BR', category: 'MARKETING', parameterFormat: 'NAMED', components };
    render(
      <MockedProvider cache={createCache()} mocks={[list(), { request: { query: CreateTemplate, variables: { input } }, result: { data: { createTemplate: { __typename: 'Template', id: '3' } } } }, list(row('3', 'oi', 'PENDING', components))]}>
        <TemplatesView />
      </MockedProvider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'New template' }));
    await screen.findByRole('form', { name: 'New template' });
    change('Name', 'oi');
    change('Language', 'pt_BR');
    change('Category', 'MARKETING');
    change('Header', 'IMAGE');
    expect(preview().querySelector('[data-format="IMAGE"]')).not.toBeNull();
    change('Sample handle', '4::aW1n');
    change('Body', 'Oi {{first_name}}!');
    change('Body example for {{first_name}}', 'Ana');
    expect(preview().textContent).toContain('Oi Ana!');
    fireEvent.click(screen.getByRole('button', { name: 'Submit for review' }));
    await within(await screen.findByRole('region', { name: 'Templates' })).findByText('oi');
  });
});

describe('TemplatesView', () => {
  test('lists templates with their status, edits one in the editor (loaded on demand), and says why a delete was refused', async () => {
    const stored = row('5', 'order_update', 'APPROVED', [{ type: 'BODY', text: 'Hi {{1}}', example: { body_text: [['Ada']] } }]);
    const edited = [{ type: 'BODY', text: 'Hello {{1}}', example: { body_text: [['Ada']] } }];
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          list(stored, row('6', 'win_big', 'REJECTED', [{ type: 'BODY', text: 'x' }])),
          { request: { query: UpdateTemplate, variables: { id: '5', input: { category: 'UTILITY', components: edited } } }, result: { data: { updateTemplate: { __typename: 'Template', id: '5' } } } },
          list(row('5', 'order_update', 'PENDING', edited), row('6', 'win_big', 'REJECTED', [{ type: 'BODY', text: 'x' }])),
          { request: { query: DeleteTemplate, variables: { id: '6' } }, result: { errors: [new GraphQLError('Meta refused the template: Template not found', { extensions: { code: 'WHATSAPP_ERROR' } })] } },
        ]}
      >
        <TemplatesView />
      </MockedProvider>,
    );
    const panel = await screen.findByRole('region', { name: 'Templates' });
    await within(panel).findByText('order_update');
    expect(within(panel).getByText('REJECTED')).toBeTruthy();
    fireEvent.click(within(panel).getByRole('button', { name: 'Edit order_update (en_US)' }));
    const body = (await screen.findByLabelText('Body')) as HTMLTextAreaElement;
    expect(body.value).toBe('Hi {{1}}');
    expect((screen.getByLabelText('Name') as HTMLInputElement).disabled).toBe(true);
    change('Body', 'Hello {{1}}');
    expect(preview().textContent).toContain('Hello Ada');
    fireEvent.click(screen.getByRole('button', { name: 'Submit changes' }));
    const back = await screen.findByRole('region', { name: 'Templates' });
    await within(back).findByText('PENDING');
    fireEvent.click(within(back).getByRole('button', { name: 'Delete win_big (en_US)' }));
    await waitFor(() => expect(within(back).getByRole('alert').textContent).toBe('Meta refused the template: Template not found'));
  });
});
