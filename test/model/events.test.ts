// Event attribution: an event is evidence about an object only when its involvedObject names it by
// kind, namespace, name and uid; Normal events are no evidence; and a pod whose events were read
// but has none is told apart from one whose events were not read.

import { describe, expect, it } from 'vitest';
import { modelFromRaw } from '../../src/model/from-raw.js';
import { summarizeEvents } from '../../src/model/events.js';
import { CHECKS } from '../../src/checks/index.js';
import { runChecks } from '../../src/report/run-checks.js';
import { event, node, pod, service, type Raw } from '../support/objects.js';

const probe503 = 'Readiness probe failed: HTTP probe failed with statuscode: 503';
const unready = () => pod('web-1', { ready: false });

/** The evidence no-ready-endpoints gives pod web-1 of Service web, from these objects. */
function evidenceOfWeb1(objects: Raw[], coverage = {}) {
  const model = modelFromRaw([node('node-a'), service('web'), ...objects], coverage);
  const finding = runChecks(model, model.services, CHECKS).findings.find((f) => f.check === 'no-ready-endpoints');
  return finding?.pods?.find((p) => p.name === 'web-1')?.evidence;
}

describe('event attribution (kind, namespace, name and uid)', () => {
  const cases: { name: string; events: (pod: Raw) => Raw[]; want: string[] | undefined; coverage?: object }[] = [
    { name: "the pod's own Warning event", events: (p) => [event(p, 'Unhealthy', probe503)], want: ['Unhealthy'] },
    {
      name: 'an event of an earlier pod of the same name (recreated: another uid) is not evidence',
      events: (p) => [event(p, 'BackOff', 'Back-off restarting failed container app', { uid: 'uid-web-1-before' })],
      want: [],
    },
    {
      name: 'an event of a deleted pod (a uid no object has) is not evidence',
      events: (p) => [event(p, 'Failed', 'Error: ErrImagePull', { uid: '00000000-dead-0000-0000-000000000000' })],
      want: [],
    },
    {
      name: 'an event about a pod of the same name and uid in another namespace is not evidence',
      events: (p) => [event(p, 'Unhealthy', probe503, { ns: 'other' })],
      want: [],
    },
    {
      name: 'an event about another kind of object with the same name and uid is not evidence',
      events: (p) => [event({ ...p, kind: 'ReplicaSet' }, 'FailedCreate', 'quota exceeded')],
      want: [],
    },
    {
      name: 'Normal events are no evidence of trouble',
      events: (p) => [event(p, 'Pulled', 'Successfully pulled image', { type: 'Normal' })],
      want: [],
    },
    {
      name: 'expired events (none left in the API server): Events were read, the pod has none',
      events: () => [],
      want: [],
    },
    {
      name: 'Events not read: no evidence either way',
      events: (p) => [event(p, 'Unhealthy', probe503)],
      coverage: { events: false },
      want: undefined,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = unready();
      // An event elsewhere in the namespace, so that Events count as read even when the pod has none.
      const other = event(pod('db-1', { labels: { app: 'db' } }), 'BackOff', 'not about web-1');
      const evidence = evidenceOfWeb1([p, pod('db-1', { labels: { app: 'db' } }), other, ...c.events(p)], c.coverage);
      expect(evidence?.map((e) => e.reason)).toEqual(c.want);
    });
  }

  it('an event without a uid in involvedObject cannot be attributed', () => {
    const p = unready();
    const withoutUid = event(p, 'Unhealthy', probe503);
    delete (withoutUid.involvedObject as Raw).uid;
    expect(evidenceOfWeb1([p, withoutUid])).toEqual([]);
  });
});

describe('evidence of one object', () => {
  const p = pod('web-1');
  const model = (events: Raw[]) => modelFromRaw([p, ...events]);
  const evidence = (events: Raw[]) => {
    const m = model(events);
    return summarizeEvents(m.warningEventsAbout('Pod', m.pod('shop', 'web-1')!.meta)!);
  };

  it('deduplicates by reason and message, adding counts and keeping the latest time, newest first', () => {
    expect(
      evidence([
        event(p, 'Unhealthy', probe503, { count: 10, lastSeen: '2026-11-01T10:00:00Z' }),
        event(p, 'Unhealthy', probe503, { count: 5, lastSeen: '2026-11-01T10:20:00Z' }),
        event(p, 'BackOff', 'Back-off restarting failed container app', { count: 3, lastSeen: '2026-11-01T10:10:00Z' }),
      ]),
    ).toEqual([
      { reason: 'Unhealthy', message: probe503, count: 15, lastSeen: '2026-11-01T10:20:00Z' },
      {
        reason: 'BackOff',
        message: 'Back-off restarting failed container app',
        count: 3,
        lastSeen: '2026-11-01T10:10:00Z',
      },
    ]);
  });

  it('keeps the five most recent', () => {
    const many = Array.from({ length: 8 }, (_, i) =>
      event(p, `Reason${i}`, 'm', { lastSeen: `2026-11-01T10:0${i}:00Z` }),
    );
    expect(evidence(many).map((e) => e.reason)).toEqual(['Reason7', 'Reason6', 'Reason5', 'Reason4', 'Reason3']);
  });

  it('reads events.k8s.io/v1 events (regarding, note, series) as core/v1 ones', () => {
    const v1 = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'web-1.abc', namespace: 'shop' },
      regarding: { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'uid-web-1' },
      reason: 'Unhealthy',
      note: probe503,
      type: 'Warning',
      eventTime: '2026-11-01T09:00:00.000000Z',
      series: { count: 42, lastObservedTime: '2026-11-01T10:30:00.123456Z' },
      reportingController: 'kubelet',
    };
    expect(evidence([v1])).toEqual([
      { reason: 'Unhealthy', message: probe503, count: 42, lastSeen: '2026-11-01T10:30:00.123456Z' },
    ]);
  });
});
