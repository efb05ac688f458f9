/** The code highlighter: tokens by language, and no state carried from one block to the next. */

import { expect } from '@esm-bundle/chai';
import { tokenize } from './highlight.ts';

const keywords = (code: string, lang: string): string[] =>
  tokenize(code, lang)
    .filter(([kind]) => kind === 'keyword')
    .map(([, text]) => text);

describe('tokenize', () => {
  it('marks comments, strings, numbers and keywords', () => {
    expect(tokenize('const a = "x"; // hi', 'js')).to.deep.equal([
      ['keyword', 'const'],
      ['plain', ' a = '],
      ['string', '"x"'],
      ['plain', '; '],
      ['comment', '// hi'],
    ]);
    expect(keywords('return 42', 'js')).to.deep.equal(['return']);
  });

  it('reads # as a comment only where the language says so', () => {
    expect(tokenize('# note', 'python')).to.deep.equal([['comment', '# note']]);
    expect(keywords('#x = 1; let y', 'js')).to.deep.equal(['let']);
  });

  it('starts every block from its beginning, even after a block where # was not a comment', () => {
    // The skipped `#` used to leave the shared regex's lastIndex set, so the next call began mid-text.
    tokenize('let a = 1; # not a comment in JavaScript, and quite a long line after it', 'js');
    expect(keywords('const b = 2', 'js')).to.deep.equal(['const']);
  });
});
