import { ScaleError } from '../../core/errors.js';
import type { KubeObject } from '../kube-api.js';
import { markedPatch, restoringPatch, type JsonObject } from '../marks.js';

/** How an applier reaches its configuration object. */
export interface ObjectAccess {
  /** The object now, or undefined when there is none (an applier that may create it). */
  read(): Promise<KubeObject | undefined>;
  patch(name: string, body: JsonObject): Promise<KubeObject>;
  /** Creates the object (labelled as the engine's); absent when the applier never creates. */
  create?(body: JsonObject): Promise<KubeObject>;
  delete?(name: string): Promise<unknown>;
}

/**
 * The configuration object an applier changes: the first change records the values it replaces
 * on the object (marks.ts), later changes keep that original, `restore` puts it back and removes
 * the marks. When there is no object and the applier may create one, the first change creates
 * it (labelled) and `restore` deletes it.
 */
export class ConfigObject {
  private latest: KubeObject | undefined;
  private changed = false;
  private created: string | undefined;

  constructor(
    private readonly access: ObjectAccess,
    /** The body of a new object for `change` (only for appliers that create). */
    private readonly fresh?: (patch: JsonObject) => JsonObject,
  ) {}

  async read(): Promise<KubeObject | undefined> {
    return this.latest ?? (this.latest = await this.access.read());
  }

  async change(patch: JsonObject): Promise<void> {
    const cur = await this.read();
    if (!cur) {
      if (!this.access.create || !this.fresh) throw new ScaleError('not_found', 'the balancer configuration object does not exist');
      this.latest = await this.access.create(this.fresh(patch));
      this.created = this.latest.metadata?.name;
      this.changed = true;
      return;
    }
    const name = cur.metadata?.name ?? '';
    this.latest = await this.access.patch(name, this.created ? patch : markedPatch(cur, patch));
    this.changed = true;
  }

  async restore(): Promise<void> {
    if (!this.changed) return;
    if (this.created && this.access.delete) {
      await this.access.delete(this.created).catch((err: unknown) => {
        if (!(err instanceof ScaleError && err.code === 'not_found')) throw err;
      });
    } else {
      const cur = await this.read();
      if (cur) await this.access.patch(cur.metadata?.name ?? '', restoringPatch(cur));
    }
    this.changed = false;
    this.created = undefined;
    this.latest = undefined;
  }
}
