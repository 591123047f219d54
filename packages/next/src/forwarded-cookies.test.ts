import { describe, expect, it } from 'vitest';
import { cookieHeaderAfter } from './forwarded-cookies.js';

describe('cookieHeaderAfter: the Cookie header the page sees after the proxy set its cookies', () => {
  it('puts in the cookies set, replacing every copy the request had, and keeps the others in order', () => {
    const header = 'session_user=bob; exp_skill_tree_layout=list; theme=dark; exp_skill_tree_layout="list"';
    const set = ['exp_skill_tree_layout=tree; Path=/; Max-Age=2592000; SameSite=Lax; HttpOnly', 'bucketry_uid=b0600bae-a6e4-4f61-9dd9-53b576ad7edc; Path=/'];
    expect(cookieHeaderAfter(header, set)).toBe('session_user=bob; theme=dark; exp_skill_tree_layout=tree; bucketry_uid=b0600bae-a6e4-4f61-9dd9-53b576ad7edc');
  });

  it('builds the header for a request that had none', () => {
    expect(cookieHeaderAfter(undefined, ['exp_skill_tree_layout=list; Path=/'])).toBe('exp_skill_tree_layout=list');
  });

  it('leaves alone a cookie whose name only starts like one that is set', () => {
    expect(cookieHeaderAfter('exp_skill_tree_layout_old=list;;  bucketry_uid2=x', ['exp_skill_tree_layout=tree'])).toBe(
      'exp_skill_tree_layout_old=list; bucketry_uid2=x; exp_skill_tree_layout=tree',
    );
  });
});
