/** The splitter decides what is final while a reply streams; a wrong cut would freeze half-parsed markdown. */

/// <reference types="mocha" />

import { expect } from '@esm-bundle/chai';
import { BlockSplitter } from './block-splitter.ts';

function feed(text: string, step = 3): { splitter: BlockSplitter; tails: string[] } {
  const splitter = new BlockSplitter();
  const tails: string[] = [];
  for (let i = step; i < text.length + step; i += step) tails.push(splitter.update(text.slice(0, i)).tail);
  return { splitter, tails };
}

describe('BlockSplitter', () => {
  it('finishes paragraphs at blank lines and keeps the rest as the tail', () => {
    const s = new BlockSplitter();
    expect(s.update('First para\n\nSecond').tail).to.equal('Second');
    expect(s.blocks).to.deep.equal(['First para\n\n']);
  });

  it('keeps a display formula ($$ or \\[ on its own line) in the tail, blank lines and all, until it closes', () => {
    const s = new BlockSplitter();
    expect(s.update('Intro\n\n$$\na = 1\n\nb = 2\n').tail).to.equal('$$\na = 1\n\nb = 2\n');
    expect(s.update('Intro\n\n$$\na = 1\n\nb = 2\n$$\n\n\\[\nc\n\n').tail).to.equal('\\[\nc\n\n');
    expect(s.blocks).to.deep.equal(['Intro\n\n', '$$\na = 1\n\nb = 2\n$$\n\n']);
    s.update('Intro\n\n$$\na = 1\n\nb = 2\n$$\n\n\\[\nc\n\n\\]\n\nEnd');
    expect(s.blocks[2]).to.equal('\\[\nc\n\n\\]\n\n');
  });

  it('keeps an open code fence in the tail, blank lines and all, until it closes', () => {
    const s = new BlockSplitter();
    const open = 'Intro\n\n```ts\nconst a = 1;\n\nconst b = 2;\n';
    expect(s.update(open).tail).to.equal('```ts\nconst a = 1;\n\nconst b = 2;\n');
    expect(s.blocks).to.deep.equal(['Intro\n\n']);
    const closed = `${open}\`\`\`\nAfter`;
    expect(s.update(closed).tail).to.equal('After');
    expect(s.blocks[1]).to.equal('```ts\nconst a = 1;\n\nconst b = 2;\n```\n');
  });

  it('produces the same blocks whether the text arrives at once or in small chunks', () => {
    const text = '# Title\nSome *text*\n\n- a\n- b\n\n| x | y |\n| - | - |\n| 1 | 2 |\n\n```\ncode\n```\nend';
    const whole = new BlockSplitter();
    whole.update(text);
    const { splitter } = feed(text);
    expect(splitter.blocks).to.deep.equal(whole.blocks);
    expect(whole.blocks.join('') + 'end').to.equal(text);
  });

  it('starts over when the text is replaced rather than extended (an edit)', () => {
    const s = new BlockSplitter();
    s.update('One\n\nTwo');
    const u = s.update('Changed\n\nText');
    expect(u.reset).to.equal(true);
    expect(s.blocks).to.deep.equal(['Changed\n\n']);
  });

  it('ends a heading block at the end of its line', () => {
    const s = new BlockSplitter();
    s.update('## Heading\nbody');
    expect(s.blocks).to.deep.equal(['## Heading\n']);
  });
});
