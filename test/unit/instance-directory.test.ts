import { describe, expect, it } from 'vitest';
import { claimKey, claimValue, DirectoryView } from '../../src/core/instance-directory.js';
import type { NodeAddress } from '../../src/core/instance-directory.js';

const a: NodeAddress = { id: 'a', member: 'member-a', url: 'http://10.0.0.1:8082' };
const b: NodeAddress = { id: 'b', member: 'member-b', url: 'http://10.0.0.2:8082' };

function claim(view: DirectoryView, offset: number, claimId: string, node: NodeAddress, group = 'g', instance = 'i'): void {
  view.apply({ offset: BigInt(offset), key: claimKey(claimId), value: claimValue(group, instance, node) });
}

function withdraw(view: DirectoryView, offset: number, claimId: string): void {
  view.apply({ offset: BigInt(offset), key: claimKey(claimId), value: null });
}

describe('the directory view', () => {
  it('the earliest remaining claim of an instance holds it; a tombstone hands it to the next one', () => {
    const view = new DirectoryView();
    claim(view, 0, 'c1', a);
    claim(view, 1, 'c2', b);
    expect(view.holder('g', 'i')).toMatchObject({ claimId: 'c1', offset: 0n, node: a });
    withdraw(view, 2, 'c1');
    expect(view.holder('g', 'i')).toMatchObject({ claimId: 'c2', node: b });
    withdraw(view, 3, 'c2');
    expect(view.holder('g', 'i')).toBeUndefined();
    expect(view.size).toBe(0);
  });

  it('keeps instances apart, lists each holding node once, and finds the claims of a member', () => {
    const view = new DirectoryView();
    claim(view, 0, 'c1', a, 'g', 'one');
    claim(view, 1, 'c2', a, 'g', 'two');
    claim(view, 2, 'c3', b, 'h', 'one');
    claim(view, 3, 'c4', b, 'g', 'one');
    expect(view.holder('g', 'one')?.node).toEqual(a);
    expect(view.holder('h', 'one')?.node).toEqual(b);
    expect(view.holders().map((n) => n.id).sort()).toEqual(['a', 'b']);
    expect(view.claimsOf('member-a').map((c) => c.claimId).sort()).toEqual(['c1', 'c2']);
  });

  it('a repeated claim id keeps its first place; a tombstone returns the claim it withdrew', () => {
    const view = new DirectoryView();
    claim(view, 0, 'c1', a);
    claim(view, 1, 'c2', b);
    claim(view, 2, 'c1', a);
    expect(view.holder('g', 'i')).toMatchObject({ claimId: 'c1', offset: 0n });
    expect(view.apply({ offset: 3n, key: claimKey('c1'), value: null })).toMatchObject({ claimId: 'c1', node: a });
    expect(view.apply({ offset: 4n, key: claimKey('unknown'), value: null })).toBeUndefined();
  });

  it('ignores records it does not understand (other keys, other versions, garbage)', () => {
    const view = new DirectoryView();
    view.apply({ offset: 0n, key: 'node/x', value: Buffer.from('{}') });
    view.apply({ offset: 1n, key: claimKey('v2'), value: Buffer.from(JSON.stringify({ v: 2, group: 'g', instance: 'i' })) });
    view.apply({ offset: 2n, key: claimKey('junk'), value: Buffer.from('not json') });
    expect(view.size).toBe(0);
    expect(view.holder('g', 'i')).toBeUndefined();
  });
});
