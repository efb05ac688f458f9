/** Sizes read as a person would say them: the storage quota in GB, not "10242.9 MB". */

/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { formatBytes } from './format-bytes.ts';

describe('formatBytes', () => {
  it('picks the unit that keeps the number small', () => {
    expect(formatBytes(10242.9 * 1024 * 1024)).to.equal('10 GB');
    expect(formatBytes(1.5 * 1024 ** 3)).to.equal('1.5 GB');
    expect(formatBytes(3 * 1024 ** 4)).to.equal('3.0 TB');
    expect(formatBytes(1536 * 1024)).to.equal('1.5 MB');
    expect(formatBytes(20 * 1024 * 1024)).to.equal('20 MB');
    expect(formatBytes(2048)).to.equal('2.0 KB');
    expect(formatBytes(980)).to.equal('980 B');
    expect(formatBytes(0)).to.equal('0 B');
  });
});
