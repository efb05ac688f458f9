/**
 * A chat's settings dialog: one control per advertised parameter, a bad value shown inline and not saved, Save
 * writing only what changed (null for a field reset to the agent's default), Esc closing with focus back.
 */

/// <reference types="mocha" />

import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import type { AgentInfo } from '../../../shared/model.ts';
import type { ChatSettingsDialog } from './chat-settings-dialog.ts';
import './chat-settings-dialog.ts';

const agent: AgentInfo = {
  name: 'Test agent',
  capabilities: [],
  models: ['small', 'large'],
  model: 'small',
  online: true,
  params: [
    { name: 'temperature', type: 'number', label: 'Temperature', min: 0, max: 2, default: 1 },
    { name: 'max_tokens', type: 'integer', min: 1 },
    { name: 'stream', type: 'boolean', default: true },
    { name: 'style', type: 'enum', options: ['plain', 'playful'] },
    { name: 'stop', type: 'string' },
  ],
};

async function openDialog(fields: Record<string, { value: unknown }>) {
  const opener = document.createElement('button');
  document.body.append(opener);
  opener.focus();
  const el: ChatSettingsDialog = document.createElement('chat-settings-dialog');
  el.chatId = 'c1';
  el.agent = agent;
  el.fields = fields;
  document.body.append(el);
  await el.open();
  const saved: unknown[] = [];
  el.addEventListener('save-chat-settings', (e) => saved.push(e.detail));
  const $ = <T extends Element>(sel: string) => el.shadowRoot?.querySelector<T>(sel) ?? null;
  const done = () => {
    el.remove();
    opener.remove();
  };
  return { el, opener, saved, $, done };
}

function type(input: HTMLInputElement | HTMLTextAreaElement | null, value: string): void {
  if (!input) throw new Error('no input');
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

describe('<chat-settings-dialog>', () => {
  it('shows a labelled control of the right kind per parameter', async () => {
    const { $, done } = await openDialog({});
    expect($('label[for=cs-model]')?.textContent?.trim()).to.equal('Model');
    expect($<HTMLSelectElement>('#cs-model')?.options.length).to.equal(3);
    expect($('label[for=cs-p-temperature]')?.textContent?.trim()).to.equal('Temperature');
    expect($<HTMLInputElement>('#cs-p-temperature')?.type).to.equal('text');
    expect($<HTMLInputElement>('#cs-p-stream')?.type).to.equal('checkbox');
    expect($<HTMLInputElement>('#cs-p-stream')?.checked).to.equal(true);
    expect($('#cs-p-style')?.tagName).to.equal('SELECT');
    expect($('#cs-p-stop')?.tagName).to.equal('INPUT');
    done();
  });

  it('shows an out-of-range value inline and saves nothing', async () => {
    const { el, saved, $, done } = await openDialog({});
    type($('#cs-p-temperature'), '5');
    type($('#cs-p-max_tokens'), '2.5');
    await el.updateComplete;
    $<HTMLButtonElement>('button[type=submit]')?.click();
    await el.updateComplete;
    expect($('[data-param=temperature] .error')?.textContent).to.contain('must be at most 2');
    expect($('[data-param=max_tokens] .error')?.textContent).to.contain('must be an integer');
    expect($('#cs-p-temperature')?.getAttribute('aria-invalid')).to.equal('true');
    expect($('#cs-p-temperature')?.getAttribute('aria-describedby')).to.contain('cs-p-temperature-err');
    expect(saved).to.deep.equal([]);
    expect(el.isOpen).to.equal(true);
    done();
  });

  it('saves only what changed, null for a field reset to the default; Esc closes with focus back', async () => {
    const { el, opener, saved, $, done } = await openDialog({
      'setting/model': { value: 'large' },
      'setting/param.temperature': { value: 0.5 },
      'setting/param.gone': { value: 3 },
    });
    expect($<HTMLSelectElement>('#cs-model')?.value).to.equal('large');
    expect($<HTMLInputElement>('#cs-p-temperature')?.value).to.equal('0.5');
    $<HTMLButtonElement>('[aria-label="Reset Temperature to default"]')?.click();
    type($('#cs-system'), 'Be brief.');
    await el.updateComplete;
    $<HTMLButtonElement>('button[type=submit]')?.click();
    expect(saved).to.deep.equal([
      { chatId: 'c1', fields: { 'setting/system': 'Be brief.', 'setting/param.temperature': null } },
    ]);
    expect(el.isOpen).to.equal(false);

    await el.open();
    await sendKeys({ press: 'Escape' });
    await new Promise((r) => setTimeout(r, 0));
    expect(el.isOpen).to.equal(false);
    expect(document.activeElement).to.equal(opener);
    done();
  });
});
