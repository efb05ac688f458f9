/** The question form: fields from the schema, labelled; problems shown in place before anything is sent. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import type { QuestionRequest, RequestState } from '../../../shared/index.ts';
import type { QuestionForm } from './question-form.ts';
import './question-form.ts';

const request: QuestionRequest = {
  kind: 'question',
  id: 'q1',
  prompt: 'Plan?',
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', title: 'Name' },
      notes: { type: 'string', format: 'multiline', description: 'Optional' },
      n: { type: 'integer', title: 'Nights', minimum: 1, maximum: 3, default: 2 },
      pets: { type: 'boolean', title: 'Pets' },
      pace: { type: 'string', enum: ['slow', 'fast'] },
      tags: { type: 'array', title: 'Tags', items: { type: 'string', enum: ['a', 'b'] } },
    },
    required: ['name', 'tags'],
  },
};

async function form(state: Partial<RequestState> = {}) {
  const el = document.createElement('question-form');
  el.request = { ...request, ...state } as QuestionForm['request'];
  el.messageId = 'm1';
  const answers: unknown[] = [];
  el.addEventListener('answer-request', (e) => answers.push(e.detail));
  document.body.append(el);
  await el.updateComplete;
  if (!el.shadowRoot) throw new Error('no shadow root');
  return { el, answers, root: el.shadowRoot };
}

function input(root: ParentNode, selector: string): HTMLInputElement {
  const found = root.querySelector(selector);
  if (!(found instanceof HTMLInputElement)) throw new Error(`no input ${selector}`);
  return found;
}

describe('<question-form>', () => {
  afterEach(() => document.body.replaceChildren());

  it('renders one labelled control per field, of the right kind, with defaults', async () => {
    const { root } = await form();
    for (const key of ['name', 'notes', 'n', 'pace']) {
      const control = root.querySelector(`[data-key="${key}"]`);
      expect(control !== null, key).to.equal(true);
      expect(root.querySelector(`label[for="${control?.id ?? ''}"]`) !== null, key).to.equal(true);
    }
    expect(root.querySelector('textarea[data-key="notes"]') !== null).to.equal(true);
    expect(input(root, '[data-key="n"]').value).to.equal('2');
    expect(input(root, '[data-key="pets"]').type).to.equal('checkbox');
    expect(root.querySelector('select[data-key="pace"]')?.querySelectorAll('option')).to.have.length(3);
    expect(root.querySelector('fieldset[data-key="tags"] legend')?.textContent).to.contain('Tags');
  });

  it('shows what is missing in place, marks it invalid and focuses it; sends nothing', async () => {
    const { el, root, answers } = await form();
    root.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
    await el.updateComplete;
    await el.updateComplete;
    const name = input(root, '[data-key="name"]');
    expect(name.getAttribute('aria-invalid')).to.equal('true');
    const problem = root.getElementById(name.getAttribute('aria-describedby') ?? '');
    expect(problem?.textContent).to.equal('Name is required');
    expect(root.activeElement === name, 'focus on the first invalid field').to.equal(true);
    expect(root.querySelector('fieldset[data-key="tags"] .problem')?.textContent).to.equal('Tags is required');
    expect(answers).to.have.length(0);
  });

  it('sends the values once they fit, and then shows them', async () => {
    const { el, root, answers } = await form();
    const name = input(root, '[data-key="name"]');
    name.value = 'Ada';
    name.dispatchEvent(new Event('input'));
    input(root, 'fieldset[data-key="tags"] input').click();
    input(root, '[data-key="pets"]').click();
    await el.updateComplete;
    root.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
    await el.updateComplete;
    expect(answers).to.deep.equal([
      {
        messageId: 'm1',
        requestId: 'q1',
        answer: { kind: 'question', values: { n: 2, pets: true, tags: ['a'], name: 'Ada' } },
      },
    ]);
    expect(root.querySelector('form') === null).to.equal(true);
    expect(root.querySelector('dl')?.textContent?.replace(/\s+/g, ' ')).to.contain('Name Ada');
  });

  it('can be skipped (declined)', async () => {
    const { root, answers } = await form();
    [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Skip')?.click();
    expect(answers).to.deep.equal([{ messageId: 'm1', requestId: 'q1', answer: { kind: 'decline' } }]);
  });

  it('shows an answer given elsewhere, with the device', async () => {
    const { root } = await form({
      answer: { kind: 'question', values: { name: 'Bo', tags: ['b'] } },
      answered_by: { client_id: 'x', device: 'Safari on iPhone' },
      answered_at: Date.now(),
    });
    expect(root.querySelector('form') === null).to.equal(true);
    expect(root.querySelector('.status')?.textContent?.replace(/\s+/g, ' ')).to.contain('from Safari on iPhone');
  });
});
