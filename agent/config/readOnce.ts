/**
 * The files one load reads besides taskwarden.yaml (the roles file, env
 * files): each is read once however many sections ask for it, and each
 * section's reads are recorded, so its part can watch exactly those files.
 */
import type { CheckContext } from './checks';

export class ReadOnce {
  private readonly texts = new Map<string, string | null>();

  constructor(private readonly readFile: CheckContext['readFile']) {}

  /** A context for one section: reads go through the shared cache and are added to `inputs`. */
  contextFor(context: CheckContext, inputs: Set<string>): CheckContext {
    return {
      ...context,
      readFile: (absolutePath) => {
        inputs.add(absolutePath);
        return this.read(absolutePath);
      },
    };
  }

  private read(absolutePath: string): string | null {
    if (!this.texts.has(absolutePath)) this.texts.set(absolutePath, this.readFile(absolutePath));
    return this.texts.get(absolutePath) ?? null;
  }
}
