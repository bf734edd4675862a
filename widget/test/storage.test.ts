import { expect } from '@open-wc/testing';
import { loadThreadId, loadVisitorToken, saveThreadId, saveVisitorToken } from '../src/connection/storage.ts';

const SERVER = 'http://storage.test';

describe('widget storage', () => {
  beforeEach(() => localStorage.clear());

  it('keeps the visitor and thread in localStorage, namespaced by server and workflow', () => {
    saveVisitorToken(SERVER, 'vt_1');
    saveThreadId(SERVER, 'support', 'thr_1');
    expect(localStorage.getItem(`agent-chat:${SERVER}:visitor`)).to.equal('vt_1');
    expect(loadThreadId(SERVER, 'support')).to.equal('thr_1');
    expect(loadThreadId(SERVER, 'weather')).to.equal(null);
    expect(loadVisitorToken('http://other.test')).to.equal(null);
  });

  it('forgets what the site cleared from localStorage (no stale in-memory copy)', () => {
    saveVisitorToken(SERVER, 'vt_1');
    saveThreadId(SERVER, 'support', 'thr_1');
    localStorage.clear(); // e.g. the host site signs the visitor out
    expect(loadVisitorToken(SERVER)).to.equal(null);
    expect(loadThreadId(SERVER, 'support')).to.equal(null);
  });

  it('falls back to memory for this page when localStorage refuses writes', () => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    try {
      saveThreadId(SERVER, 'support', 'thr_mem');
      expect(localStorage.getItem(`agent-chat:${SERVER}:thread:support`)).to.equal(null);
      expect(loadThreadId(SERVER, 'support')).to.equal('thr_mem');
      saveThreadId(SERVER, 'support', null);
      expect(loadThreadId(SERVER, 'support')).to.equal(null);
    } finally {
      Storage.prototype.setItem = setItem;
    }
  });
});
