/** Citations link only to web pages: an agent's javascript: or data: URL is shown as text, never as a link. */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import './message-sources.ts';

describe('<message-sources>', () => {
  it('links http(s) sources and shows the others as text', async () => {
    const el = document.createElement('message-sources');
    el.sources = [
      { id: 's1', url: 'https://example.com/a', title: 'A page' },
      { id: 's2', url: 'javascript:alert(1)', title: 'Trap' },
      { id: 's3', title: 'Design notes', media_type: 'application/pdf' },
    ];
    document.body.append(el);
    await el.updateComplete;
    const links = [...(el.shadowRoot?.querySelectorAll('a') ?? [])];
    expect(links.map((a) => [a.textContent, a.getAttribute('href'), a.rel])).to.deep.equal([
      ['A page', 'https://example.com/a', 'noopener noreferrer'],
    ]);
    const items = [...(el.shadowRoot?.querySelectorAll('li') ?? [])].map((li) => li.textContent?.trim());
    expect(items).to.deep.equal(['A page', 'Trap', 'Design notesapplication/pdf']);
    el.remove();
  });
});
