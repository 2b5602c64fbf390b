import { describe, expect, it } from 'vitest';
import { InstantOrder, laneOf } from '../../local/stepfunctions/instant-order.ts';

/** Two event-loop turns and a bit: InstantOrder looks two turns after a change. */
const turns = () => new Promise((r) => setTimeout(r, 5));

/** Segments entered in `arrival` order; each ends at once when it goes (or on `end()` when held). Returns the order they went in, wave by wave. */
async function waves(arrival: { lane?: string; order: string }[], options: { handlersIdle?: () => boolean } = {}) {
  const order = new InstantOrder(() => true, options.handlersIdle ?? (() => true));
  const went: string[][] = [];
  let wave: string[] = [];
  const running: (() => void)[] = [];
  for (const s of arrival) order.enter(s.lane, s.order, () => (wave.push(s.order), running.push(() => order.ended())));
  for (let i = 0; i < arrival.length + 2; i++) {
    await turns();
    if (wave.length) went.push(wave);
    wave = [];
    for (const end of running.splice(0)) end();
  }
  return went;
}

describe('InstantOrder: runs of one stepped moment go in the same order whatever order they became ready in', () => {
  const ready = [
    { lane: 'acct-2', order: 'save-acct-2' },
    { lane: 'acct-1', order: 'reengagement-acct-1' },
    { lane: 'acct-1', order: 'expansion-acct-1' },
    { lane: undefined, order: 'RescoreWithNewData-1' },
    { lane: 'acct-2', order: 'adoption-acct-2' },
    { lane: undefined, order: 'Daily-1' },
  ];
  const expected = [['Daily-1'], ['RescoreWithNewData-1'], ['adoption-acct-2', 'expansion-acct-1'], ['reengagement-acct-1', 'save-acct-2']];

  it.each([
    ['as listed', ready],
    ['reversed', [...ready].reverse()],
    ['rotated', [...ready.slice(3), ...ready.slice(0, 3)]],
  ])('arrival %s: runs over the whole book alone first, then one run per account at a time, by name', async (_, arrival) => {
    expect(await waves(arrival)).toEqual(expected);
  });

  it('holds a wave while a handler still runs (it may start a run of the same moment)', async () => {
    let busy = true;
    const order = new InstantOrder(
      () => true,
      () => !busy,
    );
    const went: string[] = [];
    order.enter('a', 'one', () => went.push('one'));
    await turns();
    expect(went).toEqual([]);
    busy = false;
    order.look(); // the runtime calls it when a handler returns
    await turns();
    expect(went).toEqual(['one']);
  });

  it('lets runs go at once while the clock runs (no order to keep)', () => {
    const order = new InstantOrder(
      () => false,
      () => false,
    );
    const went: string[] = [];
    order.enter('a', 'b', () => went.push('b'));
    order.enter('a', 'a', () => went.push('a'));
    expect(went).toEqual(['b', 'a']);
    expect(order.pending).toBe(0);
  });

  it.each([
    [{ accountId: 'acct-1', play: 'save' }, 'acct-1'],
    [{ shards: [0, 1] }, undefined],
    [null, undefined],
    [{ accountId: 7 }, undefined],
  ])('laneOf(%j) is %s', (input, lane) => expect(laneOf(input)).toBe(lane));
});
