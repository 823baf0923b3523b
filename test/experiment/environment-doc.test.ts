// environment.md's Kubernetes example cannot be applied here (no kubectl): its YAML is checked for
// syntax and for what the text promises (a Redis Service inside the cluster, workers on it with a
// shared run root), so the example at least parses and says what it claims.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** The fields of the Kubernetes objects this test reads (each kind has some of them). */
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    type: string;
    ports: { port: number }[];
    selector: Record<string, string>;
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    accessModes: string[];
  };
}
interface PodSpec {
  containers: { args: string[]; volumeMounts: { mountPath: string }[] }[];
  volumes: { name: string; persistentVolumeClaim: { claimName: string } }[];
}

const DOC = readFileSync(new URL('../../environment.md', import.meta.url), 'utf8');

test("environment.md's Kubernetes example is valid YAML with a Redis Service and a worker Deployment", () => {
  const blocks = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 1, 'a yaml block');
  assert.match(DOC, /### Kubernetes \(an example; not run here\)/);
  const docs = blocks
    .flatMap((b) => parseAllDocuments(b))
    .map((d) => {
      assert.deepEqual(
        d.errors.map((e) => e.message),
        [],
      );
      return d.toJS() as Manifest;
    });
  for (const d of docs) assert.ok(d.apiVersion && d.kind && d.metadata?.name, JSON.stringify(d).slice(0, 80));
  const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name)!;
  const service = find('Service', 'ednas-redis');
  assert.equal(service.spec.type, 'ClusterIP', 'Redis is reachable inside the cluster only');
  assert.equal(service.spec.ports[0].port, 6379);
  assert.deepEqual(service.spec.selector, find('Deployment', 'ednas-redis').spec.template.metadata.labels);
  const worker = find('Deployment', 'ednas-worker').spec.template.spec;
  const args: string[] = worker.containers[0].args;
  assert.deepEqual(args.slice(0, 3), ['worker', '--queue', 'redis://ednas-redis:6379']);
  const runs = args[args.indexOf('--runs') + 1];
  assert.ok(
    worker.containers[0].volumeMounts.some((m: { mountPath: string }) => m.mountPath === runs),
    'the shared run root is mounted',
  );
  const claim = worker.volumes.find((v: { name: string }) => v.name === 'runs')!.persistentVolumeClaim.claimName;
  assert.deepEqual(find('PersistentVolumeClaim', claim).spec.accessModes, ['ReadWriteMany']);
});
